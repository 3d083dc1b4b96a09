// /settings/authorized: the apps a person let in, what they may do, when they last did it, and Revoke.
import type { FastifyInstance } from 'fastify';
import type { Steep } from '../context.ts';
import { listAuthorized, revokeAccess } from '../oauth/authorizations.ts';
import { appLogo, permissionSummary, when } from './components.ts';
import { csrfInput } from './forms.ts';
import { csrfToken, pageActor, requireSignIn } from './guard.ts';
import { html } from './html.ts';
import { sendPage, settingsPage } from './layout.ts';

export function authorizedPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.get('/settings/authorized', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const csrf = csrfToken(steep, actor);
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
<form method="post" action="/settings/authorized/${encodeURIComponent(item.clientId)}/revoke">${csrfInput(csrf)}
<button type="submit" class="danger" aria-label="Revoke access for ${item.name}">Revoke access</button></form>
</div></li>`,
    )}</ul>`
  : html`<p class="empty">You have not authorized any apps.</p>`}`));
  });

  app.post('/settings/authorized/:clientId/revoke', signedIn, async (request, reply) => {
    await revokeAccess(steep, pageActor(request).user.id, (request.params as { clientId: string }).clientId);
    return reply.redirect('/settings/authorized', 303);
  });
}
