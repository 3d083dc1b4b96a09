// OAuth access and refresh tokens, grouped by grant (the refresh family).
import type { Db } from './db.ts';
import type { TokenTable } from './schema.ts';
import { type Step, atomically } from './atomic.ts';
import { prepared, template } from './prepared.ts';
import type { User } from './users.ts';
import type { GrantRow } from './grants.ts';

export type TokenRow = TokenTable;

/**
 * Live tokens of that kind by hash: not revoked, not expired, not spent by rotation, and their grant
 * not revoked (which also covers a token written while its family was being revoked).
 */
const liveTokens = (db: Db, kind: TokenRow['kind'], tokenHash: string, now: number) =>
  db
    .selectFrom('tokens')
    .innerJoin('grants', 'grants.id', 'tokens.grant_id')
    .where('tokens.token_hash', '=', tokenHash)
    .where('tokens.kind', '=', kind)
    .where('tokens.revoked_at', 'is', null)
    .where('tokens.used_at', 'is', null)
    .where('tokens.expires_at', '>', now)
    .where('grants.revoked_at', 'is', null);

const liveToken = prepared((db: Db, kind: TokenRow['kind'], tokenHash: string, now: number) => liveTokens(db, kind, tokenHash, now).selectAll('tokens'));

/** The hot path of every OAuth-bearer request. */
const liveAccessToken = prepared((db: Db, tokenHash: string, now: number) =>
  liveTokens(db, 'access', tokenHash, now)
    .leftJoin('users', 'users.id', 'tokens.user_id')
    .selectAll('tokens')
    .select('grants.resource as g_resource')
    .select(['users.email as u_email', 'users.name as u_name', 'users.password_hash as u_password_hash', 'users.avatar as u_avatar', 'users.created_at as u_created_at']),
);

/** A refresh token with its grant: the refresh grant's one read. */
const tokenWithGrant = prepared((db: Db, tokenHash: string) =>
  db
    .selectFrom('tokens')
    .innerJoin('grants', 'grants.id', 'tokens.grant_id')
    .selectAll('tokens')
    .select(['grants.client_id as g_client_id', 'grants.user_id as g_user_id', 'grants.scopes as g_scopes', 'grants.resource as g_resource', 'grants.auth_time as g_auth_time', 'grants.created_at as g_created_at', 'grants.revoked_at as g_revoked_at'])
    .where('tokens.token_hash', '=', tokenHash),
);

const tokenByHash = prepared((db: Db, tokenHash: string) => db.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash));

const insertToken = template((db: Db, hash: string, kind: TokenRow['kind'], grantId: string, clientId: string, userId: string | null, scopes: string, createdAt: number, expiresAt: number) =>
  db.insertInto('tokens').values({ token_hash: hash, kind, grant_id: grantId, client_id: clientId, user_id: userId, scopes, created_at: createdAt, expires_at: expiresAt, revoked_at: null, used_at: null }),
);

/** New (live, unspent) token rows as steps of an atomic unit, one prepared INSERT each. */
export const tokenInserts = (db: Db, rows: TokenRow[]): Step[] =>
  rows.map((row) => ({ query: insertToken(db, row.token_hash, row.kind, row.grant_id, row.client_id, row.user_id, row.scopes, row.created_at, row.expires_at) }));

/** Spends a live refresh token whose family is not revoked. */
const spendRefresh = template((db: Db, hash: string, now: number) =>
  db
    .updateTable('tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('kind', '=', 'refresh')
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('grants').select('grants.id').whereRef('grants.id', '=', 'tokens.grant_id').where('grants.revoked_at', 'is not', null)))),
);

export class TokenStore {
  constructor(private readonly db: Db) {}

  live(kind: TokenRow['kind'], tokenHash: string, now: number): Promise<TokenRow | undefined> {
    return liveToken(this.db, kind, tokenHash, now);
  }

  /**
   * A live access token, its user (null for an app acting for itself) and its grant's resource (null:
   * Steep's own API) in one query.
   */
  async liveAccess(tokenHash: string, now: number): Promise<{ token: TokenRow; user: User | null; resource: string | null } | undefined> {
    const row = await liveAccessToken(this.db, tokenHash, now);
    if (!row) return undefined;
    const { u_email, u_name, u_password_hash, u_avatar, u_created_at, g_resource: resource, ...token } = row;
    if (token.user_id === null || u_email === null || u_name === null || u_password_hash === null || u_created_at === null) return { token, user: null, resource };
    return { token, user: { id: token.user_id, email: u_email, name: u_name, password_hash: u_password_hash, avatar: u_avatar, created_at: u_created_at }, resource };
  }

  /** The token in whatever state (spent, revoked, expired): reuse detection and revocation need it. */
  byHash(tokenHash: string): Promise<TokenRow | undefined> {
    return tokenByHash(this.db, tokenHash);
  }

  /** The token in whatever state, with its grant (the family): the refresh grant checks both. */
  async withGrant(tokenHash: string): Promise<{ token: TokenRow; grant: GrantRow } | undefined> {
    const row = await tokenWithGrant(this.db, tokenHash);
    if (!row) return undefined;
    const { g_client_id, g_user_id, g_scopes, g_resource, g_auth_time, g_created_at, g_revoked_at, ...token } = row;
    const grant = { id: token.grant_id, client_id: g_client_id, user_id: g_user_id, scopes: g_scopes, resource: g_resource, auth_time: g_auth_time, created_at: g_created_at, revoked_at: g_revoked_at };
    return { token, grant };
  }

  async revoke(tokenHash: string, now: number): Promise<void> {
    await this.db.updateTable('tokens').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }

  /**
   * Refresh rotation: spends the live refresh token and writes its successors in one transaction;
   * false when the token was already spent or revoked, or its family was (then nothing is written).
   */
  rotate(refreshHash: string, now: number, successors: TokenRow[]): Promise<boolean> {
    return atomically(this.db, [{ query: spendRefresh(this.db, refreshHash, now), claim: 'changed' }, ...tokenInserts(this.db, successors)]);
  }

  /**
   * Refresh reuse within the grace window: when the token was spent by rotation at or after
   * `spentSince` and nothing in its family was revoked, writes another set of successors (true);
   * otherwise writes nothing (false).
   */
  reissueWithinGrace(refreshHash: string, spentSince: number, now: number, successors: TokenRow[]): Promise<boolean> {
    const spent = this.db
        .selectFrom('tokens')
        .innerJoin('grants', 'grants.id', 'tokens.grant_id')
        .select('tokens.token_hash')
        .where('tokens.token_hash', '=', refreshHash)
        .where('tokens.kind', '=', 'refresh')
        .where('tokens.used_at', '>=', spentSince)
        .where('tokens.revoked_at', 'is', null)
        .where('tokens.expires_at', '>', now)
        .where('grants.revoked_at', 'is', null);
    return atomically(this.db, [{ query: spent, claim: 'found' }, ...tokenInserts(this.db, successors)]);
  }
}
