// Bulk fixtures written straight into Steep's database, bypassing HTTP: authorization codes, refresh
// families (grant + access + refresh token) and, for the growth table, whole users with apps, grants
// and tokens. Rows follow src/store/schema.ts; hashes come from the build's own SecretHasher with the
// STEEP_SECRET the server runs with, so the server accepts what is written here. The build (dist/) is
// imported at run time, so type-checking the bench does not need a build.
import { type Kysely, sql } from 'kysely';
import { distUrl as dist } from '../build.ts';
import type { CodeTable, Database, GrantTable, TokenTable } from '../../src/store/schema.ts';

type DbModule = typeof import('../../src/store/db.ts');
type LogModule = typeof import('../../src/domain/log.ts');
type ConfigModule = typeof import('../../src/config.ts');
type SecretsModule = typeof import('../../src/domain/secrets.ts');
type IdsModule = typeof import('../../src/domain/ids.ts');

export interface Store {
  db: Kysely<Database>;
  kind: 'sqlite' | 'postgres';
  hash(secret: string): string;
  newSecret: SecretsModule['newSecret'];
  newId: IdsModule['newId'];
  close(): Promise<void>;
}


export async function openStore(databaseUrl: string, secret: string): Promise<Store> {
  const { openDatabase } = (await import(dist('store/db.js'))) as DbModule;
  const { stderrLog } = (await import(dist('domain/log.js'))) as LogModule;
  const { parseDatabaseUrl } = (await import(dist('config.js'))) as ConfigModule;
  const { SecretHasher, newSecret } = (await import(dist('domain/secrets.js'))) as SecretsModule;
  const { newId } = (await import(dist('domain/ids.js'))) as IdsModule;
  const target = parseDatabaseUrl(databaseUrl);
  // A generous wait: the server may be writing too (usage timestamps) while a batch commits.
  const db = openDatabase(target, 60_000, stderrLog);
  // Bulk inserts land at random places in the token_hash index: give the seeding connection a page
  // cache of 256 MiB instead of SQLite's 2 MiB, or a million rows mostly wait on page reads.
  if (target.kind === 'sqlite') await sql`pragma cache_size = -262144`.execute(db);
  const hasher = new SecretHasher(secret);
  return { db, kind: target.kind, hash: (value) => hasher.hash(value), newSecret, newId, close: () => db.destroy() };
}

/** Rows per INSERT: under SQLite's 32766 and PostgreSQL's 65535 bound parameters for the widest table here (14 columns). */
const PER_STATEMENT = 2000;

export type Batch = { [T in keyof Database]: { table: T; rows: Database[T][] } }[keyof Database];

/** Inserts every batch's rows (parents first) in one transaction, PER_STATEMENT rows per statement. */
export async function insertAll(store: Store, batches: Batch[]): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    for (const { table, rows } of batches) {
      for (let i = 0; i < rows.length; i += PER_STATEMENT) {
        // Kysely's insert typing is per table; each batch's rows are its own table's shape.
        await trx.insertInto(table).values(rows.slice(i, i + PER_STATEMENT) as never).execute();
      }
    }
  });
}

export const insertBatch = <T extends keyof Database>(store: Store, table: T, rows: Database[T][]): Promise<void> =>
  insertAll(store, [{ table, rows } as Batch]);

const DAY = 86_400_000;

export interface Owner {
  clientId: string;
  userId: string;
}

/** `count` authorization codes for the app and user, as issueCode() writes them (no PKCE, no redirect_uri sent), valid for an hour. */
export async function seedCodes(store: Store, owner: Owner, count: number, scopes: string[]): Promise<string[]> {
  const now = Date.now();
  const codes: string[] = [];
  const rows: CodeTable[] = [];
  for (let i = 0; i < count; i++) {
    const code = store.newSecret('code');
    codes.push(code);
    rows.push({
      code_hash: store.hash(code),
      client_id: owner.clientId,
      user_id: owner.userId,
      redirect_uri: 'https://example.com/cb',
      redirect_uri_sent: 0,
      scopes: JSON.stringify(scopes),
      code_challenge: null,
      nonce: null,
      resource: null,
      auth_time: now,
      expires_at: now + 3_600_000,
      created_at: now,
      used_at: null,
      grant_id: null,
    });
  }
  for (let i = 0; i < rows.length; i += 20_000) await insertBatch(store, 'codes', rows.slice(i, i + 20_000));
  return codes;
}

/** A grant row and the token rows of one refresh family, as a code exchange writes them. */
export function family(store: Store, owner: Owner, scopes: string[], now: number): { grant: GrantTable; tokens: TokenTable[]; access: string; refresh: string } {
  const grant: GrantTable = { id: store.newId('grt'), client_id: owner.clientId, user_id: owner.userId, scopes: JSON.stringify(scopes), resource: null, auth_time: now, created_at: now, revoked_at: null };
  const access = store.newSecret('accessToken');
  const refresh = store.newSecret('refreshToken');
  const row = (kind: 'access' | 'refresh', hash: string, ttl: number): TokenTable => ({
    token_hash: hash,
    kind,
    grant_id: grant.id,
    client_id: owner.clientId,
    user_id: owner.userId,
    scopes: grant.scopes,
    created_at: now,
    expires_at: now + ttl,
    revoked_at: null,
    used_at: null,
  });
  return { grant, access, refresh, tokens: [row('access', store.hash(access), DAY), row('refresh', store.hash(refresh), 30 * DAY)] };
}

/** `count` fresh refresh families for the app and user; returns their refresh tokens. */
export async function seedFamilies(store: Store, owner: Owner, count: number, scopes: string[]): Promise<string[]> {
  const now = Date.now();
  const families = Array.from({ length: count }, () => family(store, owner, scopes, now));
  await insertAll(store, [{ table: 'grants', rows: families.map((f) => f.grant) }, { table: 'tokens', rows: families.flatMap((f) => f.tokens) }]);
  return families.map((f) => f.refresh);
}
