// RFC 6750 on the wire: reading the Bearer token out of an Authorization header, and the
// WWW-Authenticate challenge of a refusal, which points clients to the RFC 9728 metadata.
import type { Verdict } from './types.ts';

/** Far above any token Steep issues; bounds the work an attacker can make a request cost. */
const MAX_HEADER_LENGTH = 16_384;
/** RFC 6750 section 2.1: `Bearer` 1*SP b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** RFC 6749 section 3.3: a scope token is 1*NQCHAR, so it can go in a quoted-string as is. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** What an Authorization header holds: no Bearer credentials at all, a malformed attempt, or a token. */
export type BearerCredentials = 'none' | 'malformed' | { token: string };

export function bearerToken(authorization: string | undefined): BearerCredentials {
  if (typeof authorization !== 'string' || !/^Bearer(?: |$)/i.test(authorization)) return 'none';
  if (authorization.length > MAX_HEADER_LENGTH) return 'malformed';
  const token = BEARER.exec(authorization)?.[1];
  return token ? { token } : 'malformed';
}

/** Required scopes come from the API's own code, not the request: a bad one is a programming error. */
export function checkScopes(scopes: readonly string[]): void {
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new TypeError(`required scopes must be a list of RFC 6749 scope tokens, not ${JSON.stringify(scopes)}.`);
  }
}

export type Refusal = Extract<Verdict, { ok: false }>;

/**
 * A refusal. Every challenge names the metadata (RFC 9728 section 5.1) and, when the route needs
 * scopes, which ones (RFC 6750 section 3), so a client such as an MCP agent can go and get a fitting token.
 */
export function refusal(metadataUrl: string, requiredScopes: readonly string[], error: Refusal['error'], description: string): Refusal {
  // Descriptions are this kit's own sentences: RFC 6750 allows no `"` or `\` in them.
  const parts = [
    ...(error ? [`error="${error}"`, `error_description="${description}"`] : []),
    ...(requiredScopes.length ? [`scope="${requiredScopes.join(' ')}"`] : []),
    `resource_metadata="${metadataUrl}"`,
  ];
  return {
    ok: false,
    status: error === 'insufficient_scope' ? 403 : 401,
    ...(error && { error }),
    description,
    wwwAuthenticate: `Bearer ${parts.join(', ')}`,
  };
}
