// The rate-limit counters in Redis (STEEP_REDIS_URL, the machine's Redis at 127.0.0.1:6379): two
// processes share them, nothing is written to the database's rate_limits, and windows follow Steep's
// clock. Counter keys are hashed with each test server's own random key, so runs never share counts.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { assertTeableLimited, from, nextIp, person } from '../helpers/limits.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';
import { forEachDatabase } from '../helpers/server.ts';

const REDIS_URL = process.env.STEEP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

forEachDatabase('rate limits in Redis, two processes', (ctx) => {
  let other: SteepProcess;
  const at = (i: number) => (i % 2 === 0 ? ctx.server.url : other.url);

  before(async () => {
    other = await spawnSteep(ctx.server.config);
  });
  after(async () => {
    await other?.stop();
  });

  it('counts invalid Bearer tokens across both processes, and writes no counter to the database', async () => {
    const ip = nextIp();
    const me = (url: string) => new Client(url).get('/api/auth/user/me', { token: 'stp_pat_guess', headers: from(ip) });
    for (let i = 0; i < 3; i++) assert.equal((await me(at(i))).status, 401);
    assertTeableLimited(await me(at(3)));
    const rows = await ctx.server.steep.db.selectFrom('rate_limits').selectAll().execute();
    assert.deepEqual(rows, []);
  });

  // Last: from here on the test server's clock is ahead of the other process's.
  it("shares counts between the processes: a stranger's wrong passwords back off the stranger, not the owner; the window ends with the clock", async () => {
    const owner = await person(ctx.server.url);
    const stranger = nextIp();
    const signIn = (url: string, ip: string, password: string) => new Client(url).post('/api/auth/signin', { json: { email: owner.email, password }, headers: from(ip) });
    for (let i = 0; i < 3; i++) assert.equal((await signIn(at(i), stranger, 'wrong password')).status, 401);
    assertTeableLimited(await signIn(at(3), stranger, owner.password));
    assert.equal((await signIn(other.url, owner.ip, owner.password)).status, 200);
    ctx.server.clock.advance(601);
    assert.equal((await signIn(ctx.server.url, stranger, owner.password)).status, 200);
  });
}, { STEEP_REDIS_URL: REDIS_URL, STEEP_TRUST_PROXY: 'true', STEEP_LIMIT_SIGNIN_ACCOUNT_IP: '3/600', STEEP_LIMIT_BEARER_IP: '3/600' });
