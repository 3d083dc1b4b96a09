// The one start-up line and the one shutdown line of `steep serve`, whichever process writes them.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { describeDatabase } from '../logger.ts';
import { VERSION } from '../version.ts';

/** The address a server listens on, as a URL (IPv6 hosts in brackets). */
export const listenUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export function logStarted(logger: FastifyBaseLogger, config: Config, address: string, workers: number): void {
  logger.info({ version: VERSION, database: describeDatabase(config.database), issuer: config.issuer, address, workers, signup: config.signup }, 'Steep started');
}

export function logStopped(logger: FastifyBaseLogger, signal: string): void {
  logger.info({ signal }, 'Steep stopped');
}

/** Why serving could not start, as one line (no stack trace: the operator fixes a setting, not the code). */
export function startProblem(error: unknown, config: Config): string {
  const failure = error as NodeJS.ErrnoException;
  // A cluster worker's error comes from the primary's bind; a single process's from its own listen.
  if (failure.syscall === 'listen' || failure.syscall === 'bind') return listenProblem(failure, config.host, config.port);
  return `Steep could not start: ${failure.message}`;
}

/** A listen failure as one sentence an operator can act on (the usual ones named, the rest as the system says). */
function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  if (error.code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; use --port 1024 or above behind a proxy)`;
  if (error.code === 'EADDRINUSE') return `cannot listen on ${where}: the address is already in use (another Steep or another server is on that port)`;
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return `cannot listen on ${where}: no network interface has that address (HOST or --host)`;
  return `cannot listen on ${where}: ${error.message}`;
}
