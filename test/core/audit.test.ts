// Issue 11 item 7, the audit log: each security event written once with its parties, address and
// browser and never a secret; GET /api/audit shows a person their own events, paged, newest first;
// the sweep deletes events past STEEP_AUDIT_RETENTION_DAYS.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { Client, newPersonalToken, newUser } from '../helpers/client.ts';
import { REDIRECT_URI, codeFor, newApp, tokenRequest, tokensFor } from '../helpers/oauth.ts';
import { sweep } from '../../src/store/sweep.ts';
import { sweepOptions } from '../../src/server.ts';

const BROWSER = 'AuditTest/1.0 (a browser)';

forEachDatabase('audit log', (ctx) => {
  const base = () => ctx.server.url;
  const rows = () => ctx.server.steep.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
  const activity = (client: Client, query = '') => client.get(`/api/audit${query}`);

  it('writes each event once, with actor, client, address and browser, and no secret, token, code or password anywhere', async () => {
    const app = await newApp(base(), { scopes: ['record|read'] });
    const { owner } = app;
    const secrets: string[] = [app.secret, owner.password, ...owner.client.cookies.values()];
    const appPath = `/api/oauth/client/${app.clientId}`;
    const updated = await owner.client.put(appPath, { headers: { 'user-agent': BROWSER }, json: { name: 'renamed', homepage: 'https://a.example', redirectUris: [REDIRECT_URI], scopes: ['record|read'] } });
    assert.equal(updated.status, 200);

    // A person authorizes it; the app redeems, replays the code, rotates and then reuses a refresh token.
    const person = await newUser(base(), 'person');
    secrets.push(person.password, ...person.client.cookies.values());
    const code = await codeFor(person.client, app.clientId);
    const exchanged = await tokenRequest(base(), app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    assert.equal(exchanged.status, 200);
    const replay = await tokenRequest(base(), app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    assert.equal(replay.status, 400);
    const tokens = await tokensFor(person.client, app);
    const rotated = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(rotated.status, 200);
    const reuse = await tokenRequest(base(), app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(reuse.status, 400);
    secrets.push(code, exchanged.body.access_token, exchanged.body.refresh_token, tokens.access_token, tokens.refresh_token, rotated.body.access_token, rotated.body.refresh_token);
    assert.equal((await person.client.post(`${appPath}/revoke-access`)).status, 200);

    // A wrong password for the owner's account, a PAT made, replaced and deleted, a second secret made and deleted.
    assert.equal((await new Client(base()).post('/api/auth/signin', { json: { email: owner.email, password: 'not the password' } })).status, 401);
    assert.equal((await new Client(base()).post('/api/auth/signin', { json: { email: 'nobody@example.com', password: 'a guessed password' } })).status, 401);
    const pat = await newPersonalToken(owner.client);
    secrets.push(pat);
    const patId = (await owner.client.get('/api/access-token')).body[0].id;
    const refreshedPat = await owner.client.post(`/api/access-token/${patId}/refresh`, { json: { expiredTime: '2999-06-30' } });
    assert.equal(refreshedPat.status, 200);
    secrets.push(refreshedPat.body.token);
    assert.equal((await owner.client.delete(`/api/access-token/${patId}`)).status, 200);
    const second = await owner.client.post(`${appPath}/secret`);
    secrets.push(second.body.secret);
    assert.equal((await owner.client.delete(`${appPath}/secret/${second.body.id}`)).status, 200);

    // Dynamic registration: register, update, delete.
    const registered = await new Client(base()).post('/oauth/register', { json: { redirect_uris: [REDIRECT_URI], client_name: 'Agent' } });
    assert.equal(registered.status, 201);
    const { client_id: agent, registration_access_token: regToken, client_secret: agentSecret } = registered.body;
    secrets.push(regToken, agentSecret);
    const reread = await new Client(base()).put(`/oauth/register/${agent}`, { token: regToken, json: { client_id: agent, redirect_uris: [REDIRECT_URI], client_name: 'Agent 2' } });
    assert.equal(reread.status, 200, reread.text);
    secrets.push(reread.body.registration_access_token);
    assert.equal((await new Client(base()).delete(`/oauth/register/${agent}`, { token: reread.body.registration_access_token })).status, 204);
    assert.equal((await owner.client.delete(appPath)).status, 200);

    const all = await rows();
    const mine = all.filter((row) => row.client_id === app.clientId || row.user_id === owner.id || row.client_id === agent);
    const count = (type: string) => mine.filter((row) => row.type === type).length;
    const once = ['app.created', 'app.updated', 'app.deleted', 'secret.first_used', 'code.replayed', 'refresh.reused', 'consent.withdrawn',
      'pat.created', 'pat.refreshed', 'pat.deleted', 'registration.created', 'registration.updated', 'registration.deleted'];
    for (const type of once) assert.equal(count(type), 1, `${type} written once`);
    assert.equal(count('secret.created'), 2, 'the first secret and the second one');
    assert.equal(count('secret.deleted'), 1);
    assert.equal(count('consent.granted'), 1, 'the second authorization was remembered: no consent page, no new consent');
    assert.equal(all.filter((row) => row.type === 'signin.failed').length, 2);
    assert.equal(all.filter((row) => row.type === 'token.issued').length, 0, 'token responses are counted, not logged');

    const find = (type: string) => mine.find((row) => row.type === type)!;
    const renamed = find('app.updated');
    assert.deepEqual([renamed.actor, renamed.user_id, renamed.owner_id, renamed.ip, renamed.user_agent], [owner.id, owner.id, owner.id, '127.0.0.1', BROWSER]);
    assert.deepEqual(JSON.parse(renamed.details), { name: 'renamed' });
    const reused = find('refresh.reused');
    assert.deepEqual([reused.actor, reused.user_id, reused.client_id, reused.owner_id], [app.clientId, person.id, app.clientId, owner.id]);
    assert.equal(find('code.replayed').user_id, person.id);
    assert.equal(find('app.deleted').owner_id, owner.id, 'the owner is kept after the app is gone');
    const failed = all.find((row) => row.type === 'signin.failed' && row.user_id === owner.id)!;
    assert.deepEqual([failed.actor, JSON.parse(failed.details)], [null, { reason: 'wrong_password' }]);
    assert.ok(all.some((row) => row.type === 'signin.failed' && row.user_id === null && row.details.includes('unknown_account')));
    assert.ok(all.every((row) => typeof row.at === 'number' && row.at > 0));

    const stored = JSON.stringify(all);
    for (const secret of secrets) assert.ok(secret && !stored.includes(secret), `a secret of ${secret.slice(0, 7)}… is in the audit log`);
    assert.doesNotMatch(stored, /stp_(cs|at|rt|pat|code|rat|session)_/);
    assert.doesNotMatch(stored, /not the password|a guessed password|nobody@example/);
  });

  it("GET /api/audit: the caller's events, newest first, paged by cursor; an owner sees consents to their app without the person's details", async () => {
    const app = await newApp(base(), { scopes: ['record|read'] });
    const { owner } = app;
    for (let i = 0; i < 4; i++) {
      assert.equal((await owner.client.put(`/api/oauth/client/${app.clientId}`, { json: { name: `v${i}`, homepage: 'https://a.example', redirectUris: [REDIRECT_URI], scopes: ['record|read'] } })).status, 200);
    }
    const person = await newUser(base(), 'consenter');
    await codeFor(person.client, app.clientId);

    const first = await activity(owner.client, '?limit=3');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(first.body.events.length, 3);
    assert.deepEqual(first.body.events.map((e: any) => e.type), ['consent.granted', 'app.updated', 'app.updated']);
    const consent = first.body.events[0];
    assert.equal(consent.clientId, app.clientId);
    assert.deepEqual(consent.details, { scopes: ['record|read'] });
    assert.equal(consent.userId, undefined, "another person's id is not shown to the owner");
    assert.equal(consent.actor, undefined);
    assert.equal(consent.ip, undefined);
    assert.equal(consent.userAgent, undefined);
    assert.match(consent.time, /^\d{4}-\d\d-\d\dT/);

    const second = await activity(owner.client, `?limit=3&cursor=${first.body.nextCursor}`);
    const third = await activity(owner.client, `?limit=3&cursor=${second.body.nextCursor}`);
    const pages = [first, second, third].flatMap((reply) => reply.body.events);
    assert.deepEqual(pages.map((e: any) => e.type), ['consent.granted', 'app.updated', 'app.updated', 'app.updated', 'app.updated', 'secret.created', 'app.created']);
    assert.equal(third.body.nextCursor, undefined);
    assert.equal(new Set(pages.map((e: any) => e.id)).size, pages.length, 'no event on two pages');
    const updatedByOwner = pages.find((e: any) => e.type === 'app.updated');
    assert.deepEqual([updatedByOwner.actor, updatedByOwner.userId, updatedByOwner.ip, updatedByOwner.userAgent], [owner.id, owner.id, '127.0.0.1', 'node']);

    // The person sees their own consent with their details; nothing of the owner's.
    const theirs = (await activity(person.client)).body.events;
    assert.deepEqual(theirs.map((e: any) => e.type), ['consent.granted']);
    assert.equal(theirs[0].userId, person.id);
    assert.equal(theirs[0].ip, '127.0.0.1');
    // A PAT works too; a stranger sees none of it.
    assert.equal((await activity(new Client(base()), '')).status, 401);
    const pat = await newPersonalToken(owner.client);
    const viaPat = await new Client(base()).get('/api/audit?limit=1', { token: pat });
    assert.equal(viaPat.status, 200);
    assert.equal(viaPat.body.events[0].type, 'pat.created');
    const stranger = await newUser(base(), 'stranger');
    assert.deepEqual((await activity(stranger.client)).body, { events: [] });
  });

  it('bad paging parameters are 400 with one sentence; an OAuth access token is refused', async () => {
    const user = await newUser(base(), 'pager');
    for (const query of ['?limit=0', '?limit=101', '?limit=ten', '?limit=1.5', '?cursor=abc', '?cursor=0', '?cursor=-3', '?cursor=99999999999999999999']) {
      const reply = await activity(user.client, query);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.code, 'validation_failed');
      assert.match(reply.body.message, /^(limit|cursor): /, query);
    }
    const app = await newApp(base(), { scopes: ['record|read'] });
    const tokens = await tokensFor(user.client, app);
    assert.equal((await new Client(base()).get('/api/audit', { token: tokens.access_token })).status, 403);
  });

  it('the sweep deletes events older than STEEP_AUDIT_RETENTION_DAYS and keeps younger ones', async () => {
    const user = await newUser(base(), 'old');
    await newPersonalToken(user.client);
    ctx.server.clock.advance(29 * 86400);
    // The session has expired by now: sign in again.
    assert.equal((await user.client.post('/api/auth/signin', { json: { email: user.email, password: user.password } })).status, 200);
    await newPersonalToken(user.client);
    await sweep(ctx.server.steep.db, ctx.server.clock.now(), sweepOptions(ctx.server.steep));
    assert.equal((await activity(user.client)).body.events.length, 2, 'both younger than 30 days');
    ctx.server.clock.advance(2 * 86400);
    await sweep(ctx.server.steep.db, ctx.server.clock.now(), sweepOptions(ctx.server.steep));
    assert.equal((await activity(user.client)).body.events.length, 1, 'the 31-day-old one is gone');
  });
}, { STEEP_DYNAMIC_REGISTRATION: 'open', STEEP_AUDIT_RETENTION_DAYS: '30' });
