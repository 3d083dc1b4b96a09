// The device page (RFC 8628 section 3.3): /device asks for the code a device shows; a valid code
// leads to the consent screen, and Allow or Deny ends on a page that sends the person back to the
// device. A link (verification_uri_complete) only fills in the code: the person still presses
// Continue, then Allow, so no link alone ever grants anything.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Steep } from '../context.ts';
import { badRequest } from '../domain/errors.ts';
import { formatUserCode, normalizeUserCode } from '../domain/user-code.ts';
import { DEVICE_PAGE } from '../oauth/device-authorization.ts';
import { type DeviceRefusal, type DeviceRequest, decideDeviceRequest, findDeviceRequest } from '../oauth/device-verification.ts';
import { consentScreen } from './consent-screen.ts';
import { asForm, csrfInput, field, formString } from './forms.ts';
import { signerOf } from '../services/credentials.ts';
import { type SessionActor, csrfToken, pageActor, requireSignIn } from './guard.ts';
import { type Html, html } from './html.ts';
import { page, sendPage, signedInAs } from './layout.ts';

const DECISION = `${DEVICE_PAGE}/decision`;
/** Enough for a code typed with generous spacing; the box refuses more. */
const MAX_TYPED = 64;

function entryPage(steep: Steep, actor: SessionActor, typed: string, error?: string): Html {
  const csrf = csrfToken(steep, actor);
  return page({ title: 'Connect a device', user: actor.user, csrf }, html`<div class="card device">
  <h1>Connect a device</h1>
  <p>Enter the code your device shows to let it use your Steep account. You will see what it asks for before anything is allowed.</p>
  <form method="post" action="${DEVICE_PAGE}" novalidate>${csrfInput(csrf)}
    ${field({ name: 'user_code', label: 'Code', value: typed, error, required: true, autocomplete: 'off', maxlength: MAX_TYPED, hint: 'Eight letters, like BCDF-GHJK. Case, spaces and the dash do not matter.' })}
    <button type="submit">Continue</button>
  </form>
</div>`);
}

function consentPage(steep: Steep, actor: SessionActor, request: DeviceRequest): Html {
  const shown = formatUserCode(request.userCode);
  return consentScreen(steep, actor, {
    app: request.app,
    scopes: request.scopes,
    resource: request.resource,
    restart: `${DEVICE_PAGE}?user_code=${shown}`,
    action: DECISION,
    fields: { user_code: request.userCode },
    // RFC 8628 section 5.4: a code can be sent to someone by a stranger who started the flow on their own device.
    note: html`<p class="muted">Allow only if you started this yourself on a device in front of you, and it shows the code <strong>${shown}</strong>.</p>`,
  });
}

function notice(steep: Steep, reply: FastifyReply, actor: SessionActor, status: number, title: string, body: Html): FastifyReply {
  const content = html`<div class="card device"><h1>${title}</h1>${body}</div>`;
  return sendPage(reply, page({ title, ...signedInAs(steep, actor) }, content), status);
}

/** Each way a typed code leads nowhere, as the person should read it. */
function refused(steep: Steep, reply: FastifyReply, actor: SessionActor, typed: string, refusal: DeviceRefusal): FastifyReply {
  switch (refusal.kind) {
    case 'malformed':
      return sendPage(reply, entryPage(steep, actor, typed, 'A code is the eight letters your device shows, like BCDF-GHJK.'), 400);
    case 'unknown':
      return sendPage(reply, entryPage(steep, actor, typed, 'No device is waiting for this code. Check it on your device and try again.'), 400);
    case 'unavailable':
      return notice(steep, reply, actor, 400, 'This code can no longer be used', html`<p class="alert" role="alert">The code has expired or was already answered.
Start again on your device to get a new code.</p><p><a href="${DEVICE_PAGE}">Enter another code</a></p>`);
    case 'limited': {
      const minutes = Math.ceil(refusal.retryAfter / 60);
      reply.header('retry-after', String(refusal.retryAfter));
      return notice(steep, reply, actor, 429, 'Too many attempts', html`<p class="alert" role="alert">Too many wrong codes were entered.
Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then try again.</p>`);
    }
  }
}

/** The first user_code of the query, shown in its usual form when it is one. */
function prefill(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return '';
  const code = normalizeUserCode(first);
  return code ? formatUserCode(code) : first.slice(0, MAX_TYPED);
}

export function devicePages(app: FastifyInstance, steep: Steep): void {
  // Signed-out visitors sign in first and come back here, user_code and all (requireSignIn keeps the URL).
  const signedIn = requireSignIn(steep);

  app.get(DEVICE_PAGE, signedIn, async (request, reply) => {
    const typed = prefill((request.query as Record<string, unknown>).user_code);
    return sendPage(reply, entryPage(steep, pageActor(request), typed));
  });

  app.post(DEVICE_PAGE, signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const typed = formString(asForm(request.body), 'user_code');
    const found = await findDeviceRequest(steep, actor.user.id, request.ip, typed);
    if (found.kind !== 'found') return refused(steep, reply, actor, typed.slice(0, MAX_TYPED), found);
    return sendPage(reply, consentPage(steep, actor, found.request));
  });

  app.post(DECISION, signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const body = asForm(request.body);
    const decision = formString(body, 'decision');
    if (decision !== 'allow' && decision !== 'deny') throw badRequest('Choose Allow or Deny.');
    const typed = formString(body, 'user_code');
    const result = await decideDeviceRequest(steep, signerOf(actor), request.ip, typed, decision === 'allow');
    if (result.kind !== 'decided') return refused(steep, reply, actor, typed.slice(0, MAX_TYPED), result);
    const name = result.request.app.name;
    if (decision === 'deny') {
      return notice(steep, reply, actor, 200, 'Access denied', html`<p>You denied ${name} access to your Steep account. You can close this page.</p>`);
    }
    return notice(steep, reply, actor, 200, 'You can go back to your device', html`<p>${name} can now use your Steep account with the permissions you allowed.
It will continue on its own in a few seconds.</p>
<p class="muted small">You can withdraw this access at any time under <a href="/settings/authorized">Authorized apps</a>.</p>`);
  });
}
