// Hostile and odd input: every answer is a 4xx in the error shape, never a 500; limits hold under bursts.
import assert from 'node:assert/strict';
import { request as rawRequest } from 'node:http';
import { it } from 'node:test';
import { Client, newUser } from '../helpers/client.ts';
import { forEachDatabase } from '../helpers/server.ts';

const app = { name: 'a', homepage: 'https://a.example', redirectUris: ['https://a.example/cb'] };

/** A GET with headers Node's fetch would refuse to send. */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = rawRequest(new URL(path, url), { headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

forEachDatabase('hardening', (ctx) => {
  it('counts sign-in attempts as they start: a parallel burst of guesses gets at most 10 checks', async () => {
    const { email, password } = await newUser(ctx.server.url, 'victim');
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => new Client(ctx.server.url).post('/api/auth/signin', { json: { email, password: `guess ${i}` } })),
    );
    const statuses = guesses.map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 401).length <= 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 30 - statuses.filter((s) => s === 401).length);
    assert.equal((await new Client(ctx.server.url).post('/api/auth/signin', { json: { email, password } })).status, 429);
  });

  it('refuses NUL characters in body, query and path with 400', async () => {
    const { client } = await newUser(ctx.server.url);
    const body = await client.post('/api/oauth/client', { json: { ...app, name: 'a\u0000b' } });
    assert.equal(body.status, 400);
    assert.equal(body.body.details[0].path, 'name');
    assert.equal((await new Client(ctx.server.url).post('/api/auth/signin', { json: { email: 'a\u0000b@example.com', password: 'x' } })).status, 400);
    assert.equal((await client.get('/api/oauth/client/%00')).status, 400);
    const authorize = await client.get('/api/oauth/authorize?response_type=code&client_id=%00');
    assert.equal(authorize.status, 400);
    const token = await new Client(ctx.server.url).post('/oauth/token', { form: { grant_type: 'refresh_token', client_id: 'a\u0000', client_secret: 'stp_cs_x', refresh_token: 'x' } });
    assert.equal(token.status, 400);
    assert.equal(token.body.error, 'invalid_request');
  });

  it('refuses JSON nested deeper than 32 levels with 400 on every JSON route, and still takes 32', async () => {
    const { client } = await newUser(ctx.server.url);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const [path, sender] of [['/api/oauth/client', client], ['/api/auth/signin', new Client(ctx.server.url)], ['/oauth/token', new Client(ctx.server.url)], ['/api/access-token', client]] as const) {
      const reply = await sender.post(path, { body: deep, headers: { 'content-type': 'application/json' } });
      assert.equal(reply.status, 400, `${path}: ${reply.text}`);
      assert.match(reply.text, /nest deeper than 32 levels/);
    }
    const object = await client.post('/api/oauth/client', { json: { ...app, description: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) } });
    assert.equal(object.status, 400);
    let thirtyOne: unknown = 'x';
    for (let i = 0; i < 31; i++) thirtyOne = [thirtyOne];
    const ok = await client.post('/api/oauth/client', { json: { ...app, extra: thirtyOne } });
    assert.equal(ok.status, 201, 'unknown fields of moderate depth are ignored, as before');
    assert.equal((await new Client(ctx.server.url).get('/healthz')).status, 200);
  });

  it('refuses registered URLs with spaces, controls, non-ASCII, backslashes, user information or no //host', async () => {
    const { client } = await newUser(ctx.server.url);
    const odd = ['http://:@e.example/cb', 'http://@e.example/cb', 'com.example.app://@host/cb', 'https://e.example\\@evil.example/cb', 'https:///e.example/cb'];
    for (const uri of ['https://a.example/cb\u2028', 'https://a.example/c b', 'https://a.example/cb\r\nSet-Cookie: x=1', 'https://a.example/€', 'http:a.example/cb', ...odd]) {
      const reply = await client.post('/api/oauth/client', { json: { ...app, redirectUris: [uri] } });
      assert.equal(reply.status, 400, JSON.stringify(uri));
      assert.equal(reply.body.details[0].path, 'redirectUris.0');
    }
    assert.equal((await client.post('/api/oauth/client', { json: { ...app, homepage: 'https:a.example' } })).body.details[0].path, 'homepage');
  });

  it('answers malformed URLs and oversized headers in the error shape', async () => {
    const bad = await rawGet(ctx.server.url, '/%', {});
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(JSON.parse(bad.body)).sort(), ['code', 'message', 'status']);
    const big = await rawGet(ctx.server.url, '/healthz', { 'x-big': 'a'.repeat(20_000) });
    assert.equal(big.status, 431);
    assert.equal(JSON.parse(big.body).code, 'headers_too_large');
  });

  it('reads a JSON content type with no body as an empty object', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/oauth/client', { json: app });
    const secret = await client.post(`/api/oauth/client/${created.body.clientId}/secret`, { headers: { 'content-type': 'application/json' } });
    assert.equal(secret.status, 201);
    const signin = await new Client(ctx.server.url).post('/api/auth/signin', { headers: { 'content-type': 'application/json' } });
    assert.equal(signin.status, 400);
    assert.equal(signin.body.message, 'email: is required.');
  });

  it('answers an over-long unknown token as unknown: 200 at revoke, inactive at introspect, invalid_grant at the token endpoint', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/oauth/client', { json: app });
    const secret = (await client.post(`/api/oauth/client/${created.body.clientId}/secret`)).body.secret;
    const auth = { client_id: created.body.clientId, client_secret: secret };
    const long = 'x'.repeat(5000);
    assert.equal((await new Client(ctx.server.url).post('/oauth/revoke', { form: { ...auth, token: long } })).status, 200);
    assert.deepEqual((await new Client(ctx.server.url).post('/oauth/introspect', { form: { ...auth, token: long } })).body, { active: false });
    const refresh = await new Client(ctx.server.url).post('/oauth/token', { form: { ...auth, grant_type: 'refresh_token', refresh_token: long } });
    assert.equal(refresh.body.error, 'invalid_grant');
    const teable = await new Client(ctx.server.url).post('/api/oauth/access_token', { form: { ...auth, grant_type: 'authorization_code', code: long } });
    assert.equal(teable.status, 401);
  });

  it('says which scheme it expects on 401 (RFC 6750)', async () => {
    assert.equal((await new Client(ctx.server.url).get('/api/auth/user')).headers.get('www-authenticate'), 'Bearer realm="steep"');
    const bad = await new Client(ctx.server.url).get('/api/auth/user', { token: 'stp_pat_nope' });
    assert.equal(bad.headers.get('www-authenticate'), 'Bearer realm="steep", error="invalid_token"');
  });

  it('caps an app at 25 client secrets', async () => {
    const { client } = await newUser(ctx.server.url);
    const created = await client.post('/api/oauth/client', { json: app });
    for (let i = 0; i < 25; i++) assert.equal((await client.post(`/api/oauth/client/${created.body.clientId}/secret`)).status, 201);
    const refused = await client.post(`/api/oauth/client/${created.body.clientId}/secret`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'conflict');
    assert.equal((await client.get(`/api/oauth/client/${created.body.clientId}`)).body.secrets.length, 25);
  });

  it('accepts only real calendar dates for a PAT expiry', async () => {
    const { client } = await newUser(ctx.server.url);
    for (const expiredTime of ['2030-02-31', '+275760-09-13', '2030-13-01', 'Tue, 01 Jan 2030 00:00:00 GMT']) {
      const reply = await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime } });
      assert.equal(reply.status, 400, expiredTime);
      assert.equal(reply.body.details[0].path, 'expiredTime');
    }
    assert.equal((await client.post('/api/access-token', { json: { name: 'x', scopes: ['record|read'], expiredTime: '2030-01-31T10:00:00+02:00' } })).status, 201);
  });
});

forEachDatabase('caching and transport headers', (ctx) => {
  it('Cache-Control: no-store on every answer that carries a credential or a person\'s data', async () => {
    const anon = new Client(ctx.server.url);
    const email = `nostore-${Date.now()}@example.com`;
    const signup = await anon.post('/api/auth/signup', { json: { email, password: 'correct horse battery', name: 'n' } });
    const person = new Client(ctx.server.url);
    const signin = await person.post('/api/auth/signin', { json: { email, password: 'correct horse battery' } });
    const pat = await person.post('/api/access-token', { json: { name: 't', scopes: ['record|read'], expiredTime: '2999-01-01' } });
    const created = await person.post('/api/oauth/client', { json: { ...app, scopes: ['record|read'] } });
    const secret = await person.post(`/api/oauth/client/${created.body.clientId}/secret`);
    const authorize = await person.get(`/oauth/authorize?response_type=code&client_id=${created.body.clientId}`);
    const transaction = new URL(authorize.headers.get('location')!, ctx.server.url).searchParams.get('transaction_id')!;
    const decisionJson = await person.get(`/api/oauth/decision/${transaction}`);
    const decided = await person.post('/api/oauth/decision', { form: { transaction_id: transaction } });
    assert.match(decided.headers.get('location')!, /code=/);
    for (const [name, reply] of Object.entries({ signup, signin, pat, patList: await person.get('/api/access-token'), secret, authorize, decisionJson, decided, me: await person.get('/api/auth/user/me'), user: await person.get('/api/auth/user', { token: pat.body.token }) })) {
      assert.equal(reply.headers.get('cache-control'), 'no-store', name);
    }
    assert.equal(signin.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
  });
});

forEachDatabase('HSTS under an https PUBLIC_ORIGIN', (ctx) => {
  it('sends Strict-Transport-Security when the public origin is https', async () => {
    const reply = await new Client(ctx.server.url).get('/healthz');
    assert.equal(reply.headers.get('strict-transport-security'), 'max-age=31536000');
  });
}, { PUBLIC_ORIGIN: 'https://steep.example' });

forEachDatabase('HSTS with STEEP_HSTS_MAX_AGE', (ctx) => {
  it('sends the configured max-age', async () => {
    const reply = await new Client(ctx.server.url).get('/api/auth/user/me');
    assert.equal(reply.headers.get('strict-transport-security'), 'max-age=600');
  });
}, { PUBLIC_ORIGIN: 'https://steep.example', STEEP_HSTS_MAX_AGE: '600' });
