// The generated OpenAPI document and a readable page of it (server-rendered: no external scripts).
import type { FastifyInstance } from 'fastify';
import { escapeHtml } from './html.ts';

type Operation = { description?: string; tags?: string[] };

export function docsPage(app: FastifyInstance): void {
  app.get('/api/docs/json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) => {
    const doc = app.swagger() as { info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };
    const rows = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, op]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.description ?? '')}</td></tr>`,
      ),
    );
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} API</title><link rel="stylesheet" href="/static/steep.css"></head>
<body><main class="wide"><h1>${escapeHtml(doc.info.title)} API <small>${escapeHtml(doc.info.version)}</small></h1>
<p>The machine-readable OpenAPI 3 document is at <a href="/api/docs/json">/api/docs/json</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></main></body></html>`;
  });
}
