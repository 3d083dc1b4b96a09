// A user's authorized apps, withdrawing access, and credentials that die at once: app deletion,
// secret deletion, revoke-access, revoke-token. Also: OAuth access tokens are refused on management routes.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { authorizeRequest, codeFor, introspect, locationOf, newApp, tokenRequest, tokensFor, type TestApp } from '../helpers/oauth.ts';

forEachDatabase('oauth: authorizations and revocation', (ctx) => {
  let app: TestApp;
  const base = () => ctx.server.url;
  const bearer = (token: string) => new Client(base()).get('/api/auth/user', { token });

  before(async () => {
    app = await newApp(base(), { scopes: ['record|read', 'user|email_read'], description: 'An app', logo: 'https://example.com/logo.png' });
  });

  it('authorized/list: the apps the caller authorized, with owner and last use', async () => {
    const user = await newUser(base(), 'lister');
    assert.deepEqual((await user.client.get('/api/oauth/client/authorized/list')).body, []);
    const { access_token } = await tokensFor(user.client, app, { scope: 'record|read' });
    assert.equal((await bearer(access_token)).status, 200);
    const list = await user.client.get('/api/oauth/client/authorized/list');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    const [entry] = list.body;
    assert.deepEqual({ ...entry, lastUsedTime: undefined }, {
      clientId: app.clientId, name: 'test', homepage: 'http://localhost:3000', logo: 'https://example.com/logo.png', description: 'An app',
      scopes: ['record|read'], lastUsedTime: undefined, createdUser: { name: 'owner', email: app.owner.email },
    });
    assert.equal(entry.lastUsedTime, new Date(ctx.server.clock.now()).toISOString());
    const pat = await newPersonalToken(user.client);
    assert.equal((await new Client(base()).get('/api/oauth/client/authorized/list', { token: pat })).body.length, 1);
  });

  it("revoke-access (any user, a PAT too) ends only the caller's authorization", async () => {
    const alice = await newUser(base(), 'alice');
    const bob = await newUser(base(), 'bob');
    const aliceTokens = await tokensFor(alice.client, app);
    const bobTokens = await tokensFor(bob.client, app);
    const pat = await newPersonalToken(alice.client);
    const revoked = await new Client(base()).post(`/api/oauth/client/${app.clientId}/revoke-access`, { token: pat });
    assert.equal(revoked.status, 200);
    assert.equal((await bearer(aliceTokens.access_token)).status, 401);
    assert.equal((await introspect(base(), app, aliceTokens.refresh_token)).active, false);
    assert.equal((await bearer(bobTokens.access_token)).status, 200);
    assert.deepEqual((await alice.client.get('/api/oauth/client/authorized/list')).body, []);
    // Consent is forgotten: the consent page comes back.
    const again = await authorizeRequest(alice.client, app.clientId);
    assert.equal(locationOf(again, base()).pathname, '/oauth/decision');
    // Nothing left to revoke, an unknown app, an app never authorized: 404.
    assert.equal((await alice.client.post(`/api/oauth/client/${app.clientId}/revoke-access`)).status, 404);
    assert.equal((await alice.client.post('/api/oauth/client/nope/revoke-access')).status, 404);
    const unused = await newApp(base());
    assert.equal((await alice.client.post(`/api/oauth/client/${unused.clientId}/revoke-access`)).status, 404);
    // The owner sees the app anyway: for them, nothing to end is still 200 (Teable's answer).
    assert.equal((await unused.owner.client.post(`/api/oauth/client/${unused.clientId}/revoke-access`)).status, 200);
  });

  it('revoke-access also voids codes issued but not yet redeemed', async () => {
    const user = await newUser(base(), 'pending');
    const code = await codeFor(user.client, app.clientId);
    assert.equal((await user.client.post(`/api/oauth/client/${app.clientId}/revoke-access`)).status, 200);
    assert.equal((await tokenRequest(base(), app, { grant_type: 'authorization_code', code })).body.error, 'invalid_grant');
  });

  it('revoke-token accepts only an OAuth access token of that same app', async () => {
    const user = await newUser(base(), 'selfrevoke');
    const other = await newApp(base(), { scopes: ['record|read'] });
    const mine = await tokensFor(user.client, app);
    const theirs = await tokensFor(user.client, other);
    const wrongApp = await new Client(base()).get(`/api/oauth/client/${app.clientId}/revoke-token`, { token: theirs.access_token });
    assert.equal(wrongApp.status, 403);
    assert.equal((await user.client.get(`/api/oauth/client/${app.clientId}/revoke-token`)).status, 403);
    const pat = await newPersonalToken(user.client);
    assert.equal((await new Client(base()).get(`/api/oauth/client/${app.clientId}/revoke-token`, { token: pat })).status, 403);
    assert.equal((await bearer(mine.access_token)).status, 200);
    // As Teable's own e2e sends it: a form Content-Type on a GET without a body is no reason to refuse.
    const asTeable = await new Client(base()).get(`/api/oauth/client/${app.clientId}/revoke-token`, {
      token: mine.access_token, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(asTeable.status, 200, asTeable.text);
    assert.equal((await bearer(mine.access_token)).status, 401);
    assert.equal((await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: mine.refresh_token })).body.error, 'invalid_grant');
    assert.equal((await bearer(theirs.access_token)).status, 200);
  });

  it('deleting a secret stops it authenticating at once; other secrets and issued tokens live on', async () => {
    const own = await newApp(base(), { scopes: ['record|read'] });
    const user = await newUser(base(), 'secretuser');
    const tokens = await tokensFor(user.client, own);
    const spare = await own.owner.client.post(`/api/oauth/client/${own.clientId}/secret`);
    const secrets = (await own.owner.client.get(`/api/oauth/client/${own.clientId}`)).body.secrets as { id: string; lastUsedTime?: string }[];
    const first = secrets.find((s) => s.id !== spare.body.id)!;
    assert.ok(first.lastUsedTime, 'the token request recorded the secret\'s lastUsedTime');
    assert.equal((await own.owner.client.delete(`/api/oauth/client/${own.clientId}/secret/${first.id}`)).status, 200);
    const refused = await tokenRequest(base(), own, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_client');
    const withSpare = await tokenRequest(base(), { clientId: own.clientId, secret: spare.body.secret }, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(withSpare.status, 200);
  });

  it('deleting an app kills its tokens and secrets on the next request', async () => {
    const doomed = await newApp(base(), { scopes: ['record|read'] });
    const user = await newUser(base(), 'doomeduser');
    const tokens = await tokensFor(user.client, doomed);
    assert.equal((await bearer(tokens.access_token)).status, 200);
    assert.equal((await doomed.owner.client.delete(`/api/oauth/client/${doomed.clientId}`)).status, 200);
    assert.equal((await bearer(tokens.access_token)).status, 401);
    assert.equal((await tokenRequest(base(), doomed, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status, 401);
    assert.deepEqual((await user.client.get('/api/oauth/client/authorized/list')).body, []);
  });

  it('OAuth access tokens are refused (403) on app management, PAT and account routes', async () => {
    const user = await newUser(base(), 'scoped');
    const { access_token } = await tokensFor(user.client, app);
    const client = new Client(base());
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/oauth/client'],
      ['POST', '/api/oauth/client', { name: 'x', homepage: 'https://x.example', redirectUris: ['https://x.example/cb'] }],
      ['GET', `/api/oauth/client/${app.clientId}`],
      ['DELETE', `/api/oauth/client/${app.clientId}`],
      ['POST', `/api/oauth/client/${app.clientId}/secret`],
      ['POST', `/api/oauth/client/${app.clientId}/revoke-access`],
      ['GET', '/api/oauth/client/authorized/list'],
      ['GET', '/api/access-token'],
      ['POST', '/api/access-token', { name: 'x', scopes: ['record|read'], expiredTime: '2999-01-01' }],
      ['GET', '/api/auth/user/me'],
      ['POST', '/api/auth/signout'],
      ['GET', `/api/oauth/authorize?response_type=code&client_id=${app.clientId}`],
    ];
    for (const [method, path, json] of calls) {
      const reply = await client.request(method, path, { token: access_token, json });
      assert.equal(reply.status, 403, `${method} ${path}`);
    }
    assert.equal((await bearer(access_token)).status, 200);
  });

  it('consent is remembered for 7 days and for no more scopes than were granted', async () => {
    const user = await newUser(base(), 'remember');
    await codeFor(user.client, app.clientId, { scope: 'record|read' });
    const same = await authorizeRequest(user.client, app.clientId, { scope: 'record|read' });
    assert.ok(locationOf(same, base()).searchParams.get('code'));
    const more = await authorizeRequest(user.client, app.clientId, { scope: 'record|read user|email_read' });
    assert.equal(locationOf(more, base()).pathname, '/oauth/decision');
    ctx.server.clock.advance(7 * 86400 + 1);
    const later = await authorizeRequest(user.client, app.clientId, { scope: 'record|read' });
    assert.equal(locationOf(later, base()).pathname, '/oauth/decision');
  });
});
