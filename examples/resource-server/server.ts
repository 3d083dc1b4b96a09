// An example resource server on steep/resource-server: a tiny records API whose routes each need one
// scope. Run (see README.md): STEEP_URL=… node --import tsx --conditions=development examples/resource-server/server.ts
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyResourceServer, type VerifierOptions } from 'steep/resource-server';

interface Record {
  id: number;
  title: string;
  owner: string;
}

export function buildResourceServer(options: VerifierOptions): FastifyInstance {
  const records: Record[] = [];
  const app = Fastify();
  app.register(fastifyResourceServer, { scopes: ['record|read', 'record|create'], ...options });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/records', { config: { scopes: ['record|read'] } }, async (request) => records.filter((r) => r.owner === request.token!.sub));

  app.post<{ Body: { title?: unknown } }>('/records', { config: { scopes: ['record|create'] } }, async (request, reply) => {
    const title = request.body?.title;
    if (typeof title !== 'string' || title.length === 0 || title.length > 200) {
      return reply.code(400).send({ error: 'invalid_request', error_description: 'title must be a string of 1 to 200 characters.' });
    }
    const record = { id: records.length + 1, title, owner: request.token!.sub };
    records.push(record);
    return reply.code(201).send(record);
  });

  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { STEEP_URL, PORT = '4000', RESOURCE = `http://127.0.0.1:${PORT}`, CLIENT_ID, CLIENT_SECRET, CACHE_SECONDS } = process.env;
  if (!STEEP_URL) {
    console.error('Set STEEP_URL (Steep\'s issuer); RESOURCE, and CLIENT_ID with CLIENT_SECRET for opaque tokens, are optional.');
    process.exit(1);
  }
  const introspection = CLIENT_ID && CLIENT_SECRET ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cacheSeconds: CACHE_SECONDS === undefined ? undefined : Number(CACHE_SECONDS) } : undefined;
  const app = buildResourceServer({ issuer: STEEP_URL, resource: RESOURCE, introspection });
  console.log(`records API for ${RESOURCE} on ${await app.listen({ port: Number(PORT), host: '127.0.0.1' })}`);
}
