// Steep under test: the build (dist/main.js serve, as `npm start` runs it) as its own process on a
// fresh database, with `--workers N` when the build has that option.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distDir as dist } from '../build.ts';
import { freePort, processTree, spawnNode, stopProcess, waitForHttp } from '../processes.ts';
import type { Target } from './launch.ts';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';

/** Whether the build knows `serve --workers` (its usage text names the option). Running `serve --help` on a build without it would start a server. */
export function buildHasWorkers(): boolean {
  try {
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    return files.some((file) => readFileSync(join(dist, file), 'utf8').includes('--workers'));
  } catch {
    return false;
  }
}

export interface SteepTarget extends Target {
  databaseUrl: string;
  /** What was asked for: `--workers N`, Steep's default, or one process because the build has no such option. */
  workersNote: string;
  /** Serving processes found after start (a cluster's primary and its workers). */
  processCount: number;
}

export async function startSteep(options: { databaseUrl: string; workers: number | undefined; logLevel?: string; env?: Record<string, string> }): Promise<SteepTarget> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    STEEP_SECRET: BENCH_SECRET,
    // The bench holds one OAuth access token for a whole table (and a soak): a day, not ten minutes. Costs nothing per request.
    STEEP_ACCESS_TOKEN_TTL: '86400',
    // The bench creates apps, signs up and authorizes from one user and address on purpose, far past
    // what the rate limits allow one person: with them on it would measure 429s.
    STEEP_LIMIT_APP_CREATE_USER: 'off',
    STEEP_LIMIT_AUTHORIZE_USER: 'off',
    STEEP_LIMIT_SIGNUP_IP: 'off',
    ...(options.logLevel && { LOG_LEVEL: options.logLevel }),
    ...options.env,
  };
  const hasWorkers = buildHasWorkers();
  const attempts: { args: string[]; note: string }[] = [];
  if (hasWorkers && options.workers !== undefined) attempts.push({ args: ['--workers', String(options.workers)], note: `--workers ${options.workers}` });
  attempts.push({
    args: [],
    note: hasWorkers ? "Steep's default workers" : options.workers !== undefined ? `one process (BENCH_WORKERS=${options.workers} ignored: this build has no --workers)` : 'one process (this build has no --workers)',
  });
  let lastError: unknown;
  for (const attempt of attempts) {
    const child = spawnNode(join(dist, 'main.js'), ['serve', ...attempt.args], env);
    try {
      await waitForHttp(`${origin}/readyz`, child, 30_000);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      continue;
    }
    // Workers come up one by one; wait until the tree stops growing.
    let count = processTree(child.pid!).length;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const now = processTree(child.pid!).length;
      if (now === count && i >= 3) break;
      count = now;
    }
    return { origin, databaseUrl: options.databaseUrl, workersNote: attempt.note, processCount: count, pids: () => processTree(child.pid!), stop: () => stopProcess(child, 20_000) };
  }
  throw new Error(`${(lastError as Error).message}\n${await diagnose(env)}`);
}

/** Steep logs to stdout, which the bench discards during runs: start it once more with stdout kept, to show why it stopped. */
async function diagnose(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [join(dist, 'main.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return `Steep's output on a second start:\n${output.split('\n').slice(-20).join('\n')}`;
}

/** "1 process" or "3 processes (a primary and 2 workers)". */
export const describeProcesses = (count: number) => (count <= 1 ? '1 process' : `${count} processes (a primary and ${count - 1} workers)`);
