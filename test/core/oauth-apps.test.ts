// The OAuth app registry: Teable's shapes and statuses, validation, owner-only access, secrets.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';

const app = {
  name: 'test',
  redirectUris: ['http://localhost:3000/callback'],
  scopes: ['user|email_read'],
  homepage: 'http://localhost:3000',
};

forEachDatabase('OAuth app registry', (ctx) => {
  let owner: Client;
  let token: string;
  const api = () => new Client(ctx.server.url);

  it('creates with 201 (session or PAT) and Teable shape; secrets absent on a new app', async () => {
    owner = (await newUser(ctx.server.url, 'owner')).client;
    token = await newPersonalToken(owner);
    const created = await api().post('/api/oauth/client', { token, json: { ...app, description: 'd', logo: 'https://example.com/logo.png' } });
    assert.equal(created.status, 201);
    // The seed's fields, plus the client kind and grants of API.md Part 2 with their defaults.
    assert.deepEqual(Object.keys(created.body).sort(), ['clientId', 'clientType', 'description', 'grantTypes', 'homepage', 'logo', 'name', 'redirectUris', 'scopes']);
    assert.equal(created.body.clientType, 'confidential');
    assert.deepEqual(created.body.grantTypes, ['authorization_code', 'refresh_token']);
    const bare = await owner.post('/api/oauth/client', { json: { name: 'bare', homepage: 'https://a.example', redirectUris: ['https://a.example/cb'] } });
    assert.equal(bare.status, 201);
    assert.deepEqual(Object.keys(bare.body).sort(), ['clientId', 'clientType', 'grantTypes', 'homepage', 'name', 'redirectUris']);
  });

  it('lists the caller\'s apps newest first, and GET matches the created app', async () => {
    const { client } = await newUser(ctx.server.url);
    const first = await client.post('/api/oauth/client', { json: app });
    ctx.server.clock.advance(1);
    const second = await client.post('/api/oauth/client', { json: { ...app, name: 'second', description: 'two' } });
    const list = await client.get('/api/oauth/client');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [
      { clientId: second.body.clientId, name: 'second', description: 'two', homepage: app.homepage },
      { clientId: first.body.clientId, name: 'test', homepage: app.homepage },
    ]);
    const got = await client.get(`/api/oauth/client/${first.body.clientId}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, first.body);
    assert.equal((await client.get('/api/oauth/client/xxxxxxx')).status, 404);
  });

  it('replaces with PUT (a GET body with extra fields is accepted) and keeps secrets', async () => {
    const created = await owner.post('/api/oauth/client', { json: app });
    const secret = await owner.post(`/api/oauth/client/${created.body.clientId}/secret`);
    const got = await owner.get(`/api/oauth/client/${created.body.clientId}`);
    const updated = await owner.put(`/api/oauth/client/${created.body.clientId}`, { json: { ...got.body, name: 'updated', scopes: ['record|read', 'record|read', 'table|read'] } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.name, 'updated');
    assert.deepEqual(updated.body.scopes, ['record|read', 'table|read'], 'duplicates dropped, order kept');
    assert.equal(updated.body.secrets[0].id, secret.body.id);
    const replaced = await owner.put(`/api/oauth/client/${created.body.clientId}`, { json: { name: 'plain', homepage: app.homepage, redirectUris: app.redirectUris } });
    assert.equal(replaced.body.scopes, undefined, 'full replace: omitted scopes are none');
  });

  it('generates secrets shown once, masked Teable-style, newest first; deleting one stops listing it', async () => {
    const created = await owner.post('/api/oauth/client', { json: app });
    const id = created.body.clientId;
    const one = await owner.post(`/api/oauth/client/${id}/secret`);
    assert.equal(one.status, 201);
    assert.match(one.body.secret, /^stp_cs_[A-Za-z0-9_-]{43}$/);
    assert.equal(one.body.lastUsedTime, undefined);
    assert.equal(one.body.maskedSecret, '*'.repeat(one.body.secret.length - 10) + one.body.secret.slice(-10));
    ctx.server.clock.advance(1);
    const two = await owner.post(`/api/oauth/client/${id}/secret`, { token });
    const got = await owner.get(`/api/oauth/client/${id}`);
    assert.deepEqual(got.body.secrets.map((s: { id: string }) => s.id), [two.body.id, one.body.id]);
    assert.equal(got.body.secrets[1].secret, one.body.maskedSecret);
    assert.ok(!got.text.includes(one.body.secret) && !got.text.includes(two.body.secret));
    assert.equal((await owner.delete(`/api/oauth/client/${id}/secret/${one.body.id}`)).status, 200);
    assert.equal((await owner.delete(`/api/oauth/client/${id}/secret/${one.body.id}`)).status, 404);
    assert.equal((await owner.delete(`/api/oauth/client/${id}/secret/${two.body.id}`)).status, 200);
    assert.equal((await owner.get(`/api/oauth/client/${id}`)).body.secrets, undefined);
  });

  it('deletes an app with 200; afterwards every route answers 404', async () => {
    const created = await owner.post('/api/oauth/client', { json: app });
    const id = created.body.clientId;
    assert.equal((await owner.delete(`/api/oauth/client/${id}`)).status, 200);
    assert.equal((await owner.get(`/api/oauth/client/${id}`)).status, 404);
    assert.equal((await owner.delete(`/api/oauth/client/${id}`)).status, 404);
    assert.equal((await owner.post(`/api/oauth/client/${id}/secret`)).status, 404);
  });

  it("answers 404 to another user on every route of the owner's app, and leaves it unchanged", async () => {
    const created = await owner.post('/api/oauth/client', { json: app });
    const id = created.body.clientId;
    const secret = await owner.post(`/api/oauth/client/${id}/secret`);
    const before = await owner.get(`/api/oauth/client/${id}`);
    const intruder = (await newUser(ctx.server.url, 'intruder')).client;
    const intruderToken = await newPersonalToken(intruder);
    for (const who of [{ c: intruder, t: undefined }, { c: api(), t: intruderToken }]) {
      const opts = { token: who.t };
      const replies = [
        await who.c.get(`/api/oauth/client/${id}`, opts),
        await who.c.put(`/api/oauth/client/${id}`, { ...opts, json: { ...app, name: 'hijacked' } }),
        await who.c.delete(`/api/oauth/client/${id}`, opts),
        await who.c.post(`/api/oauth/client/${id}/secret`, opts),
        await who.c.delete(`/api/oauth/client/${id}/secret/${secret.body.id}`, opts),
      ];
      assert.deepEqual(replies.map((r) => r.status), [404, 404, 404, 404, 404]);
      assert.ok(replies.every((r) => r.body.code === 'not_found'));
    }
    assert.deepEqual((await intruder.get('/api/oauth/client')).body, []);
    assert.deepEqual((await owner.get(`/api/oauth/client/${id}`)).body, before.body);
  });

  it('refuses each invalid field with 400 validation_failed naming it, and writes nothing', async () => {
    const { client } = await newUser(ctx.server.url);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: undefined }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ description: 'x'.repeat(1001) }, 'description'],
      [{ logo: 'x'.repeat(2049) }, 'logo'],
      [{ homepage: undefined }, 'homepage'],
      [{ homepage: 'example.com' }, 'homepage'],
      [{ homepage: 'ftp://example.com' }, 'homepage'],
      [{ homepage: 'https://example.com/' + 'x'.repeat(2048) }, 'homepage'],
      [{ scopes: ['table|fly'] }, 'scopes.0'],
      [{ scopes: 'record|read' }, 'scopes'],
      [{ redirectUris: undefined }, 'redirectUris'],
      [{ redirectUris: [] }, 'redirectUris'],
      [{ redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) }, 'redirectUris'],
      [{ redirectUris: ['https://a.example/cb', '/relative'] }, 'redirectUris.1'],
      [{ redirectUris: ['https://a.example/cb#frag'] }, 'redirectUris.0'],
      [{ redirectUris: ['https://user:pw@a.example/cb'] }, 'redirectUris.0'],
      [{ redirectUris: ['https://*.example/cb'] }, 'redirectUris.0'],
      [{ redirectUris: ['javascript:alert(1)'] }, 'redirectUris.0'],
      [{ redirectUris: ['data:text/html,hi'] }, 'redirectUris.0'],
      [{ redirectUris: ['file:///etc/passwd'] }, 'redirectUris.0'],
      [{ redirectUris: ['vbscript:msgbox'] }, 'redirectUris.0'],
      [{ redirectUris: ['myapp:/cb'] }, 'redirectUris.0'],
      [{ redirectUris: ['https://a.example/' + 'x'.repeat(2048)] }, 'redirectUris.0'],
    ];
    for (const [change, path] of cases) {
      const reply = await client.post('/api/oauth/client', { json: { ...app, ...change } });
      assert.equal(reply.status, 400, `${JSON.stringify(change).slice(0, 80)} -> ${reply.status}`);
      assert.equal(reply.body.code, 'validation_failed');
      assert.equal(reply.body.status, 400);
      assert.equal(reply.body.details[0].path, path, JSON.stringify(change).slice(0, 80));
      assert.match(reply.body.message, /^[a-zA-Z.0-9]+: [^\n]+\.$/);
    }
    assert.deepEqual((await client.get('/api/oauth/client')).body, []);
  });

  it('accepts native-app private-use schemes and plain http', async () => {
    const reply = await owner.post('/api/oauth/client', { json: { ...app, redirectUris: ['com.example.app:/cb', 'http://example.com', 'http://127.0.0.1:8080/cb'] } });
    assert.equal(reply.status, 201);
  });

  it('answers malformed JSON 400, non-JSON 415, over 64 KiB 413, unknown routes 404 — all in the error shape', async () => {
    const send = (body: string, type: string) => owner.post('/api/oauth/client', { body, headers: { 'content-type': type } });
    const malformed = await send('{"name":', 'application/json');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'validation_failed');
    const form = await send('name=x', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 415);
    assert.equal(form.body.code, 'unsupported_media_type');
    assert.equal((await send('hello', 'text/plain')).status, 415);
    const big = await send(JSON.stringify({ ...app, description: 'x'.repeat(70 * 1024) }), 'application/json');
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'payload_too_large');
    const nothing = await owner.get('/api/no/such/route');
    assert.deepEqual(nothing.body, { message: 'There is no route GET /api/no/such/route.', status: 404, code: 'not_found' });
    const array = await owner.post('/api/oauth/client', { json: [1, 2] });
    assert.equal(array.status, 400);
  });

  it('answers 401 for no, unknown, expired and deleted tokens', async () => {
    assert.equal((await api().post('/api/oauth/client', { json: app })).status, 401);
    assert.equal((await api().get('/api/oauth/client', { token: 'stp_pat_' + 'A'.repeat(43) })).status, 401);
    assert.equal((await api().get('/api/oauth/client', { token: 'garbage' })).status, 401);
    const { client } = await newUser(ctx.server.url);
    const soon = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: new Date(ctx.server.clock.now() + 60_000).toISOString() } });
    const gone = await client.post('/api/access-token', { json: { name: 'y', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    await client.delete(`/api/access-token/${gone.body.id}`);
    assert.equal((await api().get('/api/oauth/client', { token: gone.body.token })).status, 401);
    assert.equal((await api().get('/api/oauth/client', { token: soon.body.token })).status, 200);
    ctx.server.clock.advance(61);
    const expired = await api().get('/api/oauth/client', { token: soon.body.token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'unauthorized');
  });
});

forEachDatabase('OAuth app registry with STEEP_REQUIRE_HTTPS_REDIRECTS', (ctx) => {
  it('requires https redirect URIs outside loopback', async () => {
    const { client } = await newUser(ctx.server.url);
    const refused = await client.post('/api/oauth/client', { json: { ...app, redirectUris: ['http://example.com/cb'] } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.details[0].path, 'redirectUris.0');
    const loopback = await client.post('/api/oauth/client', { json: { ...app, redirectUris: ['http://127.0.0.1:9000/cb', 'https://example.com/cb'] } });
    assert.equal(loopback.status, 201);
  });
}, { STEEP_REQUIRE_HTTPS_REDIRECTS: 'true' });
