// /settings/apps: a developer's OAuth apps — list, register, view, edit, delete (behind a typed confirmation).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import * as apps from '../services/apps.ts';
import { type AppDraft, CLIENT_TYPE_LABELS, GRANT_LABELS, appForm, draftOf, editedDraft, emptyDraft, readDraft, validateDraft } from './app-form.ts';
import { appLogo, copyable, scopeSummary, when } from './components.ts';
import { type FieldErrors, asForm, csrfInput } from './forms.ts';
import { type SessionActor, csrfToken, pageActor, requireSignIn } from './guard.ts';
import { type Confirmation, askToConfirm, confirmed } from './confirm.ts';
import { type PageNote, leaveNote, takeNote } from './notes.ts';
import { toIso } from '../domain/clock.ts';
import { type Html, html } from './html.ts';
import { sendPage, settingsPage } from './layout.ts';

export type ClientParams = { clientId: string };

export const appPath = (clientId: string) => `/settings/apps/${encodeURIComponent(clientId)}`;

/** One app with its secrets (with their dates), and the danger zone at the bottom. */
async function appPage(steep: Steep, actor: SessionActor, clientId: string, note?: PageNote): Promise<Html> {
  const row = await apps.ownedApp(steep, actor.user.id, clientId);
  const secrets = await steep.apps.listSecrets(row.client_id);
  const app = apps.appView(steep, row, secrets);
  const created = new Map(secrets.map((secret) => [secret.id, secret.created_at]));
  const base = appPath(app.clientId);
  return settingsPage(steep, actor, app.name, 'apps', html`
<p class="crumbs"><a href="/settings/apps">Your apps</a></p>
<div class="title-row"><div class="app-head">${appLogo(app.logo, app.name, 'large')}<h1>${app.name}</h1></div>
<a class="button secondary" href="${base}/edit">Edit app</a></div>
${app.description ? html`<p>${app.description}</p>` : ''}
<dl class="facts">
  <dt>Client ID</dt><dd>${copyable('client-id', app.clientId, 'client ID')}</dd>
  <dt>Homepage</dt><dd><a href="${app.homepage}" rel="noopener noreferrer">${app.homepage}</a></dd>
  <dt>Callback URLs</dt><dd><ul class="plain">${app.redirectUris.map((uri) => html`<li><code>${uri}</code></li>`)}</ul></dd>
  <dt>App type</dt><dd><strong>${CLIENT_TYPE_LABELS[app.clientType].label}</strong> — ${CLIENT_TYPE_LABELS[app.clientType].hint}</dd>
  <dt>Grant types</dt><dd><ul class="plain">${app.grantTypes.map((type) => html`<li>${GRANT_LABELS[type] ?? type}</li>`)}</ul></dd>
  <dt>Permissions</dt><dd>${scopeSummary(steep.config.scopes, app.scopes ?? [])}</dd>
</dl>

<h2>Client secrets</h2>
${app.clientType === 'public'
  ? html`<p class="muted">A public app has no client secret: it cannot keep one. It proves itself with PKCE and sends only its client ID.</p>`
  : secretsSection(app, base, created, csrfToken(steep, actor))}

<section class="danger-zone" aria-labelledby="danger-zone">
  <h2 id="danger-zone">Danger zone</h2>
  <div class="danger-row"><div><strong>Delete this app</strong>
  <p class="muted small">Its client secrets go with it, and every person who authorized it loses the connection at once.</p></div>
  <a class="button danger-outline" href="${base}/delete">Delete app</a></div>
</section>`, note);
}

function secretsSection(app: apps.AppView, base: string, created: Map<string, number>, csrf: string): Html {
  const secrets = app.secrets ?? [];
  return html`${secrets.length
  ? html`<table class="stack"><caption class="visually-hidden">Client secrets</caption>
<thead><tr><th scope="col">Secret</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${secrets.map(
      (secret) => html`<tr><td data-label="Secret"><code class="masked">${secret.secret}</code></td><td data-label="Created">${when(toIso(created.get(secret.id)))}</td>
<td data-label="Last used">${when(secret.lastUsedTime)}</td>
<td class="row-actions"><a class="button danger-outline small" href="${base}/secrets/${encodeURIComponent(secret.id)}/delete" aria-label="Delete secret ending ${secret.secret.slice(-4)}">Delete</a></td></tr>`,
    )}</tbody></table>`
  : html`<p class="muted">This app has no client secret yet; it needs one to exchange codes for tokens.</p>`}
<form method="post" action="${base}/secrets">${csrfInput(csrf)}<button type="submit">Generate a new client secret</button></form>`;
}

function formPage(steep: Steep, actor: SessionActor, o: { title: string; action: string; submit: string; draft: AppDraft; errors?: FieldErrors; back: string }) {
  return settingsPage(steep, actor, o.title, 'apps', html`<p class="crumbs"><a href="${o.back}">Back</a></p>
<h1>${o.title}</h1>
${appForm(steep, { action: o.action, submit: o.submit, csrf: csrfToken(steep, actor), draft: o.draft, errors: o.errors })}`);
}

/** The delete step: typing the name, since every person who authorized the app loses it. */
function deletion(app: { clientId: string; name: string }): Confirmation {
  return {
    title: `Delete ${app.name}?`,
    consequences: html`<p>Deleting the app also deletes its client secrets and ends every authorization people gave it:
its access and refresh tokens stop working at once. This cannot be undone.</p>`,
    action: `${appPath(app.clientId)}/delete`,
    button: 'Delete this app',
    back: appPath(app.clientId),
    typeToConfirm: app.name,
  };
}

export function appPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);
  const clientId = (request: FastifyRequest) => (request.params as ClientParams).clientId;

  app.get('/settings/apps', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const note = await takeNote(steep, request, reply, actor.user.id);
    const rows = await steep.apps.listByOwner(actor.user.id);
    return sendPage(reply, settingsPage(steep, actor, 'Your apps', 'apps', html`<div class="title-row"><h1>Your OAuth apps</h1>
<a class="button" href="/settings/apps/new">Register a new app</a></div>
${rows.length
  ? html`<ul class="cards">${rows.map(
      (row) => html`<li class="card app-card">${appLogo(row.logo, row.name)}<div>
<h2><a href="${appPath(row.client_id)}">${row.name}</a></h2>
<p class="muted">Client ID <code>${row.client_id}</code></p>
${row.description ? html`<p>${row.description}</p>` : ''}</div></li>`,
    )}</ul>`
  : html`<p class="empty">You have not registered any apps yet. Register one to let it ask people for access through Steep.</p>`}`, note));
  });

  // One pair of handlers draws, redraws (add/remove a callback URL) and saves both forms.
  const form = (o: { title: string; submit: string; back: (request: FastifyRequest) => string; save: (request: FastifyRequest, input: apps.AppInput) => Promise<{ view: apps.AppView; message: string }> }) => {
    const show = (request: FastifyRequest, draft: AppDraft, errors?: FieldErrors) =>
      formPage(steep, pageActor(request), { title: o.title, submit: o.submit, action: request.url, back: o.back(request), draft, errors });
    const post = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = asForm(request.body);
      const draft = readDraft(body);
      const edited = editedDraft(body, draft);
      if (edited) return sendPage(reply, show(request, edited));
      const result = validateDraft(steep, draft);
      if ('errors' in result) return sendPage(reply, show(request, result.draft, result.errors), 400);
      const saved = await o.save(request, result.input);
      await leaveNote(steep, reply, pageActor(request).user.id, { message: saved.message });
      return reply.redirect(appPath(saved.view.clientId), 303);
    };
    return { show, post };
  };

  const create = form({
    title: 'Register a new app',
    submit: 'Register app',
    back: () => '/settings/apps',
    save: async (request, input) => {
      const view = await apps.createApp(steep, pageActor(request).user.id, input);
      const next = view.clientType === 'confidential' ? ' Generate a client secret below to let it exchange codes for tokens.' : '';
      return { view, message: `App “${view.name}” registered.${next}` };
    },
  });
  app.get('/settings/apps/new', signedIn, async (request, reply) => sendPage(reply, create.show(request, emptyDraft())));
  app.post('/settings/apps/new', signedIn, async (request, reply) => create.post(request, reply));

  app.get('/settings/apps/:clientId', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const note = await takeNote(steep, request, reply, actor.user.id);
    return sendPage(reply, await appPage(steep, actor, clientId(request), note));
  });

  const edit = form({
    title: 'Edit app',
    submit: 'Save changes',
    back: (request) => appPath(clientId(request)),
    save: async (request, input) => {
      const view = await apps.replaceApp(steep, pageActor(request).user.id, clientId(request), input);
      return { view, message: `Changes to “${view.name}” saved.` };
    },
  });
  app.get('/settings/apps/:clientId/edit', signedIn, async (request, reply) => {
    const current = await apps.getApp(steep, pageActor(request).user.id, clientId(request));
    return sendPage(reply, edit.show(request, draftOf(current)));
  });
  app.post('/settings/apps/:clientId/edit', signedIn, async (request, reply) => {
    await apps.ownedApp(steep, pageActor(request).user.id, clientId(request));
    return edit.post(request, reply);
  });

  app.get('/settings/apps/:clientId/delete', signedIn, async (request, reply) => {
    const target = await apps.ownedApp(steep, pageActor(request).user.id, clientId(request));
    return askToConfirm(steep, request, reply, 'apps', deletion({ clientId: target.client_id, name: target.name }));
  });
  app.post('/settings/apps/:clientId/delete', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const target = await apps.ownedApp(steep, actor.user.id, clientId(request));
    if (!confirmed(steep, request, reply, 'apps', deletion({ clientId: target.client_id, name: target.name }))) return reply;
    await apps.deleteApp(steep, actor.user.id, target.client_id);
    await leaveNote(steep, reply, actor.user.id, { message: `App “${target.name}” deleted. Its secrets and every authorization it held have ended.` });
    return reply.redirect('/settings/apps', 303);
  });
}
