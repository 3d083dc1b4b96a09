// CORS for browser-based public clients (single-page apps): the standard token and revocation
// endpoints answer an Origin that is one of a public app's registered redirect URI origins, and the
// metadata documents answer any origin. Never with credentials: these endpoints take no cookies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { originOfRedirectUri } from '../domain/redirect-uri.ts';

export type CorsPolicy = 'any' | 'public-clients';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which browser origins may read this route's responses. */
    cors?: CorsPolicy;
  }
}

async function allowedOrigin(steep: Steep, policy: CorsPolicy, origin: string): Promise<string | null> {
  if (policy === 'any') return '*';
  if (!URL.canParse(origin)) return null;
  const uris = await steep.apps.publicRedirectUrisMentioning(new URL(origin).hostname);
  return uris.some((uri) => originOfRedirectUri(origin, uri)) ? origin : null;
}

async function setAllowOrigin(steep: Steep, request: FastifyRequest, reply: FastifyReply, policy: CorsPolicy): Promise<boolean> {
  const origin = request.headers.origin;
  reply.header('vary', 'Origin');
  const allowed = origin ? await allowedOrigin(steep, policy, origin) : null;
  if (allowed) {
    reply.header('access-control-allow-origin', allowed);
    // A browser app must be able to read why it was refused (RFC 6750 challenges, Basic for invalid_client).
    reply.header('access-control-expose-headers', 'WWW-Authenticate');
  }
  return allowed !== null;
}

/** Adds the CORS answer to every route whose config names a policy, and a preflight (OPTIONS) route beside each path. */
export function installCors(app: FastifyInstance, steep: Steep): void {
  const methods = new Map<string, string[]>();
  app.addHook('onRoute', (route) => {
    const policy = route.config?.cors;
    if (!policy || route.method === 'OPTIONS' || route.method === 'HEAD') return;
    const onSend = async (request: FastifyRequest, reply: FastifyReply) => {
      await setAllowOrigin(steep, request, reply, policy);
    };
    route.onSend = [...(Array.isArray(route.onSend) ? route.onSend : route.onSend ? [route.onSend] : []), onSend];
    const known = methods.get(route.url);
    methods.set(route.url, [...(known ?? []), ...[route.method].flat()]);
    if (known) return;
    app.options(route.url, { schema: { hide: true } }, async (request, reply) => {
      if (await setAllowOrigin(steep, request, reply, policy)) {
        reply
          .header('access-control-allow-methods', [...methods.get(route.url)!, 'OPTIONS'].join(', '))
          .header('access-control-allow-headers', 'Authorization, Content-Type, DPoP')
          .header('access-control-max-age', '600');
      }
      return reply.code(204).send();
    });
  });
}
