// Minting tokens for a grant: the rows to store (hashes only) and the response to send. The access
// token is opaque (stp_at_…) for Steep's own API, or an RFC 9068 JWT for a declared resource server;
// with `openid` granted to a person, an id_token comes along (OpenID Connect Core section 3.1.3.3).
import type { Steep } from '../context.ts';
import { newId } from '../domain/ids.ts';
import { newSecret } from '../domain/secrets.ts';
import type { AppRow } from '../store/apps.ts';
import type { GrantRow } from '../store/grants.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { TokenRow } from '../store/tokens.ts';
import type { User } from '../store/users.ts';
import { accessTokenHash, userClaims } from './claims.ts';
import { signJwt } from './jwt.ts';

/** Both dialects' names: RFC 6749 `scope` (a string) and Teable's `scopes` (an array). */
export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  /** Absent when the grant has no refresh token (client_credentials, or an app without that grant). */
  refresh_token?: string;
  expires_in: number;
  refresh_expires_in?: number;
  scope: string;
  scopes: string[];
  id_token?: string;
}

/** The grant the tokens descend from (their family): who for, which app, which resource, since when. */
export type Family = Pick<GrantRow, 'id' | 'client_id' | 'user_id' | 'resource' | 'auth_time'>;

export interface Mint {
  /** The grant row, or — for a refresh that names a resource its grant had not — that row with the resource. */
  grant: Family;
  /** The access token's scopes; with openid and a person behind the grant, an id_token comes along. */
  scopes: string[];
  /** The refresh token's (the whole grant, so narrowing one refresh does not narrow the next); null: no refresh token. */
  refreshScopes: string[] | null;
  /** Sent to authorize; echoed in the id_token of the code exchange only (Core section 12.2). */
  nonce?: string | null;
}

/** A new grant row: the family of every token one approval (or one client_credentials request) issues. */
export const newGrant = (fields: Pick<GrantRow, 'client_id' | 'user_id' | 'scopes' | 'resource' | 'auth_time'>, now: number): GrantRow =>
  ({ id: newId('grt'), ...fields, created_at: now, revoked_at: null });

const seconds = (ms: number) => Math.floor(ms / 1000);

export async function mintTokens(steep: Steep, mint: Mint, now: number): Promise<{ rows: TokenRow[]; response: TokenResponse }> {
  const { grant, scopes } = mint;
  const { accessToken: accessTtl, refreshToken: refreshTtl } = steep.config.ttl;
  const row = (kind: TokenRow['kind'], tokenHash: string, list: string[], ttl: number): TokenRow => ({
    token_hash: tokenHash,
    kind,
    grant_id: grant.id,
    client_id: grant.client_id,
    user_id: grant.user_id,
    scopes: toJson(list),
    created_at: now,
    expires_at: now + ttl * 1000,
    revoked_at: null,
    used_at: null,
  });
  const access = await accessToken(steep, grant, scopes, now);
  const response: TokenResponse = { token_type: 'Bearer', access_token: access.token, expires_in: accessTtl, scope: scopes.join(' '), scopes };
  const rows = [row('access', access.hash, scopes, accessTtl)];
  if (mint.refreshScopes !== null) {
    const refresh = newSecret('refreshToken');
    rows.push(row('refresh', steep.hasher.hash(refresh), mint.refreshScopes, refreshTtl));
    Object.assign(response, { refresh_token: refresh, refresh_expires_in: refreshTtl });
  }
  const user = scopes.includes('openid') && grant.user_id !== null ? await steep.users.byId(grant.user_id) : undefined;
  if (user) response.id_token = await idToken(steep, mint, user, access.token, now);
  return { rows, response };
}

/** The access token and the hash its row is stored under: of the token itself, or of a JWT's jti. */
async function accessToken(steep: Steep, grant: Family, scopes: string[], now: number): Promise<{ token: string; hash: string }> {
  if (grant.resource === null) {
    const token = newSecret('accessToken');
    return { token, hash: steep.hasher.hash(token) };
  }
  // RFC 9068 section 2.2. The jti is the row's key, so revocation and introspection work as for opaque tokens.
  const jti = newId('jti', 24);
  const token = await signJwt(steep, 'at+jwt', {
    iss: steep.config.issuer,
    sub: grant.user_id ?? grant.client_id,
    aud: grant.resource,
    client_id: grant.client_id,
    scope: scopes.join(' '),
    jti,
    iat: seconds(now),
    exp: seconds(now) + steep.config.ttl.accessToken,
    ...(grant.auth_time !== null && { auth_time: seconds(grant.auth_time) }),
  });
  return { token, hash: steep.hasher.hash(jti) };
}

function idToken(steep: Steep, mint: Mint, user: User, accessToken: string, now: number): Promise<string> {
  const { grant } = mint;
  return signJwt(steep, 'JWT', {
    ...userClaims(user, mint.scopes),
    iss: steep.config.issuer,
    aud: grant.client_id,
    azp: grant.client_id,
    iat: seconds(now),
    exp: seconds(now) + steep.config.ttl.accessToken,
    ...(grant.auth_time !== null && { auth_time: seconds(grant.auth_time) }),
    ...(mint.nonce && { nonce: mint.nonce }),
    at_hash: accessTokenHash(accessToken),
  });
}

/** The app keeps a refresh token only if it may use the refresh grant. */
export const wantsRefresh = (app: Pick<AppRow, 'grant_types'>): boolean => fromJson(app.grant_types).includes('refresh_token');
