// The device authorization grant (RFC 8628) end to end over HTTP: the device endpoint's answer and
// errors, the person's /device page (code entry, consent, Allow and Deny, wrong-code limits), and the
// device's polling (every error code, one redemption however many polls race for it).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatUserCode, newUserCode, normalizeUserCode } from '../../src/domain/user-code.ts';
import type { DeviceAuthorization } from '../../src/oauth/device-authorization.ts';
import { sweep } from '../../src/store/sweep.ts';
import { forEachDatabase, startTestServer } from '../helpers/server.ts';
import { Client, newUser, type Reply } from '../helpers/client.ts';
import { REDIRECT_URI, introspect, newApp, type TestApp } from '../helpers/oauth.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

type Person = Awaited<ReturnType<typeof newUser>>;
type Credentials = { clientId: string; secret?: string };

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const clientAuth = (app: Credentials) => ({ client_id: app.clientId, ...(app.secret !== undefined && { client_secret: app.secret }) });

describe('user codes', () => {
  it('draws uniformly by rejecting bytes from 240 up instead of folding them in', () => {
    const bytes = [255, 240, 0, 19, 20, 239, 241, 100, 7, 8, 9, 10, 11, 12, 13, 14];
    const code = newUserCode((size) => Buffer.from(bytes.slice(0, size)));
    assert.equal(code, 'BZBZBKLM', '255, 240 and 241 are skipped; 0, 20 and 100 are B, 19 and 239 are Z, 7 is K');
    for (let i = 0; i < 200; i++) assert.match(formatUserCode(newUserCode()), USER_CODE);
  });

  it('reads what people type: case, spaces and dashes do not matter; anything else is no code', () => {
    for (const typed of ['BCDF-GHJK', 'bcdfghjk', ' bcdf ghjk ', 'BcDf–gHjK', 'B C D F - G H J K']) assert.equal(normalizeUserCode(typed), 'BCDFGHJK', typed);
    for (const typed of ['', 'BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF_GHJK', 'BCDF-GHJ1', ' '.repeat(60) + 'BCDFGHJK']) assert.equal(normalizeUserCode(typed), null, typed);
  });
});

forEachDatabase('oauth: device flow', (ctx) => {
  let app: TestApp;
  let person: Person;
  // Every test sends from its own address (the server trusts X-Forwarded-For here), so the per-IP
  // wrong-code counts of one test never reach another's.
  let address = 0;
  const nextIp = () => `198.51.100.${++address}`;

  before(async () => {
    app = await newApp(ctx.server.url, { scopes: ['record|read', 'user|email_read'], grantTypes: [DEVICE_GRANT, 'refresh_token'] });
    person = await newUser(ctx.server.url, 'viewer');
  });

  function authorizeDevice(credentials: Credentials, params: Record<string, string> = {}): Promise<Reply> {
    return new Client(ctx.server.url).post('/oauth/device_authorization', { form: { ...clientAuth(credentials), ...params } });
  }

  async function issue(credentials: Credentials = app, params: Record<string, string> = {}): Promise<DeviceAuthorization> {
    const reply = await authorizeDevice(credentials, params);
    assert.equal(reply.status, 200, reply.text);
    return reply.body;
  }

  function poll(credentials: Credentials, deviceCode: string, path = '/oauth/token'): Promise<Reply> {
    return new Client(ctx.server.url).post(path, { form: { ...clientAuth(credentials), grant_type: DEVICE_GRANT, device_code: deviceCode } });
  }

  /** Types the code on /device as `who` and presses Continue. */
  async function enter(who: Person, typed: string, ip = nextIp()): Promise<Reply> {
    const form = await who.client.get('/device', { headers: { 'x-forwarded-for': ip } });
    assert.equal(form.status, 200, form.text);
    return who.client.post('/device', { form: { csrf: csrfOf(form.text), user_code: typed }, headers: { 'x-forwarded-for': ip } });
  }

  /** Continue, then Allow or Deny on the consent screen; returns the last page. */
  async function answer(who: Person, typed: string, decision: 'allow' | 'deny'): Promise<Reply> {
    const ip = nextIp();
    const consent = await enter(who, typed, ip);
    assert.equal(consent.status, 200, consent.text);
    const userCode = /name="user_code" value="([^"]+)"/.exec(consent.text)?.[1] ?? '';
    return who.client.post('/device/decision', { form: { csrf: csrfOf(consent.text), user_code: userCode, decision }, headers: { 'x-forwarded-for': ip } });
  }

  it('answers 200 with both codes, the page to enter one at, its lifetime and the poll interval, never cached', async () => {
    const reply = await authorizeDevice(app, { scope: 'record|read' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    const body: DeviceAuthorization = reply.body;
    assert.deepEqual(Object.keys(body).sort(), ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    assert.match(body.device_code, /^stp_dc_[A-Za-z0-9_-]{43}$/, '256 bits behind a prefix');
    assert.match(body.user_code, USER_CODE);
    assert.equal(body.verification_uri, `${ctx.server.url}/device`);
    assert.equal(body.verification_uri_complete, `${ctx.server.url}/device?user_code=${body.user_code}`);
    assert.equal(body.expires_in, 600);
    assert.equal(body.interval, 5);

    const json = await new Client(ctx.server.url).post('/oauth/device_authorization', { json: { client_id: app.clientId, client_secret: app.secret } });
    assert.equal(json.status, 200, 'a JSON body works too');
    const basic = 'Basic ' + Buffer.from(`${app.clientId}:${app.secret}`).toString('base64');
    const bare = await new Client(ctx.server.url).post('/oauth/device_authorization', { headers: { authorization: basic } });
    assert.equal(bare.status, 200, 'with Basic authentication a client may send no body at all');
  });

  it('keeps both codes only as keyed hashes', async () => {
    const issued = await issue();
    const rows = await ctx.server.steep.db.selectFrom('device_codes').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const secret of [issued.device_code, issued.device_code.slice('stp_dc_'.length), issued.user_code, issued.user_code.replace('-', '')]) {
      assert.ok(!stored.includes(secret), `${secret} is not stored`);
    }
  });

  it('sweeps device codes once they expire, and keeps live ones', async () => {
    const count = async (deviceCode: string) =>
      (await ctx.server.steep.db.selectFrom('device_codes').select('status').where('device_code_hash', '=', ctx.server.steep.hasher.hash(deviceCode)).execute()).length;
    const old = await issue();
    ctx.server.clock.advance(300);
    const young = await issue();
    ctx.server.clock.advance(300);
    await sweep(ctx.server.steep.db, ctx.server.clock.now());
    assert.equal(await count(old.device_code), 0);
    assert.equal(await count(young.device_code), 1);
  });

  it('refuses an app that does not list the device grant, scopes beyond the app, and bad clients', async () => {
    const webApp = await newApp(ctx.server.url, { scopes: ['record|read'] });
    const refused = await authorizeDevice(webApp);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'unauthorized_client');
    assert.match(refused.body.error_description, /grant types/);

    const scope = await authorizeDevice(app, { scope: 'record|read table|delete' });
    assert.equal(scope.status, 400);
    assert.equal(scope.body.error, 'invalid_scope');
    assert.match(scope.body.error_description, /table\|delete/);

    for (const credentials of [{ clientId: app.clientId, secret: 'stp_cs_wrong' }, { clientId: app.clientId }, { clientId: 'no-such-client' }]) {
      const reply = await authorizeDevice(credentials);
      assert.equal(reply.status, 401, JSON.stringify(credentials));
      assert.equal(reply.body.error, 'invalid_client');
    }
    const malformed = await new Client(ctx.server.url).post('/oauth/device_authorization', { json: { client_id: app.clientId, client_secret: app.secret, scope: ['a'] } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'invalid_request');
  });

  it('takes its lifetime from STEEP_DEVICE_CODE_TTL', async () => {
    const server = await startTestServer(ctx.server.kind, { STEEP_DEVICE_CODE_TTL: '120' });
    try {
      const own = await newApp(server.url, { grantTypes: [DEVICE_GRANT] });
      const reply = await new Client(server.url).post('/oauth/device_authorization', { form: { client_id: own.clientId, client_secret: own.secret } });
      assert.equal(reply.body.expires_in, 120);
    } finally {
      await server.close();
    }
  });

  it('accepts the device grant in the app body, also for a public client', async () => {
    const created = await person.client.post('/api/oauth/client', {
      json: { name: 'TV', homepage: 'https://tv.example', redirectUris: [REDIRECT_URI], clientType: 'public', grantTypes: [DEVICE_GRANT, 'refresh_token'] },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.grantTypes, [DEVICE_GRANT, 'refresh_token']);
    const fetched = await person.client.get(`/api/oauth/client/${created.body.clientId}`);
    assert.deepEqual(fetched.body.grantTypes, [DEVICE_GRANT, 'refresh_token']);
  });

  it('polling: authorization_pending, then slow_down when too soon, with an interval that grows and is kept', async () => {
    const { device_code } = await issue();
    const expectError = async (error: string) => {
      const reply = await poll(app, device_code);
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error, error);
      return reply;
    };
    await expectError('authorization_pending');
    assert.match((await expectError('slow_down')).body.error_description, /10 seconds/);
    ctx.server.clock.advance(9);
    assert.match((await expectError('slow_down')).body.error_description, /15 seconds/, 'the interval is now 10 s, so 9 s is too soon');
    ctx.server.clock.advance(15);
    await expectError('authorization_pending');
    const row = await ctx.server.steep.db.selectFrom('device_codes').select('poll_interval').where('device_code_hash', '=', ctx.server.steep.hasher.hash(device_code)).executeTakeFirstOrThrow();
    assert.equal(row.poll_interval, 15);
    ctx.server.clock.advance(14);
    await expectError('slow_down');
  });

  it('polling: an unknown, missing or foreign device_code is refused, and the foreign poll spoils nothing', async () => {
    const other = await newApp(ctx.server.url, { grantTypes: [DEVICE_GRANT] });
    const { device_code, user_code } = await issue();
    const foreign = await poll(other, device_code);
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error, 'invalid_grant');
    for (const code of ['stp_dc_nope', 'not-even-prefixed', 'x'.repeat(5000)]) {
      assert.equal((await poll(app, code)).body.error, 'invalid_grant');
    }
    const missing = await new Client(ctx.server.url).post('/oauth/token', { form: { client_id: app.clientId, client_secret: app.secret, grant_type: DEVICE_GRANT } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');

    assert.equal((await poll(app, device_code)).body.error, 'authorization_pending', 'the foreign poll did not count as the first one');
    await answer(person, user_code, 'allow');
    ctx.server.clock.advance(5);
    assert.equal((await poll(other, device_code)).body.error, 'invalid_grant', 'still not theirs once approved');
    assert.equal((await poll(app, device_code)).status, 200);
  });

  it('Allow: one token response bound to the approving person, with a refresh token; a second redemption is invalid_grant', async () => {
    const { device_code, user_code } = await issue(app, { scope: 'user|email_read' });
    const page = await answer(person, user_code, 'allow');
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), /You can go back to your device/);

    const tokens = await poll(app, device_code);
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(tokens.headers.get('cache-control'), 'no-store');
    assert.equal(tokens.body.token_type, 'Bearer');
    assert.equal(tokens.body.scope, 'user|email_read');
    assert.match(tokens.body.refresh_token, /^stp_rt_/);
    const me = await new Client(ctx.server.url).get('/api/auth/user', { token: tokens.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, person.email);

    const again = await poll(app, device_code);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal((await introspect(ctx.server.url, app, tokens.body.access_token)).active, true, 'a late poll revokes nothing');

    const refreshed = await new Client(ctx.server.url).post('/oauth/token', {
      form: { client_id: app.clientId, client_secret: app.secret, grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token },
    });
    assert.equal(refreshed.status, 200, 'the refresh token works');
    const authorized = await person.client.get('/api/oauth/client/authorized/list');
    assert.ok(authorized.body.some((entry: { clientId: string }) => entry.clientId === app.clientId), 'the consent is remembered');
  });

  it('an app without refresh_token gets no refresh token, and the Teable dialect answers 201', async () => {
    const lean = await newApp(ctx.server.url, { grantTypes: [DEVICE_GRANT] });
    const { device_code, user_code } = await issue(lean);
    await answer(person, user_code, 'allow');
    const tokens = await poll(lean, device_code, '/api/oauth/access_token');
    assert.equal(tokens.status, 201, tokens.text);
    assert.equal(tokens.body.refresh_token, undefined);
  });

  it('Deny: the page says so, and polling gives access_denied', async () => {
    const { device_code, user_code } = await issue();
    const page = await answer(person, user_code, 'deny');
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), /Access denied/);
    assert.equal((await poll(app, device_code)).body.error, 'access_denied');
    ctx.server.clock.advance(5);
    assert.equal((await poll(app, device_code)).body.error, 'access_denied', 'and keeps saying so');
  });

  it('expired_token once the lifetime is over, pending or approved, and /device says the code is no longer usable', async () => {
    const pending = await issue();
    const approved = await issue();
    await answer(person, approved.user_code, 'allow');
    ctx.server.clock.advance(600);
    for (const { device_code } of [pending, approved]) {
      const reply = await poll(app, device_code);
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error, 'expired_token');
    }
    const page = await enter(person, pending.user_code);
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(textOf(page.text), /This code can no longer be used.*expired or was already answered/);
  });

  it('a code already answered gets a clear 400 page, on entering it and on answering it again', async () => {
    const { user_code } = await issue();
    const first = await enter(person, user_code);
    assert.equal(first.status, 200);
    await answer(person, user_code, 'deny');
    assert.equal((await enter(person, user_code)).status, 400);
    // The consent screen of the first visit, still open in another tab: its Allow is too late.
    const late = await person.client.post('/device/decision', { form: { csrf: csrfOf(first.text), user_code: user_code.replace('-', ''), decision: 'allow' } });
    assert.equal(late.status, 400);
    assert.match(textOf(late.text), /no longer be used/);
  });

  it('a public client does the whole flow with client_id alone', async () => {
    const owner = await newUser(ctx.server.url, 'tv-maker');
    const created = await owner.client.post('/api/oauth/client', {
      json: { name: 'Living Room TV', homepage: 'https://tv.example', redirectUris: [REDIRECT_URI], scopes: ['record|read'], clientType: 'public', grantTypes: [DEVICE_GRANT, 'refresh_token'] },
    });
    assert.equal(created.status, 201, created.text);
    const tv = { clientId: created.body.clientId as string };
    const issued = await issue(tv);
    assert.equal((await poll(tv, issued.device_code)).body.error, 'authorization_pending');
    const consent = await enter(person, issued.user_code);
    assert.match(textOf(consent.text), /Living Room TV wants to use your Steep account.*Records: read/);
    await answer(person, issued.user_code, 'allow');
    ctx.server.clock.advance(5);
    const tokens = await poll(tv, issued.device_code);
    assert.equal(tokens.status, 200, tokens.text);
    assert.match(tokens.body.refresh_token, /^stp_rt_/);
    const withSecret = await poll({ clientId: tv.clientId, secret: 'stp_cs_guess' }, issued.device_code);
    assert.equal(withSecret.status, 401, 'a public client that sends a secret is invalid_client');
  });

  it('entry ignores case, spaces and the dash; the link only fills the box', async () => {
    const { device_code, user_code, verification_uri_complete } = await issue();
    const link = await person.client.get(new URL(verification_uri_complete).pathname + new URL(verification_uri_complete).search);
    assert.equal(link.status, 200);
    assert.match(link.text, new RegExp(`name="user_code"[^>]*value="${user_code}"`));
    assert.doesNotMatch(link.text, /value="allow"/, 'no Allow button before Continue');
    assert.equal((await poll(app, device_code)).body.error, 'authorization_pending', 'opening the link decided nothing');

    const sloppy = ` ${user_code.slice(0, 2)} ${user_code.slice(2).toLowerCase().replace('-', ' – ')} `;
    const consent = await enter(person, sloppy);
    assert.equal(consent.status, 200, consent.text);
    assert.match(textOf(consent.text), /test wants to use your Steep account/);
    assert.match(textOf(consent.text), /Records: read/);
    assert.match(textOf(consent.text), new RegExp(`shows the code ${user_code}`));
  });

  it('a signed-out visitor signs in first and comes back with the code kept', async () => {
    const reply = await new Client(ctx.server.url).get('/device?user_code=BCDF-GHJK');
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.get('location'), '/auth/login?redirect=%2Fdevice%3Fuser_code%3DBCDF-GHJK');
  });

  it('refuses forged and malformed posts with a page, never a 500', async () => {
    const { user_code } = await issue();
    const noToken = await person.client.post('/device', { form: { user_code } });
    assert.equal(noToken.status, 403);
    const csrf = csrfOf((await person.client.get('/device')).text);
    const crossSite = await person.client.post('/device', { form: { csrf, user_code }, headers: { origin: 'https://evil.example' } });
    assert.equal(crossSite.status, 403);
    const json = await person.client.post('/device', { json: { csrf, user_code: ['x'] } });
    assert.equal(json.status, 400);
    assert.match(json.headers.get('content-type') ?? '', /text\/html/);
    const noChoice = await person.client.post('/device/decision', { form: { csrf, user_code, decision: 'maybe' } });
    assert.equal(noChoice.status, 400);
    assert.match(noChoice.text, /Choose Allow or Deny/);
    for (const typed of ['', 'AEIOU', 'x'.repeat(10_000), '<script>alert(1)</script>']) {
      const reply = await person.client.post('/device', { form: { csrf, user_code: typed }, headers: { 'x-forwarded-for': nextIp() } });
      assert.equal(reply.status, 400, typed.slice(0, 20));
      assert.match(reply.text, /eight letters your device shows/);
      assert.doesNotMatch(reply.text, /<script>alert/);
    }
    assert.equal((await person.client.get('/device/nothing-here')).status, 404);
  });

  it('after 10 wrong codes in 15 minutes a person gets 429 with Retry-After, even for a right code; real codes do not count', async () => {
    const guesser = await newUser(ctx.server.url, 'guesser');
    const ip = nextIp();
    const { user_code } = await issue();
    const form = await guesser.client.get('/device');
    const post = (typed: string) => guesser.client.post('/device', { form: { csrf: csrfOf(form.text), user_code: typed }, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 10; i++) {
      // Neither a real code nor one that cannot be a code is a guess.
      assert.equal((await post(user_code)).status, 200);
      assert.equal((await post('nope')).status, 400);
      const wrong = await post('BBBB-BBBB');
      assert.equal(wrong.status, 400, `wrong code ${i + 1}`);
      assert.match(wrong.text, /No device is waiting for this code/);
    }
    const limited = await post(user_code);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0 && Number(limited.headers.get('retry-after')) <= 900);
    assert.match(textOf(limited.text), /Too many wrong codes were entered. Wait 15 minutes/);
    const otherPerson = await enter(person, user_code, ip);
    assert.equal(otherPerson.status, 200, 'the limit is per person: the IP has 10 of 30');
    ctx.server.clock.advance(15 * 60);
    assert.equal((await post('BBBB-BBBB')).status, 400, 'a new window');
  });

  it('after 30 wrong codes from one IP, anyone there gets 429', async () => {
    const ip = nextIp();
    for (let round = 0; round < 3; round++) {
      const guesser = await newUser(ctx.server.url, `ip-guesser-${round}`);
      for (let i = 0; i < 10; i++) assert.equal((await enter(guesser, 'CCCC-CCCC', ip)).status, 400);
    }
    const { user_code } = await issue();
    const fresh = await newUser(ctx.server.url, 'same-ip');
    const limited = await enter(fresh, user_code, ip);
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'));
    assert.equal((await enter(fresh, user_code, nextIp())).status, 200, 'the same person elsewhere is not limited');
    ctx.server.clock.advance(15 * 60);
  });

  it('revoking the app before the device polls withdraws the approval', async () => {
    const { device_code, user_code } = await issue();
    await answer(person, user_code, 'allow');
    const revoked = await person.client.post(`/api/oauth/client/${app.clientId}/revoke-access`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await poll(app, device_code)).body.error, 'access_denied');
  });

  it('20 concurrent polls after approval: exactly one gets tokens', async () => {
    const { device_code, user_code } = await issue();
    await answer(person, user_code, 'allow');
    const replies = await Promise.all(Array.from({ length: 20 }, () => poll(app, device_code)));
    const won = replies.filter((reply) => reply.status === 200);
    assert.equal(won.length, 1);
    assert.ok(replies.filter((reply) => reply.status !== 200).every((reply) => reply.status === 400 && reply.body.error === 'invalid_grant'));
    const grants = await ctx.server.steep.db.selectFrom('tokens').select('grant_id').where('token_hash', '=', ctx.server.steep.hasher.hash(won[0].body.access_token)).execute();
    assert.equal(grants.length, 1);
    assert.equal((await introspect(ctx.server.url, app, won[0].body.access_token)).active, true);
  });

  it('OpenID Connect: a device may ask for openid, and gets an id_token whose auth_time is when its person signed in', async () => {
    const issued = await issue(app, { scope: 'openid profile record|read' });
    const signedIn = ctx.server.clock.now();
    ctx.server.clock.advance(60);
    await answer(person, issued.user_code, 'allow');
    ctx.server.clock.advance(6);
    const reply = await poll(app, issued.device_code);
    assert.equal(reply.status, 200, reply.text);
    const claims = JSON.parse(Buffer.from(reply.body.id_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, person.id);
    assert.equal(claims.aud, app.clientId);
    assert.equal(claims.name, 'viewer');
    assert.ok(claims.auth_time <= Math.floor(signedIn / 1000), 'auth_time is the sign-in, not the approval');
    assert.equal((await authorizeDevice(app, { scope: 'openid', resource: 'https://undeclared.example/' })).body.error, 'invalid_target');
  });
}, { STEEP_TRUST_PROXY: 'true' });
