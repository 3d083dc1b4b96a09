// Starts a real Steep server on a random port over a fresh database: a SQLite file, or a fresh
// PostgreSQL schema when STEEP_TEST_POSTGRES_URL is set. Each test file runs its suite on every database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export const databases: DatabaseKind[] = process.env.STEEP_TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestServer extends RunningServer {
  clock: ManualClock;
  config: Config;
  /** The SQLite file, for tests that read its bytes. */
  sqlitePath?: string;
  kind: DatabaseKind;
}

export async function startTestServer(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestServer> {
  const clock = new ManualClock();
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  let sqlitePath: string | undefined;
  if (kind === 'postgres') {
    const base = process.env.STEEP_TEST_POSTGRES_URL!;
    const schema = `steep_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    };
  } else {
    const folder = mkdtempSync(join(tmpdir(), 'steep-test-'));
    sqlitePath = join(folder, 'steep.db');
    databaseUrl = sqlitePath;
    cleanup = async () => rmSync(folder, { recursive: true, force: true });
  }
  // Every test signs its users up from 127.0.0.1: the per-address sign-up limit would stop a suite
  // long before it ends. Tests of that limit set their own.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, STEEP_SECRET: randomBytes(32).toString('hex'), STEEP_LIMIT_SIGNUP_IP: '100000/3600', ...env });
  const server = await startServer(config, { clock });
  // PUBLIC_ORIGIN defaults to the configured port (0); point it at the real one.
  if (!env.PUBLIC_ORIGIN) config.publicOrigin = config.issuer = server.url;
  return {
    ...server,
    clock,
    config,
    sqlitePath,
    kind,
    async close() {
      await server.close();
      await cleanup();
    },
  };
}

/**
 * Declares `suite` once per database, each with its own fresh server: `forEachDatabase('apps', (ctx) => { it(...) })`.
 * `ctx.server` is set before the first test runs.
 */
export function forEachDatabase(name: string, suite: (ctx: { server: TestServer }) => void, env: Record<string, string> = {}): void {
  for (const kind of databases) {
    describe(`${name} [${kind}]`, () => {
      const ctx = {} as { server: TestServer };
      before(async () => {
        ctx.server = await startTestServer(kind, env);
      });
      suite(ctx);
      // Registered after the suite's own hooks, so those run first, while the server still stands.
      after(async () => {
        await ctx.server?.close();
      });
    });
  }
}
