// The standard dialect's contract: metadata (RFC 8414), revocation (RFC 7009), introspection (RFC 7662),
// token endpoint errors (RFC 6749 section 5.2), and the authorize endpoint's edges.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, authorizeRequest, introspect, locationOf, newApp, tokenRequest, tokensFor, type TestApp } from '../helpers/oauth.ts';

forEachDatabase('oauth: standard endpoints', (ctx) => {
  let app: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;
  const base = () => ctx.server.url;
  const anonymous = () => new Client(base());

  before(async () => {
    app = await newApp(base(), { scopes: ['record|read', 'record|create'] });
    user = await newUser(base(), 'std');
  });

  it('GET /.well-known/oauth-authorization-server: issuer is PUBLIC_ORIGIN exactly, with every endpoint', async () => {
    const reply = await anonymous().get('/.well-known/oauth-authorization-server');
    assert.equal(reply.status, 200);
    const o = base();
    assert.equal(reply.body.issuer, o);
    assert.equal(reply.body.authorization_endpoint, `${o}/oauth/authorize`);
    assert.equal(reply.body.token_endpoint, `${o}/oauth/token`);
    assert.equal(reply.body.revocation_endpoint, `${o}/oauth/revoke`);
    assert.equal(reply.body.introspection_endpoint, `${o}/oauth/introspect`);
    assert.equal(reply.body.device_authorization_endpoint, `${o}/oauth/device_authorization`);
    assert.equal(reply.body.scopes_supported.length, 4 + 28, 'the identity scopes and the scope list');
    assert.deepEqual(reply.body.response_types_supported, ['code']);
    assert.deepEqual(reply.body.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    assert.deepEqual(reply.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(reply.body.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
  });

  it('GET /api/oauth/authorize signed out: 302 to the sign-in page, which comes back here', async () => {
    const path = `/api/oauth/authorize?response_type=code&client_id=${app.clientId}&state=a%20b`;
    const reply = await anonymous().get(path);
    assert.equal(reply.status, 302);
    const login = locationOf(reply, base());
    assert.equal(login.pathname, '/auth/login');
    assert.equal(login.searchParams.get('redirect'), path);
  });

  it('GET /api/oauth/authorize and the decision routes refuse a PAT (403): they need a browser session', async () => {
    const pat = await newPersonalToken(user.client);
    assert.equal((await anonymous().get(`/api/oauth/authorize?response_type=code&client_id=${app.clientId}`, { token: pat })).status, 403);
    assert.equal((await anonymous().get('/api/oauth/decision/stp_tx_x', { token: pat })).status, 403);
    assert.equal((await anonymous().post('/api/oauth/decision', { token: pat, json: { transaction_id: 'stp_tx_x' } })).status, 403);
  });

  it('GET /api/oauth/authorize: unknown client and missing client_id are 400 JSON', async () => {
    const unknown = await authorizeRequest(user.client, 'no-such-client');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /client_id/);
    const missing = await user.client.get('/api/oauth/authorize?response_type=code');
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /client_id/);
  });

  it('GET /api/oauth/authorize: response_type other than code goes back with unsupported_response_type and state', async () => {
    const reply = await authorizeRequest(user.client, app.clientId, { response_type: 'token', state: 'xyz' });
    assert.equal(reply.status, 302);
    const back = locationOf(reply, base());
    assert.equal(back.origin + back.pathname, REDIRECT_URI);
    assert.equal(back.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(back.searchParams.get('state'), 'xyz');
  });

  it('GET /api/oauth/authorize: omitted scope means all of the app\'s scopes', async () => {
    const reply = await authorizeRequest(user.client, app.clientId);
    const id = locationOf(reply, base()).searchParams.get('transaction_id')!;
    assert.deepEqual((await user.client.get(`/api/oauth/decision/${id}`)).body.scopes, ['record|read', 'record|create']);
  });

  it('POST /oauth/token: success is 200 with scope, scopes, lifetimes and no-store', async () => {
    const code = locationOf(await user.client.post('/api/oauth/decision', {
      json: { transaction_id: locationOf(await authorizeRequest(user.client, app.clientId, { scope: 'record|read' }), base()).searchParams.get('transaction_id') },
    }), base()).searchParams.get('code')!;
    const reply = await tokenRequest(base(), app, { grant_type: 'authorization_code', code });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    assert.equal(reply.headers.get('pragma'), 'no-cache');
    assert.equal(reply.body.token_type, 'Bearer');
    assert.equal(reply.body.scope, 'record|read');
    assert.deepEqual(reply.body.scopes, ['record|read']);
    assert.equal(reply.body.expires_in, 600);
    assert.equal(reply.body.refresh_expires_in, 2592000);
    assert.match(reply.body.access_token, /^stp_at_/);
    assert.match(reply.body.refresh_token, /^stp_rt_/);
  });

  it('POST /oauth/token: malformed requests are RFC 6749 errors naming the field', async () => {
    const noGrant = await tokenRequest(base(), app, {});
    assert.equal(noGrant.status, 400);
    assert.deepEqual(Object.keys(noGrant.body).sort(), ['error', 'error_description']);
    assert.equal(noGrant.body.error, 'invalid_request');
    assert.match(noGrant.body.error_description, /grant_type/);
    const unsupported = await tokenRequest(base(), app, { grant_type: 'password' });
    assert.equal(unsupported.body.error, 'unsupported_grant_type');
    const noCode = await tokenRequest(base(), app, { grant_type: 'authorization_code' });
    assert.equal(noCode.body.error, 'invalid_request');
    assert.match(noCode.body.error_description, /code/);
    const repeated = await anonymous().post('/oauth/token', { body: 'grant_type=a&grant_type=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(repeated.status, 400);
    assert.equal(repeated.body.error, 'invalid_request');
    const typed = await anonymous().post('/oauth/token', { json: { grant_type: 42 } });
    assert.equal(typed.status, 400);
    assert.equal(typed.body.error, 'invalid_request');
    assert.match(typed.body.error_description, /grant_type/);
    const textBody = await anonymous().post('/oauth/token', { body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(textBody.status, 415);
    assert.equal(textBody.body.error, 'invalid_request');
    const noClient = await anonymous().post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'stp_rt_x' } });
    assert.equal(noClient.status, 401);
    assert.equal(noClient.body.error, 'invalid_client');
  });

  it('POST /api/oauth/access_token: the Teable dialect accepts JSON, and a malformed request is 400 with message and error', async () => {
    const reply = await anonymous().post('/api/oauth/access_token', { json: { client_id: app.clientId, client_secret: app.secret } });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_request');
    assert.equal(typeof reply.body.message, 'string');
    assert.equal(typeof reply.body.error_description, 'string');
  });

  it('POST /oauth/revoke: an access token alone, 200 for unknown tokens, another client\'s tokens untouched', async () => {
    const tokens = await tokensFor(user.client, app, { scope: 'record|read' });
    const revoke = (token: string, who: Pick<TestApp, 'clientId' | 'secret'> = app) =>
      anonymous().post('/oauth/revoke', { form: { client_id: who.clientId, client_secret: who.secret, token } });
    const other = await newApp(base());
    assert.equal((await revoke(tokens.access_token, other)).status, 200);
    assert.equal((await introspect(base(), app, tokens.access_token)).active, true);
    assert.equal((await revoke(tokens.access_token)).status, 200);
    assert.equal((await introspect(base(), app, tokens.access_token)).active, false);
    assert.equal((await introspect(base(), app, tokens.refresh_token)).active, true);
    assert.equal((await revoke('stp_at_unknown')).status, 200);
    assert.equal((await revoke('garbage')).status, 200);
    const missing = await anonymous().post('/oauth/revoke', { form: { client_id: app.clientId, client_secret: app.secret } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
    const unauthenticated = await anonymous().post('/oauth/revoke', { form: { token: tokens.refresh_token } });
    assert.equal(unauthenticated.status, 401);
    assert.equal((await introspect(base(), app, tokens.refresh_token)).active, true);
  });

  it('POST /oauth/introspect: the RFC 7662 shape; a PAT may introspect; expiry ends activity', async () => {
    const tokens = await tokensFor(user.client, app, { scope: 'record|read' });
    const pat = await newPersonalToken(user.client, ['record|read', 'record|create']);
    const byPat = await anonymous().post('/oauth/introspect', { form: { token: tokens.access_token }, token: pat });
    assert.equal(byPat.status, 200);
    const now = Math.floor(ctx.server.clock.now() / 1000);
    assert.deepEqual(byPat.body, {
      active: true, scope: 'record|read', client_id: app.clientId, sub: user.id, username: 'std', token_type: 'Bearer', exp: now + 600, iat: now,
    });
    // A PAT is checked by resource servers: a declared one learns it is active, any other client does not.
    assert.deepEqual(await introspect(base(), app, pat), { active: false });
    ctx.server.config.resources.push({ resource: 'https://std.example/', name: 'API', scopes: null, clientId: app.clientId });
    const ofPat = await introspect(base(), app, pat);
    assert.equal(ofPat.active, true);
    assert.equal(ofPat.scope, 'record|read record|create');
    assert.deepEqual(await introspect(base(), app, 'stp_at_unknown'), { active: false });
    assert.equal((await anonymous().post('/oauth/introspect', { form: { token: tokens.access_token } })).status, 401);
    const byOAuth = await anonymous().post('/oauth/introspect', { form: { token: tokens.access_token }, token: tokens.access_token });
    assert.equal(byOAuth.status, 401);
    ctx.server.clock.advance(601);
    assert.deepEqual(await introspect(base(), app, tokens.access_token), { active: false });
    assert.equal((await introspect(base(), app, tokens.refresh_token)).active, true);
  });

  it('GET /api/docs/json documents every OAuth route', async () => {
    const { body } = await anonymous().get('/api/docs/json');
    for (const path of [
      '/api/oauth/authorize', '/api/oauth/decision/{transactionId}', '/api/oauth/decision', '/api/oauth/access_token', '/oauth/token',
      '/oauth/revoke', '/oauth/introspect', '/.well-known/oauth-authorization-server', '/api/oauth/client/{clientId}/revoke-access',
      '/api/oauth/client/{clientId}/revoke-token', '/api/oauth/client/authorized/list',
    ]) {
      assert.ok(body.paths[path], `${path} is documented`);
    }
    assert.ok(body.paths['/oauth/token'].post.requestBody);
  });
});

forEachDatabase('oauth: issuer exactly as configured', (ctx) => {
  it('keeps a trailing slash of PUBLIC_ORIGIN in the issuer, and builds endpoints without a double slash', async () => {
    const metadata = (await new Client(ctx.server.url).get('/.well-known/oauth-authorization-server')).body;
    assert.equal(metadata.issuer, 'http://steep.example/');
    assert.equal(metadata.token_endpoint, 'http://steep.example/oauth/token');
  });
}, { PUBLIC_ORIGIN: 'http://steep.example/' });
