// The growth table: the bearer check and introspection on a database holding 1k, 100k and 1M tokens
// (seeded in bulk through the store between sizes), each presented tokens sampled over the whole
// table, and each size's rate as a ratio to the rate at 1k.
import { sql } from 'kysely';
import { interleave, type Measured } from './measure.ts';
import { cycling } from './requests.ts';
import { grow, startGrowth } from './seeding/growth-rows.ts';
import { openStore } from './seeding/steep-store.ts';
import type { Settings } from './settings.ts';
import { fixed, markdownTable, ratio } from './table.ts';
import { BENCH_SECRET, type SteepTarget } from './targets/steep.ts';

const SIZES = [1_000, 100_000, 1_000_000];

export async function growthTable(steep: SteepTarget, settings: Settings): Promise<string> {
  const sizes = SIZES.filter((size) => size <= settings.growthMax);
  if (sizes.length === 0) sizes.push(settings.growthMax);
  const store = await openStore(steep.databaseUrl, BENCH_SECRET);
  const lines: string[][] = [];
  let first: { bearer: number; introspect: number } | undefined;
  try {
    const data = await startGrowth(store);
    for (const size of sizes) {
      const began = Date.now();
      await grow(store, data, size);
      // What autovacuum would have done by then on a real PostgreSQL; SQLite's planner needs nothing for these lookups.
      if (store.kind === 'postgres') await sql`analyze`.execute(store.db);
      const stored = Number((await sql<{ n: number | string }>`select count(*) as n from tokens`.execute(store.db)).rows[0].n);
      process.stderr.write(`  ${fixed(stored)} tokens stored (${((Date.now() - began) / 1000).toFixed(1)} s to seed)\n`);
      const sample = [...data.sample];
      const rows = [
        { name: `bearer check at ${fixed(stored)}`, drive: { url: steep.origin, pids: steep.pids, prepare: async () => cycling(sample, ({ token }) => ({ method: 'GET', path: '/api/auth/user', headers: { authorization: `Bearer ${token}` } })) } },
        {
          name: `introspection at ${fixed(stored)}`,
          drive: {
            url: steep.origin,
            pids: steep.pids,
            prepare: async () => cycling(sample, ({ token, basic }) => ({ method: 'POST', path: '/oauth/introspect', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` })),
          },
        },
      ];
      const results: Measured[] = [...(await interleave(rows, settings)).values()];
      const [bearer, introspect] = results;
      first ??= { bearer: bearer.reqPerSec, introspect: introspect.reqPerSec };
      lines.push([
        fixed(stored),
        fixed(bearer.reqPerSec), fixed(bearer.p99), ratio(bearer.reqPerSec, first.bearer),
        fixed(introspect.reqPerSec), fixed(introspect.p99), ratio(introspect.reqPerSec, first.introspect),
        fixed(bearer.non2xx + introspect.non2xx),
        fixed(Math.max(bearer.memory.sum, introspect.memory.sum)),
      ]);
    }
  } finally {
    await store.close();
  }
  return markdownTable(
    ['stored tokens', 'bearer req/s', 'bearer p99 ms', 'bearer vs 1k', 'introspect req/s', 'introspect p99 ms', 'introspect vs 1k', 'non-2xx', 'RSS MiB sum'],
    lines,
  );
}
