// Opens the database (SQLite file by default, PostgreSQL by URL) and runs the migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Migration, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import type { Log } from '../domain/log.ts';
import type { Database } from './schema.ts';
import { useGroupCommit } from './atomic.ts';
import { GroupCommit } from './group-commit.ts';
import { statementName } from './prepared.ts';
import * as initial from './migrations/001_initial.ts';
import * as clientKinds from './migrations/002_client_kinds.ts';
import * as deviceCodes from './migrations/003_device_codes.ts';
import * as openid from './migrations/004_openid.ts';
import * as dynamicRegistration from './migrations/005_dynamic_registration.ts';
import * as auditEvents from './migrations/006_audit_events.ts';
import * as rateLimits from './migrations/007_rate_limits.ts';
import * as pageNotes from './migrations/008_page_notes.ts';

export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_client_kinds': clientKinds,
  '003_device_codes': deviceCodes,
  '004_openid': openid,
  '005_dynamic_registration': dynamicRegistration,
  '006_audit_events': auditEvents,
  '007_rate_limits': rateLimits,
  '008_page_notes': pageNotes,
};

// int8 columns (our epoch-millisecond times) come back from pg as strings by default; they fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * `waitMs` bounds every wait on the database: connecting and each statement on PostgreSQL, a locked
 * file on SQLite. A database that is down or frozen then fails a request within that time (a 503),
 * instead of holding it as long as the outage lasts.
 */
export function openDatabase(target: DatabaseTarget, waitMs: number, log: Log): Db {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      connectionTimeoutMillis: waitMs,
      // Server-side (statement_timeout) and client-side (query_timeout, for a server that stopped answering).
      statement_timeout: waitMs,
      query_timeout: waitMs + 1000,
      idle_in_transaction_session_timeout: waitMs * 2,
    });
    // A connection the server ends (shutdown, restart, failover, idle timeout) emits 'error' on its client,
    // idle or held by a request between statements; unheard, that ends the process. Listen on every
    // client: a request that held it fails with a 503, and the pool replaces it on the next query.
    pool.on('connect', (client) => client.on('error', (error) => log.warn({ error: error.message }, 'a PostgreSQL connection was lost; reconnecting on demand')));
    // The pool re-emits an idle client's error, already logged by the client's own listener above.
    pool.on('error', () => undefined);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  }
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  const database = new SQLite(target.path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.floor(waitMs)}`);
  // SQLite's default page cache is 2 MiB per connection: at a million tokens it cannot even hold the
  // inner pages of the token indexes, and every lookup goes back to the file (the bench's growth table
  // showed introspection at half its 1k rate). 32 MiB holds them; it is only taken as pages are read.
  database.pragma('cache_size = -32768');
  const cached = withStatementCache(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  useGroupCommit(db, new GroupCommit(database, cached.prepare, (run) => db.connection().execute(run)));
  return db;
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and the hot paths run the
 * same few SQL strings over and over, so keep the prepared ones (bounded, oldest dropped first).
 */
function withStatementCache(database: SQLite.Database, max = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SQLite.Statement {
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * PostgreSQL parses and plans an unnamed statement on every run; the hot queries (store/prepared.ts)
 * go as named statements instead, which each connection parses and plans once.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        // Kysely sends SQL and parameters; it passes a cursor only for streaming, which Steep never uses.
        query: ((text: string, values: unknown[]) => {
          const name = statementName(text);
          return name ? client.query({ name, text, values }) : client.query(text, values);
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

export async function migrate(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which; on PostgreSQL name the
  // connection's own, or another schema's tables (a second Steep, a test run) would be taken for ours.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema
      : undefined;
  const migrator = new Migrator({ db, migrationTableSchema, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether the database answers within `withinMs` (readiness must answer on time itself). */
export async function isReachable(db: Db, withinMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
  const answered = sql`select 1`.execute(db).then(() => true, () => false);
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', // the network
  '57P01', '57P02', '57P03', '53300', '57014', // PostgreSQL: shutting down, cannot connect now, too many connections, statement timeout
  '08000', '08001', '08003', '08004', '08006', // PostgreSQL connection exceptions
  'SQLITE_BUSY', 'SQLITE_LOCKED', // SQLite: another writer held the file past the busy timeout
]);

/** What a failed request's error says about the database: it could not answer, it refused a statement, or neither. */
export function databaseErrorKind(error: unknown): 'unavailable' | 'query' | null {
  if (isDatabaseUnavailable(error)) return 'unavailable';
  return error instanceof pg.DatabaseError || error instanceof SQLite.SqliteError ? 'query' : null;
}

/** True when an error means "the database cannot answer now" (retryable), not a bug of ours. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message, unavailable } = (error ?? {}) as { code?: string; message?: string; unavailable?: boolean };
  // Other stores Steep waits on (Redis counters) mark their outages themselves.
  if (unavailable === true) return true;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // pg's own timeouts and dropped connections carry no code; "not queryable" is a transaction's ROLLBACK
  // on a connection the server just ended (pg_ctl stop), which hides the statement's own 57P01.
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connect ECONNREFUSED|is not queryable/.test(message);
}
