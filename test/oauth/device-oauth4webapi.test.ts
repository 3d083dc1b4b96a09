// The device flow driven by oauth4webapi's device functions, unmodified: discovery finds the device
// endpoint, the library accepts the device authorization response, reads each polling error as RFC
// 8628 names it, and accepts the token response; for a confidential and for a public client.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { REDIRECT_URI, newApp } from '../helpers/oauth.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

forEachDatabase('oauth: device flow with oauth4webapi', (ctx) => {
  let as: oauth.AuthorizationServer;
  let person: Awaited<ReturnType<typeof newUser>>;

  before(async () => {
    const issuer = new URL(ctx.server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    person = await newUser(ctx.server.url, 'couch');
  });

  /** The person's part: Continue with the code on /device, then Allow. */
  async function allow(userCode: string): Promise<void> {
    const consent = await person.client.post('/device', { form: { csrf: csrfOf((await person.client.get('/device')).text), user_code: userCode } });
    assert.equal(consent.status, 200, consent.text);
    const done = await person.client.post('/device/decision', { form: { csrf: csrfOf(consent.text), user_code: userCode, decision: 'allow' } });
    assert.equal(done.status, 200, done.text);
  }

  /** The device's polling step; the library throws RFC 8628's errors as ResponseBodyError. */
  async function pollError(client: oauth.Client, auth: oauth.ClientAuth, deviceCode: string): Promise<string> {
    try {
      await oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, auth, deviceCode, insecure));
    } catch (error) {
      assert.ok(error instanceof oauth.ResponseBodyError, String(error));
      return error.error;
    }
    throw new Error('the poll unexpectedly succeeded');
  }

  it('discovery names the device authorization endpoint and the grant', () => {
    assert.equal(as.device_authorization_endpoint, `${ctx.server.url}/oauth/device_authorization`);
    assert.ok(as.grant_types_supported?.includes(DEVICE_GRANT));
  });

  const registration = { scopes: ['record|read'], grantTypes: [DEVICE_GRANT, 'refresh_token'] };
  const kinds: { kind: string; register: () => Promise<{ clientId: string; auth: oauth.ClientAuth }> }[] = [
    {
      kind: 'confidential (client_secret_basic)',
      register: async () => {
        const app = await newApp(ctx.server.url, registration);
        return { clientId: app.clientId, auth: oauth.ClientSecretBasic(app.secret) };
      },
    },
    {
      kind: 'public (none)',
      register: async () => {
        const created = await person.client.post('/api/oauth/client', {
          json: { name: 'Console', homepage: 'https://console.example', redirectUris: [REDIRECT_URI], clientType: 'public', ...registration },
        });
        assert.equal(created.status, 201, created.text);
        return { clientId: created.body.clientId, auth: oauth.None() };
      },
    },
  ];
  for (const { kind, register } of kinds) {
    it(`${kind}: device authorization, pending, slow_down, then tokens`, async () => {
      const { clientId, auth } = await register();
      const client: oauth.Client = { client_id: clientId };

      const started = await oauth.processDeviceAuthorizationResponse(as, client,
        await oauth.deviceAuthorizationRequest(as, client, auth, { scope: 'record|read' }, insecure));
      assert.equal(started.interval, 5);
      assert.equal(started.expires_in, 600);
      assert.equal(started.verification_uri, `${ctx.server.url}/device`);

      assert.equal(await pollError(client, auth, started.device_code), 'authorization_pending');
      assert.equal(await pollError(client, auth, started.device_code), 'slow_down');
      await allow(started.user_code);
      ctx.server.clock.advance(10);
      const tokens = await oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, auth, started.device_code, insecure));
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'record|read');
      assert.ok(tokens.refresh_token);
      assert.equal(await pollError(client, auth, started.device_code), 'invalid_grant');
    });
  }
});
