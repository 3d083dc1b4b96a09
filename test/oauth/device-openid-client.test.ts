// openid-client's device functions (initiateDeviceAuthorization, pollDeviceAuthorizationGrant),
// unmodified, against Steep: a confidential and a public client. If the library rejects a response
// or misreads an error, Steep is wrong. The polling loop itself (pending, slow_down) is driven step by
// step in device-oauth4webapi.test.ts, since this library waits on real timers between polls.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { REDIRECT_URI, newApp } from '../helpers/oauth.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

forEachDatabase('oauth: device flow with openid-client', (ctx) => {
  let person: Awaited<ReturnType<typeof newUser>>;
  const options = { algorithm: 'oauth2' as const, execute: [client.allowInsecureRequests] };

  before(async () => {
    person = await newUser(ctx.server.url, 'sofa');
  });

  /** The person's part on /device: Continue with the code, then Allow or Deny. */
  async function answer(userCode: string, decision: 'allow' | 'deny'): Promise<void> {
    const consent = await person.client.post('/device', { form: { csrf: csrfOf((await person.client.get('/device')).text), user_code: userCode } });
    assert.equal(consent.status, 200, consent.text);
    const done = await person.client.post('/device/decision', { form: { csrf: csrfOf(consent.text), user_code: userCode, decision } });
    assert.equal(done.status, 200, done.text);
  }

  /**
   * Polls once the person has answered. The library waits `interval` seconds before each poll; the
   * answer is already in, so it may poll at once (these tests move a clock, they never sleep).
   */
  const poll = (config: client.Configuration, started: client.DeviceAuthorizationResponse) =>
    client.pollDeviceAuthorizationGrant(config, { ...started, interval: 0 });

  const rejectsWith = (error: string) => (thrown: unknown) => thrown instanceof client.ResponseBodyError && thrown.error === error;

  async function configs() {
    const confidential = await newApp(ctx.server.url, { scopes: ['record|read'], grantTypes: [DEVICE_GRANT, 'refresh_token'] });
    const created = await person.client.post('/api/oauth/client', {
      json: { name: 'Set-top box', homepage: 'https://box.example', redirectUris: [REDIRECT_URI], scopes: ['record|read'], clientType: 'public', grantTypes: [DEVICE_GRANT, 'refresh_token'] },
    });
    assert.equal(created.status, 201, created.text);
    const issuer = new URL(ctx.server.url);
    return [
      { kind: 'confidential', config: await client.discovery(issuer, confidential.clientId, confidential.secret, client.ClientSecretBasic(confidential.secret), options) },
      { kind: 'public', config: await client.discovery(issuer, created.body.clientId, { token_endpoint_auth_method: 'none' }, client.None(), options) },
    ];
  }

  it('initiate, Allow, poll: tokens for the person; a second poll is invalid_grant; refresh works', async () => {
    for (const { kind, config } of await configs()) {
      assert.equal(config.serverMetadata().device_authorization_endpoint, `${ctx.server.url}/oauth/device_authorization`);
      const started = await client.initiateDeviceAuthorization(config, { scope: 'record|read' });
      assert.equal(started.verification_uri_complete, `${ctx.server.url}/device?user_code=${started.user_code}`, kind);
      await answer(started.user_code, 'allow');
      const tokens = await poll(config, started);
      assert.equal(tokens.token_type, 'bearer', kind);
      assert.equal(tokens.scope, 'record|read');
      assert.ok(tokens.refresh_token, kind);
      const me = await person.client.get('/api/auth/user', { token: tokens.access_token });
      assert.equal(me.body.id, person.id, 'the token acts for the person who allowed it');
      await assert.rejects(poll(config, started), rejectsWith('invalid_grant'), kind);
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    }
  });

  it('Deny is access_denied, and a code past its lifetime is expired_token', async () => {
    for (const { kind, config } of await configs()) {
      const denied = await client.initiateDeviceAuthorization(config, {});
      await answer(denied.user_code, 'deny');
      await assert.rejects(poll(config, denied), rejectsWith('access_denied'), kind);

      const late = await client.initiateDeviceAuthorization(config, {});
      ctx.server.clock.advance(late.expires_in);
      await assert.rejects(poll(config, late), rejectsWith('expired_token'), kind);
    }
  });
});
