// The one JSON logger of a Steep process (pino, through Fastify), and how a database is named in it.
import Fastify, { type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import type { DatabaseTarget } from './config.ts';

/** Never log a credential: the headers that carry them are dropped, and requests are logged by route, not path. */
function loggerOptions(level: string) {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // The route pattern, not the path: paths can carry secrets (/api/oauth/decision/stp_tx_…), and query strings do.
    serializers: { req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)', remoteAddress: req.ip }) },
  };
}

/**
 * Fastify builds its pino logger from these options; a cluster primary, which serves nothing, takes the
 * logger of an instance it never starts, so every process logs the same JSON without pino as a direct dependency.
 */
export function createLogger(level: string): FastifyBaseLogger {
  return Fastify({ logger: loggerOptions(level) }).log;
}

/** The database for a log line: kind and where, never the user, password or connection options of a URL. */
export function describeDatabase(target: DatabaseTarget): { kind: string; location: string } {
  if (target.kind === 'sqlite') return { kind: 'sqlite', location: target.path };
  const url = new URL(target.url);
  return { kind: 'postgres', location: `${url.host}${url.pathname}` };
}
