// API.md Part 2, "Client kinds and grants" and "Authorize in the standard dialect": public clients,
// loopback callbacks, client_credentials, unauthorized_client, refresh reuse grace, the standard
// authorize dialect's error redirects and HTML error pages, CORS, and the metadata that lists it all.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, codeFor, introspect, locationOf, newApp, pkce, tokenRequest, tokensFor, type TestApp } from '../helpers/oauth.ts';

type User = Awaited<ReturnType<typeof newUser>>;

/** Registers an app with a session (no secret generated). */
async function register(owner: User, body: Record<string, unknown>) {
  return owner.client.post('/api/oauth/client', {
    json: { name: 'kinds', homepage: 'https://kinds.example', redirectUris: [REDIRECT_URI], scopes: ['record|read', 'record|create'], ...body },
  });
}

/** The authorize request in the standard dialect, as a browser sends it. */
function authorizeStd(client: Client, params: Record<string, string>, headers: Record<string, string> = {}) {
  return client.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', ...params })}`, { headers });
}

/** Redirect back to the app: its error parameters. */
function errorAt(reply: Awaited<ReturnType<Client['get']>>, base: string, redirectUri = REDIRECT_URI) {
  assert.equal(reply.status, 302, reply.text);
  const back = locationOf(reply, base);
  assert.equal(`${back.origin}${back.pathname}`, redirectUri);
  return { error: back.searchParams.get('error'), description: back.searchParams.get('error_description'), state: back.searchParams.get('state'), iss: back.searchParams.get('iss') };
}

forEachDatabase('oauth: client kinds and grants', (ctx) => {
  const base = () => ctx.server.url;
  let owner: User;
  let person: User;
  let confidential: TestApp;

  before(async () => {
    owner = await newUser(base(), 'kinds-owner');
    person = await newUser(base(), 'kinds-person');
    confidential = await newApp(base(), { scopes: ['record|read', 'record|create'], grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'] });
  });

  it('clientType and grantTypes: defaults on create, in get/update responses, kept by a PUT that omits them', async () => {
    const made = await register(owner, {});
    assert.equal(made.status, 201);
    assert.equal(made.body.clientType, 'confidential');
    assert.deepEqual(made.body.grantTypes, ['authorization_code', 'refresh_token']);
    const pub = await register(owner, { clientType: 'public', grantTypes: ['authorization_code'] });
    assert.equal(pub.status, 201, pub.text);
    const id = pub.body.clientId;
    const teablePut = await owner.client.put(`/api/oauth/client/${id}`, { json: { name: 'renamed', homepage: 'https://kinds.example', redirectUris: [REDIRECT_URI] } });
    assert.equal(teablePut.status, 200);
    assert.equal(teablePut.body.clientType, 'public');
    assert.deepEqual(teablePut.body.grantTypes, ['authorization_code']);
    const got = await owner.client.get(`/api/oauth/client/${id}`);
    assert.equal(got.body.clientType, 'public');
    const list = await owner.client.get('/api/oauth/client');
    assert.equal(list.body.find((a: { clientId: string }) => a.clientId === id).clientType, undefined, 'not in the list');
  });

  it('client_credentials is refused for a public client (400, field named); an unknown grant or clientType is 400', async () => {
    const refused = await register(owner, { clientType: 'public', grantTypes: ['client_credentials'] });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.details[0].path, 'grantTypes');
    assert.match(refused.body.message, /public client cannot use client_credentials/);
    assert.equal((await register(owner, { grantTypes: ['password'] })).status, 400);
    assert.equal((await register(owner, { clientType: 'secretive' })).status, 400);
    // Turning a client_credentials app public is refused too, and changes nothing.
    const cc = await register(owner, { grantTypes: ['client_credentials'] });
    const flip = await owner.client.put(`/api/oauth/client/${cc.body.clientId}`, { json: { name: 'x', homepage: 'https://kinds.example', redirectUris: [REDIRECT_URI], clientType: 'public' } });
    assert.equal(flip.status, 400);
    assert.equal((await owner.client.get(`/api/oauth/client/${cc.body.clientId}`)).body.clientType, 'confidential');
  });

  it('a public client: no secrets (400 with a reason), PKCE required at authorize, client_id-only auth, rotation with reuse detection', async () => {
    const made = await register(owner, { clientType: 'public' });
    const clientId = made.body.clientId as string;
    const secret = await owner.client.post(`/api/oauth/client/${clientId}/secret`);
    assert.equal(secret.status, 400);
    assert.match(secret.body.message, /public/);

    const noPkce = errorAt(await authorizeStd(person.client, { client_id: clientId, state: 's1' }), base());
    assert.equal(noPkce.error, 'invalid_request');
    assert.match(noPkce.description!, /PKCE/);
    assert.equal(noPkce.state, 's1');
    assert.equal(noPkce.iss, ctx.server.config.issuer);
    // The Teable dialect redirects PKCE mistakes the same way.
    assert.equal(errorAt(await person.client.get(`/api/oauth/authorize?response_type=code&client_id=${clientId}`), base()).error, 'invalid_request');

    const { verifier, challenge } = pkce();
    const code = await codeFor(person.client, clientId, { code_challenge: challenge, code_challenge_method: 'S256' });
    const anon = new Client(base());
    const withSecret = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: 'stp_cs_guess' } });
    assert.equal(withSecret.status, 401);
    assert.equal(withSecret.body.error, 'invalid_client');
    const basic = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier }, headers: { authorization: `Basic ${Buffer.from(`${clientId}:`).toString('base64')}` } });
    assert.equal(basic.body.error, 'invalid_client');
    const tokens = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId } });
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.body.refresh_token);

    const rotated = await anon.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: clientId } });
    assert.equal(rotated.status, 200);
    const reuse = await anon.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: clientId } });
    assert.equal(reuse.body.error, 'invalid_grant');
    const after = await anon.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token, client_id: clientId } });
    assert.equal(after.body.error, 'invalid_grant', 'reuse revoked the whole family');
    assert.equal((await anon.get('/api/auth/user', { token: rotated.body.access_token })).status, 401);

    // Revocation with client_id alone (RFC 7009 for public clients).
    const fresh = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code: await codeFor(person.client, clientId, { code_challenge: challenge, code_challenge_method: 'S256' }), code_verifier: verifier, client_id: clientId } });
    assert.equal((await anon.post('/oauth/revoke', { form: { token: fresh.body.access_token, client_id: clientId } })).status, 200);
    assert.equal((await anon.get('/api/auth/user', { token: fresh.body.access_token })).status, 401);
    // A confidential client may not drop its secret.
    const noSecret = await anon.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'stp_rt_x', client_id: confidential.clientId } });
    assert.equal(noSecret.body.error, 'invalid_client');
  });

  it('an app becoming public loses its secrets', async () => {
    const app = await newApp(base());
    const flip = await app.owner.client.put(`/api/oauth/client/${app.clientId}`, { json: { name: 'x', homepage: 'https://kinds.example', redirectUris: [REDIRECT_URI], clientType: 'public' } });
    assert.equal(flip.status, 200);
    assert.equal(flip.body.secrets, undefined);
    const token = await tokenRequest(base(), app, { grant_type: 'client_credentials' });
    assert.equal(token.body.error, 'invalid_client');
  });

  it('loopback callbacks match on any port; another path, or a non-loopback host on another port, does not', async () => {
    const made = await register(owner, { clientType: 'public', redirectUris: ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost/cb?x=1', 'https://app.example/cb'] });
    const clientId = made.body.clientId as string;
    const { verifier, challenge } = pkce();
    const pkceParams = { code_challenge: challenge, code_challenge_method: 'S256' };
    for (const uri of ['http://127.0.0.1:53123/cb', 'http://[::1]:9/cb', 'http://localhost:4000/cb?x=1', 'http://127.0.0.1/cb']) {
      const back = locationOf(await authorizeStd(person.client, { client_id: clientId, redirect_uri: uri, ...pkceParams }), base());
      assert.ok(back.href.startsWith(uri.replace(/\?.*/, '')) || back.pathname === '/oauth/decision', `${uri} accepted`);
    }
    for (const uri of ['http://127.0.0.1:53123/other', 'https://127.0.0.1:53123/cb', 'https://app.example:8443/cb', 'http://localhost:4000/cb', 'http://127.0.0.2:53123/cb', 'http://127.0.0.1:65536/cb', 'http://127.0.0.1:0/cb']) {
      const refused = await authorizeStd(person.client, { client_id: clientId, redirect_uri: uri, ...pkceParams });
      assert.equal(refused.status, 400, `${uri} refused`);
    }
    // The token endpoint wants exactly the URI sent to authorize, port included.
    const code = await codeFor(person.client, clientId, { redirect_uri: 'http://127.0.0.1:53123/cb', ...pkceParams });
    const anon = new Client(base());
    const otherPort = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: 'http://127.0.0.1:53124/cb' } });
    assert.equal(otherPort.body.error, 'invalid_grant');
    const code2 = await codeFor(person.client, clientId, { redirect_uri: 'http://127.0.0.1:53123/cb', ...pkceParams });
    const same = await anon.post('/oauth/token', { form: { grant_type: 'authorization_code', code: code2, code_verifier: verifier, client_id: clientId, redirect_uri: 'http://127.0.0.1:53123/cb' } });
    assert.equal(same.status, 200, same.text);
  });

  it('client_credentials: no refresh token, scopes within the app, sub = client id, 403 at /api/auth/user, revocable', async () => {
    const token = await tokenRequest(base(), confidential, { grant_type: 'client_credentials', scope: 'record|read' });
    assert.equal(token.status, 200, token.text);
    assert.deepEqual(Object.keys(token.body).sort(), ['access_token', 'expires_in', 'scope', 'scopes', 'token_type']);
    assert.equal(token.body.scope, 'record|read');
    const all = await tokenRequest(base(), confidential, { grant_type: 'client_credentials' });
    assert.equal(all.body.scope, 'record|read record|create');
    const teable = await tokenRequest(base(), confidential, { grant_type: 'client_credentials' }, '/api/oauth/access_token');
    assert.equal(teable.status, 201);
    const beyond = await tokenRequest(base(), confidential, { grant_type: 'client_credentials', scope: 'table|delete' });
    assert.equal(beyond.body.error, 'invalid_scope');

    const seen = await introspect(base(), confidential, token.body.access_token);
    assert.equal(seen.active, true);
    assert.equal(seen.sub, confidential.clientId);
    assert.equal(seen.client_id, confidential.clientId);
    assert.equal(seen.username, undefined);
    const me = await new Client(base()).get('/api/auth/user', { token: token.body.access_token });
    assert.equal(me.status, 403);
    assert.match(me.body.message, /no user/);

    const revoked = await new Client(base()).post('/oauth/revoke', { form: { token: token.body.access_token, client_id: confidential.clientId, client_secret: confidential.secret } });
    assert.equal(revoked.status, 200);
    assert.equal((await introspect(base(), confidential, token.body.access_token)).active, false);
  });

  it('unauthorized_client for a grant the app does not list; no refresh token for an app without refresh_token', async () => {
    const plain = await newApp(base());
    const cc = await tokenRequest(base(), plain, { grant_type: 'client_credentials' });
    assert.equal(cc.status, 400);
    assert.equal(cc.body.error, 'unauthorized_client');
    const codeOnly = await newApp(base(), { grantTypes: ['authorization_code'], scopes: ['record|read'] });
    const tokens = await tokensFor(person.client, codeOnly);
    assert.equal(tokens.refresh_token, undefined);
    const unknown = await tokenRequest(base(), plain, { grant_type: 'password' });
    assert.equal(unknown.body.error, 'unsupported_grant_type');
  });

  it('the standard authorize dialect: scope errors and repeated parameters go back to the app; client and redirect URI errors stay here', async () => {
    const scope = errorAt(await authorizeStd(person.client, { client_id: confidential.clientId, scope: 'table|delete', state: 'x' }), base());
    assert.equal(scope.error, 'invalid_scope');
    assert.equal(scope.state, 'x');
    assert.equal(scope.iss, ctx.server.config.issuer);
    // The Teable dialect keeps Teable's 400 for scopes.
    const teable = await person.client.get(`/api/oauth/authorize?response_type=code&client_id=${confidential.clientId}&scope=table%7Cdelete`);
    assert.equal(teable.status, 400);
    for (const path of ['/oauth/authorize', '/api/oauth/authorize']) {
      const repeated = await person.client.get(`${path}?response_type=code&client_id=${confidential.clientId}&scope=record%7Cread&scope=record%7Ccreate&state=r`);
      const back = errorAt(repeated, base());
      assert.equal(back.error, 'invalid_request');
      assert.match(back.description!, /scope was sent more than once/);
      const twoClients = await person.client.get(`${path}?response_type=code&client_id=${confidential.clientId}&client_id=${confidential.clientId}`);
      assert.equal(twoClients.status, 400);
    }
    const unregistered = await authorizeStd(person.client, { client_id: confidential.clientId, redirect_uri: 'https://evil.example/cb' });
    assert.equal(unregistered.status, 400);
    assert.match(unregistered.body.message, /redirect_uri/);
  });

  it('errors a person sees at either authorize path are HTML pages when the browser asks for HTML, JSON otherwise', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const path of ['/oauth/authorize', '/api/oauth/authorize']) {
      const page = await person.client.get(`${path}?response_type=code&client_id=no-such-app`, { headers: html });
      assert.equal(page.status, 400);
      assert.match(page.headers.get('content-type')!, /text\/html/);
      assert.match(page.text, /no OAuth app with this client id/);
      assert.match(page.text, /<h1>/);
      const json = await person.client.get(`${path}?response_type=code&client_id=no-such-app`, { headers: { accept: '*/*' } });
      assert.match(json.headers.get('content-type')!, /json/);
      assert.equal(json.body.status, 400);
    }
    const expired = await person.client.get('/api/oauth/decision/stp_tx_unknown', { headers: html });
    assert.match(expired.headers.get('content-type')!, /text\/html/);
  });

  it('over-long parameters and an app without the code grant are answered at the redirect URI, not here', async () => {
    for (const [name, length] of [['code_challenge', 129], ['nonce', 2049], ['scope', 4097], ['prompt', 101], ['max_age', 21]] as const) {
      const back = errorAt(await authorizeStd(person.client, { client_id: confidential.clientId, state: 'long', [name]: 'a'.repeat(length) }), base());
      assert.equal(back.error, 'invalid_request', name);
      assert.match(back.description!, new RegExp(`${name} must be at most`));
      assert.equal(back.state, 'long');
    }
    const machine = await register(owner, { grantTypes: ['client_credentials'] });
    const refused = errorAt(await authorizeStd(person.client, { client_id: machine.body.clientId, state: 'm' }), base());
    assert.equal(refused.error, 'unauthorized_client');
    assert.equal(refused.state, 'm');
  });

  it('a signed-out browser is sent to sign in only once the request is known to be good', async () => {
    const anon = new Client(base());
    const good = await authorizeStd(anon, { client_id: confidential.clientId });
    assert.equal(locationOf(good, base()).pathname, '/auth/login');
    const bad = await authorizeStd(anon, { client_id: confidential.clientId, scope: 'table|delete' });
    assert.equal(errorAt(bad, base()).error, 'invalid_scope');
  });

  it('CORS: a public app\'s redirect URI origins may call /oauth/token and /oauth/revoke; others may not; metadata is open to all', async () => {
    await register(owner, { clientType: 'public', redirectUris: ['https://spa.example/callback', 'http://localhost/spa'] });
    const anon = new Client(base());
    for (const origin of ['https://spa.example', 'http://localhost:5173']) {
      const preflight = await anon.request('OPTIONS', '/oauth/token', { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
      assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
      assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
      assert.equal(preflight.headers.get('access-control-expose-headers'), 'WWW-Authenticate');
      const post = await anon.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'stp_rt_x', client_id: 'nobody' }, headers: { origin } });
      assert.equal(post.headers.get('access-control-allow-origin'), origin, 'errors are readable too');
      const revoke = await anon.post('/oauth/revoke', { form: { token: 'x', client_id: 'nobody' }, headers: { origin } });
      assert.equal(revoke.headers.get('access-control-allow-origin'), origin);
    }
    for (const origin of ['https://evil.example', 'https://spa.example.evil.example', 'null']) {
      const preflight = await anon.request('OPTIONS', '/oauth/token', { headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, origin);
    }
    // The confidential app's callback origin is not a browser client.
    const confidentialOrigin = await anon.request('OPTIONS', '/oauth/token', { headers: { origin: new URL(REDIRECT_URI).origin.replace('localhost', 'localhost.example') } });
    assert.equal(confidentialOrigin.headers.get('access-control-allow-origin'), null);
    const meta = await anon.get('/.well-known/oauth-authorization-server', { headers: { origin: 'https://anyone.example' } });
    assert.equal(meta.headers.get('access-control-allow-origin'), '*');
    // The Teable dialect and the management API answer no origin.
    const teable = await anon.request('OPTIONS', '/api/oauth/access_token', { headers: { origin: 'https://spa.example' } });
    assert.equal(teable.headers.get('access-control-allow-origin'), null);
  });
});

forEachDatabase('oauth: refresh reuse grace', (ctx) => {
  const base = () => ctx.server.url;

  it('within STEEP_REFRESH_REUSE_GRACE a just-rotated token gets another valid pair and revokes nothing; after it, reuse revokes the family', async () => {
    const app = await newApp(base(), { scopes: ['record|read'] });
    const person = await newUser(base(), 'grace');
    const first = await tokensFor(person.client, app);
    const refresh = (token: string) => tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: token });
    const a = await refresh(first.refresh_token);
    assert.equal(a.status, 200);
    ctx.server.clock.advance(20);
    const b = await refresh(first.refresh_token);
    assert.equal(b.status, 200, 'a retry within the window');
    assert.notEqual(b.body.refresh_token, a.body.refresh_token);
    for (const pair of [a.body, b.body]) {
      assert.equal((await new Client(base()).get('/api/auth/user', { token: pair.access_token })).status, 200);
    }
    // Each new refresh token is usable once, as usual.
    assert.equal((await refresh(a.body.refresh_token)).status, 200);
    assert.equal((await refresh(b.body.refresh_token)).status, 200);

    const second = await tokensFor(person.client, app);
    const rotated = await refresh(second.refresh_token);
    ctx.server.clock.advance(31);
    const late = await refresh(second.refresh_token);
    assert.equal(late.body.error, 'invalid_grant');
    assert.equal((await refresh(rotated.body.refresh_token)).body.error, 'invalid_grant', 'the family was revoked');
    assert.equal((await new Client(base()).get('/api/auth/user', { token: rotated.body.access_token })).status, 401);
  });
}, { STEEP_REFRESH_REUSE_GRACE: '30' });
