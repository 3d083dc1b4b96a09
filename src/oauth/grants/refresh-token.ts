// grant_type=refresh_token with rotation: the presented token dies, a new pair is issued in the same
// family; a spent token presented again means it leaked, so the whole family is revoked (OAuth 2.1 section 4.3.1).
import type { Steep } from '../../context.ts';
import { OAuthError } from '../../domain/errors.ts';
import { isSubset, splitScope } from '../../domain/scopes.ts';
import { hasPrefix } from '../../domain/secrets.ts';
import { fromJson } from '../../store/json.ts';
import type { AppRow } from '../../store/apps.ts';
import { mintTokens, type TokenResponse } from '../issue-tokens.ts';

export interface RefreshGrantInput {
  refresh_token?: string;
  scope?: string;
}

const BAD_TOKEN = 'The refresh token is unknown, expired, revoked, already used, or was issued to another client.';

export async function rotateRefreshToken(steep: Steep, app: AppRow, input: RefreshGrantInput): Promise<TokenResponse> {
  if (input.refresh_token === undefined) throw new OAuthError('invalid_request', 'refresh_token is required for grant_type=refresh_token.');
  const now = steep.clock.now();
  const tokenHash = steep.hasher.hash(input.refresh_token);
  const token = hasPrefix(input.refresh_token, 'refreshToken') ? await steep.tokens.byHash(tokenHash) : undefined;
  if (!token || token.kind !== 'refresh' || token.client_id !== app.client_id) throw new OAuthError('invalid_grant', BAD_TOKEN);
  if (token.used_at !== null) return reused(steep, token.grant_id);
  if (token.revoked_at !== null || token.expires_at <= now) throw new OAuthError('invalid_grant', BAD_TOKEN);

  const granted = fromJson(token.scopes);
  const scopes = input.scope === undefined ? granted : splitScope(input.scope);
  if (input.scope !== undefined && scopes.length === 0) throw new OAuthError('invalid_scope', 'scope, when sent, must name at least one scope.');
  if (!isSubset(scopes, granted)) throw new OAuthError('invalid_scope', 'scope may only narrow the scopes of the original grant.');
  const { rows, response } = mintTokens(steep, { grantId: token.grant_id, clientId: token.client_id, userId: token.user_id }, scopes, granted, now);
  if (!(await steep.tokens.rotate(tokenHash, now, rows))) return reused(steep, token.grant_id);
  return response;
}

async function reused(steep: Steep, grantId: string): Promise<never> {
  await steep.grants.revoke(grantId, steep.clock.now());
  throw new OAuthError('invalid_grant', BAD_TOKEN);
}
