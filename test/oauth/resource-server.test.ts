// End to end with the example resource server (examples/resource-server): Steep issues the token,
// the records API checks it with steep/resource-server and enforces each route's scope.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { newApp, tokensFor, type TestApp } from '../helpers/oauth.ts';
import { buildResourceServer } from '../../examples/resource-server/server.ts';

const RECORDS = 'http://records.example';
const resourcesFile = join(mkdtempSync(join(tmpdir(), 'steep-example-')), 'resources.json');
writeFileSync(resourcesFile, JSON.stringify([{ resource: RECORDS, name: 'Records API', scopes: ['record|read', 'record|create'] }]));

forEachDatabase('oauth: example resource server', (ctx) => {
  let api: FastifyInstance;
  let records: Client;
  let thirdParty: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;
  const jwtFor = async (scope: string) => (await tokensFor(user.client, thirdParty, { resource: RECORDS, scope })).access_token;

  before(async () => {
    // The records API is itself a registered client of Steep (to introspect opaque tokens), named by the operator as the resource's.
    const resourceServer = await newApp(ctx.server.url, { name: 'records API', scopes: [] });
    ctx.server.config.resources[0].clientId = resourceServer.clientId;
    api = buildResourceServer({
      issuer: ctx.server.config.issuer, resource: RECORDS, introspection: { clientId: resourceServer.clientId, clientSecret: resourceServer.secret },
    });
    records = new Client(await api.listen({ port: 0, host: '127.0.0.1' }));
    thirdParty = await newApp(ctx.server.url, { scopes: ['record|read', 'record|create'] });
    user = await newUser(ctx.server.url, 'reader');
  });

  after(async () => {
    await api?.close();
  });

  it('a JWT with record|read reads (200) and cannot create (403 insufficient_scope)', async () => {
    const token = await jwtFor('record|read');
    const read = await records.get('/records', { token });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, []);
    const create = await records.post('/records', { token, json: { title: 'nope' } });
    assert.equal(create.status, 403, create.text);
    assert.equal(create.body.error, 'insufficient_scope');
    assert.match(create.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="record\|create"/);
  });

  it('a token with record|create creates, as its user; the records are that user\'s', async () => {
    const token = await jwtFor('record|read record|create');
    const created = await records.post('/records', { token, json: { title: 'hello' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.owner, user.id);
    assert.deepEqual((await records.get('/records', { token })).body.map((r: { title: string }) => r.title), ['hello']);
    const stranger = await newUser(ctx.server.url, 'stranger');
    assert.deepEqual((await records.get('/records', { token: (await tokensFor(stranger.client, thirdParty, { resource: RECORDS, scope: 'record|read' })).access_token })).body, []);
  });

  it('an opaque token works too, through introspection', async () => {
    const { access_token } = await tokensFor(user.client, thirdParty, { scope: 'record|read' });
    assert.match(access_token, /^stp_at_/);
    assert.equal((await records.get('/records', { token: access_token })).status, 200);
  });

  it('no token: 401 pointing to the RFC 9728 document, which lists the API\'s scopes; an unknown token: invalid_token', async () => {
    const anonymous = await records.get('/records');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /resource_metadata="http:\/\/records\.example\/\.well-known\/oauth-protected-resource"/);
    const metadata = (await records.get('/.well-known/oauth-protected-resource')).body;
    assert.deepEqual(metadata.scopes_supported, ['record|read', 'record|create']);
    assert.deepEqual(metadata.authorization_servers, [ctx.server.config.issuer]);
    const unknown = await records.get('/records', { token: 'stp_at_unknown' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_token');
  });
}, { STEEP_RESOURCES_FILE: resourcesFile });
