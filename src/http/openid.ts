// OpenID Connect's endpoints: discovery, the JWK Set, and UserInfo (GET and POST).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { openidConfiguration } from '../oauth/metadata.ts';
import { userinfo } from '../oauth/userinfo.ts';
import { bearerToken } from './auth.ts';

const claims = z.object({ sub: z.string() }).catchall(z.unknown());
const bearerError = z.object({ error: z.string().optional(), error_description: z.string() });

export const openidRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['openid'];

    app.get('/.well-known/openid-configuration', {
      config: { cors: 'any' },
      schema: { tags, description: 'OpenID Provider metadata (OpenID Connect Discovery 1.0)' },
    }, async () => openidConfiguration(steep.config));

    app.get('/oauth/jwks', {
      config: { cors: 'any' },
      schema: { tags, description: 'The public signing keys (RFC 7517 JWK Set): the current key and recently retired ones' },
    // Short: a relying party that honours the cache strictly still sees a rotated key within a minute.
    }, async (_request, reply) => reply.header('cache-control', 'public, max-age=60').send(await steep.keys.jwks()));

    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: '/oauth/userinfo',
        config: { cors: 'public-clients', forms: true, dialect: 'oauth' },
        schema: {
          tags, security: [{ bearerAuth: [] }],
          description: "The signed-in person's claims for an access token holding openid (OpenID Connect Core section 5.3)",
          response: { 200: claims, 401: bearerError, 403: bearerError },
        },
        handler: async (request, reply) => {
          const result = await userinfo(steep, request.headers.authorization === undefined ? undefined : (bearerToken(request) ?? ''));
          reply.header('cache-control', 'no-store');
          if (result.ok) return reply.send(result.claims);
          // RFC 6750 section 3.1: no error code for a request that sent no token at all.
          return reply.code(result.status).header('www-authenticate', result.challenge).send({ ...(result.error && { error: result.error }), error_description: result.message });
        },
      });
    }
  };
