// The periodic sweep over the OAuth tables: expired transactions, codes and tokens go; live ones stay.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from '../helpers/server.ts';
import { newUser } from '../helpers/client.ts';
import { authorizeRequest, introspect, newApp, tokensFor } from '../helpers/oauth.ts';
import { sweep } from '../../src/store/sweep.ts';

forEachDatabase('oauth: sweep', (ctx) => {
  it('deletes what can never be used again and keeps the rest', async () => {
    const db = ctx.server.steep.db;
    const count = async (table: 'transactions' | 'codes' | 'tokens' | 'grants') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    const user = await newUser(ctx.server.url, 'sweeper');
    const old = await tokensFor(user.client, app);
    await authorizeRequest((await newUser(ctx.server.url, 'pending')).client, app.clientId);
    assert.equal(await count('transactions'), 1);
    ctx.server.clock.advance(32 * 86400);
    // The old session has expired too: a new user signs in.
    const fresh = await tokensFor((await newUser(ctx.server.url, 'later')).client, app);
    await sweep(db, ctx.server.clock.now());
    assert.equal(await count('transactions'), 0);
    assert.equal(await count('codes'), 1, 'only the fresh code, kept a day to recognise replays');
    assert.equal(await count('tokens'), 2);
    assert.equal(await count('grants'), 1, 'the old grant went with its last token');
    assert.equal((await introspect(ctx.server.url, app, fresh.refresh_token)).active, true);
    assert.equal((await introspect(ctx.server.url, app, old.refresh_token)).active, false);
  });

  it('deletes an unused code as soon as it expires', async () => {
    const db = ctx.server.steep.db;
    const codes = async () => Number((await db.selectFrom('codes').select((eb) => eb.fn.countAll().as('n')).where('used_at', 'is', null).executeTakeFirstOrThrow()).n);
    const app = await newApp(ctx.server.url, { scopes: ['record|read'] });
    const user = await newUser(ctx.server.url, 'idle');
    await tokensFor(user.client, app);
    await authorizeRequest(user.client, app.clientId); // consent is remembered: a code is issued and never redeemed
    const before = await codes();
    assert.ok(before >= 1);
    ctx.server.clock.advance(ctx.server.config.ttl.code + 1);
    await sweep(db, ctx.server.clock.now());
    assert.equal(await codes(), 0);
  });
});
