// Crash durability: 20 connections create apps, generate secrets, exchange codes and refresh tokens
// against a real `steep serve`, which is killed with SIGKILL mid-load and restarted on the same data,
// three times per database. Every write that was acknowledged (a 2xx reached the client) must be there
// after the restart, and nothing may be half-written. Not timed: the figures go to the test output.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { Client } from '../helpers/client.ts';
import { REDIRECT_URI, codeFor, newApp, tokenRequest, type TestApp } from '../helpers/oauth.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';
import { forEachDatabase } from '../helpers/server.ts';
import { halfWritten } from './integrity.ts';

const WORKERS = 20;
const KILLS = 3;

interface Acknowledged {
  apps: { clientId: string; name: string; redirectUris: string[]; owner: Client }[];
  secrets: { clientId: string; secret: string }[];
  /** Token pairs from a code exchange or a rotation, with the refresh token they replaced (if any). */
  pairs: { app: TestApp; access: string; refresh: string; replaced?: string; rotatedLater: boolean }[];
}

/** One connection's loop: the four writes in turn until the server stops answering. */
async function work(url: string, app: TestApp, round: number, worker: number, acked: Acknowledged, firstRefresh: string): Promise<void> {
  const owner = new Client(url);
  owner.cookies = app.owner.client.cookies;
  const creds = { clientId: app.clientId, secret: app.secret };
  let chain = acked.pairs.find((p) => p.refresh === firstRefresh)!;
  try {
    for (let n = 0; ; n++) {
      if (n % 4 === 0) {
        const name = `crash ${round}.${worker}.${n}`;
        const redirectUris = [`https://crash.example/${round}/${worker}/${n}`];
        const created = await owner.post('/api/oauth/client', { json: { name, homepage: 'https://crash.example', redirectUris, scopes: ['record|read'] } });
        if (created.status === 201) acked.apps.push({ clientId: created.body.clientId, name, redirectUris, owner });
      } else if (n % 4 === 1) {
        const secret = await owner.post(`/api/oauth/client/${app.clientId}/secret`);
        if (secret.status === 201) acked.secrets.push({ clientId: app.clientId, secret: secret.body.secret });
      } else if (n % 4 === 2) {
        const code = await codeFor(owner, app.clientId);
        const issued = await tokenRequest(url, creds, { grant_type: 'authorization_code', code });
        if (issued.status === 200) acked.pairs.push({ app, access: issued.body.access_token, refresh: issued.body.refresh_token, rotatedLater: false });
      } else {
        // Marked before sending: if the answer never comes, the rotation may or may not have been committed.
        chain.rotatedLater = true;
        const rotated = await tokenRequest(url, creds, { grant_type: 'refresh_token', refresh_token: chain.refresh });
        if (rotated.status !== 200) throw new Error(`refresh refused under load: ${rotated.status} ${rotated.text}`);
        chain = { app, access: rotated.body.access_token, refresh: rotated.body.refresh_token, replaced: chain.refresh, rotatedLater: false };
        acked.pairs.push(chain);
      }
    }
  } catch (error) {
    // The kill: a refused connection or a reset is the end of this worker's load; anything else is a finding.
    if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket hang up|other side closed/.test(`${(error as Error).message} ${(error as { cause?: Error }).cause?.message}`)) throw error;
  }
}

/** Runs `check` over `items`, `width` at a time (checks are independent; one by one they are slow). */
async function eachInParallel<T>(items: T[], width: number, check: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await check(items[next++]);
  }));
}

/** How many acknowledged writes the restarted server still has; a list of the ones it lost. */
async function verify(url: string, acked: Acknowledged): Promise<{ checked: number; lost: string[] }> {
  const lost: string[] = [];
  let checked = 0;
  await eachInParallel(acked.apps, 10, async (app) => {
    checked++;
    const reply = await new Client(url).get(`/api/oauth/client/${app.clientId}`, { headers: { cookie: `steep_session=${app.owner.cookies.get('steep_session')}` } });
    if (reply.status !== 200 || reply.body.name !== app.name || JSON.stringify(reply.body.redirectUris) !== JSON.stringify(app.redirectUris)) lost.push(`app ${app.clientId}: ${reply.status}`);
  });
  await eachInParallel(acked.secrets, 10, async ({ clientId, secret }) => {
    checked++;
    const reply = await new Client(url).post('/oauth/introspect', { form: { client_id: clientId, client_secret: secret, token: 'none' } });
    if (reply.status !== 200) lost.push(`secret of ${clientId}: ${reply.status}`);
  });
  const introspect = (pair: Acknowledged['pairs'][number], token: string) =>
    new Client(url).post('/oauth/introspect', { form: { client_id: pair.app.clientId, client_secret: pair.app.secret, token } });
  // Alive first: presenting a rotated refresh token (below) revokes its whole family.
  await eachInParallel(acked.pairs, 10, async (pair) => {
    checked++;
    if ((await introspect(pair, pair.access)).body.active !== true) lost.push(`access token of ${pair.app.clientId}`);
    if (!pair.rotatedLater && (await introspect(pair, pair.refresh)).body.active !== true) lost.push(`current refresh token of ${pair.app.clientId}`);
  });
  await eachInParallel(acked.pairs.filter((p) => p.replaced), 10, async (pair) => {
    const replay = await tokenRequest(url, pair.app, { grant_type: 'refresh_token', refresh_token: pair.replaced! });
    if (replay.status !== 400 || replay.body.error !== 'invalid_grant') lost.push(`rotated refresh token of ${pair.app.clientId} still works: ${replay.status}`);
  });
  return { checked, lost };
}

forEachDatabase('crash durability', (ctx) => {
  it(`keeps every acknowledged write through ${KILLS} SIGKILLs under load from ${WORKERS} connections, and leaves nothing half-written`, async (t) => {
    const apps = await Promise.all(Array.from({ length: WORKERS }, () => newApp(ctx.server.url, { scopes: ['user|email_read'] })));
    let steep: SteepProcess = await spawnSteep(ctx.server.config);
    const totals = { checked: 0, lost: 0 };
    try {
      for (let round = 1; round <= KILLS; round++) {
        const acked: Acknowledged = { apps: [], secrets: [], pairs: [] };
        // Each connection starts a refresh chain of its own (families from earlier rounds were revoked by the checks).
        const starts = await Promise.all(apps.map(async (app) => {
          const owner = new Client(steep.url);
          owner.cookies = app.owner.client.cookies;
          const issued = await tokenRequest(steep.url, app, { grant_type: 'authorization_code', code: await codeFor(owner, app.clientId), redirect_uri: REDIRECT_URI });
          assert.equal(issued.status, 200, issued.text);
          acked.pairs.push({ app, access: issued.body.access_token, refresh: issued.body.refresh_token, rotatedLater: false });
          return issued.body.refresh_token as string;
        }));
        let settled = false;
        const load = Promise.all(apps.map((app, w) => work(steep.url, app, round, w, acked, starts[w]))).finally(() => (settled = true));
        // Mid-load: once a good number of writes are acknowledged (each worker has done each kind at least once).
        // A worker that fails on its own ends the load early; awaiting it below reports why.
        while (!settled && acked.apps.length + acked.secrets.length + acked.pairs.length < WORKERS * 8) await sleep(20);
        await steep.crash();
        await load;
        steep = await spawnSteep(ctx.server.config);
        const { checked, lost } = await verify(steep.url, acked);
        totals.checked += checked;
        totals.lost += lost.length;
        t.diagnostic(`${ctx.server.kind} kill ${round}: ${checked} acknowledged writes checked (${acked.apps.length} apps, ${acked.secrets.length} secrets, ${acked.pairs.length} token pairs, ${acked.pairs.filter((p) => p.replaced).length} of them rotations), ${lost.length} lost`);
        assert.deepEqual(lost, [], `acknowledged writes lost after kill ${round}`);
        const orphans = await halfWritten(ctx.server.steep.db);
        assert.deepEqual(Object.entries(orphans).filter(([, n]) => n > 0), [], `half-written rows after kill ${round}`);
      }
    } finally {
      await steep.stop();
    }
    t.diagnostic(`${ctx.server.kind}: ${KILLS} kills survived, ${totals.checked} acknowledged writes checked, ${totals.lost} lost`);
  });
});
