// Standard-dialect protocol endpoints: revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { authenticateClient } from '../oauth/client-auth.ts';
import { authenticateIntrospector, introspect } from '../oauth/introspect.ts';
import { serverMetadata } from '../oauth/metadata.ts';
import { revokeToken } from '../oauth/revoke.ts';
import { NO_STORE } from './oauth-token.ts';
import { described, errorResponses } from './responses.ts';

const tokenBody = z.object({
  // Generous: an unknown token of any size is answered 200 / {active:false} (RFC 7009, 7662), not 400.
  token: z.string().max(16_384).optional(),
  token_type_hint: z.string().max(100).optional(),
  client_id: z.string().max(4096).optional(),
  client_secret: z.string().max(4096).optional().describe('client_secret_post; or send client_id and client_secret with HTTP Basic'),
}).meta({ id: 'TokenReference', description: 'The token to revoke or introspect, and the client authentication', examples: [{ token: 'stp_rt_…', token_type_hint: 'refresh_token' }] });

const introspection = z.object({
  active: z.boolean(),
  scope: z.string().optional(),
  client_id: z.string().optional(),
  sub: z.string().optional(),
  username: z.string().optional(),
  token_type: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
}).meta({
  id: 'Introspection',
  description: 'RFC 7662 section 2.2: {active: false} for a token that is not live or that the caller may not learn about',
  examples: [{ active: true, scope: 'record|read', client_id: 'c2VlZF9leGFtcGxlXzE', sub: 'usr_3n4b5v6c7x8z', username: 'ada@example.com', token_type: 'Bearer', exp: 1893456000, iat: 1893455400 }],
});

const uri = z.string().meta({ format: 'uri' });
const list = z.array(z.string());
export const serverMetadataShape = z.object({
  issuer: z.string().describe('PUBLIC_ORIGIN exactly'),
  authorization_endpoint: uri,
  token_endpoint: uri,
  revocation_endpoint: uri,
  introspection_endpoint: uri,
  jwks_uri: uri,
  userinfo_endpoint: uri,
  registration_endpoint: uri.optional().describe('When dynamic registration is on'),
  device_authorization_endpoint: uri,
  scopes_supported: list,
  response_types_supported: list,
  response_modes_supported: list,
  grant_types_supported: list,
  code_challenge_methods_supported: list,
  token_endpoint_auth_methods_supported: list,
  revocation_endpoint_auth_methods_supported: list,
  introspection_endpoint_auth_methods_supported: list,
  authorization_response_iss_parameter_supported: z.boolean(),
  service_documentation: uri,
}).meta({ id: 'ServerMetadata', description: 'Authorization server metadata (RFC 8414)' });

/** RFC 7009 and 7662 both make `token` the one required parameter. */
function requireToken(value: string | undefined): string {
  if (value === undefined || value === '') throw new OAuthError('invalid_request', 'token is required.');
  return value;
}

export const oauthStandardRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['oauth-standard'];
    const protocol = { config: { forms: true, dialect: 'oauth' as const } };
    const errors = errorResponses('oauth', { 400: 'invalid_request: token is missing, or a value is malformed', 401: 'invalid_client: the client could not be authenticated', 413: true, 415: true });

    app.post('/oauth/revoke', {
      config: { ...protocol.config, cors: 'public-clients' },
      schema: {
        tags, security: [{ clientBasic: [] }, {}], body: tokenBody, summary: 'Revoke a token (RFC 7009)',
        description: "Revoke one of the client's tokens (a refresh token takes its whole family); 200 even for unknown tokens",
        response: { 200: described(z.object({}), 'Revoked, or was not a live token of this client'), ...errors },
      },
    }, async (request, reply) => {
      const { app: client } = await authenticateClient(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
      await revokeToken(steep, client.client_id, requireToken(request.body.token));
      return reply.headers(NO_STORE).send({});
    });

    app.post('/oauth/introspect', {
      ...protocol,
      schema: {
        tags, security: [{ clientBasic: [] }, { bearerAuth: [] }, {}], body: tokenBody, summary: 'Introspect a token (RFC 7662)',
        description: 'Is this token live, and what may it do? For resource servers: client credentials or a personal access token',
        response: { 200: described(introspection, 'What the token is, or {active: false}'), ...errors },
      },
    }, async (request, reply) => {
      const caller = await authenticateIntrospector(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
      return reply.headers(NO_STORE).send(await introspect(steep, requireToken(request.body.token), caller));
    });

    app.get('/.well-known/oauth-authorization-server', {
      config: { cors: 'any' },
      schema: { tags, security: [], summary: 'Authorization server metadata (RFC 8414)', description: 'Where the endpoints are and what this server supports', response: { 200: described(serverMetadataShape, 'The metadata document') } },
    }, async () => serverMetadata(steep.config));
  };
