// The consent screen, one for every way an app asks a person: the authorize redirect (/oauth/decision)
// and the device flow (/device). Who asks, for what, as whom, with Allow and Deny.
import type { Steep } from '../context.ts';
import { declaredResource } from '../oauth/resources.ts';
import type { AppRow } from '../store/apps.ts';
import { appLogo, permissionSummary } from './components.ts';
import { csrfInput } from './forms.ts';
import { type SessionActor, csrfToken } from './guard.ts';
import { type Html, html } from './html.ts';
import { page, signedInAs } from './layout.ts';

export interface ConsentRequest {
  app: AppRow;
  /** The scopes this request asks for (not all of the app's). */
  scopes: string[];
  /** The declared resource server the tokens are for (RFC 8707), or null for Steep's own API. */
  resource: string | null;
  /** Where "Not you?" comes back to after signing in as someone else. */
  restart: string;
  /** Where Allow and Deny post, with the hidden fields that name the request. */
  action: string;
  fields: Record<string, string>;
  /** What happens next, under the app's details (where the browser goes, which device gets access). */
  note?: Html;
}

/** "the Records API": the declared name of the resource server the tokens are for. */
function resourceName(steep: Steep, resource: string | null): string | null {
  const name = resource === null ? undefined : declaredResource(steep, resource)?.name;
  return name ? `the ${name}` : null;
}

export function consentScreen(steep: Steep, actor: SessionActor, request: ConsentRequest): Html {
  const csrf = csrfToken(steep, actor);
  const { app } = request;
  const target = resourceName(steep, request.resource);
  return page({ title: `Allow ${app.name}?`, ...signedInAs(steep, actor) }, html`<div class="card consent">
  <div class="app-head">${appLogo(app.logo, app.name, 'large')}<h1><span class="app-name">${app.name}</span> wants to use ${target ? `${target} on your behalf` : 'your Steep account'}</h1></div>
  ${app.user_id === null
    ? html`<p class="alert warning" role="note"><strong>${app.name} registered itself.</strong> Its name and logo are unverified: nobody at Steep checked who made it. Allow it only if you started this from an app you trust.</p>`
    : ''}
  <form method="post" action="/auth/signout" class="signed-in">${csrfInput(csrf)}
    <input type="hidden" name="redirect" value="${request.restart}">
    <p>Signed in as <strong>${actor.user.name}</strong> (${actor.user.email}). <button type="submit" class="link">Not you?</button></p>
  </form>
  <h2>If you allow it, ${app.name} will be able to:</h2>
  ${permissionSummary(steep.config.scopes, request.scopes)}
  ${app.description ? html`<p class="muted">${app.description}</p>` : ''}
  ${app.homepage ? html`<p>Learn more about this app at <a href="${app.homepage}" rel="noopener noreferrer">${app.homepage}</a>.</p>` : ''}
  ${request.note ?? ''}
  <form method="post" action="${request.action}" class="actions decision">${csrfInput(csrf)}
    ${Object.entries(request.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <button type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
  </form>
  <p class="muted small">You can withdraw this access at any time under <a href="/settings/authorized">Authorized apps</a>.</p>
</div>`);
}
