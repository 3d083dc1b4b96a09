// The kit's public shapes (API.md Part 2, "Resource servers"). This folder imports nothing else of
// Steep: it runs inside other people's APIs, with node built-ins, jose and Fastify's types only.

export interface VerifierOptions {
  /** Steep's issuer, e.g. https://auth.example.com: its metadata is read from `${issuer}/.well-known/oauth-authorization-server`. */
  issuer: string;
  /** This API's resource URI, exactly as declared in Steep's STEEP_RESOURCES_FILE: a JWT's `aud` must equal it. */
  resource: string;
  /** The scopes this API knows, published as `scopes_supported` in its RFC 9728 metadata. */
  scopes?: string[];
  /** This API's own client credentials at Steep; without them, opaque access tokens are refused. */
  introspection?: IntrospectionOptions;
  /** Milliseconds since the epoch; for tests only (they pass the clock Steep runs on). Default Date.now. */
  now?: () => number;
}

export interface IntrospectionOptions {
  clientId: string;
  clientSecret: string;
  /**
   * How long an "active" answer is reused (never past the token's expiry), default 30; 0 asks Steep
   * every time. The price of caching: a token revoked at Steep keeps working here that long.
   */
  cacheSeconds?: number;
  /**
   * Also ask Steep about JWT access tokens, after their local check: a revocation at Steep (the
   * person withdrawing the app, say) then takes effect here within `cacheSeconds`, instead of when
   * the token expires. Costs the introspection call (once per `cacheSeconds` per token). Default false.
   */
  checkJwtRevocation?: boolean;
}

/** What a route learns about the caller (RFC 9068 section 2.2 claims, or the introspection answer). */
export interface Claims {
  iss: string;
  /** The person, or the app itself for a client_credentials token. */
  sub: string;
  client_id: string;
  /** Space-separated, as in the token. */
  scope: string;
  /** The token's audience; for an opaque token (which names none), the resource it was accepted for. */
  aud: string | string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
  iat?: number;
  jti?: string;
}

export type Verdict =
  | { ok: true; claims: Claims }
  | {
      ok: false;
      status: 401 | 403;
      /** Absent when the request carries no Bearer token at all (RFC 6750 section 3.1). */
      error?: 'invalid_token' | 'insufficient_scope';
      /** For people reading the response; also sent as error_description. */
      description: string;
      /** The RFC 6750 WWW-Authenticate value, naming this API's RFC 9728 metadata. */
      wwwAuthenticate: string;
    };

export interface Verifier {
  /** Never throws for anything the caller sent; throws AuthorizationServerUnavailable when Steep cannot be asked. */
  verify(authorization: string | undefined, requiredScopes: string[]): Promise<Verdict>;
  /** The RFC 9728 protected-resource metadata document. */
  metadata(): ProtectedResourceMetadata;
}

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported: ['header'];
}

/**
 * Steep could not be asked (unreachable, timed out, or answered nonsense), so no verdict is possible:
 * neither "allowed" nor "refused" would be true. The Fastify plugin answers 503 with Retry-After.
 */
export class AuthorizationServerUnavailable extends Error {
  override name = 'AuthorizationServerUnavailable';
  /** Seconds a client should wait before trying again. */
  readonly retryAfter = 5;
}
