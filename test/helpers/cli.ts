// Runs the steep CLI (bin/steep.js) as its own process against a test server's database.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Config } from '../../src/config.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const bin = new URL('../../bin/steep.js', import.meta.url).pathname;

/** The environment that points the CLI at `config`'s database and key. */
export function cliEnv(config: Config, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const databaseUrl = config.database.kind === 'postgres' ? config.database.url : config.database.path;
  return { ...process.env, DATABASE_URL: databaseUrl, STEEP_SECRET: config.secret, ...env };
}

/** `steep ...args`; `stdin` is written to its standard input (then closed). Never rejects: the exit code is the result. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdin.end(stdin);
  const [code] = await once(child, 'close');
  return { code, stdout, stderr };
}

/** `steep ...args` with its standard output closed before it writes: a reader that stopped (`| head -1`). */
export async function runCliWithoutReader(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = await once(child, 'close');
  return { code, stdout: '', stderr };
}
