// Device authorization requests (RFC 8628). Every change of state is one conditional UPDATE, so a
// decision and a redemption each happen once however many requests race for them.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { DeviceCodeTable } from './schema.ts';
import { type GrantRow, grantInsert } from './grants.ts';
import { type TokenRow, tokenInserts } from './tokens.ts';
import { atomically } from './atomic.ts';
import { isUniqueViolation } from './json.ts';

export type DeviceCodeRow = DeviceCodeTable;

/** Seconds each slow_down adds to the interval (RFC 8628 section 3.5). */
export const SLOW_DOWN_STEP = 5;

/** What a poll of a pending request found: on time, or too soon after the previous one. */
export type PollOutcome = 'pending' | 'slow_down';

export class DeviceCodeStore {
  constructor(private readonly db: Db) {}

  /** Inserts the request; false when its user code is already taken (the caller draws another). */
  async create(row: DeviceCodeRow): Promise<boolean> {
    try {
      await this.db.insertInto('device_codes').values(row).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  byHash(deviceCodeHash: string): Promise<DeviceCodeRow | undefined> {
    return this.db.selectFrom('device_codes').selectAll().where('device_code_hash', '=', deviceCodeHash).executeTakeFirst();
  }

  byUserCode(userCodeHash: string): Promise<DeviceCodeRow | undefined> {
    return this.db.selectFrom('device_codes').selectAll().where('user_code_hash', '=', userCodeHash).executeTakeFirst();
  }

  /** Records the person's answer to a live pending request; false when it was decided (or expired) meanwhile. */
  async decide(userCodeHash: string, userId: string, signedInAt: number, allow: boolean, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('device_codes')
      .set({ status: allow ? 'approved' : 'denied', user_id: userId, auth_time: signedInAt })
      .where('user_code_hash', '=', userCodeHash)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Records a poll of a live pending request: 'pending' when it came at least an interval after the
   * previous one, else 'slow_down', and the interval grows by SLOW_DOWN_STEP for every later poll.
   * null when the request is no longer pending.
   */
  async poll(deviceCodeHash: string, now: number): Promise<PollOutcome | null> {
    const pending = () =>
      this.db.updateTable('device_codes').where('device_code_hash', '=', deviceCodeHash).where('status', '=', 'pending').where('expires_at', '>', now);
    // The time test is in the UPDATE itself, so two polls at once cannot both count as on time.
    const onTime = await pending()
      .set({ last_polled_at: now })
      .where((eb) => eb.or([eb('last_polled_at', 'is', null), sql<boolean>`last_polled_at + poll_interval * 1000 <= ${now}`]))
      .executeTakeFirst();
    if (onTime.numUpdatedRows === 1n) return 'pending';
    const early = await pending()
      .set((eb) => ({ last_polled_at: now, poll_interval: eb('poll_interval', '+', SLOW_DOWN_STEP) }))
      .executeTakeFirst();
    return early.numUpdatedRows === 1n ? 'slow_down' : null;
  }

  /** Spends an approved request into `grant` with its first tokens; false when another poll spent it first. */
  redeem(deviceCodeHash: string, now: number, grant: GrantRow, tokens: TokenRow[]): Promise<boolean> {
    const spend = this.db.updateTable('device_codes').set({ status: 'redeemed' }).where('device_code_hash', '=', deviceCodeHash).where('status', '=', 'approved').where('expires_at', '>', now);
    return atomically(this.db, [grantInsert(this.db, grant), { query: spend, claim: 'changed' }, ...tokenInserts(this.db, tokens)]);
  }

  /** Turns the user's approvals the app has not redeemed yet into denials (they are revoking its access). */
  async withdrawApprovals(userId: string, clientId: string): Promise<void> {
    await this.db
      .updateTable('device_codes')
      .set({ status: 'denied' })
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('status', '=', 'approved')
      .execute();
  }
}
