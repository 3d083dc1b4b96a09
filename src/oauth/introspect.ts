// Token introspection (RFC 7662): resource servers ask whether a token is live and what it may do.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { actorFromBearer } from '../services/credentials.ts';
import { fromJson } from '../store/json.ts';
import type { TokenRow } from '../store/tokens.ts';
import type { User } from '../store/users.ts';
import { authenticateClient, usesBasic, type ClientCredentialsInput } from './client-auth.ts';

export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id?: string; sub: string; username?: string; token_type: string; exp: number; iat: number };

const INACTIVE = { active: false } as const;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** Who asks: a client (by its secret) or a user (by a personal access token). */
export type Introspector = { clientId: string } | { userId: string };

/**
 * The caller must be a client (secret) or a user's personal access token. Access tokens and PATs may be
 * introspected by any of them (a resource server is a client of its own); a refresh token only by the
 * client it was issued to, since only that client ever presents it.
 */
export async function authenticateIntrospector(steep: Steep, input: ClientCredentialsInput): Promise<Introspector> {
  if (input.authorization !== undefined && !usesBasic(input.authorization)) {
    const bearer = /^Bearer +(\S+) *$/i.exec(input.authorization)?.[1];
    const actor = bearer ? await actorFromBearer(steep, bearer) : null;
    if (actor?.kind !== 'pat') throw new OAuthError('invalid_client', 'Introspection needs client credentials or a valid personal access token.');
    return { userId: actor.user.id };
  }
  const client = await authenticateClient(steep, input);
  // RFC 7662 section 2.1: the caller must be authorized; a public client proves nothing about itself.
  if (client.method === 'none') throw new OAuthError('invalid_client', 'Introspection needs a client secret or a personal access token; a public client cannot introspect.');
  return { clientId: client.app.client_id };
}

export async function introspect(steep: Steep, token: string, caller: Introspector): Promise<Introspection> {
  const now = steep.clock.now();
  const tokenHash = steep.hasher.hash(token);
  if (hasPrefix(token, 'pat')) {
    const found = await steep.personalTokens.liveWithOwner(tokenHash, now);
    if (!found) return INACTIVE;
    const { user, scopes } = found;
    return { active: true, scope: fromJson(scopes).join(' '), sub: user.id, username: user.name, token_type: 'Bearer', exp: seconds(found.expiresAt), iat: seconds(found.createdAt) };
  }
  let found: { token: TokenRow; user: User | null } | undefined;
  if (hasPrefix(token, 'accessToken')) {
    found = await steep.tokens.liveAccess(tokenHash, now);
  } else if (hasPrefix(token, 'refreshToken') && 'clientId' in caller) {
    const row = await steep.tokens.live('refresh', tokenHash, now);
    const user = row && row.client_id === caller.clientId && row.user_id !== null ? await steep.users.byId(row.user_id) : undefined;
    found = row && user ? { token: row, user } : undefined;
  }
  if (!found) return INACTIVE;
  const { token: row, user } = found;
  return {
    active: true,
    scope: fromJson(row.scopes).join(' '),
    client_id: row.client_id,
    // An app acting for itself (client_credentials) is its own subject (API.md Part 2).
    sub: user?.id ?? row.client_id,
    ...(user && { username: user.name }),
    token_type: row.kind === 'access' ? 'Bearer' : 'refresh_token',
    exp: seconds(row.expires_at),
    iat: seconds(row.created_at),
  };
}
