// One serving process: the whole server with --workers 1, or one cluster worker. SIGTERM stops it
// gracefully within STEEP_SHUTDOWN_TIMEOUT and exits 0.
import cluster from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { type RunningServer, startServer } from '../server.ts';
import { listenUrl, logStarted, logStopped, startProblem } from './startup.ts';

/**
 * Stop accepting, let in-flight requests finish (idle keep-alive connections close at once), and past
 * the deadline cut whatever is left (a stalled upload, a slow client) and exit anyway.
 */
function stopWithin(server: RunningServer, deadlineMs: number, done: () => void): void {
  setTimeout(() => server.app.server.closeAllConnections(), deadlineMs).unref();
  setTimeout(done, deadlineMs + 2000).unref();
  void server.close().then(done, done);
}

export async function serveOneProcess(config: Config, logger: FastifyBaseLogger): Promise<void> {
  const worker = cluster.isWorker;
  let server: RunningServer;
  try {
    server = await startServer(config, { logger, worker });
  } catch (error) {
    logger.fatal(startProblem(error, config));
    process.exit(1);
  }
  // A worker's primary writes the start-up and shutdown lines, once for all workers.
  if (!worker) logStarted(logger, config, listenUrl(config.host, (server.app.server.address() as { port: number }).port), 1);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopWithin(server, config.shutdownTimeoutMs, () => {
      if (!worker) logStopped(logger, signal);
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  // Ctrl-C reaches every process of the group: a worker leaves it to its primary, which sends SIGTERM,
  // so a worker never stops before the primary knows it is shutting down (and would restart it).
  process.on('SIGINT', worker ? () => undefined : stop);
}
