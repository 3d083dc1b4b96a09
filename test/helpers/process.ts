// Runs Steep as a separate OS process (bin/steep.js serve) on a given database, for multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Config } from '../../src/config.ts';
import { LIMITS, type LimitName } from '../../src/domain/rate-limits.ts';

export interface SteepProcess {
  url: string;
  /** SIGTERM, then wait for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
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

/** Starts a second Steep on the same database, key and limits as `config`, on a free port; `env` adds settings. */
export async function spawnSteep(config: Config, env: Record<string, string> = {}): Promise<SteepProcess> {
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : config.database.path;
  const child: ChildProcess = spawn(process.execPath, [new URL('../../bin/steep.js', import.meta.url).pathname, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, STEEP_SECRET: config.secret, LOG_LEVEL: 'info', PUBLIC_ORIGIN: config.issuer, ...limitEnv(config), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`steep exited with ${code} before listening`)));
  });
  child.stdout!.resume();
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}
