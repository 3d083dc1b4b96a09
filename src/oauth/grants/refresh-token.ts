// grant_type=refresh_token with rotation: the presented token dies, a new pair is issued in the same
// family; a spent token presented again means it leaked, so the whole family is revoked (OAuth 2.1
// section 4.3.1) — unless it comes back within STEEP_REFRESH_REUSE_GRACE seconds of its rotation (two
// tabs, a retried request), which gets another pair and revokes nothing.
import type { Steep } from '../../context.ts';
import { OAuthError, UnknownGrant } from '../../domain/errors.ts';
import { isSubset, splitScope } from '../../domain/scopes.ts';
import { hasPrefix } from '../../domain/secrets.ts';
import { fromJson } from '../../store/json.ts';
import type { TokenRow } from '../../store/tokens.ts';
import { mintTokens } from '../issue-tokens.ts';
import { credential, param } from '../params.ts';
import { requireResourceScopes, tokenResource } from '../resources.ts';
import { defineGrant } from './grant.ts';

const BAD_TOKEN = 'The refresh token is unknown, expired, revoked, already used, or was issued to another client.';

export const refreshToken = defineGrant({
  params: { refresh_token: credential, scope: param(4096), resource: param(2048) },
  publicClients: true,
  async issue(steep, app, input) {
    if (input.refresh_token === undefined) throw new OAuthError('invalid_request', 'refresh_token is required for grant_type=refresh_token.');
    const now = steep.clock.now();
    const tokenHash = steep.hasher.hash(input.refresh_token);
    const found = hasPrefix(input.refresh_token, 'refreshToken') ? await steep.tokens.withGrant(tokenHash) : undefined;
    if (!found || found.token.kind !== 'refresh' || found.token.client_id !== app.client_id) throw new UnknownGrant(BAD_TOKEN);
    const { token, grant } = found;
    if (token.revoked_at !== null || token.expires_at <= now) throw new OAuthError('invalid_grant', BAD_TOKEN);

    const granted = fromJson(token.scopes);
    const scopes = input.scope === undefined ? granted : splitScope(input.scope);
    if (input.scope !== undefined && scopes.length === 0) throw new OAuthError('invalid_scope', 'scope, when sent, must name at least one scope.');
    if (!isSubset(scopes, granted)) throw new OAuthError('invalid_scope', 'scope may only narrow the scopes of the original grant.');
    const resource = tokenResource(steep, grant.resource, input.resource);
    requireResourceScopes(steep, resource, scopes);
    // No nonce: a refreshed id_token carries none (Core section 12.2).
    const { rows, response } = await mintTokens(steep, { grant: { ...grant, resource }, scopes, refreshScopes: granted }, now);
    if (await spend(steep, token, tokenHash, now, rows)) return response;
    return reused(steep, token);
  },
});

/**
 * Rotates the token into `successors`. A token already spent (before, or by a concurrent request just
 * now) is a retry while its rotation is younger than the grace window, and a theft after it.
 */
async function spend(steep: Steep, token: TokenRow, tokenHash: string, now: number, successors: TokenRow[]): Promise<boolean> {
  if (token.used_at === null && (await steep.tokens.rotate(tokenHash, now, successors))) return true;
  const grace = steep.config.refreshReuseGrace * 1000;
  return grace > 0 && steep.tokens.reissueWithinGrace(tokenHash, now - grace, now, successors);
}

async function reused(steep: Steep, token: TokenRow): Promise<never> {
  await steep.grants.revoke(token.grant_id, steep.clock.now());
  await steep.events.emit({ type: 'refresh.reused', actor: token.client_id, userId: token.user_id, clientId: token.client_id, details: { grantId: token.grant_id } });
  throw new OAuthError('invalid_grant', BAD_TOKEN);
}
