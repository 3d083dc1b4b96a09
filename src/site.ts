// The whole site on one Fastify instance: the API (http/) and, above it, the pages and the API
// reference page (ui/). http/ never imports ui/; this is where the two meet.
import type { FastifyInstance } from 'fastify';
import type { Steep } from './context.ts';
import { buildApp } from './http/app.ts';
import { docsPage } from './ui/docs-page.ts';
import { errorPage, pageNotFound, pageRoutes } from './ui/routes.ts';

export async function buildSite(steep: Steep, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = await buildApp(steep, { ...options, pages: { notFound: pageNotFound, error: errorPage } });
  await app.register(pageRoutes(steep));
  await docsPage(app);
  return app;
}
