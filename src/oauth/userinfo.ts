// The UserInfo endpoint (OpenID Connect Core section 5.3): the signed-in person's claims, for an
// access token that holds `openid`. Failures carry RFC 6750 section 3 challenges.
import type { Steep } from '../context.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { fromJson } from '../store/json.ts';
import { userClaims } from './claims.ts';

export type UserinfoResult =
  | { ok: true; claims: { sub: string } & Record<string, unknown> }
  /** `error` is null when no token was sent: RFC 6750 section 3.1 then names no error. */
  | { ok: false; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope' | null; challenge: string; message: string };

const REALM = 'Bearer realm="steep"';

export async function userinfo(steep: Steep, token: string | undefined): Promise<UserinfoResult> {
  if (token === undefined) return { ok: false, status: 401, error: null, challenge: REALM, message: 'Send an access token: Authorization: Bearer <token>.' };
  // Opaque tokens only: a JWT access token is audience-bound to another resource server (RFC 9068 section 4).
  const found = hasPrefix(token, 'accessToken') ? await steep.tokens.liveAccess(steep.hasher.hash(token), steep.clock.now()) : undefined;
  if (!found) {
    return { ok: false, status: 401, error: 'invalid_token', challenge: `${REALM}, error="invalid_token"`, message: 'The access token is unknown, expired or revoked, or is meant for another resource server.' };
  }
  const scopes = fromJson(found.token.scopes);
  if (!found.user || !scopes.includes('openid')) {
    return { ok: false, status: 403, error: 'insufficient_scope', challenge: `${REALM}, error="insufficient_scope", scope="openid"`, message: 'The access token was not granted the openid scope.' };
  }
  return { ok: true, claims: userClaims(found.user, scopes) };
}
