// A fixed-window failure counter per key (an email, an IP), kept in memory and bounded in size.
import type { Clock } from './clock.ts';

export class FailureLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.#windows.get(key);
    const now = this.clock.now();
    if (!entry || now - entry.start >= this.windowMs || entry.count < this.limit) return 0;
    return Math.ceil((entry.start + this.windowMs - now) / 1000);
  }

  fail(key: string): void {
    const now = this.clock.now();
    const entry = this.#windows.get(key);
    if (entry && now - entry.start < this.windowMs) {
      entry.count++;
      return;
    }
    // Oldest-first eviction: Map keeps insertion order, so a flood of keys cannot grow memory without bound.
    if (this.#windows.size >= this.maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
    this.#windows.delete(key);
    this.#windows.set(key, { start: now, count: 1 });
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }
}
