// Consumer 2 of the event seam: Prometheus metrics. One Registry per Steep (never prom-client's global
// one), so several servers in one process (the tests) keep their own counts.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LimitName } from '../domain/rate-limits.ts';
import type { Consumer } from './events.ts';

export type DatabaseErrorKind = 'unavailable' | 'query';

export class Metrics {
  readonly registry = new Registry();
  /** Its `_count` series is the request count: no separate counter to update on every request. */
  readonly #duration = new Histogram({
    name: 'steep_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status; _count counts the requests.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly #tokens = new Counter({
    name: 'steep_tokens_issued_total',
    help: 'Token responses issued at the token endpoint, by grant type.',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  });
  readonly #refreshReuse = new Counter({
    name: 'steep_refresh_reuse_detected_total',
    help: 'Spent refresh tokens presented again (each revoked its family).',
    registers: [this.registry],
  });
  readonly #rateLimited = new Counter({
    name: 'steep_rate_limit_hits_total',
    help: 'Requests refused with 429 by a rate limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly #databaseErrors = new Counter({
    name: 'steep_database_errors_total',
    help: 'Requests that failed on a database error: unavailable (down, timed out, locked) or query (any other).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Process metrics, event-loop lag among them; only for a server that exposes /metrics (their monitor costs a timer). */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The events that are counted. */
  readonly consumer: Consumer = (event) => {
    if (event.type === 'token.issued') this.#tokens.inc({ grant_type: event.details.grantType });
    else if (event.type === 'refresh.reused') this.#refreshReuse.inc();
  };

  /** One answered request; `route` is the route pattern (never the raw path, which can carry ids and secrets). */
  request(method: string, route: string, status: number, seconds: number): void {
    this.#duration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Call wherever a rate limit answers 429. */
  rateLimited(limit: LimitName): void {
    this.#rateLimited.inc({ limit });
  }

  databaseError(kind: DatabaseErrorKind): void {
    this.#databaseErrors.inc({ kind });
  }
}
