// The whole site on one Fastify instance: the API (http/) and, above it, the pages and the API
// reference page (ui/). http/ never imports ui/; this is where the two meet.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Steep } from './context.ts';
import { buildApp } from './http/app.ts';
import { docsPage } from './ui/docs-page.ts';
import { pageErrors, pageRoutes } from './ui/routes.ts';

export async function buildSite(steep: Steep, options: { logger?: FastifyBaseLogger } = {}): Promise<FastifyInstance> {
  const app = await buildApp(steep, { ...options, pages: pageErrors(steep) });
  await app.register(pageRoutes(steep));
  await docsPage(app);
  return app;
}
