// grant_type=client_credentials (RFC 6749 section 4.4): a confidential app acting for itself. The token
// has no user behind it and no refresh token (section 4.4.3: the app can always ask again).
import { OAuthError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { isSubset, splitScope } from '../../domain/scopes.ts';
import { fromJson, toJson } from '../../store/json.ts';
import { mintTokens } from '../issue-tokens.ts';
import { param } from '../params.ts';
import { defineGrant } from './grant.ts';

export const clientCredentials = defineGrant({
  params: { scope: param(4096) },
  publicClients: false,
  async issue(steep, app, input) {
    const allowed = fromJson(app.scopes);
    const scopes = input.scope === undefined ? allowed : splitScope(input.scope);
    if (!isSubset(scopes, allowed)) {
      throw new OAuthError('invalid_scope', `scope: the app may not ask for ${scopes.filter((s) => !allowed.includes(s)).join(', ')}.`);
    }
    const now = steep.clock.now();
    const grant = { id: newId('grt'), client_id: app.client_id, user_id: null, scopes: toJson(scopes), created_at: now, revoked_at: null };
    const { rows, response } = mintTokens(steep, { grantId: grant.id, clientId: app.client_id, userId: null }, scopes, null, now);
    await steep.grants.create(grant, rows);
    return response;
  },
});
