// The resource-server kit under load: the example records API (examples/resource-server) runs as its
// own process on the compiled kit (dist/resource-server: no development condition, so no TypeScript
// sources behind `steep/resource-server`), and the same route is driven bare, with a JWT checked
// locally, and with an opaque token introspected at Steep on every request or from the cache.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleave } from './measure.ts';
import { freePort, processTree, stopProcess } from './processes.ts';
import { getWithBearer } from './requests.ts';
import { consentedApp, exchange } from './seeding/steep-http.ts';
import type { Settings } from './settings.ts';
import { fixed, markdownTable, ratio } from './table.ts';
import type { SteepTarget } from './targets/steep.ts';

export interface Api {
  origin: string;
  pids(): number[];
  stop(): Promise<void>;
}

/** STEEP_RESOURCES_FILE declaring the API, so Steep issues JWTs for it. */
export function resourcesFile(resource: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'steep-bench-')), 'resources.json');
  writeFileSync(file, JSON.stringify([{ resource, name: 'Bench records API' }]));
  return file;
}

async function startApi(port: number, env: Record<string, string>): Promise<Api> {
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../examples/resource-server/server.ts', import.meta.url).pathname], {
    env: { ...process.env, PORT: String(port), RESOURCE: origin, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${origin}/healthz`).then((reply) => reply.ok, () => false)) return { origin, pids: () => processTree(child.pid!), stop: () => stopProcess(child) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`the example API on ${origin} did not start`);
}

/**
 * Two APIs for one resource (`resource`, whose port the first one listens on): one introspecting on
 * every request (CACHE_SECONDS=0, the true round trip), one with the kit's default cache. The app
 * whose tokens are driven is the APIs' introspection client: Steep tells an issuing client about its
 * own tokens. Each row is read against the API's bare GET /healthz in the same schedule.
 */
export async function resourceServerTable(settings: Settings, startSteep: (env: Record<string, string>) => Promise<SteepTarget>): Promise<string> {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}`;
  const steep = await startSteep({ STEEP_RESOURCES_FILE: resourcesFile(resource) });
  const { clientId, secret, basic, codes } = await consentedApp(steep.origin, 2);
  const jwt = (await exchange(steep.origin, basic, codes[0], `&resource=${encodeURIComponent(resource)}`)).access_token;
  const opaque = (await exchange(steep.origin, basic, codes[1])).access_token;
  const credentials = { STEEP_URL: steep.origin, CLIENT_ID: clientId, CLIENT_SECRET: secret };
  const uncached = await startApi(port, { ...credentials, CACHE_SECONDS: '0' });
  try {
    const cached = await startApi(await freePort(), credentials);
    try {
      const row = (name: string, api: Api, requests: ReturnType<typeof getWithBearer>) => ({ name, api, drive: { url: api.origin, pids: api.pids, prepare: async () => requests } });
      const rows = [
        row('API GET /healthz (bare Fastify route)', uncached, [{ method: 'GET', path: '/healthz' }]),
        row('API GET /records (JWT, verified locally)', uncached, getWithBearer('/records', jwt)),
        row('API GET /records (opaque, introspected)', uncached, getWithBearer('/records', opaque)),
        row('API GET /records (opaque, 30 s cache)', cached, getWithBearer('/records', opaque)),
      ];
      const results = await interleave(rows, settings);
      const bare = results.get(rows[0])!.reqPerSec;
      const body = rows.map((r) => {
        const m = results.get(r)!;
        return [r.name, fixed(m.reqPerSec), ratio(m.reqPerSec, bare), fixed(m.p50), fixed(m.p99), fixed(m.non2xx), fixed(m.memory.sum)];
      });
      return '\n## steep/resource-server in the example API (its own process; RSS is the API\'s; Steep on SQLite)\n\n' +
        markdownTable(['row', 'req/s', 'vs bare', 'p50 ms', 'p99 ms', 'non-2xx', 'API RSS MiB'], body);
    } finally {
      await cached.stop();
    }
  } finally {
    await uncached.stop();
  }
}
