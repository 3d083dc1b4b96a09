// Token introspection (RFC 7662): resource servers ask whether a token is live and what it may do.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { actorFromBearer } from '../services/credentials.ts';
import { fromJson } from '../store/json.ts';
import { authenticateClient, usesBasic, type ClientCredentialsInput } from './client-auth.ts';

export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id?: string; sub: string; username: string; token_type: string; exp: number; iat: number };

const INACTIVE = { active: false } as const;
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The caller must be a client (secret) or a user's personal access token. Either may introspect any
 * token: it already holds the token string, and authentication only stops anonymous token scanning.
 */
export async function authenticateIntrospector(steep: Steep, input: ClientCredentialsInput): Promise<void> {
  if (input.authorization !== undefined && !usesBasic(input.authorization)) {
    const bearer = /^Bearer +(\S+) *$/i.exec(input.authorization)?.[1];
    const actor = bearer ? await actorFromBearer(steep, bearer) : null;
    if (actor?.kind !== 'pat') throw new OAuthError('invalid_client', 'Introspection needs client credentials or a valid personal access token.');
    return;
  }
  await authenticateClient(steep, input);
}

export async function introspect(steep: Steep, token: string): Promise<Introspection> {
  const now = steep.clock.now();
  const tokenHash = steep.hasher.hash(token);
  if (hasPrefix(token, 'pat')) {
    const pat = await steep.personalTokens.byHash(tokenHash, now);
    const user = pat && (await steep.users.byId(pat.user_id));
    if (!pat || !user) return INACTIVE;
    const scopes = fromJson(pat.scopes);
    return { active: true, scope: scopes.join(' '), sub: user.id, username: user.name, token_type: 'Bearer', exp: seconds(pat.expires_at), iat: seconds(pat.created_at) };
  }
  const kind = hasPrefix(token, 'accessToken') ? 'access' : hasPrefix(token, 'refreshToken') ? 'refresh' : null;
  const row = kind && (await steep.tokens.live(kind, tokenHash, now));
  const user = row && (await steep.users.byId(row.user_id));
  if (!row || !user) return INACTIVE;
  return {
    active: true,
    scope: fromJson(row.scopes).join(' '),
    client_id: row.client_id,
    sub: user.id,
    username: user.name,
    token_type: kind === 'access' ? 'Bearer' : 'refresh_token',
    exp: seconds(row.expires_at),
    iat: seconds(row.created_at),
  };
}
