// /favicon.ico: browsers and feed readers ask for it whatever the pages link; it is the same SVG the
// layout links (/static/favicon.svg), not a JSON 404.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

// From the repository root, as http/static.ts does, so the sources and the build (dist/ui) read the same file.
const icon = readFileSync(fileURLToPath(new URL('../../src/ui/static/favicon.svg', import.meta.url)));

export function faviconRoute(app: FastifyInstance): void {
  app.get('/favicon.ico', async (_request, reply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon));
}
