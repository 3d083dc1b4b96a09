// The database each Steep under test gets: a fresh SQLite file in a temporary folder, or a fresh
// PostgreSQL schema (search_path in the URL, as test/helpers/server.ts does), dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL for Steep. */
  url: string;
  drop(): Promise<void>;
}

export function sqliteDatabase(): BenchDatabase {
  const folder = mkdtempSync(join(tmpdir(), 'steep-bench-'));
  return { kind: 'sqlite', url: join(folder, 'steep.db'), drop: async () => rmSync(folder, { recursive: true, force: true }) };
}

/** Why PostgreSQL cannot be used, or null when it answers. */
export async function postgresProblem(base: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresDatabase(base: string): Promise<BenchDatabase> {
  const schema = `steep_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export const openBenchDatabase = (kind: DatabaseKind, postgresUrl: string): Promise<BenchDatabase> =>
  kind === 'sqlite' ? Promise.resolve(sqliteDatabase()) : postgresDatabase(postgresUrl);
