// End to end with the example resource server: Steep issues the token, the records API checks it
// through /oauth/introspect and enforces each route's scope.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { newApp, tokensFor, type TestApp } from '../helpers/oauth.ts';
import { buildResourceServer } from '../../examples/resource-server/server.ts';

forEachDatabase('oauth: example resource server', (ctx) => {
  let api: FastifyInstance;
  let records: Client;
  let thirdParty: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;

  before(async () => {
    // The resource server is itself a registered client of Steep (for introspection).
    const resourceServer = await newApp(ctx.server.url, { name: 'records API' });
    // Declared by the operator as a resource server (STEEP_RESOURCES_FILE), so it may introspect other apps' tokens.
    ctx.server.config.resources.push({ resource: 'http://records.example/', name: 'Records API', scopes: null, clientId: resourceServer.clientId });
    api = buildResourceServer({
      steepUrl: ctx.server.url, clientId: resourceServer.clientId, clientSecret: resourceServer.secret, cacheSeconds: 30,
      now: () => ctx.server.clock.now(),
    });
    records = new Client(await api.listen({ port: 0, host: '127.0.0.1' }));
    thirdParty = await newApp(ctx.server.url, { scopes: ['record|read', 'record|create'] });
    user = await newUser(ctx.server.url, 'reader');
  });

  after(async () => {
    await api?.close();
  });

  it('a token with record|read reads (200) and cannot create (403 insufficient_scope)', async () => {
    const { access_token } = await tokensFor(user.client, thirdParty, { scope: 'record|read' });
    const read = await records.get('/records', { token: access_token });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, []);
    const create = await records.post('/records', { token: access_token, json: { title: 'nope' } });
    assert.equal(create.status, 403);
    assert.equal(create.body.error, 'insufficient_scope');
    assert.match(create.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="record\|create"/);
  });

  it('a token with record|create creates, as its user', async () => {
    const { access_token } = await tokensFor(user.client, thirdParty, { scope: 'record|read record|create' });
    const created = await records.post('/records', { token: access_token, json: { title: 'hello' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.owner, user.id);
    assert.deepEqual((await records.get('/records', { token: access_token })).body.map((r: { title: string }) => r.title), ['hello']);
  });

  it('no token or an unknown one is 401', async () => {
    assert.equal((await records.get('/records')).status, 401);
    const unknown = await records.get('/records', { token: 'stp_at_unknown' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_token');
  });

  it('a revoked token is answered from the cache until the entry lapses, then refused', async () => {
    const tokens = await tokensFor(user.client, thirdParty, { scope: 'record|read' });
    assert.equal((await records.get('/records', { token: tokens.access_token })).status, 200);
    const revoked = await new Client(ctx.server.url).post('/oauth/revoke', {
      form: { client_id: thirdParty.clientId, client_secret: thirdParty.secret, token: tokens.access_token },
    });
    assert.equal(revoked.status, 200);
    assert.equal((await records.get('/records', { token: tokens.access_token })).status, 200);
    ctx.server.clock.advance(31);
    assert.equal((await records.get('/records', { token: tokens.access_token })).status, 401);
  });
});
