// grant_type=authorization_code (RFC 6749 section 4.1.3, RFC 7636 section 4.6).
import type { Steep } from '../../context.ts';
import { OAuthError, UnknownGrant } from '../../domain/errors.ts';
import { hasPrefix } from '../../domain/secrets.ts';
import { fromJson } from '../../store/json.ts';
import type { CodeRow } from '../../store/codes.ts';
import { mintTokens, newGrant, wantsRefresh } from '../issue-tokens.ts';
import { credential, param } from '../params.ts';
import { verifierProblem } from '../pkce.ts';
import { requireResourceScopes, tokenResource } from '../resources.ts';
import { defineGrant } from './grant.ts';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
const BAD_CODE = 'The authorization code is unknown, expired, already used, or was issued to another client.';

export const authorizationCode = defineGrant({
  params: { code: credential, redirect_uri: param(2048), code_verifier: credential, resource: param(2048) },
  publicClients: true,
  async issue(steep, app, input) {
    if (input.code === undefined) throw new OAuthError('invalid_request', 'code is required for grant_type=authorization_code.');
    const now = steep.clock.now();
    const codeHash = steep.hasher.hash(input.code);
    const code = hasPrefix(input.code, 'code') ? await steep.codes.byHash(codeHash) : undefined;
    // Another client's code is refused without spending it, so whoever holds a stolen code cannot spoil the real client's exchange.
    if (!code || code.client_id !== app.client_id) throw new UnknownGrant(BAD_CODE);
    if (code.used_at !== null) return replayed(steep, codeHash);
    if (code.expires_at <= now) throw invalidGrant(BAD_CODE);
    if (!redirectUriMatches(code, input.redirect_uri)) throw invalidGrant('redirect_uri must be the one sent to the authorization endpoint.');
    const pkce = verifierProblem(input.code_verifier, code.code_challenge);
    if (pkce) throw invalidGrant(pkce);

    const scopes = fromJson(code.scopes);
    const resource = tokenResource(steep, code.resource, input.resource);
    requireResourceScopes(steep, resource, scopes);
    const grant = newGrant({ client_id: code.client_id, user_id: code.user_id, scopes: code.scopes, resource, auth_time: code.auth_time }, now);
    const { rows, response } = await mintTokens(steep, { grant, scopes, refreshScopes: wantsRefresh(app) ? scopes : null, nonce: code.nonce }, now);
    if (!(await steep.codes.redeem(codeHash, now, grant, rows))) return replayed(steep, codeHash);
    return response;
  },
});

/** RFC 6749 section 4.1.3: required and identical when authorize had it; when it did not, optional but still exact. */
function redirectUriMatches(code: CodeRow, given: string | undefined): boolean {
  if (code.redirect_uri_sent === 1) return given === code.redirect_uri;
  return given === undefined || given === code.redirect_uri;
}

/** RFC 6749 section 4.1.2: a code used twice fails, and what it issued is revoked. */
async function replayed(steep: Steep, codeHash: string): Promise<never> {
  const code = await steep.codes.byHash(codeHash);
  if (code?.grant_id) await steep.grants.revoke(code.grant_id, steep.clock.now());
  if (code) await steep.events.emit({ type: 'code.replayed', actor: code.client_id, userId: code.user_id, clientId: code.client_id, details: { grantId: code.grant_id } });
  throw invalidGrant(BAD_CODE);
}
