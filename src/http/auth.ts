// Request authentication: which credentials a route accepts, and the cross-site check for cookie-borne writes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { forbidden, unauthorized } from '../domain/errors.ts';
import { type Actor, type UserActor, actorFromBearerAt, actorFromSession } from '../services/credentials.ts';

export const SESSION_COOKIE = 'steep_session';

/** The sign-in page, which returns to `returnTo` (a path here) afterwards: for the pages and for authorize alike. */
export function loginUrl(returnTo?: string, options: { fresh?: boolean } = {}): string {
  const query = new URLSearchParams();
  if (returnTo) query.set('redirect', returnTo);
  // OpenID Connect prompt=login / max_age: the form is shown even to someone signed in, and signing in starts a new session.
  if (options.fresh) query.set('fresh', '1');
  return query.size ? `/auth/login?${query}` : '/auth/login';
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

type Kind = Actor['kind'];

const REFUSALS: Record<Kind, string> = {
  session: 'This route does not accept a browser session.',
  pat: 'Personal access tokens cannot call this route; sign in with a browser session.',
  oauth: 'OAuth access tokens cannot call this route.',
  app: 'This access token belongs to an app acting for itself (client_credentials); no user is behind it.',
};

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header && /^Bearer +([^\s]+) *$/i.exec(header);
  return match ? match[1] : undefined;
}

/** True when a browser says this request came from another site (Origin or Fetch Metadata). */
export function isCrossSite(steep: Steep, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  // Privacy settings or a no-referrer policy make browsers send "Origin: null" even on a same-origin form
  // post; Fetch Metadata (which pages cannot forge) tells that apart from a sandboxed or opaque origin.
  if (origin === 'null') return site !== 'same-origin';
  if (origin !== undefined) {
    const own = [steep.config.publicOrigin, `${request.protocol}://${request.headers.host}`];
    return !own.includes(origin);
  }
  return site === 'cross-site' || site === 'same-site';
}

/** The caller, or null when the request carries no valid credential. */
export async function identify(steep: Steep, request: FastifyRequest): Promise<Actor | null> {
  if (request.actor) return request.actor;
  const token = bearerToken(request);
  if (request.headers.authorization !== undefined) {
    // A present but unusable Authorization header is an error, not a fall-back to the cookie.
    request.actor = token ? ((await actorFromBearerAt(steep, token, request.ip)) ?? undefined) : undefined;
    return request.actor ?? null;
  }
  const sessionId = request.cookies[SESSION_COOKIE];
  request.actor = sessionId ? ((await actorFromSession(steep, sessionId)) ?? undefined) : undefined;
  return request.actor ?? null;
}

/** An onRequest hook that admits (before the body is parsed) only the listed credential kinds. */
export function requireAuth(steep: Steep, ...allowed: Kind[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const actor = await identify(steep, request);
    if (!actor) {
      throw unauthorized(
        request.headers.authorization !== undefined
          ? 'The Bearer token is missing, unknown, expired or revoked.'
          : 'Authentication is required: send a valid session cookie or Bearer token.',
      );
    }
    if (!allowed.includes(actor.kind)) throw forbidden(REFUSALS[actor.kind]);
    if (actor.kind === 'session' && request.method !== 'GET' && request.method !== 'HEAD' && isCrossSite(steep, request)) {
      throw forbidden('Cross-site requests with a session cookie are refused.');
    }
  };
}

/** The actor a requireAuth hook admitted; no route admits an app acting for itself, so it acts for a user. */
export function actorOf(request: FastifyRequest): UserActor {
  if (!request.actor || request.actor.kind === 'app') throw unauthorized();
  return request.actor;
}
