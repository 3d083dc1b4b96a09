// The standard flow driven by oauth4webapi, a certified strict client, unmodified: if it rejects a
// response, Steep is wrong. Discovery, code + PKCE, refresh, introspection, revocation; both client auth methods.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { REDIRECT_URI, browseAuthorization, locationOf, newApp, type TestApp } from '../helpers/oauth.ts';

const insecure = { [oauth.allowInsecureRequests]: true };

forEachDatabase('oauth: oauth4webapi client', (ctx) => {
  let as: oauth.AuthorizationServer;
  let app: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;

  before(async () => {
    const issuer = new URL(ctx.server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    app = await newApp(ctx.server.url, { scopes: ['record|read', 'record|create', 'user|email_read'] });
    user = await newUser(ctx.server.url, 'enduser');
  });

  /** The browser's part, from the library's authorization endpoint. */
  async function callback(params: Record<string, string>): Promise<URL> {
    const url = new URL(as.authorization_endpoint!);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return browseAuthorization(user.client, url);
  }

  it('discovery: the metadata the library accepted names every endpoint', () => {
    assert.equal(as.issuer, ctx.server.url);
    assert.equal(as.token_endpoint, `${ctx.server.url}/oauth/token`);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  });

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`${method}: code + PKCE, refresh, introspection, revocation`, async () => {
      const client: oauth.Client = { client_id: app.clientId, token_endpoint_auth_method: method };
      const auth = method === 'client_secret_basic' ? oauth.ClientSecretBasic(app.secret) : oauth.ClientSecretPost(app.secret);
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const back = await callback({
        client_id: app.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'record|read user|email_read', state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const params = oauth.validateAuthResponse(as, client, back, state);
      const tokens = await oauth.processAuthorizationCodeResponse(as, client,
        await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure));
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'record|read user|email_read');
      assert.ok(tokens.refresh_token);

      const active = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure));
      assert.equal(active.active, true);
      assert.equal(active.client_id, app.clientId);
      assert.equal(active.sub, user.id);
      assert.equal(active.scope, 'record|read user|email_read');

      const refreshed = await oauth.processRefreshTokenResponse(as, client,
        await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure));
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
      assert.equal(refreshed.scope, tokens.scope);

      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.refresh_token!, insecure));
      for (const token of [refreshed.access_token, refreshed.refresh_token!]) {
        const after = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, insecure));
        assert.equal(after.active, false, 'revoking the refresh token revokes its family');
      }
    });
  }

  it('the library sees invalid_grant for a spent code, and a Basic challenge for a wrong secret', async () => {
    const client: oauth.Client = { client_id: app.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const back = await callback({
      client_id: app.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'record|read',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const params = oauth.validateAuthResponse(as, client, back, oauth.expectNoState);
    const auth = oauth.ClientSecretPost(app.secret);
    await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure));
    await assert.rejects(
      async () => oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, insecure)),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant' && error.status === 400,
    );
    const wrong = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic('stp_cs_wrong'), 'stp_rt_x', insecure);
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
    await assert.rejects(oauth.processRefreshTokenResponse(as, client, wrong), (error: unknown) => error instanceof oauth.WWWAuthenticateChallengeError);
  });

  it('a denied request reaches the library as an authorization error with the state', async () => {
    const client: oauth.Client = { client_id: app.clientId };
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    const query = { client_id: app.clientId, response_type: 'code', scope: 'record|create', state };
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const other = await newUser(ctx.server.url, 'denier');
    const first = await other.client.get(url.pathname + url.search);
    const denied = await other.client.post('/api/oauth/decision', { form: { transaction_id: locationOf(first, ctx.server.url).searchParams.get('transaction_id')!, cancel: 'Deny' } });
    assert.throws(() => oauth.validateAuthResponse(as, client, locationOf(denied, ctx.server.url), state),
      (error: unknown) => error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied');
  });
});
