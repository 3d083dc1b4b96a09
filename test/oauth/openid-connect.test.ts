// API.md Part 2, "OpenID Connect": openid-client (OpenID-certified, unmodified) signs a person in with
// nothing but the issuer URL; claims per scope, at_hash, nonce, auth_time with max_age, prompt, userinfo.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, browseAuthorization, codeFor, locationOf, newApp, pkce, tokenRequest, type TestApp } from '../helpers/oauth.ts';

type User = Awaited<ReturnType<typeof newUser>>;

/** Verifies an id_token the way a relying party does, against the published JWK Set. */
async function verifyIdToken(baseUrl: string, idToken: string, audience: string) {
  const jwks = createLocalJWKSet((await new Client(baseUrl).get('/oauth/jwks')).body);
  return (await jwtVerify(idToken, jwks, { issuer: baseUrl, audience, clockTolerance: 3600 })).payload;
}

forEachDatabase('openid: openid-client relying party', (ctx) => {
  let app: TestApp;
  let person: User;

  before(async () => {
    app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    person = await newUser(ctx.server.url, 'Ada');
    person.email = person.email.toLowerCase(); // Steep keeps emails lower-case
  });

  it('the JWK Set holds a signing key from the first request on, and may be cached briefly', async () => {
    const jwks = await new Client(ctx.server.url).get('/oauth/jwks');
    assert.equal(jwks.body.keys.length, 1);
    assert.equal(jwks.body.keys[0].kty, 'RSA');
    assert.equal(jwks.headers.get('cache-control'), 'public, max-age=60');
  });

  it('discovery, code + PKCE + nonce with openid profile email, its own id_token validation, fetchUserInfo, refresh', async () => {
    const config = await client.discovery(new URL(ctx.server.url), app.clientId, app.secret, undefined, { execute: [client.allowInsecureRequests] });
    const meta = config.serverMetadata();
    assert.equal(meta.userinfo_endpoint, `${ctx.server.url}/oauth/userinfo`);
    assert.deepEqual(meta.subject_types_supported, ['public']);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: 'openid profile email', nonce, state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const consent = await person.client.get(url.pathname + url.search);
    const page = await person.client.get(locationOf(consent, ctx.server.url).pathname + locationOf(consent, ctx.server.url).search);
    assert.match(page.text, /See your name and email address/);
    assert.match(page.text, /Sign you in with your Steep account/);
    const tokens = await client.authorizationCodeGrant(config, await browseAuthorization(person.client, url), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, person.id);
    assert.equal(claims.name, 'Ada');
    assert.equal(claims.email, person.email);
    assert.equal(claims.email_verified, false);
    assert.equal(claims.azp, app.clientId);
    assert.equal(typeof claims.auth_time, 'number');
    assert.equal(claims.at_hash, createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url'));
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.deepEqual(info, { sub: person.id, name: 'Ada', email: person.email, email_verified: false });

    // On refresh: a new id_token, same subject and auth_time, no nonce (Core section 12.2).
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const again = refreshed.claims()!;
    assert.equal(again.sub, person.id);
    assert.equal(again.auth_time, claims.auth_time);
    assert.equal(again.nonce, undefined);
  });

  it('claims follow the scopes: openid alone is sub only; email adds email; no openid, no id_token', async () => {
    const { verifier, challenge } = pkce();
    const pkceParams = { code_challenge: challenge, code_challenge_method: 'S256' };
    const exchange = async (scope: string) => {
      const code = await codeFor(person.client, app.clientId, { scope, ...pkceParams });
      return (await tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code, code_verifier: verifier })).body;
    };
    const bare = await exchange('openid');
    const bareClaims = await verifyIdToken(ctx.server.url, bare.id_token, app.clientId);
    assert.equal(bareClaims.name, undefined);
    assert.equal(bareClaims.email, undefined);
    assert.equal(decodeProtectedHeader(bare.id_token).alg, 'RS256');
    const mail = await verifyIdToken(ctx.server.url, (await exchange('openid email')).id_token, app.clientId);
    assert.equal(mail.email, person.email);
    assert.equal(mail.name, undefined);
    assert.equal((await exchange('record|read')).id_token, undefined);
    // offline_access is accepted, and a refresh token is issued either way (Teable compatibility).
    assert.ok((await exchange('openid offline_access')).refresh_token);
  });

  it('userinfo: 401 without a token or with a bad one, 403 insufficient_scope without openid, GET and POST', async () => {
    const anon = new Client(ctx.server.url);
    const none = await anon.get('/oauth/userinfo');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="steep"');
    assert.equal(none.body.error, undefined, 'RFC 6750 section 3.1: no error code without a token');
    const bad = await anon.post('/oauth/userinfo', { token: 'stp_at_nope' });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate')!, /error="invalid_token"/);
    const noOpenid = (await tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code: await codeFor(person.client, app.clientId, { scope: 'record|read' }) })).body;
    const refused = await anon.get('/oauth/userinfo', { token: noOpenid.access_token });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate')!, /error="insufficient_scope"/);
    const withOpenid = (await tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code: await codeFor(person.client, app.clientId, { scope: 'openid profile' }) })).body;
    const posted = await anon.post('/oauth/userinfo', { token: withOpenid.access_token });
    assert.equal(posted.status, 200);
    assert.deepEqual(posted.body, { sub: person.id, name: 'Ada' });
  });
});

forEachDatabase('openid: prompt, max_age and auth_time', (ctx) => {
  let app: TestApp;
  const base = () => ctx.server.url;
  const authorize = (user: Client, params: Record<string, string>) =>
    user.get(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, scope: 'openid', state: 'st', ...params })}`);
  const callbackOf = (reply: Awaited<ReturnType<Client['get']>>) => {
    const back = locationOf(reply, base());
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URI, `expected the callback, got ${back}`);
    return back.searchParams;
  };

  before(async () => {
    app = await newApp(base(), { scopes: ['record|read'] });
  });

  it('prompt=none: login_required without a session, consent_required without consent, a code once consented', async () => {
    const signedOut = callbackOf(await authorize(new Client(base()), { prompt: 'none' }));
    assert.equal(signedOut.get('error'), 'login_required');
    assert.equal(signedOut.get('state'), 'st');
    const person = await newUser(base(), 'silent');
    const noConsent = callbackOf(await authorize(person.client, { prompt: 'none' }));
    assert.equal(noConsent.get('error'), 'consent_required');
    await codeFor(person.client, app.clientId, { scope: 'openid' });
    assert.ok(callbackOf(await authorize(person.client, { prompt: 'none' })).get('code'));
    const mixed = callbackOf(await authorize(person.client, { prompt: 'none consent' }));
    assert.equal(mixed.get('error'), 'invalid_request');
  });

  it('"Not you?" restarts the same request for the next person: nonce and resource kept, in the standard dialect', async () => {
    const person = await newUser(base(), 'first');
    const reply = await authorize(person.client, { nonce: 'n-0S6_WzA2Mj', prompt: 'consent' });
    const consent = locationOf(reply, base());
    const page = await person.client.get(consent.pathname + consent.search);
    const restart = /name="redirect" value="([^"]+)"/.exec(page.text)![1].replaceAll('&amp;', '&');
    const url = new URL(restart, base());
    assert.equal(url.pathname, '/oauth/authorize');
    assert.equal(url.searchParams.get('nonce'), 'n-0S6_WzA2Mj');
    assert.equal(url.searchParams.get('state'), 'st');
    assert.equal(url.searchParams.get('scope'), 'openid');
  });

  it('prompt=consent asks again although consent is remembered', async () => {
    const person = await newUser(base(), 'again');
    await codeFor(person.client, app.clientId, { scope: 'openid' });
    assert.ok(callbackOf(await authorize(person.client, {})).get('code'), 'remembered');
    const asked = locationOf(await authorize(person.client, { prompt: 'consent' }), base());
    assert.equal(asked.pathname, '/oauth/decision');
  });

  it('max_age and prompt=login send a signed-in person to sign in again; auth_time is the new sign-in', async () => {
    const person = await newUser(base(), 'fresh');
    await codeFor(person.client, app.clientId, { scope: 'openid' });
    const firstCode = callbackOf(await authorize(person.client, { max_age: '600' })).get('code')!;
    const first = (await tokenRequest(base(), app, { grant_type: 'authorization_code', code: firstCode })).body;
    const firstAuth = (await verifyIdToken(base(), first.id_token, app.clientId)).auth_time as number;

    ctx.server.clock.advance(700);
    const login = locationOf(await authorize(person.client, { max_age: '600' }), base());
    assert.equal(login.pathname, '/auth/login');
    assert.equal(login.searchParams.get('fresh'), '1');
    const form = await person.client.get(login.pathname + login.search);
    assert.equal(form.status, 200, 'the sign-in form is shown although a session exists');
    const forced = locationOf(await authorize(person.client, { prompt: 'login' }), base());
    assert.equal(forced.pathname, '/auth/login');
    assert.doesNotMatch(forced.searchParams.get('redirect')!, /prompt=login/, 'coming back does not ask again');

    assert.equal((await person.client.post('/api/auth/signin', { json: { email: person.email, password: person.password } })).status, 200);
    const code = callbackOf(await authorize(person.client, { max_age: '600' })).get('code')!;
    const later = (await tokenRequest(base(), app, { grant_type: 'authorization_code', code })).body;
    const laterAuth = (await verifyIdToken(base(), later.id_token, app.clientId)).auth_time as number;
    assert.ok(laterAuth >= firstAuth + 700, `auth_time ${laterAuth} is the new sign-in (was ${firstAuth})`);
  });
});
