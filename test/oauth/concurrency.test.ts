// Single use under contention: 20 simultaneous redemptions of one code, and 20 simultaneous refreshes
// of one refresh token, each yield exactly one success. The losers are replays, so (RFC 6749 section
// 4.1.2, OAuth 2.1 section 4.3.1) they also revoke what the winner got.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { codeFor, introspect, newApp, tokenRequest, tokensFor, type TestApp } from '../helpers/oauth.ts';

const RACERS = 20;

forEachDatabase('oauth: concurrency', (ctx) => {
  let app: TestApp;
  let user: Awaited<ReturnType<typeof newUser>>;

  before(async () => {
    app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    user = await newUser(ctx.server.url, 'racer');
  });

  it(`${RACERS} concurrent redemptions of one code: exactly one succeeds`, async () => {
    const code = await codeFor(user.client, app.clientId);
    const replies = await Promise.all(
      Array.from({ length: RACERS }, () => tokenRequest(ctx.server.url, app, { grant_type: 'authorization_code', code })),
    );
    const won = replies.filter((r) => r.status === 200);
    assert.equal(won.length, 1);
    assert.ok(replies.filter((r) => r.status !== 200).every((r) => r.status === 400 && r.body.error === 'invalid_grant'));
    assert.equal((await introspect(ctx.server.url, app, won[0].body.refresh_token)).active, false);
  });

  it(`${RACERS} concurrent refreshes of one refresh token: exactly one succeeds`, async () => {
    const { refresh_token } = await tokensFor(user.client, app);
    const replies = await Promise.all(
      Array.from({ length: RACERS }, () => tokenRequest(ctx.server.url, app, { grant_type: 'refresh_token', refresh_token }, '/api/oauth/access_token')),
    );
    const won = replies.filter((r) => r.status === 201);
    assert.equal(won.length, 1);
    assert.ok(replies.filter((r) => r.status !== 201).every((r) => r.status === 401 && r.body.error === 'invalid_grant'));
    assert.equal((await introspect(ctx.server.url, app, won[0].body.access_token)).active, false);
  });
});
