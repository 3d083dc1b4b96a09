// Sign-up, sign-in and sign-out pages. After signing in, a person returns to `redirect` when it is a
// path on this server (the authorize endpoint sends people here with one), never to another site.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { AppError } from '../domain/errors.ts';
import { setSessionCookie } from '../http/accounts.ts';
import { signupBody } from '../schemas/accounts.ts';
import { SESSION_COOKIE, loginUrl } from '../http/auth.ts';
import { retryAfterFor } from '../http/errors.ts';
import { SIGNUP_CLOSED, checkSignIn, signUp, startSession } from '../services/accounts.ts';
import { type FieldErrors, asForm, csrfInput, field, fieldErrors, formAlert, formString, safeReturnPath, zodProblems } from './forms.ts';
import { checkPreSessionPost, csrfToken, pageActor, preSessionToken, requireSignIn, sessionOf } from './guard.ts';
import { type Html, html } from './html.ts';
import { page, sendPage, signedInAs } from './layout.ts';
import { appLogo } from './components.ts';
import { type PageNote, leaveNote, takeNote } from './notes.ts';
import type { AppRow } from '../store/apps.ts';

interface AuthForm {
  email?: string;
  name?: string;
  redirect: string;
  /** The app whose authorization request sent the person here. */
  asking?: AppRow;
  errors?: FieldErrors;
  alert?: string;
  note?: PageNote;
}

const AUTHORIZE_PATHS = ['/oauth/authorize', '/api/oauth/authorize'];

/** The app asking, when the page to return to is an authorization request (the authorize endpoint checked it before sending anyone here). */
async function askingApp(steep: Steep, redirect: string): Promise<AppRow | undefined> {
  const url = new URL(redirect, 'http://steep.invalid');
  const clientId = url.searchParams.get('client_id');
  if (!AUTHORIZE_PATHS.includes(url.pathname) || !clientId || clientId.length > 100) return undefined;
  return steep.apps.byClientId(clientId);
}

/** "Sign in to continue to Journal Sync", with the app's logo; a self-registered app is said to be unverified. */
function asking(app: AppRow | undefined, verb: string): Html {
  if (!app) return html``;
  return html`<div class="asking">${appLogo(app.logo, app.name, 'large')}<p>${verb} to continue to <strong>${app.name}</strong>.${
    app.user_id === null ? html`<br><span class="muted small">This app registered itself; its name is unverified.</span>` : ''
  }</p></div>`;
}

const returnQuery = (redirect: string) => (redirect === '/settings/apps' ? '' : `?redirect=${encodeURIComponent(redirect)}`);

function loginPage(csrf: string, form: AuthForm, signup: boolean): Html {
  return page({ title: 'Sign in', note: form.note }, html`${asking(form.asking, 'Sign in')}<h1>Sign in to Steep</h1>
${formAlert(form.alert)}
<form method="post" action="/auth/login" class="card" novalidate>
  ${csrfInput(csrf)}
  <input type="hidden" name="redirect" value="${form.redirect}">
  ${field({ name: 'email', label: 'Email', type: 'email', value: form.email, required: true, autocomplete: 'username' })}
  ${field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' })}
  <button type="submit">Sign in</button>
</form>
${signup ? html`<p>New here? <a href="/auth/signup${returnQuery(form.redirect)}">Create an account</a>.</p>` : ''}`);
}

/** STEEP_SIGNUP=closed: what the sign-up page says instead of its form. */
function signupClosedPage(redirect: string): Html {
  return page({ title: 'Sign-up is closed' }, html`<h1>Sign-up is closed</h1>
<p>${SIGNUP_CLOSED}</p>
<p>Already have an account? <a href="/auth/login${returnQuery(redirect)}">Sign in</a>.</p>`);
}

function signupPage(csrf: string, form: AuthForm): Html {
  const errors = form.errors ?? new Map();
  return page({ title: 'Create an account' }, html`${asking(form.asking, 'Create an account')}<h1>Create your Steep account</h1>
${formAlert(form.alert)}
<form method="post" action="/auth/signup" class="card" novalidate>
  ${csrfInput(csrf)}
  <input type="hidden" name="redirect" value="${form.redirect}">
  ${field({ name: 'name', label: 'Name', value: form.name, autocomplete: 'name', maxlength: 100, error: errors.get('name') })}
  ${field({ name: 'email', label: 'Email', type: 'email', value: form.email, required: true, autocomplete: 'email', error: errors.get('email') })}
  ${field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', hint: '8 to 128 characters.', error: errors.get('password') })}
  <button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/auth/login${returnQuery(form.redirect)}">Sign in</a>.</p>`);
}

async function signIn(steep: Steep, reply: FastifyReply, userId: string, redirect: string) {
  setSessionCookie(steep, reply, await startSession(steep, userId));
  return reply.redirect(redirect, 303);
}

/**
 * A signed-in visitor of the sign-in or sign-up page goes straight on — unless an app asked for a
 * fresh sign-in (OpenID Connect prompt=login or max_age: `fresh=1`), which gets the form and a new session.
 */
async function showForm(steep: Steep, request: FastifyRequest, reply: FastifyReply, render: (csrf: string, form: AuthForm) => Html) {
  const query = request.query as Record<string, unknown>;
  const redirect = safeReturnPath(query.redirect);
  if (query.fresh !== '1' && (await sessionOf(steep, request))) return reply.redirect(redirect, 303);
  const note = await takeNote(steep, request, reply, null);
  return sendPage(reply, render(preSessionToken(steep, request, reply), { redirect, asking: await askingApp(steep, redirect), note }));
}

export function authPages(app: FastifyInstance, steep: Steep): void {
  const signup = steep.config.signup === 'open';
  const login = (csrf: string, form: AuthForm) => loginPage(csrf, form, signup);
  app.get('/auth/login', (request, reply) => showForm(steep, request, reply, login));
  app.get('/auth/signup', (request, reply) =>
    signup ? showForm(steep, request, reply, signupPage) : sendPage(reply, signupClosedPage(safeReturnPath((request.query as Record<string, unknown>).redirect)), 403),
  );

  app.post('/auth/login', async (request, reply) => {
    checkPreSessionPost(steep, request);
    const body = asForm(request.body);
    const redirect = safeReturnPath(formString(body, 'redirect'));
    const email = formString(body, 'email').slice(0, 254);
    try {
      const user = await checkSignIn(steep, email, formString(body, 'password').slice(0, 1024), request.ip);
      return await signIn(steep, reply, user.id, redirect);
    } catch (error) {
      // Wrong credentials and too many attempts are the person's to fix: show them on the form.
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
      const form = { email, redirect, asking: await askingApp(steep, redirect), alert: error.message };
      return sendPage(retryAfterFor(reply, error), login(preSessionToken(steep, request, reply), form), error.status);
    }
  });

  app.post('/auth/signup', async (request, reply) => {
    checkPreSessionPost(steep, request);
    const body = asForm(request.body);
    const redirect = safeReturnPath(formString(body, 'redirect'));
    if (!signup) return sendPage(reply, signupClosedPage(redirect), 403);
    const input = { email: formString(body, 'email').trim(), password: formString(body, 'password'), name: formString(body, 'name') || undefined };
    const again = async (errors: FieldErrors, status: number) => {
      const form = { email: input.email, name: input.name, redirect, asking: await askingApp(steep, redirect), errors };
      return sendPage(reply, signupPage(preSessionToken(steep, request, reply), form), status);
    };
    const parsed = signupBody.safeParse(input);
    if (!parsed.success) return again(fieldErrors(zodProblems(parsed.error)), 400);
    try {
      const user = await signUp(steep, parsed.data, request.ip);
      // Welcome on the settings page the person lands on; an authorization in progress goes on to its consent page undisturbed.
      if (redirect.startsWith('/settings/')) await leaveNote(steep, reply, user.id, { message: 'Your Steep account is ready. Register an app, or create a token for your scripts.' });
      return await signIn(steep, reply, user.id, redirect);
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return again(new Map([['email', error.message]]), 409);
      throw error;
    }
  });

  // Sign-out is a POST (a link or prefetch must not end a session); a typed-in URL gets the button.
  app.get('/auth/signout', requireSignIn(steep), async (request, reply) => {
    const actor = pageActor(request);
    return sendPage(reply, page({ title: 'Sign out', ...signedInAs(steep, actor) }, html`<h1>Sign out of Steep?</h1>
<form method="post" action="/auth/signout" class="card">${csrfInput(csrfToken(steep, actor))}
  <p>You are signed in as <strong>${actor.user.name}</strong> (${actor.user.email}).</p>
  <button type="submit">Sign out</button>
</form>`));
  });

  // "Not you?" on the consent page sends `redirect`: sign in again, then come back to it.
  app.post('/auth/signout', requireSignIn(steep), async (request, reply) => {
    await steep.users.deleteSession(pageActor(request).sessionHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    await leaveNote(steep, reply, null, { message: 'You have signed out.' });
    const back = formString(asForm(request.body), 'redirect');
    return reply.redirect(loginUrl(back ? safeReturnPath(back) : undefined), 303);
  });
}
