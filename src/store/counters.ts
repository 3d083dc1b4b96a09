// Counters for the rate limits, shared by every process: in the database (this file) or in Redis
// (redis-counters.ts). A window opens at a bucket's first hit and lasts `windowMs` by the caller's
// clock (so tests expire one by moving a ManualClock); each hit is one atomic statement, so two
// processes counting at once can never both read the same count and slip past a limit.
import { sql } from 'kysely';
import type { Db } from './db.ts';

export interface Count {
  hits: number;
  /** When the window ends, epoch ms. */
  resetAt: number;
}

export interface CounterStore {
  /** Adds one to the bucket's live window (opening a new one when there is none) and returns the count. */
  hit(bucket: string, windowMs: number, now: number): Promise<Count>;
  /** Takes one back from a live window: an attempt that turned out right must not count against a shared key. */
  refund(bucket: string, now: number): Promise<void>;
  /** Forgets the bucket (a right password clears its pair's failures). */
  clear(bucket: string): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseCounters implements CounterStore {
  constructor(private readonly db: Db) {}

  async hit(bucket: string, windowMs: number, now: number): Promise<Count> {
    // One upsert: SQLite (3.35+) and PostgreSQL both run INSERT … ON CONFLICT DO UPDATE … RETURNING as a
    // single atomic statement, the row locked between reading the old count and writing the new one.
    const ended = sql<boolean>`rate_limits.reset_at <= ${now}`;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ bucket, hits: 1, reset_at: now + windowMs })
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet({
          hits: sql<number>`case when ${ended} then 1 else rate_limits.hits + 1 end`,
          reset_at: sql<number>`case when ${ended} then ${now + windowMs} else rate_limits.reset_at end`,
        }),
      )
      .returning(['hits', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
  }

  async refund(bucket: string, now: number): Promise<void> {
    await this.db.updateTable('rate_limits').set({ hits: sql<number>`hits - 1` }).where('bucket', '=', bucket).where('hits', '>', 0).where('reset_at', '>', now).execute();
  }

  async clear(bucket: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('bucket', '=', bucket).execute();
  }

  async close(): Promise<void> {}
}
