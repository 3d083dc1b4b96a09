// GET /api/oauth/authorize: validate the request, then either answer at once (remembered consent)
// or park it in a transaction for the consent page.
import type { Steep } from '../context.ts';
import { badRequest } from '../domain/errors.ts';
import { isSubset, splitScope } from '../domain/scopes.ts';
import { newSecret } from '../domain/secrets.ts';
import { fromJson, toJson } from '../store/json.ts';
import { type AuthorizationRequest, issueCode } from './codes.ts';
import { consentCovers } from './consent.ts';
import { isValidChallenge } from './pkce.ts';
import { authorizationResponse } from './redirect.ts';

export interface AuthorizeQuery {
  response_type?: string;
  client_id: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export const CONSENT_PAGE = '/oauth/decision';

/**
 * Checks that cannot be answered at the redirect URI (it is not trusted yet) or that Teable answers
 * with 400: unknown client, unregistered redirect URI, scopes beyond the app's, bad PKCE parameters.
 */
async function validate(steep: Steep, query: AuthorizeQuery): Promise<AuthorizationRequest> {
  const app = await steep.apps.byClientId(query.client_id);
  if (!app) throw badRequest('client_id: no OAuth app with this client id exists.');
  const registered = fromJson(app.redirect_uris);
  const redirectUri = query.redirect_uri ?? registered[0];
  if (!registered.includes(redirectUri)) throw badRequest('redirect_uri: this URI is not registered for the app (the match is exact).');
  const allowed = fromJson(app.scopes);
  const scopes = query.scope === undefined ? allowed : splitScope(query.scope);
  if (!isSubset(scopes, allowed)) {
    const extra = scopes.filter((s) => !allowed.includes(s));
    throw badRequest(`scope: the app may not ask for ${extra.join(', ')}.`);
  }
  const challenge = query.code_challenge ?? null;
  if (challenge === null && query.code_challenge_method !== undefined) throw badRequest('code_challenge: is required when code_challenge_method is sent.');
  if (challenge !== null) {
    if (query.code_challenge_method !== 'S256') throw badRequest('code_challenge_method: must be S256 (plain is not supported).');
    if (!isValidChallenge(challenge)) throw badRequest('code_challenge: must be 43 base64url characters (BASE64URL(SHA256(code_verifier))).');
  }
  return { clientId: app.client_id, redirectUri, redirectUriSent: query.redirect_uri !== undefined, scopes, state: query.state ?? null, codeChallenge: challenge };
}

async function startTransaction(steep: Steep, userId: string, request: AuthorizationRequest): Promise<string> {
  const id = newSecret('transaction');
  const now = steep.clock.now();
  await steep.transactions.create({
    id_hash: steep.hasher.hash(id),
    user_id: userId,
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    redirect_uri_sent: request.redirectUriSent ? 1 : 0,
    scopes: toJson(request.scopes),
    state: request.state,
    code_challenge: request.codeChallenge,
    expires_at: now + steep.config.ttl.transaction * 1000,
    created_at: now,
  });
  return id;
}

/** Where to send the browser next: the client (code or error) or the consent page. */
export async function authorize(steep: Steep, userId: string, query: AuthorizeQuery): Promise<string> {
  const request = await validate(steep, query);
  if (query.response_type === undefined) {
    return authorizationResponse(steep, request.redirectUri, { error: 'invalid_request', error_description: 'response_type is required.' }, request.state);
  }
  if (query.response_type !== 'code') {
    return authorizationResponse(steep, request.redirectUri, { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported.' }, request.state);
  }
  if (await consentCovers(steep, userId, request.clientId, request.scopes)) {
    return authorizationResponse(steep, request.redirectUri, { code: await issueCode(steep, userId, request) }, request.state);
  }
  const transactionId = await startTransaction(steep, userId, request);
  return `${CONSENT_PAGE}?${new URLSearchParams({ transaction_id: transactionId })}`;
}
