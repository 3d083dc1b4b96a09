// Helpers for OAuth flow tests: register an app with a secret, walk the browser steps, redeem codes.
import { createHash, randomBytes } from 'node:crypto';
import { Client, newUser, type Reply } from './client.ts';

export const REDIRECT_URI = 'http://localhost:3000/callback';

export interface TestApp {
  clientId: string;
  secret: string;
  scopes: string[];
  redirectUris: string[];
  owner: Awaited<ReturnType<typeof newUser>>;
}

/** A fresh user who registers an app and generates one secret. */
export async function newApp(baseUrl: string, body: Record<string, unknown> = {}): Promise<TestApp> {
  const owner = await newUser(baseUrl, 'owner');
  const created = await owner.client.post('/api/oauth/client', {
    json: { name: 'test', redirectUris: [REDIRECT_URI], scopes: ['user|email_read'], homepage: 'http://localhost:3000', ...body },
  });
  if (created.status !== 201) throw new Error(`app creation failed: ${created.status} ${created.text}`);
  const secret = await owner.client.post(`/api/oauth/client/${created.body.clientId}/secret`);
  if (secret.status !== 201) throw new Error(`secret creation failed: ${secret.status} ${secret.text}`);
  return { clientId: created.body.clientId, secret: secret.body.secret, scopes: created.body.scopes ?? [], redirectUris: created.body.redirectUris, owner };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const locationOf = (reply: Reply, baseUrl: string): URL => new URL(reply.headers.get('location') ?? '', baseUrl);

/** GET /api/oauth/authorize with these parameters (response_type=code and client_id added). */
export function authorizeRequest(client: Client, clientId: string, params: Record<string, string> = {}): Promise<Reply> {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, ...params });
  return client.get(`/api/oauth/authorize?${query}`);
}

/** Authorize and, when the consent page is next, allow: the redirect back to the app. */
export async function consentTo(client: Client, clientId: string, params: Record<string, string> = {}): Promise<URL> {
  const first = await authorizeRequest(client, clientId, params);
  if (first.status !== 302) throw new Error(`authorize failed: ${first.status} ${first.text}`);
  const next = locationOf(first, client.baseUrl);
  if (next.pathname !== '/oauth/decision') return next;
  const decided = await client.post('/api/oauth/decision', { form: { transaction_id: next.searchParams.get('transaction_id')! } });
  if (decided.status !== 302) throw new Error(`decision failed: ${decided.status} ${decided.text}`);
  return locationOf(decided, client.baseUrl);
}

/** The browser's part of a flow a client library started at `url`: authorize, allow on the consent page if asked, land on the callback. */
export async function browseAuthorization(client: Client, url: URL): Promise<URL> {
  let reply = await client.get(url.pathname + url.search);
  let next = locationOf(reply, client.baseUrl);
  if (next.pathname === '/oauth/decision') {
    reply = await client.post('/api/oauth/decision', { form: { transaction_id: next.searchParams.get('transaction_id')! } });
    next = locationOf(reply, client.baseUrl);
  }
  return next;
}

/** A code for the app, granted by `client`'s user. */
export async function codeFor(client: Client, clientId: string, params: Record<string, string> = {}): Promise<string> {
  const back = await consentTo(client, clientId, params);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code in ${back}`);
  return code;
}

/** POST to a token endpoint (standard by default) with client_secret_post. */
export function tokenRequest(baseUrl: string, app: Pick<TestApp, 'clientId' | 'secret'>, params: Record<string, string>, path = '/oauth/token'): Promise<Reply> {
  return new Client(baseUrl).post(path, { form: { client_id: app.clientId, client_secret: app.secret, ...params } });
}

/** Code grant to tokens through the standard endpoint; throws unless it succeeds. */
export async function tokensFor(client: Client, app: TestApp, params: Record<string, string> = {}, tokenParams: Record<string, string> = {}) {
  const code = await codeFor(client, app.clientId, params);
  const reply = await tokenRequest(client.baseUrl, app, { grant_type: 'authorization_code', code, ...tokenParams });
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return reply.body as { access_token: string; refresh_token: string; scope: string; scopes: string[] };
}

/** RFC 7662 introspection, authenticated as the app. */
export async function introspect(baseUrl: string, app: Pick<TestApp, 'clientId' | 'secret'>, token: string): Promise<any> {
  const reply = await new Client(baseUrl).post('/oauth/introspect', { form: { client_id: app.clientId, client_secret: app.secret, token } });
  if (reply.status !== 200) throw new Error(`introspection failed: ${reply.status} ${reply.text}`);
  return reply.body;
}
