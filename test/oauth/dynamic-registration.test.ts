// API.md Part 2, "Dynamic client registration and MCP": RFC 7591 registration in each mode, RFC 7592
// management with the registration access token, self-registered apps on the consent and authorized
// pages, the sweep of unused ones, and the per-address limit.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { codeFor, locationOf, pkce } from '../helpers/oauth.ts';
import { sweep } from '../../src/store/sweep.ts';

const CALLBACK = 'http://127.0.0.1/callback';
const register = (baseUrl: string, body: Record<string, unknown>, token?: string) => new Client(baseUrl).post('/oauth/register', { json: body, token });

forEachDatabase('registration off (the default)', (ctx) => {
  it('POST /oauth/register is 404 and no metadata names it', async () => {
    assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK] })).status, 404);
    assert.equal((await new Client(ctx.server.url).get('/.well-known/oauth-authorization-server')).body.registration_endpoint, undefined);
  });
});

forEachDatabase('registration open', (ctx) => {
  const base = () => ctx.server.url;

  it('201 with the client information: a confidential client gets a secret that works at the token endpoint', async () => {
    const reply = await register(base(), { redirect_uris: ['https://agent.example/cb'], client_name: 'Agent', client_uri: 'https://agent.example', scope: 'record|read openid', grant_types: ['authorization_code', 'refresh_token', 'client_credentials'] });
    assert.equal(reply.status, 201, reply.text);
    const body = reply.body;
    assert.match(body.client_id, /^\w{20}$/);
    assert.equal(typeof body.client_id_issued_at, 'number');
    assert.match(body.client_secret, /^stp_cs_/);
    assert.equal(body.client_secret_expires_at, 0);
    assert.match(body.registration_access_token, /^stp_rat_/);
    assert.equal(body.registration_client_uri, `${base()}/oauth/register/${body.client_id}`);
    assert.deepEqual(body.redirect_uris, ['https://agent.example/cb']);
    assert.equal(body.client_name, 'Agent');
    assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
    assert.deepEqual(body.response_types, ['code']);
    assert.equal(body.scope, 'record|read', 'identity scopes need no registering');
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    const token = await new Client(base()).post('/oauth/token', { form: { grant_type: 'client_credentials', client_id: body.client_id, client_secret: body.client_secret } });
    assert.equal(token.status, 200, token.text);
  });

  it('a public client (none) has no secret; scope omitted means every scope in the list', async () => {
    const reply = await register(base(), { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.client_secret, undefined);
    assert.equal(reply.body.scope.split(' ').length, 28);
    assert.deepEqual(reply.body.grant_types, ['authorization_code', 'refresh_token']);
  });

  it('invalid_redirect_uri and invalid_client_metadata, with a sentence naming the field', async () => {
    for (const redirect_uris of [['javascript:alert(1)'], ['https://a.example/cb#frag'], [], 'https://a.example/cb']) {
      const reply = await register(base(), { redirect_uris });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error, 'invalid_redirect_uri', JSON.stringify(redirect_uris));
      assert.match(reply.body.error_description, /redirect_uris/);
    }
    const cases: Record<string, unknown>[] = [
      { grant_types: ['password'] },
      { response_types: ['token'] },
      { scope: 'record|fly' },
      { token_endpoint_auth_method: 'private_key_jwt' },
      { token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] },
      { logo_uri: 'javascript:alert(1)' },
      { client_name: 'x'.repeat(101) },
      { client_name: 'Bank \u202Eelgoog' },
    ];
    for (const extra of cases) {
      const reply = await register(base(), { redirect_uris: [CALLBACK], ...extra });
      assert.equal(reply.status, 400, JSON.stringify(extra));
      assert.equal(reply.body.error, 'invalid_client_metadata', JSON.stringify(extra));
    }
    const notJson = await new Client(base()).post('/oauth/register', { body: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 400);
  });

  it('RFC 7592: read, replace and delete with the registration access token; each answer brings a new one; refused without it', async () => {
    const made = (await register(base(), { redirect_uris: [CALLBACK], client_name: 'Editor', token_endpoint_auth_method: 'none' })).body;
    const uri = new URL(made.registration_client_uri).pathname;
    const anon = new Client(base());
    const read = await anon.get(uri, { token: made.registration_access_token });
    assert.equal(read.status, 200);
    assert.equal(read.body.client_name, 'Editor');
    assert.equal(read.headers.get('cache-control'), 'no-store');
    // Section 3: the response carries a registration access token; only hashes are kept, so it is a new one.
    let token = read.body.registration_access_token as string;
    assert.match(token, /^stp_rat_/);
    assert.notEqual(token, made.registration_access_token);
    assert.equal((await anon.get(uri, { token: made.registration_access_token })).status, 401, 'the old one is spent');
    for (const wrong of [undefined, 'stp_rat_wrong', token.slice(0, -1)]) {
      const refused = await anon.get(uri, { token: wrong });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate')!, /invalid_token/);
    }
    assert.equal((await anon.get('/oauth/register/nosuchclient', { token })).status, 401);

    const body = { client_id: made.client_id, redirect_uris: ['http://127.0.0.1/other'], client_name: 'Renamed', token_endpoint_auth_method: 'none' };
    // Read-only fields echoed from a read are ignored.
    const replaced = await anon.put(uri, { token, json: { ...body, registration_client_uri: made.registration_client_uri, client_id_issued_at: 1 } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.client_name, 'Renamed');
    assert.deepEqual(replaced.body.redirect_uris, ['http://127.0.0.1/other']);
    token = replaced.body.registration_access_token;
    for (const bad of [
      { ...body, client_id: undefined },
      { ...body, client_id: 'someone-else' },
      { ...body, token_endpoint_auth_method: 'client_secret_post' },
    ]) {
      const refused = await anon.put(uri, { token, json: bad });
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal(refused.body.error, 'invalid_client_metadata');
    }

    assert.equal((await anon.delete(uri, { token })).status, 204);
    assert.equal((await anon.get(uri, { token })).status, 401);
    const stored = await ctx.server.steep.db.selectFrom('apps').select('client_id').where('client_id', '=', made.client_id).executeTakeFirst();
    assert.equal(stored, undefined);
  });

  it('RFC 7592 update of a confidential client: a client_secret sent along must be the current one', async () => {
    const made = (await register(base(), { redirect_uris: [CALLBACK] })).body;
    const uri = new URL(made.registration_client_uri).pathname;
    const body = { client_id: made.client_id, redirect_uris: [CALLBACK] };
    const wrong = await new Client(base()).put(uri, { token: made.registration_access_token, json: { ...body, client_secret: 'stp_cs_mine' } });
    assert.equal(wrong.body.error, 'invalid_client_metadata');
    const right = await new Client(base()).put(uri, { token: made.registration_access_token, json: { ...body, client_secret: made.client_secret } });
    assert.equal(right.status, 200, right.text);
  });

  it('an app registered through the Teable API cannot be managed through RFC 7592', async () => {
    const owner = await newUser(base(), 'owner');
    const app = (await owner.client.post('/api/oauth/client', { json: { name: 'owned', homepage: 'https://o.example', redirectUris: [CALLBACK] } })).body;
    assert.equal((await new Client(base()).get(`/oauth/register/${app.clientId}`, { token: 'stp_rat_x' })).status, 401);
  });

  it('the registration access token is stored only as a hash', async () => {
    const made = (await register(base(), { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' })).body;
    const row = await ctx.server.steep.db.selectFrom('apps').selectAll().where('client_id', '=', made.client_id).executeTakeFirstOrThrow();
    assert.ok(row.registration_token_hash);
    assert.ok(!JSON.stringify(row).includes(made.registration_access_token));
  });

  it('a self-registered app: the consent page says it registered itself and is unverified; it shows on "Authorized apps"', async () => {
    const made = (await register(base(), { redirect_uris: [CALLBACK], client_name: 'Self Agent', token_endpoint_auth_method: 'none', scope: 'record|read' })).body;
    const person = await newUser(base(), 'consenter');
    const { verifier, challenge } = pkce();
    const params = { code_challenge: challenge, code_challenge_method: 'S256' };
    const first = await person.client.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: made.client_id, ...params })}`);
    const consent = locationOf(first, base());
    const page = await person.client.get(consent.pathname + consent.search);
    assert.match(page.text, /Self Agent<\/strong> registered itself|Self Agent registered itself/);
    assert.match(page.text, /name and logo are unverified/);
    const code = await codeFor(person.client, made.client_id, params);
    const tokens = await new Client(base()).post('/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: made.client_id } });
    assert.equal(tokens.status, 200, tokens.text);
    const list = await person.client.get('/api/oauth/client/authorized/list');
    const entry = list.body.find((a: { clientId: string }) => a.clientId === made.client_id);
    assert.equal(entry.name, 'Self Agent');
    assert.equal(entry.createdUser.name, 'Registered itself (unverified)');
    const authorizedPage = await person.client.get('/settings/authorized');
    assert.match(authorizedPage.text, /Self Agent/);
  });

  it('the sweep removes self-registered apps nobody authorized within STEEP_DYNAMIC_CLIENT_TTL, and keeps authorized ones', async () => {
    const unused = (await register(base(), { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' })).body;
    const used = (await register(base(), { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none', scope: 'record|read' })).body;
    const person = await newUser(base(), 'keeper');
    await codeFor(person.client, used.client_id, { code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const ids = async () => (await ctx.server.steep.db.selectFrom('apps').select('client_id').where('client_id', 'in', [unused.client_id, used.client_id]).execute()).map((r) => r.client_id).sort();
    const options = { keyRetentionMs: 1, unusedDynamicClientMs: ctx.server.config.unusedDynamicClientTtl * 1000 };
    await sweep(ctx.server.steep.db, ctx.server.clock.now(), options);
    assert.deepEqual(await ids(), [unused.client_id, used.client_id].sort(), 'young apps stay');
    ctx.server.clock.advance(ctx.server.config.unusedDynamicClientTtl + 1);
    await sweep(ctx.server.steep.db, ctx.server.clock.now(), options);
    assert.deepEqual(await ids(), [used.client_id]);
  });

  it('browser-based agents may register: CORS for any origin, never with credentials', async () => {
    const preflight = await new Client(base()).request('OPTIONS', '/oauth/register', { headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
  });

  it('both metadata documents name the registration endpoint', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      assert.equal((await new Client(base()).get(path)).body.registration_endpoint, `${base()}/oauth/register`);
    }
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'open' });

forEachDatabase('registration with an initial access token', (ctx) => {
  it('needs a valid personal access token (401 otherwise)', async () => {
    assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK] })).status, 401);
    assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK] }, 'stp_pat_wrong')).status, 401);
    const pat = await newPersonalToken((await newUser(ctx.server.url, 'registrar')).client);
    assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK] }, pat)).status, 201);
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'token' });

forEachDatabase('registration rate limit', (ctx) => {
  it('refuses an address past 20 registrations an hour with 429 and Retry-After', async () => {
    for (let i = 0; i < 20; i++) assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' })).status, 201);
    const refused = await register(ctx.server.url, { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    ctx.server.clock.advance(3601);
    assert.equal((await register(ctx.server.url, { redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' })).status, 201);
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'open' });
