// Who is calling: a browser session, a personal access token, or an OAuth access token.
import type { Steep } from '../context.ts';
import { hasPrefix } from '../domain/secrets.ts';
import { fromJson } from '../store/json.ts';
import { consentKey } from '../store/usage.ts';
import type { User } from '../store/users.ts';

export type Actor =
  /** `signedInAt`: when the person signed in (OpenID Connect auth_time), epoch ms. */
  | { kind: 'session'; user: User; sessionHash: string; signedInAt: number }
  | { kind: 'pat'; user: User; tokenId: string; scopes: string[] }
  | { kind: 'oauth'; user: User; clientId: string; grantId: string; scopes: string[]; expiresAt: number; createdAt: number }
  /** An OAuth access token of an app acting for itself (client_credentials): no user behind it. */
  | { kind: 'app'; clientId: string; grantId: string; scopes: string[] };

/** Every kind of caller that acts for a user. */
export type UserActor = Exclude<Actor, { kind: 'app' }>;

/** A browser session as the person deciding at authorize: who, and since when they are signed in. */
export const signerOf = (actor: Extract<Actor, { kind: 'session' }>) => ({ userId: actor.user.id, signedInAt: actor.signedInAt });

export async function actorFromSession(steep: Steep, sessionId: string): Promise<Actor | null> {
  if (!hasPrefix(sessionId, 'session')) return null;
  const sessionHash = steep.hasher.hash(sessionId);
  const found = await steep.users.bySession(sessionHash, steep.clock.now());
  return found ? { kind: 'session', user: found.user, sessionHash, signedInAt: found.signedInAt } : null;
}

/**
 * actorFromBearer with the guessing limit: a token Steep never issued counts against the caller's
 * address (bearerIp), which past the limit is refused before any lookup. A live token costs no
 * counter I/O; an expired or revoked one is no guess (an app whose token just ran out must not get
 * its server's address blocked), which costs one more lookup, on that failure only.
 */
export async function actorFromBearerAt(steep: Steep, token: string, ip: string): Promise<Actor | null> {
  steep.limits.refuseKnown('bearerIp', ip);
  const actor = await actorFromBearer(steep, token);
  if (!actor && !(await wasIssued(steep, token))) await steep.limits.hit(['bearerIp', ip]);
  return actor;
}

async function wasIssued(steep: Steep, token: string): Promise<boolean> {
  if (hasPrefix(token, 'pat')) return steep.personalTokens.exists(steep.hasher.hash(token));
  if (hasPrefix(token, 'accessToken')) return (await steep.tokens.byHash(steep.hasher.hash(token))) !== undefined;
  return false;
}

/** Resolves a Bearer token of either kind; null when unknown, expired, revoked or deleted. */
export async function actorFromBearer(steep: Steep, token: string): Promise<Actor | null> {
  const now = steep.clock.now();
  if (hasPrefix(token, 'pat')) {
    const found = await steep.personalTokens.liveWithOwner(steep.hasher.hash(token), now);
    if (!found) return null;
    steep.usage.record('pat', found.tokenId, now);
    return { kind: 'pat', user: found.user, tokenId: found.tokenId, scopes: fromJson(found.scopes) };
  }
  if (hasPrefix(token, 'accessToken')) {
    const found = await steep.tokens.liveAccess(steep.hasher.hash(token), now);
    if (!found) return null;
    const { token: row, user } = found;
    const scopes = fromJson(row.scopes);
    if (!user) return { kind: 'app', clientId: row.client_id, grantId: row.grant_id, scopes };
    steep.usage.record('consent', consentKey(user.id, row.client_id), now);
    return { kind: 'oauth', user, clientId: row.client_id, grantId: row.grant_id, scopes, expiresAt: row.expires_at, createdAt: row.created_at };
  }
  return null;
}
