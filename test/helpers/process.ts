// Runs Steep as a separate OS process (bin/steep.js serve) on a given database, for multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Config } from '../../src/config.ts';

export interface SteepProcess {
  url: string;
  /** SIGTERM, then wait for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: nothing is flushed or closed), then wait for the exit. */
  crash(): Promise<void>;
}

/** Starts a second Steep on the same database and key as `config`, on a free port; `env` adds settings. */
export async function spawnSteep(config: Config, env: Record<string, string> = {}): Promise<SteepProcess> {
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : config.database.path;
  const child: ChildProcess = spawn(process.execPath, [new URL('../../bin/steep.js', import.meta.url).pathname, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, STEEP_SECRET: config.secret, LOG_LEVEL: 'info', PUBLIC_ORIGIN: config.issuer, ...env },
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
  // Errors the server logs (pino levels 50 and 60) show in the test output; the rest is dropped.
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (/"level":(50|60)/.test(line)) process.stderr.write(`steep serve: ${line}\n`);
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
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
