// Every rate limit across two processes on one database (issue 11): hits counted at either process
// add up, the next one is 429 with Retry-After in the route's dialect, and the window ends when the
// clock moves. Each limit is set low here; each test uses addresses and people of its own.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { appOf, assertOAuthLimited, assertTeableLimited, from, nextIp, person, type Person } from '../helpers/limits.ts';
import { REDIRECT_URI, codeFor } from '../helpers/oauth.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';
import { forEachDatabase } from '../helpers/server.ts';
import { sweep } from '../../src/store/sweep.ts';

const WINDOW = 600;
const LIMITS = {
  STEEP_TRUST_PROXY: 'true',
  STEEP_DYNAMIC_REGISTRATION: 'open',
  STEEP_LIMIT_SIGNIN_ACCOUNT_IP: `3/${WINDOW}`,
  STEEP_LIMIT_SIGNIN_IP: `6/${WINDOW}`,
  STEEP_LIMIT_CLIENT_AUTH_IP: `4/${WINDOW}`,
  STEEP_LIMIT_CLIENT_AUTH_CLIENT: `6/${WINDOW}`,
  STEEP_LIMIT_GRANT_IP: `3/${WINDOW}`,
  STEEP_LIMIT_BEARER_IP: `3/${WINDOW}`,
  STEEP_LIMIT_AUTHORIZE_USER: `3/${WINDOW}`,
  STEEP_LIMIT_DECISION_USER: `3/${WINDOW}`,
  STEEP_LIMIT_APP_CREATE_USER: `2/${WINDOW}`,
  STEEP_LIMIT_SECRET_CREATE_USER: `2/${WINDOW}`,
  STEEP_LIMIT_SIGNUP_IP: `3/${WINDOW}`,
  STEEP_LIMIT_DEVICE_CODE_USER: `3/${WINDOW}`,
  STEEP_LIMIT_DEVICE_CODE_IP: `6/${WINDOW}`,
  STEEP_LIMIT_REGISTER_IP: `3/${WINDOW}`,
};

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

forEachDatabase('rate limits, two processes on one database', (ctx) => {
  let other: SteepProcess;
  /** The two processes, taken in turn so that every count is made at both. */
  const at = (i: number) => (i % 2 === 0 ? ctx.server.url : other.url);
  /** Left limited by the tests below, for the last one to see their windows end. */
  const leftLimited = {} as { owner: Person; stranger: string; bearerIp: string; pat: string; signupIp: string; registerIp: string };

  before(async () => {
    other = await spawnSteep(ctx.server.config, { STEEP_DYNAMIC_REGISTRATION: 'open' });
  });
  after(async () => {
    await other?.stop();
  });

  const signIn = (url: string, ip: string, email: string, password: string) =>
    new Client(url).post('/api/auth/signin', { json: { email, password }, headers: from(ip) });

  it("sign-in: a stranger's wrong passwords back off that stranger, never the owner signing in from another address", async () => {
    const owner = await person(ctx.server.url);
    const stranger = nextIp();
    for (let i = 0; i < 3; i++) assert.equal((await signIn(at(i), stranger, owner.email, 'wrong password')).status, 401);
    assertTeableLimited(await signIn(at(3), stranger, owner.email, 'wrong password'));
    assertTeableLimited(await signIn(at(4), stranger, owner.email, owner.password));
    for (const url of [ctx.server.url, other.url]) {
      const signedIn = await signIn(url, owner.ip, owner.email, owner.password);
      assert.equal(signedIn.status, 200, signedIn.text);
    }
    Object.assign(leftLimited, { owner, stranger });
  });

  it('sign-in: one address is capped across accounts too, on the page as in the API', async () => {
    const ip = nextIp();
    for (let i = 0; i < 6; i++) assert.equal((await signIn(at(i), ip, `nobody-${i}@example.com`, 'wrong password')).status, 401);
    assertTeableLimited(await signIn(at(6), ip, 'nobody-else@example.com', 'wrong password'));
    const page = new Client(other.url);
    const form = await page.get('/auth/login', { headers: from(ip) });
    const refused = await page.post('/auth/login', { form: { csrf: csrfOf(form.text), email: 'nobody-else@example.com', password: 'x', redirect: '/' }, headers: from(ip) });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
  });

  it('client authentication: failures from one address at token, introspect, revoke and device authorization add up', async () => {
    const app = await appOf(await person(ctx.server.url));
    const ip = nextIp();
    const wrong = { client_id: app.clientId, client_secret: 'stp_cs_wrong' };
    const attempts = [
      () => new Client(at(0)).post('/oauth/token', { form: { ...wrong, grant_type: 'client_credentials' }, headers: from(ip) }),
      () => new Client(at(1)).post('/oauth/introspect', { form: { ...wrong, token: 'x' }, headers: from(ip) }),
      () => new Client(at(0)).post('/oauth/revoke', { form: { ...wrong, token: 'x' }, headers: from(ip) }),
      () => new Client(at(1)).post('/oauth/device_authorization', { form: wrong, headers: from(ip) }),
    ];
    for (const attempt of attempts) {
      const reply = await attempt();
      assert.equal(reply.status, 401, reply.text);
      assert.equal(reply.body.error, 'invalid_client');
    }
    assertOAuthLimited(await attempts[0]());
    // Past its limit the address is refused before any lookup, even with the right secret.
    assertOAuthLimited(await new Client(ctx.server.url).post('/oauth/introspect', { form: { client_id: app.clientId, client_secret: app.secret, token: 'x' }, headers: from(ip) }));
    const teable = await new Client(ctx.server.url).post('/api/oauth/access_token', { form: { ...wrong, grant_type: 'client_credentials' }, headers: from(ip) });
    assertTeableLimited(teable);
    assert.equal(teable.body.error, 'temporarily_unavailable');
    const elsewhere = await new Client(other.url).post('/oauth/introspect', { form: { client_id: app.clientId, client_secret: app.secret, token: 'x' }, headers: from(nextIp()) });
    assert.equal(elsewhere.status, 200, elsewhere.text);
  });

  it('client authentication per client: strangers failing from many addresses get 429, the right secret is still served', async () => {
    const app = await appOf(await person(ctx.server.url));
    const introspect = (url: string, ip: string, secret: string) =>
      new Client(url).post('/oauth/introspect', { form: { client_id: app.clientId, client_secret: secret, token: 'x' }, headers: from(ip) });
    for (let i = 0; i < 6; i++) assert.equal((await introspect(at(i), nextIp(), 'stp_cs_wrong')).status, 401);
    assertOAuthLimited(await introspect(at(6), nextIp(), 'stp_cs_wrong'));
    for (const url of [ctx.server.url, other.url]) assert.equal((await introspect(url, nextIp(), app.secret)).status, 200);
  });

  it('code guessing: invalid codes at the token endpoint from one address', async () => {
    const app = await appOf(await person(ctx.server.url));
    const ip = nextIp();
    const guess = (url: string) =>
      new Client(url).post('/oauth/token', { form: { client_id: app.clientId, client_secret: app.secret, grant_type: 'authorization_code', code: 'stp_ac_guess', redirect_uri: REDIRECT_URI }, headers: from(ip) });
    for (let i = 0; i < 3; i++) assert.equal((await guess(at(i))).body.error, 'invalid_grant');
    assertOAuthLimited(await guess(at(3)));
  });

  it('a spent code and a revoked token are no guesses: a client retrying them never gets its address blocked', async () => {
    const owner = await person(ctx.server.url);
    const app = await appOf(owner);
    const code = await codeFor(owner.client, app.clientId);
    const ip = nextIp();
    const redeem = (url: string) => new Client(url).post('/oauth/token', { form: { client_id: app.clientId, client_secret: app.secret, grant_type: 'authorization_code', code }, headers: from(ip) });
    const issued = await redeem(ctx.server.url);
    assert.equal(issued.status, 200, issued.text);
    for (let i = 0; i < 5; i++) assert.equal((await redeem(at(i))).body.error, 'invalid_grant');
    // The replay revoked the access token; presenting it again is a client behind on the news, not a guess.
    for (let i = 0; i < 5; i++) assert.equal((await new Client(at(i)).get('/api/auth/user', { token: issued.body.access_token, headers: from(ip) })).status, 401);
  });

  it('PAT guessing: invalid Bearer tokens from one address; a live token from elsewhere still works', async () => {
    const owner = await person(ctx.server.url);
    const created = await owner.client.post('/api/access-token', { json: { name: 'limits', scopes: ['record|read'], expiredTime: '2999-12-31' }, headers: from(owner.ip) });
    assert.equal(created.status, 201, created.text);
    const ip = nextIp();
    const me = (url: string, token: string, address = ip) => new Client(url).get('/api/auth/user/me', { token, headers: from(address) });
    for (let i = 0; i < 3; i++) assert.equal((await me(at(i), 'stp_pat_guess')).status, 401);
    assertTeableLimited(await me(at(3), 'stp_pat_guess'));
    assertOAuthLimited(await new Client(ctx.server.url).post('/oauth/introspect', { form: { token: 'x' }, token: 'stp_pat_guess', headers: from(ip) }));
    assert.equal((await me(other.url, created.body.token, nextIp())).status, 200);
    Object.assign(leftLimited, { bearerIp: ip, pat: created.body.token });
  });

  it('authorize: requests per person', async () => {
    const owner = await person(ctx.server.url);
    const { clientId } = await appOf(owner);
    const onOther = new Client(other.url);
    onOther.cookies = owner.client.cookies;
    const authorize = (client: Client) => client.get(`/api/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId })}`, { headers: from(owner.ip) });
    for (let i = 0; i < 3; i++) assert.equal((await authorize(i % 2 ? onOther : owner.client)).status, 302);
    assertTeableLimited(await authorize(owner.client));
  });

  it('decision: unknown authorization requests per person', async () => {
    const owner = await person(ctx.server.url);
    const onOther = new Client(other.url);
    onOther.cookies = owner.client.cookies;
    const decide = (client: Client) => client.post('/api/oauth/decision', { json: { transaction_id: 'stp_tx_guess' }, headers: from(owner.ip) });
    for (let i = 0; i < 3; i++) assert.equal((await decide(i % 2 ? onOther : owner.client)).status, 400);
    assertTeableLimited(await decide(onOther));
  });

  it('app and secret creation: every creation per person counts', async () => {
    const owner = await person(ctx.server.url);
    const onOther = new Client(other.url);
    onOther.cookies = owner.client.cookies;
    const body = { name: 'many', homepage: 'https://example.com', redirectUris: [REDIRECT_URI] };
    const first = await owner.client.post('/api/oauth/client', { json: body });
    assert.equal(first.status, 201);
    assert.equal((await onOther.post('/api/oauth/client', { json: body })).status, 201);
    assertTeableLimited(await owner.client.post('/api/oauth/client', { json: body }));
    const secret = `/api/oauth/client/${first.body.clientId}/secret`;
    assert.equal((await onOther.post(secret)).status, 201);
    assert.equal((await owner.client.post(secret)).status, 201);
    assertTeableLimited(await onOther.post(secret));
  });

  it('sign-up: every attempt per address counts', async () => {
    const ip = nextIp();
    const signUp = (url: string, n: number) => new Client(url).post('/api/auth/signup', { json: { email: `signup-${process.pid}-${ip}-${n}@example.com`, password: 'long enough' }, headers: from(ip) });
    for (let i = 0; i < 3; i++) assert.equal((await signUp(at(i), i)).status, 201);
    assertTeableLimited(await signUp(at(3), 3));
    leftLimited.signupIp = ip;
  });

  it('device user codes: wrong codes per person, on the /device page', async () => {
    const someone = await person(ctx.server.url);
    const onOther = new Client(other.url);
    onOther.cookies = someone.client.cookies;
    const enter = async (client: Client) => {
      const form = await client.get('/device', { headers: from(someone.ip) });
      return client.post('/device', { form: { csrf: csrfOf(form.text), user_code: 'BCDF-GHJK' }, headers: from(someone.ip) });
    };
    for (let i = 0; i < 3; i++) assert.equal((await enter(i % 2 ? onOther : someone.client)).status, 400);
    const limited = await enter(onOther);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  it('registration (RFC 7591): every registration per address counts', async () => {
    const ip = nextIp();
    const register = (url: string) => new Client(url).post('/oauth/register', { json: { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' }, headers: from(ip) });
    for (let i = 0; i < 3; i++) assert.equal((await register(at(i))).status, 201);
    assertOAuthLimited(await register(at(3)));
    leftLimited.registerIp = ip;
  });

  // Last: from here on the test server's clock is ahead of the other process's.
  it('windows end when the clock moves, and the sweep deletes them', async () => {
    ctx.server.clock.advance(WINDOW + 1);
    const url = ctx.server.url;
    const { owner, stranger, bearerIp, pat, signupIp, registerIp } = leftLimited;
    assert.equal((await signIn(url, stranger, owner.email, owner.password)).status, 200);
    assert.equal((await new Client(url).get('/api/auth/user/me', { token: pat, headers: from(bearerIp) })).status, 200);
    assert.equal((await new Client(url).post('/api/auth/signup', { json: { email: `after-${process.pid}@example.com`, password: 'long enough' }, headers: from(signupIp) })).status, 201);
    assert.equal((await new Client(url).post('/oauth/register', { json: { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' }, headers: from(registerIp) })).status, 201);
    const { db } = ctx.server.steep;
    const count = async () => Number((await db.selectFrom('rate_limits').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.ok((await count()) > 0);
    ctx.server.clock.advance(WINDOW + 1);
    await sweep(db, ctx.server.clock.now());
    assert.equal(await count(), 0);
  });
}, LIMITS);
