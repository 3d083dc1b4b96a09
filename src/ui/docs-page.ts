// The API reference at /api/docs: Swagger UI over the OpenAPI document (http/openapi.ts), which it
// also serves at /api/docs/json and /api/docs/yaml. Its scripts and styles come from the package
// itself (no CDN, works offline), and it runs under Steep's own Content-Security-Policy: it needs no
// inline script, and the styles React sets from script are not governed by style-src. The base layout
// leaves out the standalone top bar, whose Swagger logo is an SVG with an inline <style> element.
import type { FastifyInstance } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';

export async function docsPage(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    theme: { title: 'Steep API reference' },
    uiConfig: { layout: 'BaseLayout', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 1, displayRequestDuration: true },
  });
}
