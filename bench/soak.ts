// Soak: mixed load on one Steep for N minutes — bearer checks (OAuth token and PAT), introspection,
// refresh with rotation and client_credentials at once, each on its share of the connections — printing
// every minute the throughput and Steep's RSS, summed and per process, to show it stays flat.
import autocannon, { type Request } from 'autocannon';
import { rssMiB, sampleMemory } from './processes.ts';
import { getWithBearer, postForm, refreshChains } from './requests.ts';
import { consentedApp, exchange } from './seeding/steep-http.ts';
import { openStore, seedFamilies } from './seeding/steep-store.ts';
import type { Settings } from './settings.ts';
import { fixed, markdownTable } from './table.ts';
import { BENCH_SECRET, type SteepTarget } from './targets/steep.ts';

export async function soak(steep: SteepTarget, settings: Settings): Promise<void> {
  const origin = steep.origin;
  const app = await consentedApp(origin, 1);
  const { access_token: accessToken } = await exchange(origin, app.basic, app.codes[0]);
  const owner = { clientId: app.clientId, userId: app.user.id };
  const store = await openStore(steep.databaseUrl, BENCH_SECRET);
  const share = (fraction: number) => Math.max(1, Math.round(settings.connections * fraction));
  const mixes: { name: string; connections: number; requests: () => Promise<Request[]> }[] = [
    { name: 'bearer (OAuth)', connections: share(0.3), requests: async () => getWithBearer('/api/auth/user', accessToken) },
    { name: 'bearer (PAT)', connections: share(0.2), requests: async () => getWithBearer('/api/auth/user', app.user.pat) },
    { name: 'introspection', connections: share(0.2), requests: async () => postForm('/oauth/introspect', app.basic, `token=${accessToken}`) },
    { name: 'refresh', connections: share(0.15), requests: async () => refreshChains('/oauth/token', app.basic, await seedFamilies(store, owner, share(0.15) * 2, ['record|read'])) },
    { name: 'client_credentials', connections: share(0.15), requests: async () => postForm('/oauth/token', app.basic, 'grant_type=client_credentials') },
  ];
  const perProcessHeader = (count: number) => Array.from({ length: count }, (_, i) => `proc ${i + 1} MiB`);
  const rows: string[][] = [];
  let processCount = steep.pids().length;
  console.log(`mix: ${mixes.map((m) => `${m.name} ×${m.connections}`).join(', ')} connections; RSS at the end of each minute (peak within it in the last column)\n`);
  try {
    for (let minute = 1; minute <= Math.ceil(settings.soakMinutes); minute++) {
      const seconds = Math.min(60, (settings.soakMinutes - minute + 1) * 60);
      const memory = sampleMemory(steep.pids, 1000);
      const results = await Promise.all(mixes.map(async (mix) => autocannon({ url: origin, connections: mix.connections, duration: seconds, requests: await mix.requests() })));
      const peak = memory.stop();
      const perProcess = steep.pids().map(rssMiB);
      processCount = Math.max(processCount, perProcess.length);
      const total = results.reduce((sum, r) => sum + r.requests.total, 0) / seconds;
      const non2xx = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
      const row = [String(minute), fixed(total), fixed(non2xx), fixed(perProcess.reduce((a, b) => a + b, 0)), ...perProcess.map((rss) => fixed(rss)), fixed(peak.max)];
      rows.push(row);
      process.stderr.write(`  minute ${minute}: ${row.join('  ')}\n`);
    }
  } finally {
    await store.close();
  }
  const width = Math.max(...rows.map((row) => row.length));
  const padded = rows.map((row) => [...row.slice(0, -1), ...Array(width - row.length).fill(''), row[row.length - 1]]);
  console.log(markdownTable(['minute', 'req/s', 'non-2xx', 'RSS sum MiB', ...perProcessHeader(width - 5), 'peak proc MiB'], padded));
}
