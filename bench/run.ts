// Load benchmark: starts Steep as its own process on a fresh database, drives it with autocannon
// from this process, and prints throughput, latency and server memory for each scenario, with the
// ratio to the bare /healthz route measured in the same run; then the same for an API guarded by
// steep/resource-server (bench/resource-server.ts), against its own bare route. Figures are printed, never asserted.
//   npm run bench                       # SQLite, 10 s per scenario
//   BENCH_SECONDS=5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { resourceServerScenarios, resourcesFile } from './resource-server.ts';
import { scenarios, type Scenario } from './scenarios.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const port = 3900 + Math.floor(Math.random() * 90);
const origin = `http://127.0.0.1:${port}`;
/** The API guarded by the kit: a resource Steep is told about, so it issues JWTs for it. */
const apiResource = `http://127.0.0.1:${port + 100}`;

function startSteep() {
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    STEEP_SECRET: 'bench-secret-bench-secret-bench-secret',
    DATABASE_URL: process.env.DATABASE_URL ?? join(mkdtempSync(join(tmpdir(), 'steep-bench-')), 'steep.db'),
    STEEP_RESOURCES_FILE: resourcesFile(apiResource),
    // The scenarios create apps and authorize thousands of codes from one user and address on purpose:
    // the limits on doing that would measure 429s instead.
    STEEP_LIMIT_APP_CREATE_USER: 'off',
    STEEP_LIMIT_AUTHORIZE_USER: 'off',
    STEEP_LIMIT_SIGNUP_IP: 'off',
  };
  // The compiled build (npm run bench builds it first), as `npm start` runs it: no TypeScript loader in the figures.
  const child = spawn(process.execPath, [new URL('../dist/main.js', import.meta.url).pathname, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitUntilUp(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('Steep did not start');
}

function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  rss: number;
}

/** Drives `url` with the scenario's requests; `pid` is the server whose memory the row reports. */
async function measure(name: string, url: string, pid: number, setup: Awaited<ReturnType<Scenario['setup']>>): Promise<Row> {
  const result = await autocannon({ url, connections, requests: setup.requests, ...(setup.amount ? { amount: setup.amount } : { duration: seconds }) });
  return { name, reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, rss: memoryMiB(pid).rss };
}

/** The rows, each with its ratio to the first (the bare route of the same server). */
function print(rows: Row[], versus: string): void {
  const baseline = rows[0].reqPerSec;
  console.log('scenario'.padEnd(44), 'req/s'.padStart(9), versus.padStart(11), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8), 'RSS MiB'.padStart(8));
  for (const row of rows) {
    console.log(
      row.name.padEnd(44),
      row.reqPerSec.toFixed(0).padStart(9),
      (row.reqPerSec / baseline).toFixed(2).padStart(11),
      String(row.p50).padStart(8),
      String(row.p99).padStart(8),
      String(row.errors).padStart(8),
      row.rss.toFixed(0).padStart(8),
    );
  }
}

const child = startSteep();
try {
  await waitUntilUp();
  console.log(`Steep at ${origin} (${process.env.DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}), ${connections} connections, ${seconds} s per scenario\n`);
  const rows: Row[] = [];
  for (const scenario of scenarios) rows.push(await measure(scenario.name, origin, child.pid!, await scenario.setup(origin)));
  print(rows, 'vs healthz');

  const kit = await resourceServerScenarios(origin, apiResource);
  try {
    const apiRows: Row[] = [];
    for (const scenario of kit.scenarios) apiRows.push(await measure(scenario.name, scenario.api.origin, scenario.api.pid, await scenario.setup(scenario.api.origin)));
    console.log('\nsteep/resource-server in the example API (its own process; RSS is the API\'s)');
    print(apiRows, 'vs bare');
  } finally {
    for (const api of kit.apis) api.stop();
  }
  console.log(`\npeak Steep RSS: ${memoryMiB(child.pid!).peak.toFixed(0)} MiB`);
} finally {
  child.kill('SIGTERM');
}
