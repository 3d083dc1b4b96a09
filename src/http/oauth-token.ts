// The token endpoint, one handler in two dialects: POST /api/oauth/access_token (Teable: 201,
// 401 for a bad client, code or refresh token) and POST /oauth/token (RFC 6749: 200, section 5.2 errors).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { token } from '../oauth/token.ts';

const field = (max: number) => z.string().max(max).optional();
// Credentials get generous limits: a wrong one of any length is invalid_grant / invalid_client, not invalid_request.
const credential = field(16_384);

export const tokenRequest = z.object({
  grant_type: field(100),
  code: credential,
  redirect_uri: field(2048),
  code_verifier: credential,
  refresh_token: credential,
  scope: field(4096),
  client_id: credential,
  client_secret: credential,
});

export const tokenResponse = z.object({
  token_type: z.literal('Bearer'),
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number().int(),
  refresh_expires_in: z.number().int(),
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
      { path: '/api/oauth/access_token', status: 201, tags: ['oauth-server'], errors: { 400: teableErrorShape, 401: teableErrorShape },
        description: 'Token endpoint, Teable dialect: authorization_code or refresh_token grant; 201' },
      { path: '/oauth/token', status: 200, tags: ['oauth-standard'], errors: { 400: oauthErrorShape, 401: oauthErrorShape },
        description: 'Token endpoint, RFC 6749 dialect: authorization_code or refresh_token grant; 200' },
    ];
    for (const dialect of dialects) {
      // One schema per dialect's status; typed loosely because the success status differs by dialect.
      const response: Record<number, z.ZodType> = { [dialect.status]: tokenResponse, ...dialect.errors };
      app.post(dialect.path, {
        config: { forms: true, oauth: true },
        schema: {
          tags: dialect.tags, description: dialect.description,
          security: [{ clientBasic: [] }, {}],
          body: tokenRequest,
          response,
        },
      }, async (request, reply) => {
        const issued = await token(steep, { ...request.body, authorization: request.headers.authorization });
        return reply.code(dialect.status).headers(NO_STORE).send(issued);
      });
    }
  };
