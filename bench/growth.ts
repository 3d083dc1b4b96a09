// The growth table: the bearer check and introspection on databases holding 1k, 100k and 1M tokens.
// Each size gets its own database and its own Steep (all running side by side), seeded in bulk through
// the store, so the six rows (two routes × three sizes) run interleaved in one schedule: a slow minute of
// the shared machine lands on every size alike, and "vs 1k" compares figures taken at the same times.
// Each row presents tokens sampled over its whole table.
import { sql } from 'kysely';
import { interleave } from './measure.ts';
import { cycling } from './requests.ts';
import { grow, startGrowth, type Presented } from './seeding/growth-rows.ts';
import { openStore } from './seeding/steep-store.ts';
import type { Settings } from './settings.ts';
import { fixed, markdownTable, ratio } from './table.ts';
import { BENCH_SECRET, type SteepTarget } from './targets/steep.ts';

const SIZES = [1_000, 100_000, 1_000_000];

/** A Steep on a fresh database of `size` tokens, and a uniform sample of its live access tokens. */
async function seeded(steep: SteepTarget, size: number): Promise<{ stored: number; sample: Presented[] }> {
  const began = Date.now();
  const store = await openStore(steep.databaseUrl, BENCH_SECRET);
  try {
    const data = await startGrowth(store);
    await grow(store, data, size);
    // What autovacuum would have done by then on a real PostgreSQL; SQLite's planner needs nothing for these lookups.
    if (store.kind === 'postgres') await sql`analyze`.execute(store.db);
    const stored = Number((await sql<{ n: number | string }>`select count(*) as n from tokens`.execute(store.db)).rows[0].n);
    process.stderr.write(`  ${fixed(stored)} tokens stored (${((Date.now() - began) / 1000).toFixed(1)} s to seed)\n`);
    return { stored, sample: data.sample };
  } finally {
    await store.close();
  }
}

export async function growthTable(settings: Settings, startSteep: () => Promise<SteepTarget>): Promise<{ header: string; table: string }> {
  const sizes = SIZES.filter((size) => size <= settings.growthMax);
  if (sizes.length === 0) sizes.push(settings.growthMax);
  const targets: { steep: SteepTarget; stored: number; sample: Presented[] }[] = [];
  for (const size of sizes) {
    const steep = await startSteep();
    targets.push({ steep, ...(await seeded(steep, size)) });
  }
  const rows = targets.flatMap(({ steep, stored, sample }) => [
    {
      name: `bearer check at ${fixed(stored)}`,
      drive: { url: steep.origin, pids: steep.pids, prepare: async () => cycling(sample, ({ token }) => ({ method: 'GET', path: '/api/auth/user', headers: { authorization: `Bearer ${token}` } })) },
    },
    {
      name: `introspection at ${fixed(stored)}`,
      drive: {
        url: steep.origin,
        pids: steep.pids,
        prepare: async () => cycling(sample, ({ token, basic }) => ({ method: 'POST', path: '/oauth/introspect', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` })),
      },
    },
  ]);
  const results = [...(await interleave(rows, settings)).values()];
  const [firstBearer, firstIntrospect] = results;
  const lines = targets.map(({ stored }, i) => {
    const [bearer, introspect] = results.slice(2 * i, 2 * i + 2);
    return [
      fixed(stored),
      fixed(bearer.reqPerSec), fixed(bearer.p99), ratio(bearer.reqPerSec, firstBearer.reqPerSec),
      fixed(introspect.reqPerSec), fixed(introspect.p99), ratio(introspect.reqPerSec, firstIntrospect.reqPerSec),
      fixed(bearer.non2xx + introspect.non2xx),
      fixed(Math.max(bearer.memory.sum, introspect.memory.sum)),
    ];
  });
  return {
    header: `one Steep per size, side by side (${targets.map(({ steep }) => steep.processCount).join(' + ')} processes), each on its own database`,
    table: markdownTable(
      ['stored tokens', 'bearer req/s', 'bearer p99 ms', 'bearer vs 1k', 'introspect req/s', 'introspect p99 ms', 'introspect vs 1k', 'non-2xx', 'RSS MiB sum'],
      lines,
    ),
  };
}
