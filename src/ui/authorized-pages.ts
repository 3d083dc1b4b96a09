// /settings/authorized: the apps a person let in, what they may do, when they last did it, and
// Revoke (after a confirmation page).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { notFound } from '../domain/errors.ts';
import { type AuthorizedApp, listAuthorized, revokeAccess } from '../oauth/authorizations.ts';
import { appLogo, permissionSummary, when } from './components.ts';
import { type Confirmation, askToConfirm, confirmed } from './confirm.ts';
import { pageActor, requireSignIn } from './guard.ts';
import { html } from './html.ts';
import { sendPage, settingsPage } from './layout.ts';
import { leaveNote, takeNote } from './notes.ts';

const revokePath = (clientId: string) => `/settings/authorized/${encodeURIComponent(clientId)}/revoke`;

/** The authorized app named in the path, or 404 (an app the person never let in is not revealed). */
async function authorizedOf(steep: Steep, request: FastifyRequest): Promise<AuthorizedApp> {
  const clientId = (request.params as { clientId: string }).clientId;
  const found = (await listAuthorized(steep, pageActor(request).user.id)).find((item) => item.clientId === clientId);
  if (!found) throw notFound('You have not authorized an OAuth app with this client id.');
  return found;
}

function revocation(item: AuthorizedApp): Confirmation {
  return {
    title: `Revoke access for ${item.name}?`,
    consequences: html`<p>${item.name} loses access to your Steep account at once: its access and refresh tokens stop working.
It would have to ask you again to get back in.</p>`,
    action: revokePath(item.clientId),
    button: 'Revoke access',
    back: '/settings/authorized',
  };
}

export function authorizedPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.get('/settings/authorized', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const note = await takeNote(steep, request, reply, actor.user.id);
    const authorized = await listAuthorized(steep, actor.user.id);
    return sendPage(reply, settingsPage(steep, actor, 'Authorized apps', 'authorized', html`<h1>Apps you have authorized</h1>
<p>These apps can act on your behalf within the permissions you gave them. Revoking ends their access at once;
they would have to ask you again.</p>
${authorized.length
  ? html`<ul class="cards">${authorized.map(
      (item) => html`<li class="card app-card">${appLogo(item.logo, item.name)}<div class="grow">
<h2>${item.name}</h2>
<p class="muted">${item.createdUser.email ? html`By ${item.createdUser.name}` : item.createdUser.name}${item.homepage ? html` · <a href="${item.homepage}" rel="noopener noreferrer">${item.homepage}</a>` : ''}</p>
${item.description ? html`<p>${item.description}</p>` : ''}
<h3>It can</h3>${permissionSummary(steep.config.scopes, item.scopes)}
<p class="muted">Last used: ${when(item.lastUsedTime)}</p>
<a class="button danger-outline" href="${revokePath(item.clientId)}" aria-label="Revoke access for ${item.name}">Revoke access</a>
</div></li>`,
    )}</ul>`
  : html`<p class="empty">You have not authorized any apps.</p>`}`, note));
  });

  app.get('/settings/authorized/:clientId/revoke', signedIn, async (request, reply) =>
    askToConfirm(steep, request, reply, 'authorized', revocation(await authorizedOf(steep, request))),
  );
  app.post('/settings/authorized/:clientId/revoke', signedIn, async (request, reply) => {
    const item = await authorizedOf(steep, request);
    if (!confirmed(steep, request, reply, 'authorized', revocation(item))) return reply;
    await revokeAccess(steep, pageActor(request).user.id, item.clientId);
    await leaveNote(steep, reply, pageActor(request).user.id, { message: `Access for ${item.name} revoked. It can no longer act on your behalf.` });
    return reply.redirect('/settings/authorized', 303);
  });
}
