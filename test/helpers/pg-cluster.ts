// A PostgreSQL cluster of the test's own (initdb in a temporary folder, on a free port), so a test
// can stop and freeze it without touching the machine's shared cluster. initdb and pg_ctl refuse to
// run as root, so they run as the `postgres` OS user, in a folder it owns.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest installed server's bin folder, or null when the PostgreSQL server binaries are absent. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PgCluster {
  url: string;
  start(): Promise<void>;
  /** pg_ctl stop -m fast: connections are ended, new ones refused. */
  stop(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
  freeze(): Promise<void>;
  thaw(): void;
  destroy(): Promise<void>;
}

export async function createPgCluster(bin: string): Promise<PgCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'steep-pg-'));
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  chownSync(folder, uid, gid);
  const data = join(folder, 'data');
  const port = await freePort();
  const asPostgres = (program: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args]);
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  let frozen: number[] = [];
  const processes = async () => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = (await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean).map(Number);
    return [postmaster, ...children];
  };
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => void (await asPostgres('pg_ctl', ['-D', data, '-l', join(folder, 'log'), '-o', options, '-w', 'start'])),
    stop: async () => void (await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])),
    async freeze() {
      frozen = await processes();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of [...frozen].reverse()) process.kill(pid, 'SIGCONT');
      frozen = [];
    },
    async destroy() {
      cluster.thaw();
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
