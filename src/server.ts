// Starts Steep: open and migrate the database, build the HTTP app, listen, and sweep expired rows.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Clock } from './domain/clock.ts';
import { type Steep, closeSteep, createSteep } from './context.ts';
import { migrate } from './store/db.ts';
import { type SweepOptions, sweep } from './store/sweep.ts';
import { buildSite } from './site.ts';

export interface RunningServer {
  steep: Steep;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  /** The process's JSON logger; none in tests. */
  logger?: FastifyBaseLogger;
  sweepEveryMs?: number;
  /** A cluster worker: its primary has migrated, made the first key and runs the sweep, once for all workers. */
  worker?: boolean;
}

/** Migrations, then the first signing key, so the JWK Set is never empty: once per database, before serving. */
export async function prepareDatabase(steep: Steep): Promise<string[]> {
  const applied = await migrate(steep.db);
  await steep.keys.current();
  return applied;
}

/** What the periodic sweep keeps, from the configuration. */
export const sweepOptions = (steep: Steep): SweepOptions => ({
  keyRetentionMs: steep.keys.retentionMs,
  unusedDynamicClientMs: steep.config.unusedDynamicClientTtl * 1000,
  auditRetentionMs: steep.config.auditRetentionDays * 86_400_000,
});

/** Deletes expired rows every `everyMs` (every 10 minutes by default) until stopped. */
export function startSweeping(steep: Steep, log: (error: unknown) => void, everyMs = 10 * 60_000): () => void {
  const run = () => sweep(steep.db, steep.clock.now(), sweepOptions(steep)).catch(log);
  const timer = setInterval(run, everyMs).unref();
  return () => clearInterval(timer);
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const steep = createSteep(config, { clock: options.clock });
  if (!options.worker) await prepareDatabase(steep);
  const app = await buildSite(steep, { logger: options.logger });
  // Fastify's own "Server listening" line is muted: the process logs one start-up line of its own with
  // the address and everything else an operator needs (src/serve). Nothing else logs during listen.
  const level = app.log.level;
  app.log.level = 'warn';
  const address = await app.listen({ port: config.port, host: config.host }).finally(() => (app.log.level = level));
  const stopSweeping = options.worker ? () => undefined : startSweeping(steep, (error) => app.log.error({ err: error }, 'sweep failed'), options.sweepEveryMs);
  return {
    steep,
    app,
    url: address.replace('://[::1]', '://localhost'),
    async close() {
      stopSweeping();
      await app.close();
      await closeSteep(steep);
    },
  };
}
