// Driving a target with autocannon: one timed run (throughput, latency, non-2xx, peak RSS of the
// serving processes), and the interleaved schedule — every row warmed up once, then the rows run
// round-robin `runs` times, so a slow minute of the shared machine lands on every row alike — with the
// median run of each row kept.
import autocannon, { type Request } from 'autocannon';
import { type Memory, sampleMemory } from './processes.ts';

export interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Answers outside 2xx plus connection errors (timeouts included). */
  non2xx: number;
  memory: Memory;
}

export interface Drive {
  url: string;
  /** Called before every run (warm-up included): seeds what the run consumes and returns the requests to repeat. */
  prepare(seconds: number, lastRate: number | undefined): Promise<Request[]>;
  pids(): number[];
}

export async function drive(target: Drive, seconds: number, connections: number, lastRate?: number): Promise<Run> {
  const requests = await target.prepare(seconds, lastRate);
  const memory = sampleMemory(target.pids);
  const result = await autocannon({ url: target.url, connections, duration: seconds, requests });
  const peak = memory.stop();
  return {
    reqPerSec: result.requests.total / Math.max(result.duration, 0.001),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    memory: peak,
  };
}

export interface Measured extends Run {
  runs: Run[];
}

/** The run with the median throughput (its latencies with it); non-2xx summed and RSS the peak over all runs. */
export function median(runs: Run[]): Measured {
  const sorted = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    ...middle,
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    memory: {
      sum: Math.max(...runs.map((run) => run.memory.sum)),
      max: Math.max(...runs.map((run) => run.memory.max)),
      processes: Math.max(...runs.map((run) => run.memory.processes)),
    },
    runs,
  };
}

export interface Schedule {
  seconds: number;
  warmup: number;
  runs: number;
  connections: number;
  /** Progress lines go here (stderr), so stdout stays the tables. */
  log?: (line: string) => void;
}

/** Warms every row up, then runs them round-robin; returns each row's median, in the rows' order. */
export async function interleave<R extends { name: string; drive: Drive }>(rows: R[], schedule: Schedule): Promise<Map<R, Measured>> {
  const log = schedule.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const runs = new Map<R, Run[]>(rows.map((row) => [row, []]));
  const lastRate = new Map<R, number>();
  if (schedule.warmup > 0) {
    for (const row of rows) {
      const run = await drive(row.drive, schedule.warmup, schedule.connections);
      lastRate.set(row, run.reqPerSec);
      log(`  warm-up  ${row.name}: ${run.reqPerSec.toFixed(0)} req/s${run.non2xx ? `, ${run.non2xx} non-2xx` : ''}`);
    }
  }
  for (let i = 0; i < schedule.runs; i++) {
    for (const row of rows) {
      const run = await drive(row.drive, schedule.seconds, schedule.connections, lastRate.get(row));
      lastRate.set(row, run.reqPerSec);
      runs.get(row)!.push(run);
      log(`  run ${i + 1}/${schedule.runs}  ${row.name}: ${run.reqPerSec.toFixed(0)} req/s, p99 ${run.p99} ms${run.non2xx ? `, ${run.non2xx} non-2xx` : ''}`);
    }
  }
  return new Map(rows.map((row) => [row, median(runs.get(row)!)]));
}
