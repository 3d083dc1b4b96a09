// Sign-up, sign-in and sign-out pages. After signing in, a person returns to `redirect` when it is a
// path on this server (the authorize endpoint sends people here with one), never to another site.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { AppError } from '../domain/errors.ts';
import { setSessionCookie, signupBody } from '../http/accounts.ts';
import { SESSION_COOKIE, loginUrl } from '../http/auth.ts';
import { retryAfterFor } from '../http/errors.ts';
import { signUp, startSession } from '../services/accounts.ts';
import { type FieldErrors, asForm, csrfInput, field, fieldErrors, formAlert, formString, safeReturnPath, zodProblems } from './forms.ts';
import { checkPreSessionPost, csrfToken, pageActor, preSessionToken, requireSignIn, sessionOf } from './guard.ts';
import { type Html, html } from './html.ts';
import { page, sendPage } from './layout.ts';

interface AuthForm {
  email?: string;
  name?: string;
  redirect: string;
  errors?: FieldErrors;
  alert?: string;
}

const returnQuery = (redirect: string) => (redirect === '/settings/apps' ? '' : `?redirect=${encodeURIComponent(redirect)}`);

function loginPage(csrf: string, form: AuthForm): Html {
  return page({ title: 'Sign in' }, html`<h1>Sign in to Steep</h1>
${formAlert(form.alert)}
<form method="post" action="/auth/login" class="card" novalidate>
  ${csrfInput(csrf)}
  <input type="hidden" name="redirect" value="${form.redirect}">
  ${field({ name: 'email', label: 'Email', type: 'email', value: form.email, required: true, autocomplete: 'username' })}
  ${field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' })}
  <button type="submit">Sign in</button>
</form>
<p>New here? <a href="/auth/signup${returnQuery(form.redirect)}">Create an account</a>.</p>`);
}

function signupPage(csrf: string, form: AuthForm): Html {
  const errors = form.errors ?? new Map();
  return page({ title: 'Create an account' }, html`<h1>Create your Steep account</h1>
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
async function showForm(steep: Steep, request: FastifyRequest, reply: FastifyReply, render: typeof loginPage) {
  const query = request.query as Record<string, unknown>;
  const redirect = safeReturnPath(query.redirect);
  if (query.fresh !== '1' && (await sessionOf(steep, request))) return reply.redirect(redirect, 303);
  return sendPage(reply, render(preSessionToken(steep, request, reply), { redirect }));
}

export function authPages(app: FastifyInstance, steep: Steep): void {
  app.get('/auth/login', (request, reply) => showForm(steep, request, reply, loginPage));
  app.get('/auth/signup', (request, reply) => showForm(steep, request, reply, signupPage));

  app.post('/auth/login', async (request, reply) => {
    checkPreSessionPost(steep, request);
    const body = asForm(request.body);
    const redirect = safeReturnPath(formString(body, 'redirect'));
    const email = formString(body, 'email').slice(0, 254);
    try {
      const user = await steep.signIn.check(email, formString(body, 'password').slice(0, 1024), request.ip);
      return await signIn(steep, reply, user.id, redirect);
    } catch (error) {
      // Wrong credentials and too many attempts are the person's to fix: show them on the form.
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
      return sendPage(retryAfterFor(reply, error), loginPage(preSessionToken(steep, request, reply), { email, redirect, alert: error.message }), error.status);
    }
  });

  app.post('/auth/signup', async (request, reply) => {
    checkPreSessionPost(steep, request);
    const body = asForm(request.body);
    const redirect = safeReturnPath(formString(body, 'redirect'));
    const input = { email: formString(body, 'email').trim(), password: formString(body, 'password'), name: formString(body, 'name') || undefined };
    const again = (errors: FieldErrors, status: number) =>
      sendPage(reply, signupPage(preSessionToken(steep, request, reply), { email: input.email, name: input.name, redirect, errors }), status);
    const parsed = signupBody.safeParse(input);
    if (!parsed.success) return again(fieldErrors(zodProblems(parsed.error)), 400);
    try {
      return await signIn(steep, reply, (await signUp(steep, parsed.data, request.ip)).id, redirect);
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return again(new Map([['email', error.message]]), 409);
      throw error;
    }
  });

  // Sign-out is a POST (a link or prefetch must not end a session); a typed-in URL gets the button.
  app.get('/auth/signout', requireSignIn(steep), async (request, reply) => {
    const actor = pageActor(request);
    return sendPage(reply, page({ title: 'Sign out' }, html`<h1>Sign out of Steep?</h1>
<form method="post" action="/auth/signout" class="card">${csrfInput(csrfToken(steep, actor))}
  <p>You are signed in as <strong>${actor.user.name}</strong> (${actor.user.email}).</p>
  <button type="submit">Sign out</button>
</form>`));
  });

  // "Not you?" on the consent page sends `redirect`: sign in again, then come back to it.
  app.post('/auth/signout', requireSignIn(steep), async (request, reply) => {
    await steep.users.deleteSession(pageActor(request).sessionHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const back = formString(asForm(request.body), 'redirect');
    return reply.redirect(loginUrl(back ? safeReturnPath(back) : undefined), 303);
  });
}
