// Two Steep processes on one database behave as one server: a code issued by one is redeemed at the
// other, and a revocation or deletion at one is seen at once by the other.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Client, newPersonalToken } from '../helpers/client.ts';
import { codeFor, introspect, newApp, tokenRequest, type TestApp } from '../helpers/oauth.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';
import { forEachDatabase } from '../helpers/server.ts';

forEachDatabase('two processes, one database', (ctx) => {
  let other: SteepProcess;
  let app: TestApp;

  before(async () => {
    other = await spawnSteep(ctx.server.config);
    app = await newApp(ctx.server.url, { scopes: ['user|email_read', 'record|read'] });
  });
  after(async () => {
    await other?.stop();
  });

  it('redeems at one process a code issued by the other, and both accept the token', async () => {
    const code = await codeFor(app.owner.client, app.clientId);
    const issued = await tokenRequest(other.url, app, { grant_type: 'authorization_code', code });
    assert.equal(issued.status, 200);
    for (const url of [ctx.server.url, other.url]) {
      const me = await new Client(url).get('/api/auth/user', { token: issued.body.access_token });
      assert.equal(me.status, 200);
      assert.equal(me.body.email, app.owner.email);
    }
    const replay = await tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code });
    assert.equal(replay.status, 400, 'the code is spent for both processes');
    assert.equal((await introspect(other.url, app, issued.body.access_token)).active, false, 'the replay revoked what the code issued');
  });

  it('sees a revocation made at the other process on the very next request', async () => {
    const code = await codeFor(app.owner.client, app.clientId);
    const issued = (await tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code })).body;
    assert.equal((await new Client(other.url).get('/api/auth/user', { token: issued.access_token })).status, 200);
    const revoked = await new Client(other.url).post('/oauth/revoke', { form: { client_id: app.clientId, client_secret: app.secret, token: issued.refresh_token } });
    assert.equal(revoked.status, 200);
    assert.equal((await new Client(ctx.server.url).get('/api/auth/user', { token: issued.access_token })).status, 401);
    assert.equal((await introspect(ctx.server.url, app, issued.refresh_token)).active, false);
  });

  it('shares sessions, personal access tokens and their deletion', async () => {
    const session = app.owner.client.cookies.get('steep_session')!;
    const onOther = new Client(other.url);
    onOther.cookies.set('steep_session', session);
    assert.equal((await onOther.get('/api/auth/user/me')).body.email, app.owner.email);
    const token = await newPersonalToken(app.owner.client);
    assert.equal((await new Client(other.url).get('/api/oauth/client', { token })).status, 200);
    const [listed] = (await onOther.get('/api/access-token')).body;
    assert.equal((await app.owner.client.delete(`/api/access-token/${listed.id}`)).status, 200);
    assert.equal((await new Client(other.url).get('/api/oauth/client', { token })).status, 401);
  });

  it('stops a deleted secret at the other process at once', async () => {
    const second = await app.owner.client.post(`/api/oauth/client/${app.clientId}/secret`);
    const withSecond = { clientId: app.clientId, secret: second.body.secret };
    const code = await codeFor(app.owner.client, app.clientId);
    await app.owner.client.delete(`/api/oauth/client/${app.clientId}/secret/${second.body.id}`);
    const refused = await tokenRequest(other.url, withSecond, { grant_type: 'authorization_code', code });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_client');
  });
});
