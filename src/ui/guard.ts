// Who may see a page, and why a form post is believed: the Origin check plus a CSRF token in every form.
// Signed-in forms carry an HMAC of the session (it changes when the session does); the sign-in and
// sign-up forms, which have no session yet, carry an HMAC of a random pre-session cookie.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { forbidden } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { safeEqual } from '../domain/secrets.ts';
import { identify, isCrossSite, loginUrl } from '../http/auth.ts';
import type { Actor } from '../services/credentials.ts';
import { asForm, formString } from './forms.ts';

export type SessionActor = Extract<Actor, { kind: 'session' }>;

const PRE_SESSION_COOKIE = 'steep_form';
const EXPIRED_FORM = 'This form has expired or was sent from another site. Go back, reload the page and try again.';

export const csrfToken = (steep: Steep, actor: SessionActor): string => steep.hasher.sign('csrf:' + actor.sessionHash);

function checkToken(request: FastifyRequest, expected: string): void {
  if (!safeEqual(formString(asForm(request.body), 'csrf'), expected)) throw forbidden(EXPIRED_FORM);
}

/** The page's person; only a browser session counts (a Bearer token does not sign anyone in to pages). */
export async function sessionOf(steep: Steep, request: FastifyRequest): Promise<SessionActor | null> {
  const actor = await identify(steep, request);
  return actor?.kind === 'session' ? actor : null;
}

/** The signed-in person of a page guarded by requireSignIn. */
export function pageActor(request: FastifyRequest): SessionActor {
  return request.actor as SessionActor;
}

/**
 * Hooks for signed-in pages: a visitor without a session goes to sign-in (and comes back after);
 * a POST must come from our own pages and carry the session's CSRF token.
 */
export function requireSignIn(steep: Steep) {
  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const actor = await sessionOf(steep, request);
      if (!actor) return reply.redirect(loginUrl(request.method === 'GET' ? request.url : undefined), 303);
      if (request.method === 'POST' && isCrossSite(steep, request)) throw forbidden(EXPIRED_FORM);
    },
    preHandler: async (request: FastifyRequest) => {
      if (request.method === 'POST') checkToken(request, csrfToken(steep, pageActor(request)));
    },
  };
}

/** The pre-session token for the sign-in and sign-up forms, setting its cookie on first sight. */
export function preSessionToken(steep: Steep, request: FastifyRequest, reply: FastifyReply): string {
  let value = request.cookies[PRE_SESSION_COOKIE];
  if (!value || value.length > 100) {
    value = newId('', 32);
    reply.setCookie(PRE_SESSION_COOKIE, value, { path: '/auth', httpOnly: true, sameSite: 'lax', secure: steep.config.secureCookies });
  }
  return steep.hasher.sign('csrf:pre:' + value);
}

/** Checks a sign-in or sign-up post: same origin, and the token matching the pre-session cookie. */
export function checkPreSessionPost(steep: Steep, request: FastifyRequest): void {
  const cookie = request.cookies[PRE_SESSION_COOKIE];
  if (isCrossSite(steep, request) || !cookie) throw forbidden(EXPIRED_FORM);
  checkToken(request, steep.hasher.sign('csrf:pre:' + cookie));
}
