// Finding a presented access token's row: opaque tokens by their own hash, JWT access tokens (RFC 9068)
// by the hash of their jti once their signature checks out.
import type { Steep } from '../context.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { looksLikeJwt, verifyOwnJwt } from './jwt.ts';

/** The hash an access token's row is stored under, or null when it cannot be one of ours. */
export async function accessTokenKey(steep: Steep, token: string): Promise<string | null> {
  if (hasPrefix(token, 'accessToken')) return steep.hasher.hash(token);
  if (!looksLikeJwt(token)) return null;
  const claims = await verifyOwnJwt(steep, token, 'at+jwt');
  return typeof claims?.jti === 'string' ? steep.hasher.hash(claims.jti) : null;
}
