// Standard-dialect protocol endpoints: revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { authenticateClient } from '../oauth/client-auth.ts';
import { authenticateIntrospector, introspect } from '../oauth/introspect.ts';
import { serverMetadata } from '../oauth/metadata.ts';
import { revokeToken } from '../oauth/revoke.ts';
import { NO_STORE, oauthErrorShape } from './oauth-token.ts';

const tokenBody = z.object({
  // Generous: an unknown token of any size is answered 200 / {active:false} (RFC 7009, 7662), not 400.
  token: z.string().max(16_384).optional(),
  token_type_hint: z.string().max(100).optional(),
  client_id: z.string().max(4096).optional(),
  client_secret: z.string().max(4096).optional(),
});

const introspection = z.object({
  active: z.boolean(),
  scope: z.string().optional(),
  client_id: z.string().optional(),
  sub: z.string().optional(),
  username: z.string().optional(),
  token_type: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
});

/** RFC 7009 and 7662 both make `token` the one required parameter. */
function requireToken(value: string | undefined): string {
  if (value === undefined || value === '') throw new OAuthError('invalid_request', 'token is required.');
  return value;
}

export const oauthStandardRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth-standard'];
    const protocol = { config: { forms: true, oauth: true } };
    const errors = { 400: oauthErrorShape, 401: oauthErrorShape };

    app.post('/oauth/revoke', {
      config: { ...protocol.config, cors: 'public-clients' },
      schema: {
        tags, security: [{ clientBasic: [] }, {}], body: tokenBody,
        description: "Revoke one of the client's tokens (a refresh token takes its whole family); 200 even for unknown tokens",
        response: { 200: z.object({}), ...errors },
      },
    }, async (request, reply) => {
      const { app: client } = await authenticateClient(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
      await revokeToken(steep, client.client_id, requireToken(request.body.token));
      return reply.headers(NO_STORE).send({});
    });

    app.post('/oauth/introspect', {
      ...protocol,
      schema: {
        tags, security: [{ clientBasic: [] }, { bearerAuth: [] }, {}], body: tokenBody,
        description: 'Is this token live, and what may it do? For resource servers: client credentials or a personal access token',
        response: { 200: introspection, ...errors },
      },
    }, async (request, reply) => {
      const caller = await authenticateIntrospector(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
      return reply.headers(NO_STORE).send(await introspect(steep, requireToken(request.body.token), caller));
    });

    app.get('/.well-known/oauth-authorization-server', {
      config: { cors: 'any' },
      schema: { tags, description: 'Authorization server metadata (RFC 8414)' },
    }, async () => serverMetadata(steep.config));
  };
