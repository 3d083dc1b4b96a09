// Row counts of every table of Steep's database, read through the store's own Kysely handle, to show
// that a batch of refused requests wrote nothing.
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

/**
 * Tables whose job is to record refusals (an audit trail of failures, rate-limit counters): a refused
 * request may write there by design. Matched by name, so tables added later are covered too.
 */
const LEDGER = /audit|rate|limit|attempt|kysely_migration/i;

/** `table → rows` for every table Steep owns (on PostgreSQL, only this connection's schema). */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const tables = await db.introspection.getTables();
  // On PostgreSQL the introspector lists every schema of the cluster; other test runs live in other schemas.
  const schema = tables.some((t) => t.schema)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema
    : undefined;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    if ((schema && table.schema !== schema) || LEDGER.test(table.name) || table.isView) continue;
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    counts[table.name] = Number(rows[0].n);
  }
  return counts;
}
