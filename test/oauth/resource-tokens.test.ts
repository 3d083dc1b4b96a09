// API.md Part 2, "Resource servers": declared resources, RFC 8707 `resource` at authorize, token and
// refresh, RFC 9068 JWT access tokens that stay revocable and introspectable, introspection entitlement,
// and the signing keys behind them (shared by processes, rotated, sealed at rest).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, codeFor, introspect, locationOf, newApp, tokenRequest, type TestApp } from '../helpers/oauth.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';

const RECORDS = 'https://records.example/api';
const resourcesFile = join(mkdtempSync(join(tmpdir(), 'steep-resources-')), 'resources.json');
writeFileSync(resourcesFile, JSON.stringify([
  { resource: RECORDS, name: 'Records API', scopes: ['record|read', 'record|create'] },
  { resource: 'https://other.example/', name: 'Other API' },
]));

const jwksOf = async (baseUrl: string) => createLocalJWKSet((await new Client(baseUrl).get('/oauth/jwks')).body);

forEachDatabase('resource servers and JWT access tokens', (ctx) => {
  let app: TestApp;
  let api: TestApp;
  let person: Awaited<ReturnType<typeof newUser>>;
  const base = () => ctx.server.url;
  const tokensWith = async (params: Record<string, string>, tokenParams: Record<string, string> = {}) => {
    const code = await codeFor(person.client, app.clientId, params);
    return tokenRequest(base(), app, { grant_type: 'authorization_code', code, ...tokenParams });
  };

  before(async () => {
    app = await newApp(base(), { scopes: ['record|read', 'record|create', 'table|read'] });
    // The Records API is itself an app; the operator names it as the resource server's client.
    api = await newApp(base(), { scopes: [] });
    ctx.server.config.resources[0].clientId = api.clientId;
    person = await newUser(base(), 'rs-person');
  });

  it('a token for a declared resource is an RFC 9068 JWT: typ at+jwt, aud = the resource, verified against the JWKS', async () => {
    const reply = await tokensWith({ resource: RECORDS, scope: 'record|read' });
    assert.equal(reply.status, 200, reply.text);
    const token = reply.body.access_token as string;
    assert.equal(decodeProtectedHeader(token).typ, 'at+jwt');
    const { payload } = await jwtVerify(token, await jwksOf(base()), { issuer: base(), audience: RECORDS, typ: 'at+jwt' });
    assert.equal(payload.sub, person.id);
    assert.equal(payload.client_id, app.clientId);
    assert.equal(payload.scope, 'record|read');
    assert.equal(typeof payload.jti, 'string');
    assert.ok(payload.exp! > payload.iat!);
    // Without a resource, tokens stay opaque.
    assert.match((await tokensWith({ scope: 'record|read' })).body.access_token, /^stp_at_/);
  });

  it('invalid_target for an undeclared resource: by redirect at authorize (both dialects), at the token endpoint, on refresh', async () => {
    for (const path of ['/oauth/authorize', '/api/oauth/authorize']) {
      const reply = await person.client.get(`${path}?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, resource: 'https://unknown.example/', state: 's' })}`);
      const back = locationOf(reply, base());
      assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URI);
      assert.equal(back.searchParams.get('error'), 'invalid_target');
      assert.equal(back.searchParams.get('state'), 's');
    }
    const atToken = await tokensWith({ scope: 'record|read' }, { resource: 'https://unknown.example/' });
    assert.equal(atToken.body.error, 'invalid_target');
    const bound = await tokensWith({ resource: RECORDS, scope: 'record|read' });
    const elsewhere = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: bound.body.refresh_token, resource: 'https://other.example/' });
    assert.equal(elsewhere.body.error, 'invalid_target', 'a grant for one resource cannot be spent on another');
    // The resource's scope list bounds what its tokens carry.
    const beyond = await person.client.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, resource: RECORDS, scope: 'table|read' })}`);
    assert.equal(locationOf(beyond, base()).searchParams.get('error'), 'invalid_scope');
  });

  it('refresh keeps issuing JWTs for the grant\'s resource; revoking one makes introspection inactive', async () => {
    const first = (await tokensWith({ resource: RECORDS, scope: 'record|read' })).body;
    const refreshed = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(refreshed.status, 200);
    const { payload } = await jwtVerify(refreshed.body.access_token, await jwksOf(base()), { issuer: base(), audience: RECORDS });
    assert.equal(payload.sub, person.id);
    const seen = await introspect(base(), app, refreshed.body.access_token);
    assert.equal(seen.active, true);
    assert.equal(seen.aud, RECORDS);
    await new Client(base()).post('/oauth/revoke', { form: { client_id: app.clientId, client_secret: app.secret, token: refreshed.body.access_token } });
    assert.equal((await introspect(base(), app, refreshed.body.access_token)).active, false);
    assert.equal((await introspect(base(), api, refreshed.body.access_token)).active, false);
  });

  it('introspection by entitlement: the issuing client, the resource server\'s client, a PAT of the same user; nobody else', async () => {
    const jwt = (await tokensWith({ resource: RECORDS, scope: 'record|read' })).body.access_token;
    const opaque = (await tokensWith({ scope: 'record|read' })).body.access_token;
    const stranger = await newApp(base());
    assert.equal((await introspect(base(), app, jwt)).active, true);
    assert.equal((await introspect(base(), api, jwt)).active, true, 'the resource server for its own JWTs');
    assert.equal((await introspect(base(), api, opaque)).active, true, 'and for every opaque access token');
    assert.deepEqual(await introspect(base(), stranger, jwt), { active: false });
    assert.deepEqual(await introspect(base(), stranger, opaque), { active: false });
    const asPat = async (pat: string, token: string) => (await new Client(base()).post('/oauth/introspect', { token: pat, form: { token } })).body;
    assert.equal((await asPat(await newPersonalToken(person.client), opaque)).active, true);
    const otherPat = await newPersonalToken((await newUser(base(), 'other')).client);
    assert.deepEqual(await asPat(otherPat, opaque), { active: false });
    assert.deepEqual(await asPat(otherPat, await newPersonalToken(person.client)), { active: false }, "another user's PAT");
    // A tampered JWT is nobody's token.
    const [head, body, signature] = jwt.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), scope: 'record|delete' })).toString('base64url')}.${signature}`;
    assert.deepEqual(await introspect(base(), app, forged), { active: false });
  });

  it('client_credentials for a resource: a JWT whose subject is the app', async () => {
    const backend = await newApp(base(), { scopes: ['record|read', 'table|read'], grantTypes: ['client_credentials'] });
    const reply = await tokenRequest(base(), backend, { grant_type: 'client_credentials', resource: RECORDS });
    assert.equal(reply.status, 200, reply.text);
    const { payload } = await jwtVerify(reply.body.access_token, await jwksOf(base()), { issuer: base(), audience: RECORDS });
    assert.equal(payload.sub, backend.clientId);
    assert.equal(payload.scope, 'record|read', 'scope omitted: the app\'s scopes that the resource takes, as at authorize');
  });

  it('the consent page names the resource server', async () => {
    const reply = await person.client.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, resource: RECORDS, scope: 'record|create', prompt: 'consent' })}`);
    const page = await person.client.get(locationOf(reply, base()).pathname + locationOf(reply, base()).search);
    assert.match(page.text, /wants to use the Records API on your behalf/);
  });
}, { STEEP_RESOURCES_FILE: resourcesFile });

forEachDatabase('signing keys: shared, rotated, sealed', (ctx) => {
  let other: SteepProcess;
  let app: TestApp;
  let person: Awaited<ReturnType<typeof newUser>>;
  const idToken = async (baseUrl: string) => {
    const code = await codeFor(person.client, app.clientId, { scope: 'openid' });
    return (await tokenRequest(baseUrl, app, { grant_type: 'authorization_code', code })).body.id_token as string;
  };

  before(async () => {
    app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    person = await newUser(ctx.server.url, 'keys');
    await idToken(ctx.server.url); // the first signature makes the first key
    other = await spawnSteep(ctx.server.config);
  });
  after(async () => {
    await other?.stop();
  });

  it('two processes on one database publish one JWKS; an id_token from one verifies with the other\'s keys', async () => {
    const mine = (await new Client(ctx.server.url).get('/oauth/jwks')).body;
    const theirs = (await new Client(other.url).get('/oauth/jwks')).body;
    assert.deepEqual(theirs, mine);
    assert.equal(mine.keys.length, 1);
    assert.equal(mine.keys[0].d, undefined, 'no private part is published');
    await jwtVerify(await idToken(other.url), await jwksOf(ctx.server.url), { issuer: ctx.server.config.issuer, audience: app.clientId, clockTolerance: 3600 });
  });

  it('steep keys rotate: old tokens still verify, new ones carry the new kid', async () => {
    const before = await idToken(ctx.server.url);
    const oldKid = decodeProtectedHeader(before).kid;
    const databaseUrl = ctx.server.config.database.kind === 'postgres' ? ctx.server.config.database.url : ctx.server.config.database.path;
    const env = { ...process.env, DATABASE_URL: databaseUrl, STEEP_SECRET: ctx.server.config.secret };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [new URL('../../bin/steep.js', import.meta.url).pathname, ...args], { env });
    const rotated = (await cli('keys', 'rotate')).stdout;
    assert.match(rotated, new RegExp(`${oldKid}  RS256  created \\S+  retired \\S+, published until`));
    assert.match(rotated, /current/);
    ctx.server.clock.advance(31); // past the key list's reload interval
    const after = await idToken(ctx.server.url);
    assert.notEqual(decodeProtectedHeader(after).kid, oldKid);
    const jwks = await jwksOf(ctx.server.url);
    for (const token of [before, after]) await jwtVerify(token, jwks, { issuer: ctx.server.config.issuer, audience: app.clientId, clockTolerance: 3600 });
    assert.match((await cli('keys', 'list')).stdout, /current/);
  });

  it('the private keys are not in the database in plaintext', async () => {
    const rows = await ctx.server.steep.db.selectFrom('signing_keys').select(['public_jwk', 'private_sealed']).execute();
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      assert.match(row.private_sealed, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/, 'sealed: AES-256-GCM iv.ciphertext.tag');
      assert.doesNotMatch(row.private_sealed + row.public_jwk, /"d":/);
    }
    if (!ctx.server.sqlitePath) return;
    const bytes = readFileSync(ctx.server.sqlitePath).toString('latin1') + readFileSync(`${ctx.server.sqlitePath}-wal`, { flag: 'a+' }).toString('latin1');
    assert.ok(bytes.includes('"kty":"RSA"'), 'the public keys are there');
    assert.doesNotMatch(bytes, /"d":"|"dp":"|"qi":"/, 'no private JWK member appears');
  });
});
