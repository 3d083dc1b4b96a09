// openid-client (panva, OpenID-certified), unmodified, against Steep: a public client doing code + PKCE
// with token_endpoint_auth_method=none, refresh and revocation; and client_credentials for a
// confidential app. If the library rejects a response, Steep is wrong.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { browseAuthorization, introspect, newApp, type TestApp } from '../helpers/oauth.ts';

forEachDatabase('oauth: openid-client', (ctx) => {
  let person: Awaited<ReturnType<typeof newUser>>;
  let publicClientId: string;
  let backend: TestApp;
  const issuer = () => new URL(ctx.server.url);
  const options = { algorithm: 'oauth2' as const, execute: [client.allowInsecureRequests] };

  before(async () => {
    person = await newUser(ctx.server.url, 'rp-person');
    const created = await person.client.post('/api/oauth/client', {
      json: { name: 'cli', homepage: 'https://cli.example', redirectUris: ['http://127.0.0.1/callback'], scopes: ['record|read'], clientType: 'public' },
    });
    publicClientId = created.body.clientId;
    backend = await newApp(ctx.server.url, { scopes: ['record|read', 'record|create'], grantTypes: ['client_credentials'] });
  });

  const browse = (url: URL) => browseAuthorization(person.client, url);

  it('a public client: discovery, code + PKCE with auth method none on a loopback port, refresh, revocation', async () => {
    const config = await client.discovery(issuer(), publicClientId, { token_endpoint_auth_method: 'none' }, client.None(), options);
    assert.ok(config.serverMetadata().token_endpoint_auth_methods_supported?.includes('none'));
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const redirectUri = 'http://127.0.0.1:49152/callback';
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: 'record|read', state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    assert.equal(url.pathname, '/oauth/authorize');
    const callback = await browse(url);
    assert.equal(`${callback.origin}${callback.pathname}`, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    assert.equal(tokens.scope, 'record|read');
    assert.ok(tokens.refresh_token);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!), (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant');

    const again = await client.authorizationCodeGrant(config, await browse(client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: 'record|read', state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    })), { pkceCodeVerifier: verifier, expectedState: state });
    await client.tokenRevocation(config, again.access_token);
    assert.equal((await person.client.get('/api/auth/user', { token: again.access_token })).status, 401);
  });

  it('client_credentials with client_secret_basic and client_secret_post: no refresh token, scopes within the app', async () => {
    for (const auth of [client.ClientSecretBasic(backend.secret), client.ClientSecretPost(backend.secret)]) {
      const config = await client.discovery(issuer(), backend.clientId, backend.secret, auth, options);
      const token = await client.clientCredentialsGrant(config, { scope: 'record|create' });
      assert.equal(token.token_type, 'bearer');
      assert.equal(token.scope, 'record|create');
      assert.equal(token.refresh_token, undefined);
      const seen = await introspect(ctx.server.url, backend, token.access_token);
      assert.equal(seen.sub, backend.clientId);
    }
  });
});
