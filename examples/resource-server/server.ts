// An example resource server: a tiny records API whose routes each need one scope, checked through
// Steep's introspection endpoint. Run: STEEP_URL=… CLIENT_ID=… CLIENT_SECRET=… node --import tsx server.ts
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Introspector, type IntrospectorOptions } from './introspector.ts';

interface Record {
  id: number;
  title: string;
  owner: string;
}

/** RFC 6750 section 3: the error goes in WWW-Authenticate as well as the body. */
function refuse(reply: FastifyReply, status: 401 | 403, error: string, description: string, scope?: string) {
  const challenge = [`Bearer realm="records"`, `error="${error}"`, `error_description="${description}"`, ...(scope ? [`scope="${scope}"`] : [])];
  return reply.code(status).header('www-authenticate', challenge.join(', ')).send({ error, error_description: description });
}

export function buildResourceServer(options: IntrospectorOptions): FastifyInstance {
  const introspector = new Introspector(options);
  const records: Record[] = [];
  const app = Fastify();

  /** A preHandler that admits a live token holding `scope`; the token's user is request.user. */
  const requireScope = (scope: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return refuse(reply, 401, 'invalid_request', 'Send an access token: Authorization: Bearer <token>.');
    let result;
    try {
      result = await introspector.check(token);
    } catch {
      return reply.code(503).send({ error: 'temporarily_unavailable', error_description: 'The authorization server cannot be reached.' });
    }
    if (!result.active || !result.sub) return refuse(reply, 401, 'invalid_token', 'The access token is unknown, expired or revoked.');
    if (!(result.scope ?? '').split(' ').includes(scope)) return refuse(reply, 403, 'insufficient_scope', `This call needs the ${scope} scope.`, scope);
    request.user = result.sub;
  };

  app.get('/records', { preHandler: requireScope('record|read') }, async (request) => records.filter((r) => r.owner === request.user));

  app.post<{ Body: { title?: unknown } }>('/records', { preHandler: requireScope('record|create') }, async (request, reply) => {
    const title = request.body?.title;
    if (typeof title !== 'string' || title.length === 0 || title.length > 200) {
      return reply.code(400).send({ error: 'invalid_request', error_description: 'title must be a string of 1 to 200 characters.' });
    }
    const record = { id: records.length + 1, title, owner: request.user! };
    records.push(record);
    return reply.code(201).send(record);
  });

  return app;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: string;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { STEEP_URL, CLIENT_ID, CLIENT_SECRET, PORT = '4000' } = process.env;
  if (!STEEP_URL || !CLIENT_ID || !CLIENT_SECRET) {
    console.error('Set STEEP_URL, CLIENT_ID and CLIENT_SECRET (this server\'s own OAuth client at Steep).');
    process.exit(1);
  }
  const app = buildResourceServer({ steepUrl: STEEP_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  app.listen({ port: Number(PORT), host: '127.0.0.1' }).then((address) => console.log(`records API on ${address}`));
}
