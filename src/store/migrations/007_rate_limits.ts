// Rate-limit counters shared by every process on this database (issue 11): one row per limit and key,
// counting hits until reset_at. The sweep deletes rows whose window has ended.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    // The limit's name and a keyed hash of what it counts (an address, an account), never the value itself.
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_reset').on('rate_limits').column('reset_at').execute();
}
