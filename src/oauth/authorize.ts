// The authorization endpoint, in both dialects: validate the request, then answer at once (remembered
// consent), park it in a transaction for the consent page, or send the person to sign in first.
//
// RFC 6749 section 4.1.2.1: while the client and its redirect URI are unproven, errors are shown here
// (thrown, 400); after that they go back to the redirect URI with `state` and `iss`. The Teable dialect
// keeps Teable's 400 for scopes beyond the app's; the standard dialect redirects those too.
import type { Steep } from '../context.ts';
import { badRequest } from '../domain/errors.ts';
import { isRegisteredRedirectUri } from '../domain/redirect-uri.ts';
import { isIdentityScope, splitScope } from '../domain/scopes.ts';
import { newSecret } from '../domain/secrets.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';
import { type AuthorizationRequest, toColumns } from './authorization-request.ts';
import { grantTypesOf } from './grants/index.ts';
import { issueCode } from './codes.ts';
import { consentCovers } from './consent.ts';
import { isValidChallenge } from './pkce.ts';
import { authorizationResponse } from './redirect.ts';
import { declaredResource, defaultScopes, resourceScopeProblem } from './resources.ts';

export const AUTHORIZE_PARAMS = [
  'response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method',
  'nonce', 'resource', 'prompt', 'max_age',
] as const;

/** The query as parsed: a repeated parameter arrives as an array. */
export type AuthorizeQuery = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string | string[]>>;

export type Dialect = 'teable' | 'standard';

/**
 * Where the browser goes next. `login`: sign in, then come back to the same request — `fresh` when
 * a session exists but is too old for max_age or prompt=login (then come back without prompt=login).
 */
export type AuthorizeOutcome = { redirect: string } | { login: 'any' | 'fresh' };

/** The signed-in person at authorize: who, and since when (epoch ms). */
export interface Signer {
  userId: string;
  signedInAt: number;
}

export const CONSENT_PAGE = '/oauth/decision';

/** RFC 6749 section 3.1: a parameter sent without a value is treated as omitted. */
const value = (raw: string | string[] | undefined): string | undefined => {
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === '' ? undefined : first;
};

/** client_id and redirect_uri decide where errors may go, so they must be unambiguous before anything else. */
function single(query: AuthorizeQuery, name: 'client_id' | 'redirect_uri'): string | undefined {
  if (Array.isArray(query[name])) throw badRequest(`${name}: sent more than once; send it once.`);
  return value(query[name]);
}

async function trustedTarget(steep: Steep, query: AuthorizeQuery): Promise<{ app: AppRow; redirectUri: string }> {
  const clientId = single(query, 'client_id');
  if (clientId === undefined) throw badRequest('client_id: is required.');
  const app = await steep.apps.byClientId(clientId);
  if (!app) throw badRequest('client_id: no OAuth app with this client id exists.');
  const registered = fromJson(app.redirect_uris);
  const redirectUri = single(query, 'redirect_uri') ?? registered[0];
  if (!isRegisteredRedirectUri(registered, redirectUri)) {
    throw badRequest('redirect_uri: this URI is not registered for the app (the match is exact, but for the port of a loopback URI).');
  }
  return { app, redirectUri };
}

class Refusal {
  constructor(readonly error: string, readonly description: string) {}
}

interface Checked {
  request: Omit<AuthorizationRequest, 'redirectUri' | 'redirectUriSent' | 'state'>;
  prompt: Set<string>;
  /** OpenID Connect max_age, seconds. */
  maxAge: number | null;
}

/** How long each parameter may be; a longer one is invalid_request at the redirect URI. */
const MAX_LENGTH: Partial<Record<(typeof AUTHORIZE_PARAMS)[number], number>> = {
  response_type: 50, scope: 4096, state: 2048, code_challenge: 128, code_challenge_method: 20, nonce: 2048, resource: 2048, prompt: 100, max_age: 20,
};

/** The request's remaining checks; a Refusal is answered at the redirect URI. */
function validate(steep: Steep, dialect: Dialect, app: AppRow, query: AuthorizeQuery): Refusal | Checked {
  const repeated = AUTHORIZE_PARAMS.find((name) => Array.isArray(query[name]));
  if (repeated) return new Refusal('invalid_request', `${repeated} was sent more than once (RFC 6749 section 3.1).`);
  const long = AUTHORIZE_PARAMS.find((name) => (value(query[name])?.length ?? 0) > (MAX_LENGTH[name] ?? Infinity));
  if (long) return new Refusal('invalid_request', `${long} must be at most ${MAX_LENGTH[long]} characters.`);
  // RFC 6749 section 4.1.2.1: an app that does not list the code grant may not ask for a code.
  if (!grantTypesOf(app).includes('authorization_code')) {
    return new Refusal('unauthorized_client', "This app may not use the authorization code flow; its owner can add authorization_code to the app's grant types.");
  }
  const responseType = value(query.response_type);
  if (responseType === undefined) return new Refusal('invalid_request', 'response_type is required.');
  if (responseType !== 'code') return new Refusal('unsupported_response_type', 'Only response_type=code is supported.');

  const resourceUri = value(query.resource) ?? null;
  const resource = resourceUri === null ? undefined : declaredResource(steep, resourceUri);
  if (resourceUri !== null && !resource) return new Refusal('invalid_target', `resource: ${resourceUri} is not a resource server this authorization server issues tokens for.`);

  // Any app may ask for the identity scopes; omitted means the app's own (those its resource allows).
  const allowed = fromJson(app.scopes);
  const scope = value(query.scope);
  const scopes = scope === undefined ? defaultScopes(steep, allowed, resourceUri) : splitScope(scope);
  const beyond = scopes.filter((s) => !allowed.includes(s) && !isIdentityScope(s));
  const problem = beyond.length ? `scope: the app may not ask for ${beyond.join(', ')}.` : resourceScopeProblem(steep, resourceUri, scopes);
  if (problem) {
    if (dialect === 'teable') throw badRequest(problem);
    return new Refusal('invalid_scope', problem);
  }

  // PKCE (RFC 7636 section 4.4.1), S256 only.
  const challenge = value(query.code_challenge) ?? null;
  const method = value(query.code_challenge_method);
  if (challenge === null) {
    if (method !== undefined) return new Refusal('invalid_request', 'code_challenge is required when code_challenge_method is sent.');
    if (app.client_type === 'public') return new Refusal('invalid_request', 'code_challenge is required: a public client must use PKCE (S256).');
  } else {
    if (method !== 'S256') return new Refusal('invalid_request', 'code_challenge_method must be S256 (plain is not supported).');
    if (!isValidChallenge(challenge)) return new Refusal('invalid_request', 'code_challenge must be 43 base64url characters (BASE64URL(SHA256(code_verifier))).');
  }

  // OpenID Connect Core section 3.1.2.1.
  const prompt = new Set(splitScope(value(query.prompt)));
  if (prompt.has('none') && prompt.size > 1) return new Refusal('invalid_request', 'prompt=none cannot be combined with other prompt values.');
  const maxAgeText = value(query.max_age);
  if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText)) return new Refusal('invalid_request', 'max_age must be a whole number of seconds.');
  return {
    request: { clientId: app.client_id, scopes, codeChallenge: challenge, nonce: value(query.nonce) ?? null, resource: resourceUri },
    prompt,
    maxAge: maxAgeText === undefined ? null : Number(maxAgeText),
  };
}

async function startTransaction(steep: Steep, userId: string, request: AuthorizationRequest): Promise<string> {
  const id = newSecret('transaction');
  const now = steep.clock.now();
  await steep.transactions.create({
    id_hash: steep.hasher.hash(id),
    user_id: userId,
    ...toColumns(request),
    state: request.state,
    expires_at: now + steep.config.ttl.transaction * 1000,
    created_at: now,
  });
  return id;
}

/** `signer` is the signed-in person, or null: then a valid request first goes to sign-in. */
export async function authorize(steep: Steep, dialect: Dialect, signer: Signer | null, query: AuthorizeQuery): Promise<AuthorizeOutcome> {
  const { app, redirectUri } = await trustedTarget(steep, query);
  // An over-long state is refused below, and not echoed into the redirect.
  const state = (value(query.state)?.length ?? 0) > MAX_LENGTH.state! ? null : (value(query.state) ?? null);
  const answer = (params: Record<string, string>) => ({ redirect: authorizationResponse(steep, redirectUri, params, state) });
  const checked = validate(steep, dialect, app, query);
  if (checked instanceof Refusal) return answer({ error: checked.error, error_description: checked.description });
  const { prompt, maxAge } = checked;
  const silent = prompt.has('none');

  const tooOld = signer !== null && maxAge !== null && steep.clock.now() - signer.signedInAt > maxAge * 1000;
  if (signer === null || tooOld || prompt.has('login')) {
    if (silent) return answer({ error: 'login_required', error_description: 'The person is not signed in (or not recently enough), and prompt=none forbids asking.' });
    return { login: signer === null ? 'any' : 'fresh' };
  }
  // Every authorization by a signed-in person counts (authorizeUser): each one writes a transaction or a code.
  await steep.limits.hit(['authorizeUser', signer.userId]);
  const request: AuthorizationRequest = { ...checked.request, redirectUri, redirectUriSent: single(query, 'redirect_uri') !== undefined, state };
  if (!prompt.has('consent') && (await consentCovers(steep, signer.userId, request.clientId, request.scopes))) {
    return answer({ code: await issueCode(steep, signer.userId, signer.signedInAt, request) });
  }
  if (silent) return answer({ error: 'consent_required', error_description: 'The app needs the person\'s consent, and prompt=none forbids asking.' });
  const transactionId = await startTransaction(steep, signer.userId, request);
  return { redirect: `${CONSENT_PAGE}?${new URLSearchParams({ transaction_id: transactionId })}` };
}
