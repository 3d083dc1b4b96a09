// Attacks on the code flow, each refused: replays, PKCE tricks, redirect and client confusion,
// other users' and cross-site consent, expired codes and transactions.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, authorizeRequest, codeFor, introspect, locationOf, newApp, pkce, tokenRequest, type TestApp } from '../helpers/oauth.ts';

const OTHER_URI = 'https://app.example.com/oauth/callback';

forEachDatabase('oauth: attacks', (ctx) => {
  let app: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;
  const base = () => ctx.server.url;
  const redeem = (params: Record<string, string>, client: Pick<TestApp, 'clientId' | 'secret'> = app) =>
    tokenRequest(base(), client, { grant_type: 'authorization_code', ...params });
  /** A pending consent of a user who never authorized the app (so the consent page is next). */
  const transaction = async () => {
    const owner = await newUser(base(), 'deciding');
    const reply = await authorizeRequest(owner.client, app.clientId, { scope: 'record|create' });
    const id = locationOf(reply, base()).searchParams.get('transaction_id');
    assert.ok(id, reply.text);
    return { id, client: owner.client };
  };

  before(async () => {
    app = await newApp(base(), { scopes: ['record|read', 'record|create'], redirectUris: [REDIRECT_URI, OTHER_URI] });
    user = await newUser(base(), 'victim');
  });

  it('code replay fails and revokes the tokens the code produced', async () => {
    const code = await codeFor(user.client, app.clientId);
    const first = await redeem({ code });
    assert.equal(first.status, 200);
    const second = await redeem({ code });
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'invalid_grant');
    assert.equal((await introspect(base(), app, first.body.access_token)).active, false);
    assert.equal((await introspect(base(), app, first.body.refresh_token)).active, false);
    assert.equal((await new Client(base()).get('/api/auth/user', { token: first.body.access_token })).status, 401);
    const refresh = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  it('refresh reuse fails and revokes the whole family', async () => {
    const code = await codeFor(user.client, app.clientId);
    const first = (await redeem({ code })).body;
    const second = (await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;
    const third = (await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: second.refresh_token })).body;
    assert.equal((await introspect(base(), app, third.access_token)).active, true);
    const reuse = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    for (const token of [first.access_token, second.access_token, third.access_token, third.refresh_token]) {
      assert.equal((await introspect(base(), app, token)).active, false);
    }
    const next = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: third.refresh_token });
    assert.equal(next.body.error, 'invalid_grant');
  });

  it('a wrong or missing code_verifier is invalid_grant; the right one still works', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(user.client, app.clientId, { code_challenge: challenge, code_challenge_method: 'S256' });
    const missing = await redeem({ code });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_grant');
    assert.match(missing.body.error_description, /code_verifier/);
    const wrong = await redeem({ code, code_verifier: pkce().verifier });
    assert.equal(wrong.body.error, 'invalid_grant');
    const malformed = await redeem({ code, code_verifier: 'short' });
    assert.equal(malformed.body.error, 'invalid_grant');
    assert.equal((await redeem({ code, code_verifier: verifier })).status, 200);
  });

  it('a code_verifier without a code_challenge is invalid_grant', async () => {
    const code = await codeFor(user.client, app.clientId);
    const reply = await redeem({ code, code_verifier: pkce().verifier });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_grant');
  });

  it('plain PKCE, a challenge without a method, or a malformed challenge goes back to the app as invalid_request (API.md Part 2)', async () => {
    const { challenge } = pkce();
    const cases: Record<string, string>[] = [
      { code_challenge: challenge, code_challenge_method: 'plain' },
      { code_challenge: challenge },
      { code_challenge: 'too-short', code_challenge_method: 'S256' },
    ];
    for (const extra of cases) {
      const reply = await authorizeRequest(user.client, app.clientId, { state: 'st', ...extra });
      assert.equal(reply.status, 302);
      const back = locationOf(reply, base());
      assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URI);
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description')!, /code_challenge/);
      assert.equal(back.searchParams.get('state'), 'st');
      assert.equal(back.searchParams.get('iss'), ctx.server.config.issuer);
    }
  });

  it('redirect_uri at the token endpoint must repeat the one sent to authorize', async () => {
    const different = await redeem({ code: await codeFor(user.client, app.clientId, { redirect_uri: OTHER_URI }), redirect_uri: REDIRECT_URI });
    assert.equal(different.status, 400);
    assert.equal(different.body.error, 'invalid_grant');
    const omitted = await redeem({ code: await codeFor(user.client, app.clientId, { redirect_uri: OTHER_URI }) });
    assert.equal(omitted.body.error, 'invalid_grant');
    const repeated = await redeem({ code: await codeFor(user.client, app.clientId, { redirect_uri: OTHER_URI }), redirect_uri: OTHER_URI });
    assert.equal(repeated.status, 200);
  });

  it("another client's code is invalid_grant and stays usable by its own client", async () => {
    const thief = await newApp(base(), { scopes: ['record|read', 'record|create'] });
    const code = await codeFor(user.client, app.clientId);
    const stolen = await redeem({ code }, thief);
    assert.equal(stolen.status, 400);
    assert.equal(stolen.body.error, 'invalid_grant');
    assert.equal((await redeem({ code })).status, 200);
  });

  it("another user's transaction is refused with \"Invalid user\" and stays usable by its owner", async () => {
    const { id, client } = await transaction();
    const attacker = await newUser(base(), 'attacker');
    const reply = await attacker.client.post('/api/oauth/decision', { form: { transaction_id: id } });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.message, 'Invalid user');
    const own = await client.post('/api/oauth/decision', { form: { transaction_id: id } });
    assert.equal(own.status, 302);
    assert.ok(locationOf(own, base()).searchParams.get('code'));
  });

  it('a cross-site decision POST is refused (Origin, or Sec-Fetch-Site), and the transaction survives', async () => {
    const { id, client } = await transaction();
    const fromEvil = await client.post('/api/oauth/decision', { form: { transaction_id: id }, headers: { origin: 'https://evil.example' } });
    assert.equal(fromEvil.status, 403);
    const fetchMeta = await client.post('/api/oauth/decision', { json: { transaction_id: id }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(fetchMeta.status, 403);
    const sameSite = await client.post('/api/oauth/decision', { form: { transaction_id: id }, headers: { origin: base() } });
    assert.equal(sameSite.status, 302);
  });

  it('a transaction is used once', async () => {
    const { id, client } = await transaction();
    const denied = await client.post('/api/oauth/decision', { json: { transaction_id: id, cancel: true } });
    assert.equal(locationOf(denied, base()).searchParams.get('error'), 'access_denied');
    const again = await client.post('/api/oauth/decision', { form: { transaction_id: id } });
    assert.equal(again.status, 400);
    assert.equal((await client.get(`/api/oauth/decision/${id}`)).status, 400);
  });

  it('an expired code is invalid_grant (5 minutes)', async () => {
    const code = await codeFor(user.client, app.clientId);
    ctx.server.clock.advance(301);
    const reply = await redeem({ code });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_grant');
  });

  it('an expired transaction is 400 on both decision routes (5 minutes)', async () => {
    const { id, client } = await transaction();
    assert.equal((await client.get(`/api/oauth/decision/${id}`)).status, 200);
    ctx.server.clock.advance(301);
    assert.equal((await client.get(`/api/oauth/decision/${id}`)).status, 400);
    assert.equal((await client.post('/api/oauth/decision', { form: { transaction_id: id } })).status, 400);
  });

  it('a client that sends both Basic and client_secret is refused', async () => {
    const code = await codeFor(user.client, app.clientId);
    const basic = Buffer.from(`${app.clientId}:${app.secret}`).toString('base64');
    const reply = await new Client(base()).post('/oauth/token', {
      form: { grant_type: 'authorization_code', code, client_secret: app.secret },
      headers: { authorization: `Basic ${basic}` },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'invalid_request');
  });

  it('a wrong secret is invalid_client: 401 in both dialects, with a Basic challenge when Basic was used', async () => {
    const wrong = { clientId: app.clientId, secret: 'stp_cs_not-the-secret' };
    const post = await tokenRequest(base(), wrong, { grant_type: 'refresh_token', refresh_token: 'stp_rt_x' });
    assert.equal(post.status, 401);
    assert.equal(post.body.error, 'invalid_client');
    const teable = await tokenRequest(base(), wrong, { grant_type: 'refresh_token', refresh_token: 'stp_rt_x' }, '/api/oauth/access_token');
    assert.equal(teable.status, 401);
    assert.equal(typeof teable.body.message, 'string');
    const basic = await new Client(base()).post('/oauth/token', {
      form: { grant_type: 'refresh_token', refresh_token: 'stp_rt_x' },
      headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:wrong`).toString('base64')}` },
    });
    assert.equal(basic.status, 401);
    assert.match(basic.headers.get('www-authenticate') ?? '', /^Basic /);
  });
});
