// Token introspection (RFC 7662): resource servers ask whether a token is live and what it may do.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { actorFromBearerAt } from '../services/credentials.ts';
import { fromJson } from '../store/json.ts';
import type { TokenRow } from '../store/tokens.ts';
import type { User } from '../store/users.ts';
import { accessTokenKey } from './access-tokens.ts';
import { authenticateClient, usesBasic, type ClientCredentialsInput } from './client-auth.ts';

export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id?: string; sub: string; username?: string; token_type: string; exp: number; iat: number; aud?: string; iss?: string };

const INACTIVE = { active: false } as const;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** Who asks: a client (by its secret) or a user (by a personal access token). */
export type Introspector = { clientId: string } | { userId: string };

/** The caller must be a confidential client (its secret) or a user's personal access token. */
export async function authenticateIntrospector(steep: Steep, input: ClientCredentialsInput): Promise<Introspector> {
  if (input.authorization !== undefined && !usesBasic(input.authorization)) {
    const bearer = /^Bearer +(\S+) *$/i.exec(input.authorization)?.[1];
    const actor = bearer ? await actorFromBearerAt(steep, bearer, input.ip) : null;
    if (actor?.kind !== 'pat') throw new OAuthError('invalid_client', 'Introspection needs client credentials or a valid personal access token.');
    return { userId: actor.user.id };
  }
  const client = await authenticateClient(steep, input);
  // RFC 7662 section 2.1: the caller must be authorized; a public client proves nothing about itself.
  if (client.method === 'none') throw new OAuthError('invalid_client', 'Introspection needs a client secret or a personal access token; a public client cannot introspect.');
  return { clientId: client.app.client_id };
}

/**
 * RFC 7662 section 4 (token scanning): only a caller entitled to the token learns that it is active —
 * the client it was issued to; a client the operator declared as a resource server (for the JWTs of
 * its resource, every opaque access token, and PATs); a PAT, for tokens of its own user. A refresh
 * token only ever to the client it was issued to, the one party that presents it.
 */
function entitled(steep: Steep, caller: Introspector, token: TokenRow, resource: string | null): boolean {
  if ('userId' in caller) return token.kind === 'access' && token.user_id === caller.userId;
  if (token.client_id === caller.clientId) return true;
  if (token.kind !== 'access') return false;
  const served = servedBy(steep, caller.clientId);
  return served.length > 0 && (resource === null || served.some((r) => r.resource === resource));
}

/** The declared resources whose server is this client. */
const servedBy = (steep: Steep, clientId: string) => steep.config.resources.filter((r) => r.clientId === clientId);
const isResourceServer = (steep: Steep, clientId: string) => servedBy(steep, clientId).length > 0;

export async function introspect(steep: Steep, token: string, caller: Introspector): Promise<Introspection> {
  const now = steep.clock.now();
  if (hasPrefix(token, 'pat')) {
    const found = await steep.personalTokens.liveWithOwner(steep.hasher.hash(token), now);
    // A PAT is its user's key to resource servers: they may check it, and so may the user's own PATs.
    const allowed = 'userId' in caller ? found?.user.id === caller.userId : isResourceServer(steep, caller.clientId);
    if (!found || !allowed) return INACTIVE;
    const { user, scopes } = found;
    return { active: true, scope: fromJson(scopes).join(' '), sub: user.id, username: user.name, token_type: 'Bearer', exp: seconds(found.expiresAt), iat: seconds(found.createdAt) };
  }
  let found: { token: TokenRow; user: User | null; resource: string | null } | undefined;
  if (hasPrefix(token, 'refreshToken')) {
    const row = await steep.tokens.live('refresh', steep.hasher.hash(token), now);
    found = row && { token: row, user: row.user_id === null ? null : ((await steep.users.byId(row.user_id)) ?? null), resource: null };
  } else {
    const key = await accessTokenKey(steep, token);
    found = key === null ? undefined : await steep.tokens.liveAccess(key, now);
  }
  if (!found || !entitled(steep, caller, found.token, found.resource)) return INACTIVE;
  const { token: row, user, resource } = found;
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
    ...(resource !== null && { aud: resource, iss: steep.config.issuer }),
  };
}
