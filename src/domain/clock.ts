// Time is passed in, so tests can expire a code by advancing a clock instead of sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

export const toIso = (ms: number | null | undefined): string | undefined => (ms == null ? undefined : new Date(ms).toISOString());
