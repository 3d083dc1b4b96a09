// One limiter for every rate limit (domain/rate-limits.ts), over counters shared by all processes
// (store/counters.ts: the database, or Redis). Callers choose what to count:
// - creations and sign-in attempts are counted as they start (`hit` first), so a parallel burst
//   cannot slip past while the first requests are still running;
// - guesses on hot paths (client secrets, codes, Bearer tokens) are counted only when they fail, so
//   a right credential costs no write at all; once an address is past its limit, this process
//   refuses it before any lookup (`refuseKnown`, an in-memory check).
import type { Clock } from '../domain/clock.ts';
import { RateLimited } from '../domain/errors.ts';
import { LIMITS, type LimitName, type RateLimits } from '../domain/rate-limits.ts';
import type { CounterStore } from '../store/counters.ts';

/** Called whenever a limit refuses a request (metrics and audit subscribe here). */
export type OnLimited = (name: LimitName) => void;

/** Keys this process knows to be past their limit, at most this many (oldest forgotten first). */
const MAX_KNOWN = 10_000;

export class RateLimiter {
  /** "name key" → when its window ends: learned from the shared counters, so no I/O is needed to refuse again. */
  readonly #known = new Map<string, number>();

  constructor(
    private readonly counters: CounterStore,
    private readonly limits: RateLimits,
    private readonly clock: Clock,
    /** Turns a key (an email, an address) into the stored bucket name: a keyed hash, so no value is stored. */
    private readonly bucketOf: (name: LimitName, key: string) => string,
    private readonly onLimited?: OnLimited,
  ) {}

  /** Throws RateLimited when this process has already seen `key` go past `name`'s limit in the current window. */
  refuseKnown(name: LimitName, key: string): void {
    if (this.#known.size === 0) return;
    const id = `${name} ${key}`;
    const until = this.#known.get(id);
    if (until === undefined) return;
    if (until > this.clock.now()) this.#refuse(name, until);
    this.#known.delete(id);
  }

  /** Counts one hit for each [limit, key]; throws RateLimited (the longest wait) when any is past its limit. */
  async hit(...keys: Array<[LimitName, string]>): Promise<void> {
    const active = keys.filter(([name]) => this.limits[name] !== null);
    for (const [name, key] of active) this.refuseKnown(name, key);
    const now = this.clock.now();
    const counts = await Promise.all(active.map(([name, key]) => this.counters.hit(this.bucketOf(name, key), this.limits[name]!.windowMs, now)));
    let refusal: { name: LimitName; until: number } | undefined;
    active.forEach(([name, key], index) => {
      const { hits, resetAt } = counts[index];
      if (hits <= this.limits[name]!.max) return;
      this.#remember(`${name} ${key}`, resetAt);
      if (!refusal || resetAt > refusal.until) refusal = { name, until: resetAt };
    });
    if (refusal) this.#refuse(refusal.name, refusal.until);
  }

  /** Gives one hit back (an attempt that turned out right). */
  async refund(name: LimitName, key: string): Promise<void> {
    if (this.limits[name]) await this.counters.refund(this.bucketOf(name, key), this.clock.now());
  }

  /** Forgets every hit of `key` (a right password clears the failures of its account and address). */
  async clear(name: LimitName, key: string): Promise<void> {
    this.#known.delete(`${name} ${key}`);
    if (this.limits[name]) await this.counters.clear(this.bucketOf(name, key));
  }

  close(): Promise<void> {
    return this.counters.close();
  }

  #remember(id: string, until: number): void {
    if (this.#known.size >= MAX_KNOWN) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(id, until);
  }

  #refuse(name: LimitName, until: number): never {
    this.onLimited?.(name);
    const seconds = Math.max(1, Math.ceil((until - this.clock.now()) / 1000));
    throw new RateLimited(`Too many ${LIMITS[name].what}; try again in ${seconds} seconds.`, seconds);
  }
}
