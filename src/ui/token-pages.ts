// /settings/tokens: personal access tokens — create (name, permissions, expiry), list, delete (after a
// confirmation). Creating redirects back to the list, which shows the new token once from a one-time
// note, so a reload makes no other. Validation is the API's own (personalTokenBodySchema, expiryTime).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { toIso } from '../domain/clock.ts';
import { ValidationError, notFound } from '../domain/errors.ts';
import { personalTokenBodySchema } from '../schemas/personal-tokens.ts';
import { createPersonalToken, deletePersonalToken, expiryTime, personalTokenView } from '../services/personal-tokens.ts';
import { scopeSummary, scopeCheckboxes, when } from './components.ts';
import { type Confirmation, askToConfirm, confirmed } from './confirm.ts';
import { type PageNote, leaveNote, takeNote } from './notes.ts';
import { type FieldErrors, asForm, csrfInput, errorFor, field, fieldErrors, formAlert, formList, formString, zodProblems } from './forms.ts';
import { type SessionActor, csrfToken, pageActor, requireSignIn } from './guard.ts';
import { type Html, html } from './html.ts';
import { sendPage, settingsPage } from './layout.ts';

interface TokenDraft {
  name: string;
  description: string;
  scopes: string[];
  expiredTime: string;
}

const DAY = 86_400_000;
const day = (ms: number) => toIso(ms)!.slice(0, 10);

async function tokensPage(steep: Steep, actor: SessionActor, o: { draft?: TokenDraft; errors?: FieldErrors; note?: PageNote } = {}): Promise<Html> {
  const csrf = csrfToken(steep, actor);
  const errors = o.errors ?? new Map();
  const draft = o.draft ?? { name: '', description: '', scopes: [], expiredTime: day(steep.clock.now() + 30 * DAY) };
  const tokens = (await steep.personalTokens.listByUser(actor.user.id)).map((row) => personalTokenView(steep, row));
  return settingsPage(steep, actor, 'Personal access tokens', 'tokens', html`<h1>Personal access tokens</h1>
<p>Tokens let your own scripts act as you. Give each one only the permissions it needs and an end date.</p>
${tokens.length
  ? html`<table class="stack"><caption class="visually-hidden">Your personal access tokens</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Permissions</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${tokens.map(
      (token) => html`<tr><td data-label="Name">${token.name}${token.description ? html`<br><span class="muted">${token.description}</span>` : ''}</td>
<td data-label="Permissions">${scopeSummary(steep.config.scopes, token.scopes)}</td><td data-label="Created">${when(token.createdTime)}</td>
<td data-label="Expires">${when(token.expiredTime)}</td><td data-label="Last used">${when(token.lastUsedTime)}</td>
<td class="row-actions"><a class="button danger-outline small" href="${tokenPath(token.id)}/delete" aria-label="Delete token ${token.name}">Delete</a></td></tr>`,
    )}</tbody></table>`
  : html`<p class="empty">You have no personal access tokens.</p>`}

<h2>Create a token</h2>
${formAlert(errors.size ? 'Some fields need attention; see the messages below.' : undefined)}
<form method="post" action="/settings/tokens" class="card" novalidate>
  ${csrfInput(csrf)}
  ${field({ name: 'name', label: 'Token name', value: draft.name, required: true, maxlength: 100, error: errors.get('name') })}
  ${field({ name: 'description', label: 'Description', value: draft.description, maxlength: 1000, error: errors.get('description') })}
  ${field({ name: 'expiredTime', label: 'Expires on', type: 'date', value: draft.expiredTime, required: true, min: day(steep.clock.now() + DAY), hint: 'The token works through the end of this day (UTC).', error: errors.get('expiredTime') })}
  ${scopeCheckboxes(steep.config.scopes, draft.scopes, errorFor(errors, 'scopes', true), 'Permissions')}
  <div class="actions"><button type="submit">Create token</button></div>
</form>`, o.note);
}

const tokenPath = (id: string) => `/settings/tokens/${encodeURIComponent(id)}`;

/** The person's token named in the path, or 404. */
async function tokenOf(steep: Steep, request: FastifyRequest) {
  const id = (request.params as { id: string }).id;
  const row = (await steep.personalTokens.listByUser(pageActor(request).user.id)).find((candidate) => candidate.id === id);
  if (!row) throw notFound('No personal access token with this id exists for your account.');
  return row;
}

function deletion(token: { id: string; name: string }): Confirmation {
  return {
    title: `Delete the token “${token.name}”?`,
    consequences: html`<p>Scripts and tools using this token stop working at once: their requests get 401. This cannot be undone.</p>`,
    action: `${tokenPath(token.id)}/delete`,
    button: 'Delete this token',
    back: '/settings/tokens',
  };
}

export function tokenPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.get('/settings/tokens', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const note = await takeNote(steep, request, reply, actor.user.id);
    return sendPage(reply, await tokensPage(steep, actor, { note }));
  });

  app.post('/settings/tokens', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const body = asForm(request.body);
    const draft: TokenDraft = { name: formString(body, 'name'), description: formString(body, 'description'), scopes: formList(body, 'scopes'), expiredTime: formString(body, 'expiredTime').trim() };
    const refuse = (errors: FieldErrors) => tokensPage(steep, actor, { draft, errors }).then((page) => sendPage(reply, page, 400));
    const parsed = personalTokenBodySchema(steep.config).safeParse({ ...draft, description: draft.description || undefined });
    if (!parsed.success) return refuse(fieldErrors(zodProblems(parsed.error)));
    let expiresAt: number;
    try {
      expiresAt = expiryTime(steep, parsed.data.expiredTime);
    } catch (error) {
      if (error instanceof ValidationError) return refuse(fieldErrors(error.details ?? []));
      throw error;
    }
    const { name, description, scopes } = parsed.data;
    const created = await createPersonalToken(steep, actor.user.id, { name, description, scopes, expiresAt });
    await leaveNote(steep, reply, actor.user.id, {
      message: `Token “${created.name}” created. Copy it now: it is shown only once, and Steep cannot show it again.`,
      secret: { elementId: 'new-token', label: 'token', value: created.token },
    });
    return reply.redirect('/settings/tokens', 303);
  });

  app.get('/settings/tokens/:id/delete', signedIn, async (request, reply) => askToConfirm(steep, request, reply, 'tokens', deletion(await tokenOf(steep, request))));
  app.post('/settings/tokens/:id/delete', signedIn, async (request, reply) => {
    const token = await tokenOf(steep, request);
    if (!confirmed(steep, request, reply, 'tokens', deletion(token))) return reply;
    await deletePersonalToken(steep, pageActor(request).user.id, token.id);
    await leaveNote(steep, reply, pageActor(request).user.id, { message: `Token “${token.name}” deleted.` });
    return reply.redirect('/settings/tokens', 303);
  });
}
