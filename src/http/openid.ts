// OpenID Connect's endpoints: discovery, the JWK Set, and UserInfo (GET and POST).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { openidConfiguration } from '../oauth/metadata.ts';
import { userinfo } from '../oauth/userinfo.ts';
import { bearerToken } from './auth.ts';
import { serverMetadataShape } from './oauth-standard.ts';
import { described } from './responses.ts';

const claims = z.object({ sub: z.string() }).catchall(z.unknown())
  .meta({ id: 'UserInfo', description: 'OpenID Connect claims: sub; name and picture with profile; email and email_verified with email', examples: [{ sub: 'usr_3n4b5v6c7x8z', name: 'Ada', email: 'ada@example.com', email_verified: false }] });
const bearerError = z.object({ error: z.string().optional().describe('invalid_token or insufficient_scope; absent when no token was sent (RFC 6750 section 3.1)'), error_description: z.string() })
  .meta({ id: 'BearerError', description: 'An RFC 6750 error, also in WWW-Authenticate' });
const providerMetadata = serverMetadataShape.extend({
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  prompt_values_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
  claims_parameter_supported: z.boolean(),
  request_parameter_supported: z.boolean(),
  request_uri_parameter_supported: z.boolean(),
}).meta({ id: 'ProviderMetadata', description: 'OpenID Provider metadata (OpenID Connect Discovery 1.0 section 3)' });
const jwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown()).describe('A public JWK: kty, kid, alg (RS256), use (sig) and the key parameters')) })
  .meta({ id: 'JwkSet', description: 'RFC 7517 JWK Set: public keys only' });

export const openidRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['openid'];

    app.get('/.well-known/openid-configuration', {
      config: { cors: 'any' },
      schema: { tags, security: [], summary: 'OpenID Provider metadata', description: 'OpenID Connect Discovery 1.0: the authorization server metadata and the OpenID fields', response: { 200: described(providerMetadata, 'The metadata document') } },
    }, async () => openidConfiguration(steep.config));

    app.get('/oauth/jwks', {
      config: { cors: 'any' },
      schema: { tags, security: [], summary: 'The signing keys (JWK Set)', description: 'The public signing keys (RFC 7517 JWK Set): the current key and recently retired ones', response: { 200: described(jwkSet, 'The keys; cacheable for a minute') } },
    // Short: a relying party that honours the cache strictly still sees a rotated key within a minute.
    }, async (_request, reply) => reply.header('cache-control', 'public, max-age=60').send(await steep.keys.jwks()));

    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: '/oauth/userinfo',
        config: { cors: 'public-clients', forms: true, dialect: 'oauth' },
        schema: {
          tags, security: [{ bearerAuth: [] }], summary: `UserInfo (${method})`,
          description: "The signed-in person's claims for an access token holding openid (OpenID Connect Core section 5.3)",
          response: {
            200: described(claims, 'The claims the token may read'),
            401: described(bearerError, 'No token, or one that is unknown, expired or revoked'),
            403: described(bearerError, 'insufficient_scope: the token does not hold openid'),
          },
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
