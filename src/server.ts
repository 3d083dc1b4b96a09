// Starts Steep: open and migrate the database, build the HTTP app, listen, and sweep expired rows.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Clock } from './domain/clock.ts';
import { type Steep, closeSteep, createSteep } from './context.ts';
import { migrate } from './store/db.ts';
import { type SweepOptions, sweep } from './store/sweep.ts';
import { buildApp } from './http/app.ts';

export interface RunningServer {
  steep: Steep;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** What the periodic sweep keeps, from the configuration. */
export const sweepOptions = (steep: Steep): SweepOptions => ({
  keyRetentionMs: steep.keys.retentionMs,
  unusedDynamicClientMs: steep.config.unusedDynamicClientTtl * 1000,
  auditRetentionMs: steep.config.auditRetentionDays * 86_400_000,
});

export async function startServer(config: Config, options: { clock?: Clock; logger?: boolean; sweepEveryMs?: number } = {}): Promise<RunningServer> {
  const steep = createSteep(config, { clock: options.clock });
  await migrate(steep.db);
  // The first signing key exists before the first request, so the JWK Set is never empty.
  await steep.keys.current();
  const app = await buildApp(steep, { logger: options.logger });
  const address = await app.listen({ port: config.port, host: config.host });
  const runSweep = () => sweep(steep.db, steep.clock.now(), sweepOptions(steep)).catch((error) => app.log.error({ err: error }, 'sweep failed'));
  const timer = setInterval(runSweep, options.sweepEveryMs ?? 10 * 60_000).unref();
  return {
    steep,
    app,
    url: address.replace('://[::1]', '://localhost'),
    async close() {
      clearInterval(timer);
      await app.close();
      await closeSteep(steep);
    },
  };
}
