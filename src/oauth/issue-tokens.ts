// Minting an access + refresh token pair: the rows to store (hashes only) and the response to send.
import type { Steep } from '../context.ts';
import { newSecret } from '../domain/secrets.ts';
import { toJson } from '../store/json.ts';
import type { TokenRow } from '../store/tokens.ts';

/** Both dialects' names: RFC 6749 `scope` (a string) and Teable's `scopes` (an array). */
export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_expires_in: number;
  scope: string;
  scopes: string[];
}

export interface Family {
  grantId: string;
  clientId: string;
  userId: string;
}

/**
 * A new pair in `family`. The access token carries `scopes`; the refresh token keeps `refreshScopes`
 * (the whole grant), so narrowing one refresh does not narrow the next.
 */
export function mintTokens(steep: Steep, family: Family, scopes: string[], refreshScopes: string[], now: number): { rows: TokenRow[]; response: TokenResponse } {
  const { accessToken: accessTtl, refreshToken: refreshTtl } = steep.config.ttl;
  const access = newSecret('accessToken');
  const refresh = newSecret('refreshToken');
  const row = (kind: TokenRow['kind'], token: string, list: string[], ttl: number): TokenRow => ({
    token_hash: steep.hasher.hash(token),
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
  return {
    rows: [row('access', access, scopes, accessTtl), row('refresh', refresh, refreshScopes, refreshTtl)],
    response: {
      token_type: 'Bearer',
      access_token: access,
      refresh_token: refresh,
      expires_in: accessTtl,
      refresh_expires_in: refreshTtl,
      scope: scopes.join(' '),
      scopes,
    },
  };
}
