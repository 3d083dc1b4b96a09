// Minting tokens for a grant: the rows to store (hashes only) and the response to send. The access
// token is opaque (stp_at_…) for Steep's own API, or an RFC 9068 JWT for a declared resource server;
// with `openid` granted to a person, an id_token comes along (OpenID Connect Core section 3.1.3.3).
import type { Steep } from '../context.ts';
import { newId } from '../domain/ids.ts';
import { newSecret } from '../domain/secrets.ts';
import { toJson } from '../store/json.ts';
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

export interface Family {
  grantId: string;
  clientId: string;
  /** null when the app acts for itself (client_credentials). */
  userId: string | null;
  /** The declared resource server the access token is for; null for Steep's own API. */
  resource: string | null;
  /** When the person signed in (epoch ms), for auth_time. */
  authTime: number | null;
}

export interface Mint {
  family: Family;
  /** The access token's scopes. */
  scopes: string[];
  /** The refresh token's (the whole grant, so narrowing one refresh does not narrow the next); null: no refresh token. */
  refreshScopes: string[] | null;
  /** The person, for the id_token's claims (only when `scopes` has openid). */
  user?: User | null;
  /** Sent to authorize; echoed in the id_token of the code exchange only (Core section 12.2). */
  nonce?: string | null;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export async function mintTokens(steep: Steep, mint: Mint, now: number): Promise<{ rows: TokenRow[]; response: TokenResponse }> {
  const { family, scopes } = mint;
  const { accessToken: accessTtl, refreshToken: refreshTtl } = steep.config.ttl;
  const row = (kind: TokenRow['kind'], tokenHash: string, list: string[], ttl: number): TokenRow => ({
    token_hash: tokenHash,
    kind,
    grant_id: family.grantId,
    client_id: family.clientId,
    user_id: family.userId,
    scopes: toJson(list),
    created_at: now,
    expires_at: now + ttl * 1000,
    revoked_at: null,
    used_at: null,
  });
  const access = await accessToken(steep, family, scopes, now);
  const response: TokenResponse = { token_type: 'Bearer', access_token: access.token, expires_in: accessTtl, scope: scopes.join(' '), scopes };
  const rows = [row('access', access.hash, scopes, accessTtl)];
  if (mint.refreshScopes !== null) {
    const refresh = newSecret('refreshToken');
    rows.push(row('refresh', steep.hasher.hash(refresh), mint.refreshScopes, refreshTtl));
    Object.assign(response, { refresh_token: refresh, refresh_expires_in: refreshTtl });
  }
  if (scopes.includes('openid') && mint.user) response.id_token = await idToken(steep, mint, access.token, now);
  return { rows, response };
}

/** The access token and the hash its row is stored under: of the token itself, or of a JWT's jti. */
async function accessToken(steep: Steep, family: Family, scopes: string[], now: number): Promise<{ token: string; hash: string }> {
  if (family.resource === null) {
    const token = newSecret('accessToken');
    return { token, hash: steep.hasher.hash(token) };
  }
  // RFC 9068 section 2.2. The jti is the row's key, so revocation and introspection work as for opaque tokens.
  const jti = newId('jti', 24);
  const token = await signJwt(steep, 'at+jwt', {
    iss: steep.config.issuer,
    sub: family.userId ?? family.clientId,
    aud: family.resource,
    client_id: family.clientId,
    scope: scopes.join(' '),
    jti,
    iat: seconds(now),
    exp: seconds(now) + steep.config.ttl.accessToken,
    ...(family.authTime !== null && { auth_time: seconds(family.authTime) }),
  });
  return { token, hash: steep.hasher.hash(jti) };
}

function idToken(steep: Steep, mint: Mint, accessToken: string, now: number): Promise<string> {
  const { family } = mint;
  return signJwt(steep, 'JWT', {
    ...userClaims(mint.user!, mint.scopes),
    iss: steep.config.issuer,
    aud: family.clientId,
    azp: family.clientId,
    iat: seconds(now),
    exp: seconds(now) + steep.config.ttl.accessToken,
    ...(family.authTime !== null && { auth_time: seconds(family.authTime) }),
    ...(mint.nonce && { nonce: mint.nonce }),
    at_hash: accessTokenHash(accessToken),
  });
}

/** The app keeps a refresh token only if it may use the refresh grant. */
export const wantsRefresh = (grantTypes: readonly string[]): boolean => grantTypes.includes('refresh_token');
