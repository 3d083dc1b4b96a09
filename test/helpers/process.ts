// Runs Steep as a separate OS process (bin/steep.js serve) on a given database, for multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Config } from '../../src/config.ts';
import { LIMITS, type LimitName } from '../../src/domain/rate-limits.ts';

/** One JSON log line of the process (pino: level, time, pid, msg, and the line's own fields). */
export type LogLine = Record<string, unknown> & { level: number; pid: number; msg: string };

export interface SteepProcess {
  url: string;
  /** The process started (the cluster primary with --workers N > 1). */
  pid: number;
  /** Every log line so far, in order. */
  logs: LogLine[];
  /** The first line from `from` on (an index into logs) that matches, as soon as it is written. */
  waitForLog(matches: (line: LogLine) => boolean, from?: number): Promise<LogLine>;
  /** SIGTERM, then wait for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: nothing is flushed or closed), then wait for the exit. */
  crash(): Promise<void>;
}

/** The settings that make a second process count and limit like the first: its limits, proxy trust and counter store. */
function limitEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = { STEEP_TRUST_PROXY: String(config.trustProxy) };
  for (const [name, limit] of Object.entries(config.rateLimits) as [LimitName, Config['rateLimits'][LimitName]][]) {
    env[LIMITS[name].env] = limit ? `${limit.max}/${limit.windowMs / 1000}` : 'off';
  }
  if (config.redisUrl) env.STEEP_REDIS_URL = config.redisUrl;
  return env;
}

/**
 * Starts a second Steep on the same database, key and limits as `config`, on a free port; `env` adds settings
 * (undefined unsets one), `args` replaces the serve flags (a single process unless a test asks for
 * workers). Resolves at the start-up line.
 */
export async function spawnSteep(config: Config, env: Record<string, string | undefined> = {}, args: string[] = ['--workers', '1']): Promise<SteepProcess> {
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : config.database.path;
  const child: ChildProcess = spawn(process.execPath, [new URL('../../bin/steep.js', import.meta.url).pathname, 'serve', ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, STEEP_SECRET: config.secret, LOG_LEVEL: 'info', PUBLIC_ORIGIN: config.issuer, ...limitEnv(config), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    // Errors the server logs (pino levels 50 and 60) show in the test output.
    if (/"level":(50|60)/.test(text)) process.stderr.write(`steep serve: ${text}\n`);
    logs.push(JSON.parse(text) as LogLine);
    for (const wake of waiters) wake();
  });
  const exited = once(child, 'exit');
  const waitForLog = (matches: (line: LogLine) => boolean, from = 0) =>
    new Promise<LogLine>((resolve, reject) => {
      const look = () => {
        const found = logs.slice(from).find(matches);
        if (found) {
          waiters.delete(look);
          resolve(found);
        }
      };
      waiters.add(look);
      look();
      void exited.then(([code]) => waiters.has(look) && reject(new Error(`steep exited with ${code}; its log: ${JSON.stringify(logs)}`)));
    });
  const started = await waitForLog((line) => line.msg === 'Steep started');
  return {
    url: started.address as string,
    pid: child.pid!,
    logs,
    waitForLog,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
