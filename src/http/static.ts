// The one stylesheet (and small scripts) Steep serves: read once at start, cached by browsers.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

// Resolved from the repository root, so the sources (src/http) and the build (dist/http) serve the same files.
const folder = fileURLToPath(new URL('../../src/ui/static/', import.meta.url));
const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

export function staticRoutes(app: FastifyInstance): void {
  for (const name of readdirSync(folder)) {
    const body = readFileSync(folder + name);
    const type = TYPES[name.split('.').pop()!] ?? 'application/octet-stream';
    app.get(`/static/${name}`, { schema: { hide: true }, config: { asset: true } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body),
    );
  }
}
