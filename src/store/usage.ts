// "Last used" bookkeeping, coalesced: a hot path records a use in memory, and a timer writes the
// latest time per row every few seconds, so a busy token costs one UPDATE per interval, not per request.
// Readers in this process see pending uses at once through lastUsed().
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { Log } from '../domain/log.ts';

export type UsageKind = 'pat' | 'secret' | 'consent';

export class UsageRecorder {
  readonly #pending = new Map<string, { kind: UsageKind; key: string; at: number }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db, private readonly log: Log, private readonly intervalMs = 5000) {}

  /** Records a use; for consents the key is consentKey(userId, clientId). */
  record(kind: UsageKind, key: string, at: number): void {
    this.#pending.set(`${kind}:${key}`, { kind, key, at });
    this.#timer ??= setTimeout(() => void this.flushOrRetry(), this.intervalMs).unref();
  }

  /** The stored time, or a newer one still waiting to be written. */
  lastUsed(kind: UsageKind, key: string, stored: number | null): number | null {
    const pending = this.#pending.get(`${kind}:${key}`)?.at ?? null;
    return pending !== null && (stored === null || pending > stored) ? pending : stored;
  }

  /** A failed write (database busy or down) must not end the process: keep the uses and try again later. */
  private async flushOrRetry(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, 'could not record last-used times; will retry');
    }
  }

  /** Writes every pending use; on a failure the unwritten ones go back to the queue and the error is thrown. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    for (const [index, use] of batch.entries()) {
      try {
        await this.write(use.kind, use.key, use.at);
      } catch (error) {
        for (const left of batch.slice(index)) this.requeue(left);
        throw error;
      }
    }
  }

  /** Puts a use back unless a newer one for the same row arrived meanwhile. */
  private requeue(use: { kind: UsageKind; key: string; at: number }): void {
    const id = `${use.kind}:${use.key}`;
    if ((this.#pending.get(id)?.at ?? 0) < use.at) this.#pending.set(id, use);
    this.#timer ??= setTimeout(() => void this.flushOrRetry(), this.intervalMs).unref();
  }

  private async write(kind: UsageKind, key: string, at: number): Promise<void> {
    // Only move forward: an older time buffered by one process never overwrites a newer one from another.
    const older = sql<boolean>`coalesce(last_used_at, 0) < ${at}`;
    if (kind === 'consent') {
      const [userId, clientId] = key.split(' ');
      await this.db.updateTable('consents').set({ last_used_at: at }).where('user_id', '=', userId).where('client_id', '=', clientId).where(older).execute();
    } else if (kind === 'pat') {
      await this.db.updateTable('personal_tokens').set({ last_used_at: at }).where('id', '=', key).where(older).execute();
    } else {
      await this.db.updateTable('client_secrets').set({ last_used_at: at }).where('id', '=', key).where(older).execute();
    }
  }
}

export const consentKey = (userId: string, clientId: string): string => `${userId} ${clientId}`;
