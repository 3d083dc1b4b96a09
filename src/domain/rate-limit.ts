// A fixed-window attempt counter per key (an email, an IP), kept in memory and bounded in size.
// An attempt is counted when it starts, not when it fails, so a burst of parallel requests cannot
// slip past the limit while the first ones are still being checked.
import type { Clock } from './clock.ts';

export class AttemptLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts an attempt for `key`; returns 0 when it may go ahead, or the seconds to wait when the limit is reached. */
  take(key: string): number {
    const now = this.clock.now();
    const entry = this.#windows.get(key);
    if (entry && now - entry.start < this.windowMs) {
      if (entry.count >= this.limit) return Math.ceil((entry.start + this.windowMs - now) / 1000);
      entry.count++;
      return 0;
    }
    // Oldest-first eviction: Map keeps insertion order, so a flood of keys cannot grow memory without bound.
    if (this.#windows.size >= this.maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
    this.#windows.delete(key);
    this.#windows.set(key, { start: now, count: 1 });
    return 0;
  }

  /** Gives back one attempt (a success should not count against a shared key such as an IP). */
  refund(key: string): void {
    const entry = this.#windows.get(key);
    if (entry && entry.count > 0) entry.count--;
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }
}
