// createVerifier: from an Authorization header and a route's scopes to a verdict. JWTs are checked
// locally; opaque tokens, which name no audience, only through introspection, and only if this API
// has credentials for it.
import { bearerToken, checkScopes, refusal, type Refusal } from './challenge.ts';
import { discovery } from './discovery.ts';
import { introspection } from './introspection.ts';
import { jwtVerifier, looksLikeJwt } from './jwt.ts';
import { keySet } from './key-set.ts';
import { AuthorizationServerUnavailable, type Claims, type Verdict, type Verifier, type VerifierOptions } from './types.ts';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

export function createVerifier(options: VerifierOptions): Verifier {
  const { issuer, resource, scopes } = options;
  // Configuration mistakes fail when the API starts, not on its first request.
  if (!URL.canParse(issuer) || !URL.canParse(resource)) throw new TypeError('issuer and resource must be absolute URLs.');
  if (scopes) checkScopes(scopes);
  const now = options.now ?? Date.now;
  const context = { issuer, resource, now };
  const metadataUrl = new URL(METADATA_PATH, resource).href;
  const endpoints = discovery(issuer);
  const verifyJwt = jwtVerifier(keySet(async () => (await endpoints()).jwksUri, now), context);
  const introspect = options.introspection && introspection(options.introspection, async () => {
    const endpoint = (await endpoints()).introspectionEndpoint;
    if (!endpoint) throw new AuthorizationServerUnavailable(`${issuer} publishes no introspection_endpoint`);
    return endpoint;
  }, context);

  async function claimsOf(token: string): Promise<Claims | string> {
    if (looksLikeJwt(token)) {
      const local = await verifyJwt(token);
      if (typeof local === 'string' || !introspect || !options.introspection?.checkJwtRevocation) return local;
      return (await introspect(token)) ? local : 'The access token was revoked.';
    }
    if (!introspect) return 'This API takes JWT access tokens issued for it (ask for one with the resource parameter); it cannot check opaque ones.';
    return (await introspect(token)) ?? 'The access token is unknown, expired, revoked, or not for this API.';
  }

  return {
    async verify(authorization, requiredScopes) {
      checkScopes(requiredScopes);
      const refuse = (error: Refusal['error'], description: string) => refusal(metadataUrl, requiredScopes, error, description);
      const credentials = bearerToken(authorization);
      if (credentials === 'none') return refuse(undefined, 'This API needs an access token: Authorization: Bearer <token>.');
      if (credentials === 'malformed') return refuse('invalid_token', 'The Authorization header must be Bearer and one token.');
      const claims = await claimsOf(credentials.token);
      if (typeof claims === 'string') return refuse('invalid_token', claims);
      const held = claims.scope.split(' ');
      if (!requiredScopes.every((scope) => held.includes(scope))) return refuse('insufficient_scope', 'The access token lacks a scope this call needs.');
      return { ok: true, claims } satisfies Verdict;
    },
    metadata: () => ({
      resource,
      authorization_servers: [issuer],
      ...(scopes && { scopes_supported: [...scopes] }),
      bearer_methods_supported: ['header'],
    }),
  };
}
