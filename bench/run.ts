// `npm run bench`: builds Steep, starts every target as its own process on loopback and prints
// — one table per database (SQLite, PostgreSQL): Steep's hot paths next to a bare node:http and a bare
//   Fastify route doing the bearer check's JSON work, and node-oidc-provider's token endpoint;
// — the growth table: bearer check and introspection at 1k / 100k / 1M stored tokens;
// — the steep/resource-server table (bench/resource-server.ts).
// `npm run bench -- --soak 10` instead runs mixed load for 10 minutes, printing Steep's RSS per minute.
// Figures are printed, never asserted; ratios within one run are what counts. See bench/README.md.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type BenchDatabase, type DatabaseKind, openBenchDatabase, postgresProblem } from './databases.ts';
import { growthTable } from './growth.ts';
import { type Baselines, mainTable } from './main-table.ts';
import { resourceServerTable } from './resource-server.ts';
import { settings } from './settings.ts';
import { soak } from './soak.ts';
import { startBareFastify, startBareHttp, startOidcProvider } from './targets/launch.ts';
import { buildHasWorkers, describeProcesses, startSteep, type SteepTarget } from './targets/steep.ts';

const cleanups: (() => Promise<void>)[] = [];
const cleanup = async () => {
  for (const step of cleanups.splice(0).reverse()) await step().catch((error: Error) => console.error(`bench: cleanup failed: ${error.message}`));
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

const started = Date.now();
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
console.log(`# Steep bench — ${new Date().toISOString()}`);
console.log(`machine: ${settings.cores} cores (nproc), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`);
console.log(
  `settings: ${settings.connections} connections, median of ${settings.runs} × ${settings.seconds} s per row (warm-up ${settings.warmup} s), ` +
    `BENCH_WORKERS=${settings.workers ?? '(unset)'}${buildHasWorkers() ? '' : ' (this build has no --workers)'}, LOG_LEVEL=${settings.logLevel ?? "Steep's default"}`,
);

/** A fresh database and a Steep on it; both go away at cleanup. */
async function steepOn(kind: DatabaseKind, env?: Record<string, string>): Promise<{ steep: SteepTarget; database: BenchDatabase }> {
  const database = await openBenchDatabase(kind, settings.postgresUrl);
  cleanups.push(() => database.drop());
  const steep = await startSteep({ databaseUrl: database.url, workers: settings.workers, logLevel: settings.logLevel, env });
  cleanups.push(() => steep.stop());
  return { steep, database };
}

async function stopLast(count: number): Promise<void> {
  for (const step of cleanups.splice(cleanups.length - count).reverse()) await step();
}

const label = (kind: DatabaseKind) => (kind === 'sqlite' ? 'SQLite (WAL, synchronous=NORMAL)' : 'PostgreSQL');

try {
  const kinds: DatabaseKind[] = [];
  for (const kind of settings.soakMinutes > 0 ? [settings.soakDatabase] : settings.databases) {
    const problem = kind === 'postgres' ? await postgresProblem(settings.postgresUrl) : null;
    if (problem) console.log(`\nPostgreSQL skipped: ${settings.postgresUrl} is unreachable (${problem}); set BENCH_POSTGRES_URL.`);
    else kinds.push(kind);
  }

  if (settings.soakMinutes > 0) {
    for (const kind of kinds) {
      const { steep } = await steepOn(kind);
      console.log(`\n## Soak: ${settings.soakMinutes} min of mixed load on ${label(kind)}; Steep: ${describeProcesses(steep.processCount)} (${steep.workersNote})\n`);
      await soak(steep, settings);
      await stopLast(2);
    }
  } else {
    const baselines: Baselines = { http: await startBareHttp(), fastify: await startBareFastify(), oidc: await startOidcProvider() };
    cleanups.push(() => baselines.http.stop(), () => baselines.fastify.stop(), () => baselines.oidc.stop());
    for (const kind of kinds) {
      const { steep } = await steepOn(kind);
      console.log(`\n## ${label(kind)} — Steep: ${describeProcesses(steep.processCount)} (${steep.workersNote}); baselines: one process each\n`);
      process.stderr.write(`bench: main table on ${kind}\n`);
      console.log(await mainTable(steep, baselines, settings));
      await stopLast(2);
    }
    await stopLast(3);

    if (settings.growth.length) {
      for (const kind of kinds.filter((k) => settings.growth.includes(k))) {
        process.stderr.write(`bench: growth table on ${kind}\n`);
        const before = cleanups.length;
        const { header, table } = await growthTable(settings, () => steepOn(kind).then(({ steep }) => steep));
        console.log(`\n## Growth on ${label(kind)} — ${header}\n`);
        console.log(table);
        await stopLast(cleanups.length - before);
      }
    }

    if (settings.resourceServer) {
      process.stderr.write('bench: resource-server table\n');
      console.log(await resourceServerTable(settings, (env) => steepOn('sqlite', env).then(({ steep }) => steep)));
      await cleanup();
    }
  }
  console.log(`\ntotal: ${((Date.now() - started) / 60_000).toFixed(1)} min`);
} finally {
  await cleanup();
}
