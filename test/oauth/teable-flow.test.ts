// Teable's own e2e expectations for its OAuth server (apps/nestjs-backend/test/oauth-server.e2e-spec.ts),
// step by step over HTTP: authorize -> decision -> access_token -> /api/auth/user -> refresh -> revoke.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, authorizeRequest, codeFor, locationOf, newApp, type TestApp } from '../helpers/oauth.ts';

const TEABLE_TOKEN_KEYS = ['access_token', 'expires_in', 'refresh_expires_in', 'refresh_token', 'scopes', 'token_type'];

forEachDatabase('oauth: Teable e2e flow', (ctx) => {
  let app: TestApp;
  const base = () => ctx.server.url;
  const owner = () => app.owner.client;
  const transactionOf = async (params: Record<string, string> = {}) => {
    const reply = await authorizeRequest(owner(), app.clientId, { scope: app.scopes.join(' '), ...params });
    assert.equal(reply.status, 302);
    return locationOf(reply, base()).searchParams.get('transaction_id')!;
  };
  const decision = (transactionId: string, cancel?: string) =>
    owner().post('/api/oauth/decision', { form: { transaction_id: transactionId, ...(cancel && { cancel }) } });
  const accessToken = (params: Record<string, string>) =>
    new Client(base()).post('/api/oauth/access_token', { form: { client_id: app.clientId, client_secret: app.secret, ...params } });

  before(async () => {
    app = await newApp(base());
  });

  it('GET /api/oauth/authorize: 302 to the consent page', async () => {
    const reply = await authorizeRequest(owner(), app.clientId, { redirect_uri: REDIRECT_URI, scope: 'user|email_read' });
    assert.equal(reply.status, 302);
    assert.match(reply.headers.get('location')!, /\/oauth\/decision\?transaction_id=stp_tx_/);
  });

  it('GET /api/oauth/authorize: unregistered redirect_uri is 400 JSON, no redirect', async () => {
    const reply = await authorizeRequest(owner(), app.clientId, { redirect_uri: 'http://localhost:3000/callback-invalid', scope: 'user|email_read' });
    assert.equal(reply.status, 400);
    assert.equal(reply.headers.get('location'), null);
    assert.equal(reply.body.code, 'validation_failed');
    assert.match(reply.body.message, /redirect_uri/);
  });

  it('GET /api/oauth/authorize: a scope the app lacks is 400', async () => {
    const reply = await authorizeRequest(owner(), app.clientId, { redirect_uri: REDIRECT_URI, scope: 'dddd' });
    assert.equal(reply.status, 400);
    assert.match(reply.body.message, /scope/);
  });

  it('GET /api/oauth/decision/:id: the request, not the app (name, homepage, scopes)', async () => {
    const reply = await owner().get(`/api/oauth/decision/${await transactionOf()}`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { name: 'test', scopes: ['user|email_read'], homepage: 'http://localhost:3000' });
  });

  it('GET /api/oauth/decision/:id: unknown id is 400', async () => {
    assert.equal((await owner().get('/api/oauth/decision/invalid')).status, 400);
  });

  it("GET /api/oauth/decision/:id: another user's transaction is 400 \"Invalid user\"", async () => {
    const other = await newUser(base(), 'other');
    const reply = await other.client.get(`/api/oauth/decision/${await transactionOf()}`);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.message, 'Invalid user');
  });

  it('POST /api/oauth/decision: unknown transaction is 400', async () => {
    assert.equal((await decision('invalid')).status, 400);
  });

  it('POST /api/oauth/decision: deny redirects with error=access_denied', async () => {
    const reply = await decision(await transactionOf(), 'Deny');
    assert.equal(reply.status, 302);
    assert.ok(reply.headers.get('location')!.startsWith(`${REDIRECT_URI}?error=access_denied`));
  });

  it('POST /api/oauth/decision: state comes back', async () => {
    const reply = await decision(await transactionOf({ state: '123456' }));
    assert.equal(reply.status, 302);
    assert.ok(reply.headers.get('location')!.startsWith(`${REDIRECT_URI}?code=`));
    assert.equal(locationOf(reply, base()).searchParams.get('state'), '123456');
  });

  it('POST /api/oauth/decision: allow redirects with a code; the next authorize skips consent', async () => {
    app = await newApp(base());
    const reply = await decision(await transactionOf());
    assert.equal(reply.status, 302);
    assert.ok(reply.headers.get('location')!.startsWith(`${REDIRECT_URI}?code=`));
    const again = await authorizeRequest(owner(), app.clientId, { scope: 'user|email_read' });
    assert.equal(again.status, 302);
    assert.match(locationOf(again, base()).searchParams.get('code') ?? '', /^stp_ac_/);
  });

  it('POST /api/oauth/access_token: 201 with Teable fields; the token reads /api/auth/user with email', async () => {
    const code = await codeFor(owner(), app.clientId, { redirect_uri: REDIRECT_URI });
    const reply = await accessToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    for (const key of TEABLE_TOKEN_KEYS) assert.ok(key in reply.body, `missing ${key}`);
    assert.equal(reply.body.token_type, 'Bearer');
    assert.deepEqual(reply.body.scopes, ['user|email_read']);
    assert.equal(typeof reply.body.expires_in, 'number');
    assert.equal(typeof reply.body.refresh_expires_in, 'number');
    const me = await new Client(base()).get('/api/auth/user', { headers: { authorization: `${reply.body.token_type} ${reply.body.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, app.owner.email);
  });

  it('POST /api/oauth/access_token: a remembered-consent code without redirect_uri works when authorize had none', async () => {
    const code = await codeFor(owner(), app.clientId, { scope: 'user|email_read' });
    const reply = await accessToken({ grant_type: 'authorization_code', code });
    assert.equal(reply.status, 201);
    assert.deepEqual(reply.body.scopes, ['user|email_read']);
  });

  it('POST /api/oauth/access_token: without user|email_read, /api/auth/user has no email', async () => {
    const tableApp = await newApp(base(), { scopes: ['table|read'] });
    const code = await codeFor(tableApp.owner.client, tableApp.clientId, { redirect_uri: REDIRECT_URI });
    const reply = await new Client(base()).post('/api/oauth/access_token', {
      form: { grant_type: 'authorization_code', code, client_id: tableApp.clientId, client_secret: tableApp.secret, redirect_uri: REDIRECT_URI },
    });
    assert.equal(reply.status, 201);
    const me = await new Client(base()).get('/api/auth/user', { token: reply.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, undefined);
    assert.equal(me.body.id, tableApp.owner.id);
  });

  it('POST /api/oauth/access_token: refresh gives 201 and a new pair; the old refresh token is then 401', async () => {
    const code = await codeFor(owner(), app.clientId, { redirect_uri: REDIRECT_URI });
    const first = await accessToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    const refreshed = await accessToken({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(refreshed.status, 201);
    for (const key of TEABLE_TOKEN_KEYS) assert.ok(key in refreshed.body, `missing ${key}`);
    assert.deepEqual(refreshed.body.scopes, ['user|email_read']);
    assert.notEqual(refreshed.body.refresh_token, first.body.refresh_token);
    const reused = await accessToken({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(reused.status, 401);
    assert.equal(reused.body.error, 'invalid_grant');
    assert.equal(typeof reused.body.message, 'string');
  });

  it('GET /api/oauth/client/:id/revoke-token with the access token: 200, then the token is 401', async () => {
    const code = await codeFor(owner(), app.clientId, { redirect_uri: REDIRECT_URI });
    const { body } = await accessToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    const revoked = await new Client(base()).get(`/api/oauth/client/${app.clientId}/revoke-token`, { token: body.access_token });
    assert.equal(revoked.status, 200);
    assert.equal((await new Client(base()).get('/api/auth/user', { token: body.access_token })).status, 401);
  });

  it('POST /api/oauth/client/:id/revoke-access with the session: 200, then the token is 401', async () => {
    const code = await codeFor(owner(), app.clientId, { redirect_uri: REDIRECT_URI });
    const { body } = await accessToken({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    assert.equal((await new Client(base()).get('/api/auth/user', { token: body.access_token })).status, 200);
    assert.equal((await owner().post(`/api/oauth/client/${app.clientId}/revoke-access`)).status, 200);
    assert.equal((await new Client(base()).get('/api/auth/user', { token: body.access_token })).status, 401);
  });
});
