// grant_type=client_credentials (RFC 6749 section 4.4): a confidential app acting for itself. The token
// has no user behind it and no refresh token (section 4.4.3: the app can always ask again).
import { OAuthError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { toJson } from '../../store/json.ts';
import { scopesWithinApp } from '../app-scopes.ts';
import { mintTokens } from '../issue-tokens.ts';
import { param } from '../params.ts';
import { resourceScopeProblem, tokenResource } from '../resources.ts';
import { defineGrant } from './grant.ts';

export const clientCredentials = defineGrant({
  params: { scope: param(4096), resource: param(2048) },
  publicClients: false,
  async issue(steep, app, input) {
    const resource = tokenResource(steep, null, input.resource);
    // No person approves: the identity scopes mean nothing here.
    const scopes = scopesWithinApp(steep, app, input.scope, resource, false);
    const beyond = resourceScopeProblem(steep, resource, scopes);
    if (beyond) throw new OAuthError('invalid_scope', beyond);
    const now = steep.clock.now();
    const grant = { id: newId('grt'), client_id: app.client_id, user_id: null, scopes: toJson(scopes), resource, auth_time: null, created_at: now, revoked_at: null };
    const { rows, response } = await mintTokens(steep, { family: { grantId: grant.id, clientId: app.client_id, userId: null, resource, authTime: null }, scopes, refreshScopes: null }, now);
    await steep.grants.create(grant, rows);
    return response;
  },
});
