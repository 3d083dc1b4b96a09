// Minting tokens for a grant: the rows to store (hashes only) and the response to send.
import type { Steep } from '../context.ts';
import { newSecret } from '../domain/secrets.ts';
import { toJson } from '../store/json.ts';
import type { TokenRow } from '../store/tokens.ts';

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
}

export interface Family {
  grantId: string;
  clientId: string;
  /** null when the app acts for itself (client_credentials). */
  userId: string | null;
}

/**
 * An access token carrying `scopes` in `family`, and a refresh token keeping `refreshScopes` (the
 * whole grant, so narrowing one refresh does not narrow the next) unless that is null.
 */
export function mintTokens(steep: Steep, family: Family, scopes: string[], refreshScopes: string[] | null, now: number): { rows: TokenRow[]; response: TokenResponse } {
  const { accessToken: accessTtl, refreshToken: refreshTtl } = steep.config.ttl;
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
  const access = newSecret('accessToken');
  const response: TokenResponse = { token_type: 'Bearer', access_token: access, expires_in: accessTtl, scope: scopes.join(' '), scopes };
  const rows = [row('access', access, scopes, accessTtl)];
  if (refreshScopes !== null) {
    const refresh = newSecret('refreshToken');
    rows.push(row('refresh', refresh, refreshScopes, refreshTtl));
    Object.assign(response, { refresh_token: refresh, refresh_expires_in: refreshTtl });
  }
  return { rows, response };
}

/** The app keeps a refresh token only if it may use the refresh grant. */
export const wantsRefresh = (grantTypes: readonly string[]): boolean => grantTypes.includes('refresh_token');
