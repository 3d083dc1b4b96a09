// Authorization responses: parameters appended to the client's registered redirect URI.
import type { Steep } from '../context.ts';

/**
 * `redirectUri` + `params`, then `state` (when the client sent one) and `iss` (RFC 9207, so a client
 * talking to several servers can tell which one answered). Appended by hand, not through URL, so the
 * registered URI (its own query, or a private-use scheme) stays byte for byte what was registered.
 */
export function authorizationResponse(steep: Steep, redirectUri: string, params: Record<string, string>, state: string | null): string {
  const query = new URLSearchParams(params);
  if (state !== null) query.set('state', state);
  query.set('iss', steep.config.issuer);
  return redirectUri + (redirectUri.includes('?') ? '&' : '?') + query.toString();
}
