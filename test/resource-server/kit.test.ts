// API.md Part 2, "Resource servers": steep/resource-server in front of a real Fastify API, against a
// real Steep over HTTP. JWTs checked locally (audience, signature, type, expiry, key rotation), opaque
// tokens through introspection and its cache, RFC 6750 challenges, RFC 9728 metadata, hostile headers.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { AuthorizationServerUnavailable, createVerifier, fastifyResourceServer, type VerifierOptions } from 'steep/resource-server';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { newApp, tokensFor, type TestApp } from '../helpers/oauth.ts';

const RECORDS = 'http://records.test';
const OTHER = 'http://other.test/';
const METADATA = `${RECORDS}/.well-known/oauth-protected-resource`;
const resourcesFile = join(mkdtempSync(join(tmpdir(), 'steep-kit-')), 'resources.json');
writeFileSync(resourcesFile, JSON.stringify([
  { resource: RECORDS, name: 'Records API', scopes: ['record|read', 'record|create'] },
  { resource: OTHER, name: 'Other API' },
]));

/** A compact JWS with one part changed: the signature no longer covers what it says. */
const withPayload = (jwt: string, change: Record<string, unknown>) => {
  const [head, body, signature] = jwt.split('.');
  return `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), ...change })).toString('base64url')}.${signature}`;
};

forEachDatabase('resource-server kit', (ctx) => {
  let app: TestApp;
  let api: TestApp;
  let person: Awaited<ReturnType<typeof newUser>>;
  const running: FastifyInstance[] = [];
  const steep = () => new Client(ctx.server.url);
  const options = (more: Partial<VerifierOptions> = {}): VerifierOptions => ({
    issuer: ctx.server.config.issuer, resource: RECORDS, scopes: ['record|read', 'record|create'], now: () => ctx.server.clock.now(), ...more,
  });
  const jwtFor = async (scope: string, resource = RECORDS) => (await tokensFor(person.client, app, { resource, scope })).access_token;
  const opaqueFor = async (scope: string) => (await tokensFor(person.client, app, { scope })).access_token;
  const revoke = (token: string) => steep().post('/oauth/revoke', { form: { client_id: app.clientId, client_secret: app.secret, token } });

  /** An API with the plugin: GET /whoami needs record|read, POST /records record|create, GET /open nothing. */
  async function protectedApi(more: Partial<VerifierOptions> = {}): Promise<Client> {
    const server = Fastify();
    running.push(server);
    await server.register(fastifyResourceServer, options(more));
    server.get('/whoami', { config: { scopes: ['record|read'] } }, async (request) => request.token);
    server.post('/records', { config: { scopes: ['record|create'] } }, async (_request, reply) => reply.code(201).send({}));
    server.get('/open', async (request) => ({ token: request.token ?? null }));
    return new Client(await server.listen({ port: 0, host: '127.0.0.1' }));
  }

  let jwtApi: Client;
  let introspectingApi: Client;

  before(async () => {
    app = await newApp(ctx.server.url, { scopes: ['record|read', 'record|create'] });
    // The Records API's own client at Steep, which the operator names as the resource's clientId.
    api = await newApp(ctx.server.url, { scopes: [] });
    ctx.server.config.resources[0].clientId = api.clientId;
    person = await newUser(ctx.server.url, 'kit');
    jwtApi = await protectedApi();
    introspectingApi = await protectedApi({ introspection: { clientId: api.clientId, clientSecret: api.secret } });
  });
  after(async () => {
    await Promise.all(running.map((server) => server.close()));
  });

  it('a JWT for this resource is admitted, its claims on request.token; an unguarded route stays open', async () => {
    const reply = await jwtApi.get('/whoami', { token: await jwtFor('record|read') });
    assert.equal(reply.status, 200, reply.text);
    const { sub, client_id, scope, aud, iss, exp } = reply.body;
    assert.deepEqual({ sub, client_id, scope, aud, iss }, { sub: person.id, client_id: app.clientId, scope: 'record|read', aud: RECORDS, iss: ctx.server.config.issuer });
    assert.equal(exp, Math.floor(ctx.server.clock.now() / 1000) + ctx.server.config.ttl.accessToken);
    assert.deepEqual((await jwtApi.get('/open')).body, { token: null });
  });

  it('a route registered before the plugin has loaded is guarded all the same', async () => {
    const server = Fastify();
    running.push(server);
    server.get('/early', { config: { scopes: ['record|read'] } }, async (request) => request.token);
    server.register(fastifyResourceServer, options());
    const early = new Client(await server.listen({ port: 0, host: '127.0.0.1' }));
    assert.equal((await early.get('/early')).status, 401);
    assert.equal((await early.get('/early', { token: await jwtFor('record|read') })).body.sub, person.id);
  });

  it('no token: 401 naming the metadata and the scope, with no error code (RFC 6750 section 3.1); the RFC 9728 document', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Record<string, string>[]) {
      const reply = await jwtApi.get('/whoami', { headers });
      assert.equal(reply.status, 401);
      assert.equal(reply.headers.get('www-authenticate'), `Bearer scope="record|read", resource_metadata="${METADATA}"`);
      assert.equal(reply.body.error, undefined);
    }
    const document = await jwtApi.get('/.well-known/oauth-protected-resource');
    assert.equal(document.status, 200);
    assert.deepEqual(document.body, {
      resource: RECORDS, authorization_servers: [ctx.server.config.issuer], scopes_supported: ['record|read', 'record|create'], bearer_methods_supported: ['header'],
    });
  });

  it('a token without the route\'s scope: 403 insufficient_scope, scope= in the challenge', async () => {
    const reply = await jwtApi.post('/records', { token: await jwtFor('record|read') });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error, 'insufficient_scope');
    assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer error="insufficient_scope", error_description="[^"]+", scope="record\|create", resource_metadata="/);
    assert.equal((await jwtApi.post('/records', { token: await jwtFor('record|read record|create') })).status, 201);
  });

  it('401 invalid_token for another resource\'s JWT, a forged or re-signed one, an id_token, alg none, and garbage', async () => {
    const good = await jwtFor('record|read');
    const [head, body, signature] = good.split('.');
    const idToken = ((await tokensFor(person.client, app, { resource: RECORDS, scope: 'openid record|read' })) as { id_token?: string }).id_token!;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: decodeProtectedHeader(good).kid }).sign(new TextEncoder().encode('a guessed secret, 32 bytes long!'));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${body}.x`;
    const cases: Record<string, string> = {
      'another resource': `Bearer ${await jwtFor('record|read', OTHER)}`,
      'scope raised in the payload': `Bearer ${withPayload(good, { scope: 'record|read record|create' })}`,
      'signature changed': `Bearer ${head}.${body}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`,
      'signature of another token': `Bearer ${head}.${body}.${(await jwtFor('record|read')).split('.')[2]}`,
      'an id_token': `Bearer ${idToken}`,
      'HS256 with a guessed key': `Bearer ${hmac}`,
      'alg none': `Bearer ${none}`,
      'Bearer alone': 'Bearer',
      'two tokens': `Bearer ${good} ${good}`,
      'not base64url': 'Bearer {"alg":"none"}',
      'JSON that is not JSON': 'Bearer eyJhbGciOi.eyJzdWIi.c2ln',
      'three dots': 'Bearer a.b.c',
      'a long token': `Bearer ${'a'.repeat(12_000)}`,
    };
    for (const [what, authorization] of Object.entries(cases)) {
      const reply = await jwtApi.get('/whoami', { headers: { authorization } });
      assert.equal(reply.status, 401, what);
      assert.equal(reply.body.error, 'invalid_token', what);
      assert.match(reply.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", error_description="[^"\\]+", scope="record\|read", resource_metadata="/, what);
    }
    assert.equal((await jwtApi.get('/whoami', { headers: { authorization: `bEaReR  ${good}` } })).status, 200, 'the scheme is case-insensitive');
  });

  it('verify() on its own: a verdict for anything a caller can send, never a throw', async () => {
    const verifier = createVerifier(options());
    const good = await jwtFor('record|read');
    const admitted = await verifier.verify(`Bearer ${good}`, ['record|read']);
    assert.equal(admitted.ok && admitted.claims.sub, person.id);
    for (const authorization of [undefined, '', 'Bearer ', `Bearer ${'a.'.repeat(100_000)}a`, `Bearer ${good}\u0000`, ['Bearer', good] as unknown as string, 42 as unknown as string]) {
      const verdict = await verifier.verify(authorization, ['record|read']);
      assert.equal(verdict.ok, false);
      assert.equal(!verdict.ok && verdict.status, 401);
    }
    await assert.rejects(verifier.verify(`Bearer ${good}`, ['two words']), TypeError, 'a bad required scope is the API\'s own mistake');
  });

  it('an expired JWT is refused once the 60 s of clock tolerance are over', async () => {
    const token = await jwtFor('record|read');
    ctx.server.clock.advance(ctx.server.config.ttl.accessToken + 59);
    assert.equal((await jwtApi.get('/whoami', { token })).status, 200);
    ctx.server.clock.advance(2);
    const reply = await jwtApi.get('/whoami', { token });
    assert.equal(reply.status, 401);
    assert.equal(reply.body.error, 'invalid_token');
    assert.equal(reply.body.error_description, 'The access token has expired.');
  });

  it('an opaque token: refused without introspection, admitted with it; a refresh token is not an access token', async () => {
    const { access_token: opaque, refresh_token: refresh } = await tokensFor(person.client, app, { scope: 'record|read' });
    const refused = await jwtApi.get('/whoami', { token: opaque });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_token');
    const admitted = await introspectingApi.get('/whoami', { token: opaque });
    assert.equal(admitted.status, 200, admitted.text);
    assert.deepEqual([admitted.body.sub, admitted.body.client_id, admitted.body.aud], [person.id, app.clientId, RECORDS]);
    // The issuing client may introspect its refresh tokens too: an API running as that client must still refuse them.
    const asIssuer = await protectedApi({ introspection: { clientId: app.clientId, clientSecret: app.secret } });
    assert.equal((await asIssuer.get('/whoami', { token: opaque })).status, 200);
    assert.equal((await asIssuer.get('/whoami', { token: refresh })).status, 401);
    // A JWT for another resource is checked locally, so introspection cannot widen its audience.
    assert.equal((await introspectingApi.get('/whoami', { token: await jwtFor('record|read', OTHER) })).status, 401);
  });

  it('a revoked opaque token works from the cache until the entry lapses (30 s), then not; cacheSeconds 0 asks every time', async () => {
    const token = await opaqueFor('record|read');
    assert.equal((await introspectingApi.get('/whoami', { token })).status, 200);
    assert.equal((await revoke(token)).status, 200);
    assert.equal((await introspectingApi.get('/whoami', { token })).status, 200, 'from the cache');
    ctx.server.clock.advance(31);
    assert.equal((await introspectingApi.get('/whoami', { token })).status, 401);

    const uncached = await protectedApi({ introspection: { clientId: api.clientId, clientSecret: api.secret, cacheSeconds: 0 } });
    const another = await opaqueFor('record|read');
    assert.equal((await uncached.get('/whoami', { token: another })).status, 200);
    await revoke(another);
    assert.equal((await uncached.get('/whoami', { token: another })).status, 401);
  });

  it('checkJwtRevocation: a revoked JWT is refused at once instead of when it expires; without it, the local check alone admits it', async () => {
    const checking = await protectedApi({ introspection: { clientId: api.clientId, clientSecret: api.secret, cacheSeconds: 0, checkJwtRevocation: true } });
    const token = await jwtFor('record|read');
    assert.equal((await checking.get('/whoami', { token })).status, 200);
    await revoke(token);
    const refused = await checking.get('/whoami', { token });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.equal((await jwtApi.get('/whoami', { token })).status, 200, 'a purely local check cannot know');
  });

  it('after steep keys rotate, a token with the new kid makes the kit fetch the key set again', async () => {
    const rotating = await protectedApi();
    const before = await jwtFor('record|read');
    assert.equal((await rotating.get('/whoami', { token: before })).status, 200);
    await ctx.server.steep.keys.rotate();
    ctx.server.clock.advance(31); // past Steep's key-list reload and the kit's refetch cooldown
    const after = await jwtFor('record|read');
    assert.notEqual(decodeProtectedHeader(after).kid, decodeProtectedHeader(before).kid);
    assert.equal((await rotating.get('/whoami', { token: after })).status, 200);
    assert.equal((await rotating.get('/whoami', { token: before })).status, 200, 'the retired key is still published');
  });

  it('Steep unreachable or refusing the API\'s credentials: 503 with Retry-After, and verify() throws AuthorizationServerUnavailable', async () => {
    const nowhere = options({ issuer: 'http://127.0.0.1:1', introspection: { clientId: api.clientId, clientSecret: api.secret } });
    const token = await jwtFor('record|read');
    const reply = await (await protectedApi(nowhere)).get('/whoami', { token });
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('retry-after'), '5');
    assert.equal(reply.body.error, 'temporarily_unavailable');
    await assert.rejects(createVerifier(nowhere).verify(`Bearer ${token}`, []), AuthorizationServerUnavailable);
    const wrongSecret = await protectedApi({ introspection: { clientId: api.clientId, clientSecret: 'stp_cs_wrong' } });
    assert.equal((await wrongSecret.get('/whoami', { token: await opaqueFor('record|read') })).status, 503);
  });
}, { STEEP_RESOURCES_FILE: resourcesFile });
