// `steep serve --workers N` (N > 1): the primary prepares the database once, forks N workers sharing the
// port (node:cluster), restarts one that dies with a growing delay, and on SIGTERM/SIGINT stops them all.
import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { closeSteep, createSteep } from '../context.ts';
import { prepareDatabase, startSweeping } from '../server.ts';
import { listenUrl, logStarted, logStopped, startProblem } from './startup.ts';

/** Restarts within this window count as a crash loop: each one waits twice as long as the one before. */
const CRASH_WINDOW_MS = 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;

function restartDelay(recentCrashes: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** recentCrashes);
}

export async function runPrimary(config: Config, logger: FastifyBaseLogger, workers: number): Promise<void> {
  const steep = createSteep(config);
  try {
    // Before any fork: workers never race each other to migrate or to make the first signing key.
    await prepareDatabase(steep);
  } catch (error) {
    logger.fatal(startProblem(error, config));
    await closeSteep(steep).catch(() => undefined);
    process.exit(1);
  }
  // Deleting expired rows is the database's business, not each worker's: one sweep for the whole server.
  const stopSweeping = startSweeping(steep, (error) => logger.error({ err: error }, 'sweep failed'));

  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  let crashes: number[] = [];
  let started = false;
  let stopping: string | null = null;

  const fork = () => live.add(cluster.fork());
  const finish = async (code: number) => {
    stopSweeping();
    await closeSteep(steep).catch(() => undefined);
    process.exit(code);
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (started) return void logger.info({ workerPid: worker.process.pid }, 'a new worker serves');
    if (listening.size < workers) return;
    started = true;
    logStarted(logger, config, listenUrl(config.host, address.port), workers);
  });

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    listening.delete(worker);
    if (stopping) {
      if (live.size === 0) {
        logStopped(logger, stopping);
        void finish(0);
      }
      return;
    }
    if (!started) {
      // A worker that cannot start (the port is taken, the database refuses it) will not start on a retry either.
      logger.fatal({ workerPid: worker.process.pid, code, signal }, 'a worker stopped before it could serve (its error is above); stopping');
      for (const other of live) other.process.kill('SIGTERM');
      void finish(1);
      return;
    }
    const now = Date.now();
    crashes = crashes.filter((at) => now - at < CRASH_WINDOW_MS);
    const delay = restartDelay(crashes.length);
    crashes.push(now);
    logger.error({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'a worker stopped unexpectedly; starting another');
    // Not unref'd: with every worker gone, this timer is what keeps the primary alive until the next one.
    setTimeout(() => stopping || fork(), delay);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    if (live.size === 0) {
      // Between a crash and its restart no worker runs.
      logStopped(logger, signal);
      return void finish(0);
    }
    // Each worker shuts down gracefully within STEEP_SHUTDOWN_TIMEOUT; one stuck past its own backstop is killed.
    for (const worker of live) worker.process.kill('SIGTERM');
    setTimeout(() => live.forEach((worker) => worker.process.kill('SIGKILL')), config.shutdownTimeoutMs + 5000).unref();
  };
  process.on('SIGTERM', stop).on('SIGINT', stop);

  for (let i = 0; i < workers; i++) fork();
}
