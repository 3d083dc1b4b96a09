// grant_type=client_credentials (RFC 6749 section 4.4): a confidential app acting for itself. The token
// has no user behind it and no refresh token (section 4.4.3: the app can always ask again).
import { newId } from '../../domain/ids.ts';
import { toJson } from '../../store/json.ts';
import { scopesWithinApp } from '../app-scopes.ts';
import { mintTokens } from '../issue-tokens.ts';
import { param } from '../params.ts';
import { defineGrant } from './grant.ts';

export const clientCredentials = defineGrant({
  params: { scope: param(4096) },
  publicClients: false,
  async issue(steep, app, input) {
    const scopes = scopesWithinApp(app, input.scope);
    const now = steep.clock.now();
    const grant = { id: newId('grt'), client_id: app.client_id, user_id: null, scopes: toJson(scopes), created_at: now, revoked_at: null };
    const { rows, response } = mintTokens(steep, { grantId: grant.id, clientId: app.client_id, userId: null }, scopes, null, now);
    await steep.grants.create(grant, rows);
    return response;
  },
});
