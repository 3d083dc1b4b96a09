// The token endpoint, one handler in two dialects: POST /api/oauth/access_token (Teable: 201,
// 401 for a bad client, code or refresh token) and POST /oauth/token (RFC 6749: 200, section 5.2 errors).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { GRANT_PARAMS, GRANT_TYPES } from '../oauth/grants/index.ts';
import { credential, param } from '../oauth/params.ts';
import { token } from '../oauth/token.ts';

export const tokenRequest = z.object({
  grant_type: param(100),
  ...GRANT_PARAMS,
  client_id: credential,
  client_secret: credential,
});

export const tokenResponse = z.object({
  token_type: z.literal('Bearer'),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number().int(),
  refresh_expires_in: z.number().int().optional(),
  scope: z.string(),
  scopes: z.array(z.string()),
});

export const oauthErrorShape = z.object({ error: z.string(), error_description: z.string() });
const teableErrorShape = oauthErrorShape.extend({ message: z.string(), status: z.number().int(), code: z.string() });

/** Token responses must never be cached (RFC 6749 section 5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const oauthTokenRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const dialects = [
      { path: '/api/oauth/access_token', status: 201, tags: ['oauth-server'], cors: undefined, errors: { 400: teableErrorShape, 401: teableErrorShape },
        description: `Token endpoint, Teable dialect (201): ${GRANT_TYPES.join(', ')}` },
      { path: '/oauth/token', status: 200, tags: ['oauth-standard'], cors: 'public-clients' as const, errors: { 400: oauthErrorShape, 401: oauthErrorShape },
        description: `Token endpoint, RFC 6749 dialect (200): ${GRANT_TYPES.join(', ')}` },
    ];
    for (const dialect of dialects) {
      // One schema per dialect's status; typed loosely because the success status differs by dialect.
      const response: Record<number, z.ZodType> = { [dialect.status]: tokenResponse, ...dialect.errors };
      app.post(dialect.path, {
        config: { forms: true, oauth: true, cors: dialect.cors },
        schema: {
          tags: dialect.tags, description: dialect.description,
          security: [{ clientBasic: [] }, {}],
          body: tokenRequest,
          response,
        },
      }, async (request, reply) => {
        const issued = await token(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
        return reply.code(dialect.status).headers(NO_STORE).send(issued);
      });
    }
  };
