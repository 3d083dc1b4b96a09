// Token revocation (RFC 7009), for the authenticated client's own tokens.
import type { Steep } from '../context.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { accessTokenKey } from './access-tokens.ts';

/**
 * Revokes an access token, or a refresh token with its whole family. Unknown tokens, and tokens of
 * other clients, are ignored: the answer is the same 200, so it tells a caller nothing about them.
 */
export async function revokeToken(steep: Steep, clientId: string, token: string): Promise<void> {
  const tokenHash = hasPrefix(token, 'refreshToken') ? steep.hasher.hash(token) : await accessTokenKey(steep, token);
  if (tokenHash === null) return;
  const row = await steep.tokens.byHash(tokenHash);
  if (!row || row.client_id !== clientId) return;
  const now = steep.clock.now();
  if (row.kind === 'refresh') await steep.grants.revoke(row.grant_id, now);
  else await steep.tokens.revoke(tokenHash, now);
}
