// RFC 7662 introspection of opaque access tokens, which carry nothing a resource server could check
// itself. "Active" answers are reused for a short while so a busy API does not ask Steep on every
// request. Inactive ones are not, so made-up tokens cannot crowd live ones out of the cache; each of
// them costs one call to Steep instead, which is what an API's own rate limit is for.
import { createHash } from 'node:crypto';
import { fetchJson } from './fetch-json.ts';
import type { Claims, IntrospectionOptions } from './types.ts';

const DEFAULT_CACHE_SECONDS = 30;
/** Bounds the memory one API spends on the cache; the oldest entry makes room. */
const MAX_ENTRIES = 10_000;

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded before Base64. */
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export type Introspect = (token: string) => Promise<Claims | null>;

/** Reads an introspection answer into claims for `resource`, or null when it does not admit the token here. */
function claimsOf(answer: Record<string, unknown>, issuer: string, resource: string): Claims | null {
  const { active, sub, client_id, scope = '', exp, iat, aud, iss = issuer, token_type = 'Bearer' } = answer;
  if (active !== true || typeof sub !== 'string' || typeof client_id !== 'string' || typeof scope !== 'string' || typeof exp !== 'number') return null;
  // Steep tells its issuing client about refresh tokens too; those are not for calling APIs.
  if (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer' || iss !== issuer) return null;
  // Audience-bound tokens (a JWT someone sent to the wrong API) are only good for their own resource.
  if (aud !== undefined && aud !== resource && !(Array.isArray(aud) && aud.includes(resource))) return null;
  return { iss: issuer, sub, client_id, scope, aud: (aud as Claims['aud'] | undefined) ?? resource, exp, ...(typeof iat === 'number' && { iat }) };
}

export function introspection(
  options: IntrospectionOptions,
  endpoint: () => Promise<string>,
  context: { issuer: string; resource: string; now: () => number },
): Introspect {
  const cacheSeconds = options.cacheSeconds ?? DEFAULT_CACHE_SECONDS;
  if (!Number.isFinite(cacheSeconds) || cacheSeconds < 0) throw new TypeError('introspection.cacheSeconds must be a number of seconds, 0 or more.');
  const cacheMs = cacheSeconds * 1000;
  const authorization = 'Basic ' + Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64');
  const cache = new Map<string, { claims: Claims; until: number }>();

  return async (token) => {
    // Keyed by a hash, so the cache never holds a usable token.
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = cache.get(key);
    if (hit && hit.until > context.now()) return hit.claims;
    cache.delete(key);

    const answer = await fetchJson(await endpoint(), {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    const claims = claimsOf(answer, context.issuer, context.resource);
    const now = context.now();
    const until = Math.min(now + cacheMs, (claims?.exp ?? 0) * 1000);
    if (claims && until > now) {
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(key, { claims, until });
    }
    return claims;
  };
}
