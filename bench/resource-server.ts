// The resource-server kit under load: the example records API (examples/resource-server) runs as its
// own process on the compiled kit (dist/resource-server: no development condition, so no TypeScript
// sources behind `steep/resource-server`), and the same route is driven bare, with a JWT checked
// locally, and with an opaque token introspected at Steep on every request or from the cache.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consentedApp, exchange, type Scenario } from './scenarios.ts';

export interface Api {
  origin: string;
  pid: number;
  stop(): void;
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
    if (await fetch(`${origin}/healthz`).then((reply) => reply.ok, () => false)) return { origin, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`the example API on ${origin} did not start`);
}

/**
 * Two APIs for one resource (`resource`, whose port the first one listens on): one introspecting on
 * every request (CACHE_SECONDS=0, the true round trip), one with the kit's default cache. The app
 * whose tokens are driven is the APIs' introspection client: Steep tells an issuing client about its own tokens.
 */
export async function resourceServerScenarios(steep: string, resource: string): Promise<{ apis: Api[]; scenarios: (Scenario & { api: Api })[] }> {
  const { clientId, secret, basic, codes } = await consentedApp(steep, 2);
  const jwt = (await exchange(steep, basic, codes[0], `&resource=${encodeURIComponent(resource)}`)).access_token;
  const opaque = (await exchange(steep, basic, codes[1])).access_token;
  const credentials = { STEEP_URL: steep, CLIENT_ID: clientId, CLIENT_SECRET: secret };
  const port = Number(new URL(resource).port);
  const apis: Api[] = [];
  apis.push(await startApi(port, { ...credentials, CACHE_SECONDS: '0' }));
  apis.push(await startApi(port + 1, credentials));
  const [uncached, cached] = apis;
  const records = (token: string) => async () => ({ requests: [{ method: 'GET' as const, path: '/records', headers: { authorization: `Bearer ${token}` } }] });
  return {
    apis,
    scenarios: [
      { name: 'API GET /healthz (bare Fastify route)', api: uncached, setup: async () => ({ requests: [{ method: 'GET', path: '/healthz' }] }) },
      { name: 'API GET /records (JWT, verified locally)', api: uncached, setup: records(jwt) },
      { name: 'API GET /records (opaque, introspected)', api: uncached, setup: records(opaque) },
      { name: 'API GET /records (opaque, 30 s cache)', api: cached, setup: records(opaque) },
    ],
  };
}
