// Row counts of every table of Steep's database, read through the store's own Kysely handle, to show
// that a batch of refused requests wrote nothing.
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

/**
 * Tables whose job is to record refusals (an audit trail of failures, rate-limit counters): a refused
 * request may write there by design. Matched by name, so tables added later are covered too.
 */
const LEDGER = /audit|rate|limit|attempt|kysely_migration/i;

/** Steep's own tables: on PostgreSQL only this connection's schema (other test runs create and drop theirs meanwhile). */
async function tableNames(db: Db): Promise<string[]> {
  const { rows } = db.getExecutor().adapter instanceof PostgresAdapter
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  return rows.map((row) => row.name).filter((name) => !LEDGER.test(name)).sort();
}

/** `table → rows` for every table Steep owns. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(db)) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(rows[0].n);
  }
  return counts;
}
