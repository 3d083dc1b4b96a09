// The device authorization grant (RFC 8628): one row per device_authorization request, from issue
// through the person's decision to the one redemption. Both codes are kept only as keyed hashes.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_codes')
    .addColumn('device_code_hash', 'text', (c) => c.primaryKey())
    // Unique: the code a person types must name one request. Rows leave when they expire (sweep), so
    // the constraint only ever spans the live ones and a handful awaiting the next sweep.
    .addColumn('user_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('apps.client_id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The person who allowed or denied it; null while pending.
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('poll_interval', 'integer', (c) => c.notNull())
    .addColumn('last_polled_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_codes_expiry').on('device_codes').column('expires_at').execute();
}
