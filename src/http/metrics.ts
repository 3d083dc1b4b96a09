// GET /metrics (Prometheus text) and the hooks that count every request. Who may scrape:
// - STEEP_METRICS=off: nothing is counted or served (404);
// - STEEP_METRICS_TOKEN set: anyone sending it as a Bearer token, from any address;
// - otherwise: loopback callers only. A request a proxy relayed (Forwarded or X-Forwarded-For) is
//   not taken for a local one, so a reverse proxy on the same host does not publish the metrics.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { safeEqual } from '../domain/secrets.ts';
import { databaseErrorKind } from '../store/db.ts';
import { bearerToken } from './auth.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function mayScrape(steep: Steep, request: FastifyRequest): boolean {
  const expected = steep.config.metrics.token;
  if (expected !== null) return safeEqual(bearerToken(request) ?? '', expected);
  const relayed = request.headers.forwarded !== undefined || request.headers['x-forwarded-for'] !== undefined;
  return !relayed && LOOPBACK.test(request.ip);
}

export function installMetrics(app: FastifyInstance, steep: Steep): void {
  if (!steep.config.metrics.enabled) return;
  const { metrics } = steep;
  metrics.collectProcessMetrics();
  // The route pattern, never the path: paths carry ids and transaction secrets, and would grow the label set without bound.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, request.routeOptions.url ?? '(unmatched)', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onError', async (_request, _reply, error) => {
    const kind = databaseErrorKind(error);
    if (kind) metrics.databaseError(kind);
  });
  app.get('/metrics', {
    // Left out of the API reference: it is Prometheus's text format for the operator's scraper, not JSON for clients (README, Metrics).
    schema: { hide: true },
  }, async (request, reply) => {
    if (!mayScrape(steep, request)) {
      throw forbidden(steep.config.metrics.token === null
        ? 'Metrics are served to loopback callers only; set STEEP_METRICS_TOKEN to scrape from elsewhere.'
        : 'Send the metrics token as a Bearer token.');
    }
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(await metrics.registry.metrics());
  });
}
