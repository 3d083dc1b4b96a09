// The consent page: /oauth/decision?transaction_id=… shows who asks for what, and posts Allow or Deny.
// The protocol work (checking the transaction, issuing the code, building the redirect) is oauth/decision.ts's.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Steep } from '../context.ts';
import { AppError, badRequest } from '../domain/errors.ts';
import { contentSecurityPolicy } from '../http/csp.ts';
import { decide, loadTransaction } from '../oauth/decision.ts';
import { signerOf } from '../services/credentials.ts';
import { consentScreen } from './consent-screen.ts';
import { asForm, formString } from './forms.ts';
import { type SessionActor, pageActor, requireSignIn } from './guard.ts';
import { type Html, html } from './html.ts';
import { page, sendPage, signedInAs } from './layout.ts';

type Transaction = Awaited<ReturnType<typeof loadTransaction>>;

const TRANSACTION_ID = /^[\w-]{1,200}$/;

/**
 * The authorize request again, for "not you?": after signing in as someone else, the app's request
 * starts over for them (a transaction belongs to the person who started it). PKCE and whether the
 * app sent redirect_uri are kept, or its token request would no longer match.
 */
function restartPath(tx: Transaction): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: tx.app.client_id, scope: tx.scopes.join(' ') });
  if (tx.redirectUriSent) query.set('redirect_uri', tx.redirectUri);
  if (tx.state !== null) query.set('state', tx.state);
  if (tx.codeChallenge) {
    query.set('code_challenge', tx.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  // The id_token must carry the nonce the app sent, and the tokens must be for the resource it named.
  if (tx.nonce !== null) query.set('nonce', tx.nonce);
  if (tx.resource !== null) query.set('resource', tx.resource);
  // The standard dialect: the request was checked once already, so the dialects cannot differ here.
  return `/oauth/authorize?${query}`;
}

function consentPage(steep: Steep, actor: SessionActor, tx: Transaction): Html {
  const destination = URL.canParse(tx.redirectUri) ? new URL(tx.redirectUri) : null;
  return consentScreen(steep, actor, {
    app: tx.app,
    scopes: tx.scopes,
    resource: tx.resource,
    restart: restartPath(tx),
    action: '/oauth/decision',
    fields: { transaction_id: tx.transactionId },
    note: destination ? html`<p class="muted">Either way, you will be sent back to <strong>${destination.host || destination.protocol}</strong>.</p>` : undefined,
  });
}

/** Expired, used, unknown or another person's request: one clear page instead of an error body. */
function cannotContinue(steep: Steep, reply: FastifyReply, error: AppError, actor: SessionActor) {
  const foreign = error.reason === 'transaction_foreign';
  const expired = error.reason === 'transaction_unknown';
  const title = foreign ? 'This request is not yours' : expired ? 'This request has expired' : 'This request cannot continue';
  const message = foreign
    ? 'This authorization request was started by another account. Go back to the app and start again; it will ask for the account you are signed in with now.'
    : expired
      ? 'This authorization request has expired or was already answered. Go back to the app and start again.'
      : error.message;
  const body = html`<div class="card"><h1>${title}</h1>
<p class="alert" role="alert">${message}</p><p><a href="/settings/authorized">See the apps you have authorized</a></p></div>`;
  return sendPage(reply, page({ title: 'Authorization request unavailable', ...signedInAs(steep, actor) }, body), 400);
}

function checkId(id: string): string {
  if (!TRANSACTION_ID.test(id)) throw badRequest('This page needs the transaction_id of an authorization request.');
  return id;
}

export function consentPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.get('/oauth/decision', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const id = checkId(String((request.query as Record<string, unknown>).transaction_id ?? ''));
    let tx: Transaction;
    try {
      tx = await loadTransaction(steep, actor.user.id, id);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return cannotContinue(steep, reply, error, actor);
      throw error;
    }
    // A native app's callback ("com.example.app:/cb") is followed only if the page's form-action allows its scheme.
    const scheme = URL.canParse(tx.redirectUri) ? new URL(tx.redirectUri).protocol : '';
    const native = scheme !== 'http:' && scheme !== 'https:' && /^[a-z][a-z0-9+.-]*:$/i.test(scheme);
    reply.header('content-security-policy', contentSecurityPolicy({ formsMayLeave: true, extraFormScheme: native ? scheme : undefined }));
    return sendPage(reply, consentPage(steep, actor, tx));
  });

  app.post('/oauth/decision', signedIn, async (request, reply) => {
    const body = asForm(request.body);
    const decision = formString(body, 'decision');
    if (decision !== 'allow' && decision !== 'deny') throw badRequest('Choose Allow or Deny.');
    const id = checkId(formString(body, 'transaction_id'));
    try {
      return reply.redirect(await decide(steep, signerOf(pageActor(request)), id, decision === 'allow'), 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return cannotContinue(steep, reply, error, pageActor(request));
      throw error;
    }
  });
}
