// The growth table's data: users who each authorized one of a few dozen apps (a consent row) through
// four grants, each grant holding four tokens as a family that rotated once — a live access token, a
// live refresh token, an expired access token and a spent refresh token. Written through the store in
// one transaction per batch; live access tokens are sampled (reservoir) so the bench can present
// tokens spread over the whole table, not one hot row.
import type { AppTable, ClientSecretTable, ConsentTable, GrantTable, TokenTable, UserTable } from '../../src/store/schema.ts';
import { randomBytes } from 'node:crypto';
import { insertAll, type Store } from './steep-store.ts';

let pool = Buffer.alloc(0);
/**
 * The stored key of a token nobody will present (expired, spent, or a refresh token the bench never
 * uses): 32 random bytes in base64url, the same length and alphabet as the HMAC-SHA256 of a real
 * token, without paying for a secret and its keyed hash (three of the four tokens of every grant).
 */
function unpresentedHash(): string {
  if (pool.length < 32) pool = randomBytes(32 * 4096);
  const key = pool.subarray(0, 32).toString('base64url');
  pool = pool.subarray(32);
  return key;
}

const APPS = 40;
const GRANTS_PER_USER = 4;
const TOKENS_PER_GRANT = 4;
export const TOKENS_PER_USER = GRANTS_PER_USER * TOKENS_PER_GRANT;
/** Users written per transaction (16 tokens each): 3125 users = 50,000 tokens. */
const USERS_PER_BATCH = 3125;
const SAMPLE = 5000;

export interface Presented {
  token: string;
  /** Authorization: Basic of the app the token was issued to (introspection is answered to it). */
  basic: string;
}

export interface GrowthData {
  users: number;
  tokens: number;
  apps: { clientId: string; basic: string }[];
  /** A uniform sample of live access tokens over everything seeded so far. */
  sample: Presented[];
  seen: number;
}

const SCOPES = JSON.stringify(['record|read', 'user|email_read']);
// Any string will do: these users never sign in with a password.
const PASSWORD_HASH = 'scrypt$bench$not-a-real-hash';

/** The apps (and their owners and secrets); then grow() adds users. */
export async function startGrowth(store: Store): Promise<GrowthData> {
  const now = Date.now();
  const owners: UserTable[] = [];
  const apps: AppTable[] = [];
  const secrets: ClientSecretTable[] = [];
  const known: GrowthData['apps'] = [];
  for (let i = 0; i < APPS; i++) {
    const owner: UserTable = { id: store.newId('usr'), email: `growth-owner-${i}@example.com`, name: `Owner ${i}`, password_hash: PASSWORD_HASH, avatar: null, created_at: now };
    const clientId = store.newId('', 20);
    const secret = store.newSecret('clientSecret');
    owners.push(owner);
    apps.push({
      client_id: clientId, user_id: owner.id, name: `Growth app ${i}`, description: null, homepage: 'https://example.com', logo: null,
      scopes: SCOPES, redirect_uris: JSON.stringify(['https://example.com/cb']), client_type: 'confidential',
      grant_types: JSON.stringify(['authorization_code', 'refresh_token']), registration_token_hash: null, token_endpoint_auth_method: null, created_at: now, updated_at: now,
    });
    secrets.push({ id: store.newId('sec'), client_id: clientId, secret_hash: store.hash(secret), masked: `****${secret.slice(-10)}`, created_at: now, last_used_at: null });
    known.push({ clientId, basic: 'Basic ' + Buffer.from(`${clientId}:${secret}`).toString('base64') });
  }
  await insertAll(store, [{ table: 'users', rows: owners }, { table: 'apps', rows: apps }, { table: 'client_secrets', rows: secrets }]);
  return { users: 0, tokens: 0, apps: known, sample: [], seen: 0 };
}

/** Adds users until at least `tokens` tokens are stored. */
export async function grow(store: Store, data: GrowthData, tokens: number): Promise<void> {
  while (data.tokens < tokens) {
    const batchUsers = Math.min(USERS_PER_BATCH, Math.ceil((tokens - data.tokens) / TOKENS_PER_USER));
    const now = Date.now();
    const users: UserTable[] = [];
    const consents: ConsentTable[] = [];
    const grants: GrantTable[] = [];
    const rows: TokenTable[] = [];
    for (let u = 0; u < batchUsers; u++) {
      const n = data.users++;
      const user: UserTable = { id: store.newId('usr'), email: `growth-${n}@example.com`, name: `Growth User ${n}`, password_hash: PASSWORD_HASH, avatar: null, created_at: now };
      const app = data.apps[n % data.apps.length];
      users.push(user);
      consents.push({ user_id: user.id, client_id: app.clientId, scopes: SCOPES, granted_at: now, created_at: now, last_used_at: null });
      for (let g = 0; g < GRANTS_PER_USER; g++) {
        const grant: GrantTable = { id: store.newId('grt'), client_id: app.clientId, user_id: user.id, scopes: SCOPES, resource: null, auth_time: now, created_at: now - 7_200_000, revoked_at: null };
        grants.push(grant);
        const row = (kind: TokenTable['kind'], tokenHash: string, createdAt: number, expiresAt: number, usedAt: number | null): TokenTable => ({
          token_hash: tokenHash, kind, grant_id: grant.id, client_id: app.clientId, user_id: user.id, scopes: SCOPES,
          created_at: createdAt, expires_at: expiresAt, revoked_at: null, used_at: usedAt,
        });
        const access = store.newSecret('accessToken');
        rows.push(
          row('access', unpresentedHash(), now - 7_200_000, now - 6_600_000, null), // expired an hour ago
          row('refresh', unpresentedHash(), now - 7_200_000, now + 30 * 86_400_000, now - 3_600_000), // spent by the rotation
          row('access', store.hash(access), now - 60_000, now + 86_400_000, null),
          row('refresh', unpresentedHash(), now - 60_000, now + 30 * 86_400_000, null),
        );
        // Reservoir sampling: every live access token seeded so far is equally likely to be presented.
        const seen = ++data.seen;
        if (data.sample.length < SAMPLE) data.sample.push({ token: access, basic: app.basic });
        else {
          const slot = Math.floor(Math.random() * seen);
          if (slot < SAMPLE) data.sample[slot] = { token: access, basic: app.basic };
        }
      }
    }
    // One transaction per batch, parents first (foreign keys).
    await insertAll(store, [{ table: 'users', rows: users }, { table: 'consents', rows: consents }, { table: 'grants', rows: grants }, { table: 'tokens', rows }]);
    data.tokens += rows.length;
  }
}
