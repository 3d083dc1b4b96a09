// grant_type=client_credentials (RFC 6749 section 4.4): a confidential app acting for itself. The token
// has no user behind it and no refresh token (section 4.4.3: the app can always ask again).
import { toJson } from '../../store/json.ts';
import { scopesWithinApp } from '../app-scopes.ts';
import { mintTokens, newGrant } from '../issue-tokens.ts';
import { param } from '../params.ts';
import { requireResourceScopes, tokenResource } from '../resources.ts';
import { defineGrant } from './grant.ts';

export const clientCredentials = defineGrant({
  params: { scope: param(4096), resource: param(2048) },
  publicClients: false,
  async issue(steep, app, input) {
    const resource = tokenResource(steep, null, input.resource);
    // No person approves: the identity scopes mean nothing here.
    const scopes = scopesWithinApp(steep, app, input.scope, resource, false);
    requireResourceScopes(steep, resource, scopes);
    const now = steep.clock.now();
    const grant = newGrant({ client_id: app.client_id, user_id: null, scopes: toJson(scopes), resource, auth_time: null }, now);
    const { rows, response } = await mintTokens(steep, { grant, scopes, refreshScopes: null }, now);
    await steep.grants.create(grant, rows);
    return response;
  },
});
