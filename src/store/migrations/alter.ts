// Schema changes SQLite's ALTER TABLE cannot make, done the way SQLite documents ("Making other kinds
// of table schema changes"): foreign keys off, build the new table, copy, drop, rename, re-index,
// check, foreign keys on. PostgreSQL alters the column in place.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export const isPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Lets `column` of each listed table hold NULL. On SQLite the tables are rebuilt from their own stored
 * CREATE statement with "not null" removed from that column, inside one transaction with foreign keys
 * off (a DROP TABLE with them on would cascade into every referencing row).
 */
export async function dropNotNull(db: Kysely<unknown>, columns: { table: string; column: string }[]): Promise<void> {
  if (isPostgres(db)) {
    for (const { table, column } of columns) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} drop not null`.execute(db);
    return;
  }
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      for (const { table, column } of columns) await rebuildWithoutNotNull(trx, table, column);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`migration: ${broken.rows.length} rows break a foreign key after rebuilding tables.`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuildWithoutNotNull(db: Kysely<unknown>, table: string, column: string): Promise<void> {
  const stored = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = stored.rows.find((row) => row.type === 'table')?.sql;
  if (!create) throw new Error(`migration: table ${table} does not exist.`);
  const temporary = `${table}__rebuild`;
  const columnRule = new RegExp(`("${column}" [a-z]+) not null`, 'i');
  if (!columnRule.test(create)) throw new Error(`migration: column ${table}.${column} is not "not null" as expected.`);
  const rebuilt = create.replace(`"${table}"`, `"${temporary}"`).replace(columnRule, '$1');
  await sql.raw(rebuilt).execute(db);
  await sql`insert into ${sql.table(temporary)} select * from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(temporary)} rename to ${sql.table(table)}`.execute(db);
  for (const index of stored.rows.filter((row) => row.type === 'index')) await sql.raw(index.sql).execute(db);
}
