// The token endpoint, one handler in two dialects: POST /api/oauth/access_token (Teable: 201,
// 401 for a bad client, code or refresh token) and POST /oauth/token (RFC 6749: 200, section 5.2 errors).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { GRANT_PARAMS, GRANT_TYPES } from '../oauth/grants/index.ts';
import { credential, param } from '../oauth/params.ts';
import { token } from '../oauth/token.ts';
import { described, errorResponses } from './responses.ts';

export const tokenRequest = z.object({
  grant_type: param(100).describe(GRANT_TYPES.join(', ')),
  ...GRANT_PARAMS,
  client_id: credential,
  client_secret: credential.describe('client_secret_post; or send client_id and client_secret with HTTP Basic'),
}).meta({
  id: 'TokenRequest',
  description: 'A token request (RFC 6749 section 4): the grant type and its parameters',
  examples: [{ grant_type: 'authorization_code', code: 'stp_ac_…', redirect_uri: 'https://example.com/callback', code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', client_id: 'c2VlZF9leGFtcGxlXzE' }],
});

export const tokenResponse = z.object({
  token_type: z.literal('Bearer'),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number().int(),
  refresh_expires_in: z.number().int().optional(),
  scope: z.string(),
  scopes: z.array(z.string()).describe("The same scopes as a list (Teable's field)"),
  id_token: z.string().optional().describe('With the openid scope (OpenID Connect)'),
}).meta({
  id: 'TokenResponse',
  description: 'Tokens (RFC 6749 section 5.1); no refresh token for client_credentials',
  examples: [{ token_type: 'Bearer', access_token: 'stp_at_…', refresh_token: 'stp_rt_…', expires_in: 600, refresh_expires_in: 2592000, scope: 'record|read table|read', scopes: ['record|read', 'table|read'] }],
});

/** Token responses must never be cached (RFC 6749 section 5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const oauthTokenRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const dialects = [
      { path: '/api/oauth/access_token', dialect: 'teable-token' as const, status: 201, tags: ['oauth-server'], cors: undefined, summary: 'Token endpoint (Teable dialect)',
        description: `Token endpoint, Teable dialect (201): ${GRANT_TYPES.join(', ')}`,
        unauthorized: 'A bad client, code or refresh token (Teable answers these 401)' },
      { path: '/oauth/token', dialect: 'oauth' as const, status: 200, tags: ['oauth-standard'], cors: 'public-clients' as const, summary: 'Token endpoint (RFC 6749)',
        description: `Token endpoint, RFC 6749 dialect (200): ${GRANT_TYPES.join(', ')}`,
        unauthorized: 'invalid_client: the client could not be authenticated (WWW-Authenticate: Basic when Basic was used)' },
    ];
    for (const dialect of dialects) {
      // One schema per dialect's status; typed loosely because the success status differs by dialect.
      const response: Record<number, z.ZodType> = {
        [dialect.status]: described(tokenResponse, 'The tokens; Cache-Control: no-store'),
        ...errorResponses(dialect.dialect, {
          400: 'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target; for the device grant authorization_pending, slow_down, access_denied, expired_token',
          401: dialect.unauthorized,
          413: true,
          415: true,
        }),
      };
      app.post(dialect.path, {
        config: { forms: true, dialect: dialect.dialect, cors: dialect.cors },
        schema: {
          tags: dialect.tags, summary: dialect.summary, description: dialect.description,
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
