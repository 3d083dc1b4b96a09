// Child processes of the bench: spawning a target on loopback, waiting until it answers, finding every
// process it forked (cluster workers), sampling their resident memory, and stopping them.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a bench script (TypeScript, through tsx) or a compiled file as its own node process. */
export function spawnNode(file: string, args: string[], env: NodeJS.ProcessEnv, options: { typescript?: boolean; ipc?: boolean } = {}): ChildProcess {
  const loader = options.typescript ? ['--import', 'tsx'] : [];
  return spawn(process.execPath, [...loader, file, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'inherit', ...(options.ipc ? (['ipc'] as const) : [])],
  });
}

/** Resolves once `url` answers 2xx; rejects when the process exits first or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process for ${url} exited (${child.exitCode ?? child.signalCode}) before answering`);
    if (await fetch(url).then((reply) => reply.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** `pid` and every process descended from it (a cluster primary's workers). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: the parent pid follows the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    // tsx's esbuild service (the TypeScript baselines run through tsx) is a helper, not a serving process.
    if (p !== pid && command(p) === 'esbuild') return;
    tree.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Resident memory of one process in MiB (0 when it is gone). */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export interface Memory {
  /** Highest sum over the processes seen while sampling. */
  sum: number;
  /** Highest single process seen while sampling. */
  max: number;
  /** How many processes were sampled. */
  processes: number;
}

/** Samples the processes' RSS every `everyMs` until stopped; the peak is what a row reports (memory under load). */
export function sampleMemory(pids: () => number[], everyMs = 250): { stop(): Memory } {
  const peak: Memory = { sum: 0, max: 0, processes: 0 };
  const sample = () => {
    const list = pids().map(rssMiB).filter((rss) => rss > 0);
    peak.sum = Math.max(peak.sum, list.reduce((a, b) => a + b, 0));
    peak.max = Math.max(peak.max, ...list);
    peak.processes = Math.max(peak.processes, list.length);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
