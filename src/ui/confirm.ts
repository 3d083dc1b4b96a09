// The confirmation step before a revoke or a delete: a page of its own, so it works without JavaScript
// (the CSP allows no inline script). Its form carries confirm=yes, or the name typed out for the
// heaviest ones; a post without that (an old form, a hand-made request) gets this page, not the action.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { asForm, csrfInput, field, formString } from './forms.ts';
import { type SessionActor, csrfToken, pageActor } from './guard.ts';
import { type Html, html } from './html.ts';
import { type PageOptions, sendPage, settingsPage } from './layout.ts';

export interface Confirmation {
  /** "Delete Secret Keeper?" */
  title: string;
  /** What happens, in a sentence or two. */
  consequences: Html;
  /** Where the confirmed form posts. */
  action: string;
  button: string;
  /** Where "Cancel" goes. */
  back: string;
  /** The name to type out (GitHub's way for what cannot be undone and reaches other people). */
  typeToConfirm?: string;
}

const TYPED_FIELD = 'confirm_name';

function confirmPage(steep: Steep, actor: SessionActor, current: PageOptions['current'], c: Confirmation, error?: string): Html {
  return settingsPage(steep, actor, c.title, current, html`<div class="card confirm">
  <h1>${c.title}</h1>
  ${c.consequences}
  <form method="post" action="${c.action}" novalidate>${csrfInput(csrfToken(steep, actor))}
    <input type="hidden" name="confirm" value="yes">
    ${c.typeToConfirm !== undefined
      ? field({ name: TYPED_FIELD, label: `To confirm, type “${c.typeToConfirm}”`, required: true, autocomplete: 'off', maxlength: 200, error })
      : ''}
    <div class="actions"><button type="submit" class="danger">${c.button}</button> <a class="button secondary" href="${c.back}">Cancel</a></div>
  </form>
</div>`);
}

/** GET: the confirmation page. */
export function askToConfirm(steep: Steep, request: FastifyRequest, reply: FastifyReply, current: PageOptions['current'], c: Confirmation): FastifyReply {
  return sendPage(reply, confirmPage(steep, pageActor(request), current, c));
}

/**
 * POST: true when the form went through the confirmation. Otherwise the confirmation page is sent
 * (with the mismatch said, for a wrongly typed name) and nothing may happen: the caller returns `reply`.
 */
export function confirmed(steep: Steep, request: FastifyRequest, reply: FastifyReply, current: PageOptions['current'], c: Confirmation): boolean {
  const body = asForm(request.body);
  if (formString(body, 'confirm') !== 'yes') {
    askToConfirm(steep, request, reply, current, c);
    return false;
  }
  if (c.typeToConfirm === undefined || formString(body, TYPED_FIELD).trim() === c.typeToConfirm) return true;
  const error = `The name typed does not match “${c.typeToConfirm}”; type it exactly to confirm.`;
  sendPage(reply, confirmPage(steep, pageActor(request), current, c, error), 400);
  return false;
}
