// Deletes rows that can never be used again, so ephemeral tables do not grow without bound.
import type { Db } from './db.ts';

/** Grace before deleting spent rows: a replayed code or refresh token must still be recognised (and punished) for a while. */
const REPLAY_MEMORY_MS = 24 * 3600 * 1000;

export interface SweepOptions {
  /** How long a retired signing key stays published: its tokens' longest lifetime. */
  keyRetentionMs: number;
  /** How long a self-registered app nobody authorized is kept (open registration must not fill the database). */
  unusedDynamicClientMs: number;
  /** How long an audit event is kept (STEEP_AUDIT_RETENTION_DAYS); the log is append-only until then. */
  auditRetentionMs?: number;
}

const DAY = 24 * 3600 * 1000;

export async function sweep(db: Db, now: number, options: SweepOptions = { keyRetentionMs: DAY, unusedDynamicClientMs: DAY }): Promise<void> {
  const { keyRetentionMs, unusedDynamicClientMs, auditRetentionMs = 90 * DAY } = options;
  const before = now - REPLAY_MEMORY_MS;
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('transactions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('page_notes').where('expires_at', '<=', now).execute();
  // An unused expired code can never be redeemed; a used one is kept a while so a replay still revokes its grant.
  await db.deleteFrom('codes').where('expires_at', '<=', now).where('used_at', 'is', null).execute();
  await db.deleteFrom('codes').where('expires_at', '<=', before).execute();
  // A device code past its lifetime can be neither decided nor redeemed; a redeemed one needs no memory
  // after that either, since a replay is invalid_grant whether its row is there or not.
  await db.deleteFrom('device_codes').where('expires_at', '<=', now).execute();
  await db.deleteFrom('tokens').where('expires_at', '<=', before).execute();
  await db.deleteFrom('personal_tokens').where('expires_at', '<=', before).execute();
  // A rate-limit window that has ended counts nothing any more.
  await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
  await db.deleteFrom('audit_events').where('at', '<=', now - auditRetentionMs).execute();
  await db.deleteFrom('signing_keys').where('retired_at', '<=', now - keyRetentionMs).execute();
  await db
    .deleteFrom('apps')
    .where('user_id', 'is', null)
    .where('created_at', '<=', now - unusedDynamicClientMs)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('consents').select('consents.client_id').whereRef('consents.client_id', '=', 'apps.client_id'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('grants').select('grants.id').whereRef('grants.client_id', '=', 'apps.client_id'))))
    .execute();
  // A grant whose tokens are all gone (expired and swept, or never kept) has nothing left to protect.
  await db
    .deleteFrom('grants')
    .where('created_at', '<=', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('tokens').select('token_hash').whereRef('tokens.grant_id', '=', 'grants.id'))))
    .execute();
}
