// The main table for one database: the baselines (bare node:http, bare Fastify, oidc-provider) and
// Steep's hot paths, interleaved in one schedule, with ratios to the bare Fastify route and to
// oidc-provider's corresponding grant.
import type { Request } from 'autocannon';
import { type Drive, type Measured, interleave } from './measure.ts';
import { codeExchanges, getWithBearer, postForm, refreshChains } from './requests.ts';
import { consentedApp, exchange, tokenRequest, APP_BODY } from './seeding/steep-http.ts';
import { openStore, seedCodes, seedFamilies } from './seeding/steep-store.ts';
import type { Settings } from './settings.ts';
import { fixed, markdownTable, ratio } from './table.ts';
import { BARE_TOKEN } from './targets/fixture.ts';
import type { OidcTarget, Target } from './targets/launch.ts';
import { BENCH_SECRET, type SteepTarget } from './targets/steep.ts';

export interface Baselines {
  http: Target;
  fastify: Target;
  oidc: OidcTarget;
}

type Versus = 'fastify' | 'oidc-cc' | 'oidc-refresh';

interface Row {
  name: string;
  drive: Drive;
  /** Which oidc-provider row this one is read against. */
  oidc?: 'oidc-cc' | 'oidc-refresh';
  /** This row is a baseline others are read against. */
  is?: Versus;
}

const fixedRequests = (url: string, pids: () => number[], requests: Request[]): Drive => ({ url, pids, prepare: async () => requests });

/** Codes to seed before a run: what the last run's rate would consume, with room to spare. */
const codesFor = (seconds: number, lastRate: number | undefined, connections: number) => Math.ceil(Math.max(lastRate ?? 5000, 1000) * seconds * 1.5) + connections;

export async function mainTable(steep: SteepTarget, baselines: Baselines, settings: Settings): Promise<string> {
  const { connections } = settings;
  const origin = steep.origin;
  const pids = steep.pids;

  // Over HTTP, as a user would: an account with a PAT, an app with a secret and consent, one real code exchange.
  const app = await consentedApp(origin, 1);
  const { access_token: accessToken } = await exchange(origin, app.basic, app.codes[0]);
  const owner = { clientId: app.clientId, userId: app.user.id };
  const scopes = ['record|read'];

  // In bulk, straight into the database with the server's hasher: codes and refresh families.
  const store = await openStore(steep.databaseUrl, BENCH_SECRET);
  try {
    const [code] = await seedCodes(store, owner, 1, scopes);
    const checkedCode = await tokenRequest(origin, app.basic, `grant_type=authorization_code&code=${code}`);
    if (checkedCode.status !== 200) throw new Error(`Steep refused a seeded code: ${checkedCode.status} ${JSON.stringify(checkedCode.body)}`);
    const [refresh] = await seedFamilies(store, owner, 1, scopes);
    const checkedRefresh = await tokenRequest(origin, app.basic, `grant_type=refresh_token&refresh_token=${refresh}`);
    if (checkedRefresh.status !== 200) throw new Error(`Steep refused a seeded refresh token: ${checkedRefresh.status} ${JSON.stringify(checkedRefresh.body)}`);
    const [oidcRefresh] = await baselines.oidc.seedRefresh(1);
    const checkedOidc = await fetch(`${baselines.oidc.origin}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: baselines.oidc.basic }, body: `grant_type=refresh_token&refresh_token=${oidcRefresh}` });
    if (checkedOidc.status !== 200) throw new Error(`oidc-provider refused a seeded refresh token: ${checkedOidc.status} ${await checkedOidc.text()}`);

    const rows: Row[] = [
      { name: 'bare node:http JSON (GET, Map lookup)', is: 'fastify', drive: fixedRequests(baselines.http.origin, baselines.http.pids, getWithBearer('/api/auth/user', BARE_TOKEN)) },
      { name: 'bare Fastify 5 JSON route with schema', is: 'fastify', drive: fixedRequests(baselines.fastify.origin, baselines.fastify.pids, getWithBearer('/api/auth/user', BARE_TOKEN)) },
      { name: 'oidc-provider client_credentials', is: 'oidc-cc', drive: fixedRequests(baselines.oidc.origin, baselines.oidc.pids, postForm('/token', baselines.oidc.basic, 'grant_type=client_credentials')) },
      {
        name: 'oidc-provider refresh (rotation)',
        is: 'oidc-refresh',
        drive: { url: baselines.oidc.origin, pids: baselines.oidc.pids, prepare: async () => refreshChains('/token', baselines.oidc.basic, await baselines.oidc.seedRefresh(connections * 2)) },
      },
      { name: 'Steep GET /api/auth/user (OAuth token)', oidc: 'oidc-cc', drive: fixedRequests(origin, pids, getWithBearer('/api/auth/user', accessToken)) },
      { name: 'Steep GET /api/auth/user (PAT)', oidc: 'oidc-cc', drive: fixedRequests(origin, pids, getWithBearer('/api/auth/user', app.user.pat)) },
      { name: 'Steep POST /oauth/introspect', oidc: 'oidc-cc', drive: fixedRequests(origin, pids, postForm('/oauth/introspect', app.basic, `token=${accessToken}`)) },
      {
        name: 'Steep POST /api/oauth/client (create app)',
        drive: fixedRequests(origin, pids, [{ method: 'POST', path: '/api/oauth/client', headers: { authorization: `Bearer ${app.user.pat}`, 'content-type': 'application/json' }, body: APP_BODY }]),
      },
      {
        name: 'Steep refresh grant (rotation)',
        oidc: 'oidc-refresh',
        drive: { url: origin, pids, prepare: async () => refreshChains('/oauth/token', app.basic, await seedFamilies(store, owner, connections * 2, scopes)) },
      },
      {
        name: 'Steep code exchange',
        oidc: 'oidc-refresh',
        drive: { url: origin, pids, prepare: async (seconds, lastRate) => codeExchanges('/oauth/token', app.basic, await seedCodes(store, owner, codesFor(seconds, lastRate, connections), scopes)) },
      },
      { name: 'Steep client_credentials', oidc: 'oidc-cc', drive: fixedRequests(origin, pids, postForm('/oauth/token', app.basic, 'grant_type=client_credentials')) },
    ];
    const chosen = rows.filter((row) => row.is || !settings.only || settings.only.test(row.name));
    const results = await interleave(chosen, settings);
    return format(chosen, results);
  } finally {
    await store.close();
  }
}

function format(rows: Row[], results: Map<Row, Measured>): string {
  const rate = (name: string) => [...results].find(([row]) => row.name === name)?.[1].reqPerSec;
  const fastify = rate('bare Fastify 5 JSON route with schema');
  const versus = { 'oidc-cc': rate('oidc-provider client_credentials'), 'oidc-refresh': rate('oidc-provider refresh (rotation)') };
  const label = { 'oidc-cc': 'its client_credentials', 'oidc-refresh': 'its refresh' };
  const body = rows.map((row) => {
    const m = results.get(row)!;
    return [
      row.name,
      fixed(m.reqPerSec),
      fixed(m.p50),
      fixed(m.p99),
      fixed(m.non2xx),
      `${fixed(m.memory.sum)} / ${fixed(m.memory.max)}${m.memory.processes > 1 ? ` (${m.memory.processes} proc)` : ''}`,
      ratio(m.reqPerSec, fastify),
      row.oidc ? `${ratio(m.reqPerSec, versus[row.oidc])} × ${label[row.oidc]}` : '',
    ];
  });
  return markdownTable(['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'RSS MiB sum / max', 'vs bare Fastify', 'vs oidc-provider'], body, [false, true, true, true, true, true, true, false]);
}
