// A PostgreSQL outage under load, on a cluster of the test's own: stopped (pg_ctl stop -m fast), then
// frozen (SIGSTOP to the postmaster and its backends). Requests answer 503 with Retry-After in each
// dialect's shape instead of waiting out the outage, /readyz says not ready, and once the database is
// back Steep serves again without a restart. The answer times are printed, not asserted (beyond a
// generous 20 s client timeout: an answer at all, not one that waits as long as the outage).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { newPersonalToken } from '../helpers/client.ts';
import { newApp } from '../helpers/oauth.ts';
import { createPgCluster, postgresBinaries, type PgCluster } from '../helpers/pg-cluster.ts';
import { spawnSteep, type SteepProcess } from '../helpers/process.ts';

const WAIT_MS = 1000;
const CLIENT_TIMEOUT_MS = 20_000;
const bin = postgresBinaries();

interface Answer {
  phase: string;
  /** When the answer arrived (epoch ms). */
  at: number;
  route: string;
  status: number | 'no answer';
  ms: number;
  retryAfter: string | null;
  body: Record<string, unknown> | null;
}

/** One timed request; a client timeout is recorded as "no answer", never thrown. */
async function timed(phase: string, route: string, url: string, init: RequestInit): Promise<Answer> {
  const started = Date.now();
  try {
    const reply = await fetch(url, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await reply.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text);
    } catch {}
    return { phase, route, at: Date.now(), status: reply.status, ms: Date.now() - started, retryAfter: reply.headers.get('retry-after'), body };
  } catch {
    return { phase, route, at: Date.now(), status: 'no answer', ms: Date.now() - started, retryAfter: null, body: null };
  }
}

const summary = (answers: Answer[]) => {
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  return `${answers.length} answers, ${[...new Set(answers.map((a) => a.status))].join('/')}, median ${times[Math.floor(times.length / 2)]} ms, max ${times.at(-1)} ms`;
};

it('answers 503 with Retry-After within the bound while PostgreSQL is stopped or frozen, and recovers without a restart', { skip: bin ? false : 'the PostgreSQL server binaries (initdb, pg_ctl) are not installed' }, async (t) => {
  let cluster: PgCluster | undefined;
  let steep: SteepProcess | undefined;
  try {
    cluster = await createPgCluster(bin!);
    const config = loadConfig({ DATABASE_URL: cluster.url, STEEP_SECRET: randomBytes(32).toString('hex'), PORT: '0', HOST: '127.0.0.1', PUBLIC_ORIGIN: 'http://127.0.0.1' });
    steep = await spawnSteep(config, { STEEP_DATABASE_TIMEOUT: String(WAIT_MS) });
    const url = steep.url;
    const app = await newApp(url, { grantTypes: ['client_credentials'], scopes: ['record|read'] });
    const pat = await newPersonalToken(app.owner.client);
    const requests = {
      teable: () => ({ url: `${url}/api/auth/user`, init: { headers: { authorization: `Bearer ${pat}` } } }),
      standard: () => ({ url: `${url}/oauth/token`, init: { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.secret }) } }),
    };

    // Ten connections keep asking throughout; each answer is filed under the phase in which it was asked.
    let phase = 'up';
    let running = true;
    const answers: Answer[] = [];
    const load = Promise.all(Array.from({ length: 10 }, async (_, i) => {
      while (running) {
        const route = i % 2 ? 'standard' : 'teable';
        const { url: target, init } = requests[route]();
        answers.push(await timed(phase, route, target, init));
      }
    }));
    const readyz = (label: string) => timed(label, 'readyz', `${url}/readyz`, {});
    /** Until a request of each dialect succeeds again; how long that took. */
    const recovery = async (label: string) => {
      const started = Date.now();
      while (Date.now() - started < 60_000) {
        const [a, b] = [await timed(label, 'teable', requests.teable().url, requests.teable().init), await timed(label, 'standard', requests.standard().url, requests.standard().init)];
        if (a.status === 200 && b.status === 200) return Date.now() - started;
        await sleep(200);
      }
      throw new Error(`${label}: Steep did not recover within 60 s`);
    };

    await sleep(1000);
    phase = 'stopping';
    const stopAt = Date.now();
    await cluster.stop();
    phase = 'stopped';
    await sleep(3000);
    const readyStopped = await readyz('stopped');
    phase = 'restarting';
    const over: Record<string, number> = { stopped: Date.now() };
    await cluster.start();
    const recoveredAfterStop = await recovery('restarted');
    phase = 'freezing';
    await cluster.freeze();
    phase = 'frozen';
    await sleep(5000);
    const readyFrozen = await readyz('frozen');
    phase = 'thawing';
    over.frozen = Date.now();
    cluster.thaw();
    const recoveredAfterThaw = await recovery('thawed');
    running = false;
    await load;

    for (const name of ['up', 'stopped', 'frozen']) {
      for (const route of ['teable', 'standard']) t.diagnostic(`${name} ${route}: ${summary(answers.filter((a) => a.phase === name && a.route === route))}`);
    }
    for (const odd of answers.filter((a) => a.status !== 200 && a.status !== 503)) t.diagnostic(`unexpected: ${odd.phase} ${odd.route} ${odd.status} ${JSON.stringify(odd.body)}`);
    t.diagnostic(`/readyz: ${readyStopped.status} in ${readyStopped.ms} ms stopped, ${readyFrozen.status} in ${readyFrozen.ms} ms frozen; recovered ${recoveredAfterStop} ms after the restart, ${recoveredAfterThaw} ms after SIGCONT (STEEP_DATABASE_TIMEOUT=${WAIT_MS})`);

    // Before the outage: served (on a machine this loaded, a statement may pass the 1 s bound now and then).
    const before = answers.filter((a) => a.phase === 'up' && a.at < stopAt);
    assert.ok(before.filter((a) => a.status === 200).length > before.length / 2, `served before the outage: ${summary(before)}`);
    // In flight when the server was told to stop: ended by it (503) or done before it (200), never a 500.
    assert.ok(answers.filter((a) => a.phase === 'up').every((a) => a.status === 200 || a.status === 503), 'no 500 for a request the shutdown cut');
    for (const name of ['stopped', 'frozen']) {
      // Asked during the outage and answered before it ended (a request still waiting when the database
      // came back may well succeed).
      const during = answers.filter((a) => a.phase === name && a.at < over[name]);
      assert.ok(during.length >= 10, `${name}: requests were answered during the outage (${during.length})`);
      for (const answer of during) {
        assert.equal(answer.status, 503, `${name} ${answer.route}: ${answer.status} after ${answer.ms} ms ${JSON.stringify(answer.body)}`);
        assert.equal(answer.retryAfter, '5');
        if (answer.route === 'teable') assert.deepEqual([answer.body?.status, answer.body?.code, typeof answer.body?.message], [503, 'unavailable', 'string']);
        else assert.deepEqual([answer.body?.error, typeof answer.body?.error_description], ['temporarily_unavailable', 'string']);
      }
    }
    for (const ready of [readyStopped, readyFrozen]) {
      assert.equal(ready.status, 503);
      assert.equal(ready.body?.status, 'unavailable');
    }
    assert.equal((await readyz('after')).status, 200, 'ready again');
  } finally {
    await steep?.stop();
    await cluster?.destroy();
  }
});
