// OpenID Connect and resource servers (API.md Part 2): signing keys (the private half sealed), and
// what an authorization request (or a device's) carries through to its tokens: nonce, resource, and
// when the person signed in (auth_time).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
  for (const table of ['transactions', 'codes']) {
    await db.schema.alterTable(table).addColumn('nonce', 'text').execute();
    await db.schema.alterTable(table).addColumn('resource', 'text').execute();
  }
  await db.schema.alterTable('codes').addColumn('auth_time', 'bigint').execute();
  await db.schema.alterTable('device_codes').addColumn('resource', 'text').execute();
  await db.schema.alterTable('device_codes').addColumn('auth_time', 'bigint').execute();
  await db.schema.alterTable('grants').addColumn('resource', 'text').execute();
  await db.schema.alterTable('grants').addColumn('auth_time', 'bigint').execute();
}
