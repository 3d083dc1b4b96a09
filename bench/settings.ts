// Every knob of `npm run bench`, from the environment and the command line, read once.
import { availableParallelism } from 'node:os';

const number = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number (got ${value})`);
  return parsed;
};

const flag = (name: string): boolean => process.argv.includes(name);

/** `--soak 10` on the command line wins over BENCH_SOAK_MINUTES. */
function soakMinutes(): number {
  const at = process.argv.indexOf('--soak');
  if (at >= 0) {
    const minutes = Number(process.argv[at + 1]);
    if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--soak needs a number of minutes, e.g. --soak 10');
    return minutes;
  }
  return number('BENCH_SOAK_MINUTES', 0);
}

function databases(): ('sqlite' | 'postgres')[] {
  const list = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of list) if (name !== 'sqlite' && name !== 'postgres') throw new Error(`BENCH_DATABASES: unknown database ${name} (sqlite, postgres)`);
  return list as ('sqlite' | 'postgres')[];
}

/** BENCH_GROWTH: 0 skips the growth table; otherwise the databases it runs on (default sqlite: to a million tokens it is the longest part). */
function growth(): ('sqlite' | 'postgres')[] {
  const value = process.env.BENCH_GROWTH ?? 'sqlite';
  if (value === '0' || flag('--no-growth')) return [];
  if (value === '1') return databases();
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of list) if (name !== 'sqlite' && name !== 'postgres') throw new Error(`BENCH_GROWTH: 0, 1 (every database) or a list of sqlite, postgres (got ${value})`);
  return list as ('sqlite' | 'postgres')[];
}

const workers = process.env.BENCH_WORKERS;

export const settings = {
  seconds: number('BENCH_SECONDS', 5),
  connections: number('BENCH_CONNECTIONS', 50),
  runs: Math.max(1, Math.round(number('BENCH_RUNS', 3))),
  warmup: number('BENCH_WARMUP', 2),
  /** undefined: Steep's own default (one worker per core once `--workers` exists). */
  workers: workers === undefined || workers === '' ? undefined : Math.max(1, Math.round(Number(workers))),
  databases: databases(),
  postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  growth: growth(),
  growthMax: number('BENCH_GROWTH_MAX', 1_000_000),
  /** The steep/resource-server table: off by default (another minute and more), on with --resource-server or BENCH_RESOURCE_SERVER=1. */
  resourceServer: process.env.BENCH_RESOURCE_SERVER === '1' || flag('--resource-server'),
  soakMinutes: soakMinutes(),
  soakDatabase: (process.env.BENCH_SOAK_DATABASE ?? 'sqlite') as 'sqlite' | 'postgres',
  /** A regular expression: only the main-table rows whose name matches (baselines always run). */
  only: process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined,
  /** Unset: Steep's default LOG_LEVEL (info), as `npm start` runs it; its output goes to /dev/null. */
  logLevel: process.env.BENCH_LOG_LEVEL,
  cores: availableParallelism(),
};

export type Settings = typeof settings;
