// Accounts: sign-up, sign-in, sign-out and "who am I".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { signupBody } from '../schemas/accounts.ts';
import { checkSignIn, checkSignupOpen, signUp, startSession } from '../services/accounts.ts';
import type { User } from '../store/users.ts';
import { SESSION_COOKIE, actorOf, requireAuth } from './auth.ts';
import { described, errorResponses, okMessage } from './responses.ts';

const userShape = z.object({ id: z.string(), name: z.string(), email: z.string().optional(), avatar: z.string().optional() })
  .meta({ id: 'User', description: 'A person with a Steep account', examples: [{ id: 'usr_3n4b5v6c7x8z', name: 'Ada', email: 'ada@example.com' }] });
const signinBody = z.object({ email: z.string().max(254), password: z.string().max(1024) })
  .meta({ id: 'Signin', description: 'Email and password', examples: [{ email: 'ada@example.com', password: 'a long password' }] });

const userView = (user: User, withEmail = true) => ({
  id: user.id,
  name: user.name,
  ...(withEmail && { email: user.email }),
  ...(user.avatar !== null && { avatar: user.avatar }),
});

export function setSessionCookie(steep: Steep, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: steep.config.secureCookies,
    maxAge: steep.config.ttl.session,
  });
}

export const accountRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['auth'];

    app.post('/api/auth/signup', {
      // Closed sign-up is refused before the body is read: nothing about it matters then.
      onRequest: async () => checkSignupOpen(steep),
      schema: {
        tags, security: [], summary: 'Sign up', description: 'Create an account and start a session (sets the steep_session cookie); 403 when STEEP_SIGNUP=closed',
        body: signupBody,
        response: { 201: described(userShape, 'The new account; the session cookie is set'), ...errorResponses('teable', { 400: true, 403: 'Sign-up is closed on this server (STEEP_SIGNUP=closed)', 409: 'An account with this email already exists', 413: true, 415: true, 429: 'Too many sign-ups from this address' }) },
      },
    }, async (request, reply) => {
      const user = await signUp(steep, request.body, request.ip);
      setSessionCookie(steep, reply, await startSession(steep, user.id));
      return reply.code(201).send(userView(user));
    });

    app.post('/api/auth/signin', {
      schema: {
        tags, security: [], summary: 'Sign in', description: 'Sign in with email and password and start a session (sets the steep_session cookie)',
        body: signinBody,
        response: {
          200: described(userShape, 'Signed in; the session cookie is set'),
          ...errorResponses('teable', { 400: true, 401: 'The email or password is incorrect (the same answer for an unknown email)', 413: true, 415: true, 429: 'Too many failed attempts for this account or address' }),
        },
      },
    }, async (request, reply) => {
      const user = await checkSignIn(steep, request.body.email, request.body.password, request.ip);
      setSessionCookie(steep, reply, await startSession(steep, user.id));
      return userView(user);
    });

    app.post('/api/auth/signout', {
      onRequest: requireAuth(steep, 'session'),
      schema: { tags, security: [{ cookieAuth: [] }], summary: 'Sign out', description: 'End the session: the cookie is cleared and the session deleted on the server', response: { 200: described(okMessage, 'Signed out'), ...errorResponses('teable', { 401: true, 403: 'A Bearer token, or a cross-site request' }) } },
    }, async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind === 'session') await steep.users.deleteSession(actor.sessionHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { message: 'Signed out.' };
    });

    app.get('/api/auth/user/me', {
      onRequest: requireAuth(steep, 'session', 'pat'),
      schema: { tags, security: [{ cookieAuth: [] }, { bearerAuth: [] }], summary: 'Who am I', description: 'The signed-in user (a session or a personal access token)', response: { 200: described(userShape, 'The caller'), ...errorResponses('teable', { 401: true, 403: 'An OAuth access token' }) } },
    }, async (request) => userView(actorOf(request).user));

    app.get('/api/auth/user', {
      onRequest: requireAuth(steep, 'session', 'pat', 'oauth'),
      schema: {
        tags, summary: 'The user behind a credential', description: 'The user behind any credential; with an OAuth access token, email only under user|email_read',
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
        response: { 200: described(userShape, 'The user; email only when the credential may read it'), ...errorResponses('teable', { 401: true, 403: 'An app acting for itself (client_credentials): no user is behind it' }) },
      },
    }, async (request) => {
      const actor = actorOf(request);
      return userView(actor.user, actor.kind !== 'oauth' || actor.scopes.includes('user|email_read'));
    });
  };
