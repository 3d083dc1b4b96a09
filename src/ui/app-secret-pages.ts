// Client secrets from the app page. Generate: the POST makes the secret and redirects to the app page,
// which shows it once from a one-time note (notes.ts) — never in a URL — so a reload makes no other.
// Delete: behind a confirmation page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { notFound } from '../domain/errors.ts';
import * as apps from '../services/apps.ts';
import { type ClientParams, appPath } from './app-pages.ts';
import { type Confirmation, askToConfirm, confirmed } from './confirm.ts';
import { pageActor, requireSignIn } from './guard.ts';
import { html } from './html.ts';
import { leaveNote } from './notes.ts';

type SecretParams = ClientParams & { secretId: string };

/** The app's secret named in the path, as the page shows it (masked), or 404. */
async function secretOf(steep: Steep, request: FastifyRequest) {
  const { clientId, secretId } = request.params as SecretParams;
  const app = await apps.getApp(steep, pageActor(request).user.id, clientId);
  const secret = app.secrets?.find((candidate) => candidate.id === secretId);
  if (!secret) throw notFound('No client secret with this id exists for this app.');
  return { app, secret, ending: secret.secret.slice(-4) };
}

function deletion({ app, secret, ending }: Awaited<ReturnType<typeof secretOf>>): Confirmation {
  return {
    title: `Delete the secret ending ${ending}?`,
    consequences: html`<p>${app.name} stops authenticating with this secret at once: anything still using it gets
<code>invalid_client</code> from the token endpoint. Its other secrets keep working. This cannot be undone.</p>`,
    action: `${appPath(app.clientId)}/secrets/${encodeURIComponent(secret.id)}/delete`,
    button: 'Delete this secret',
    back: appPath(app.clientId),
  };
}

export function appSecretPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.post('/settings/apps/:clientId/secrets', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const { clientId } = request.params as ClientParams;
    const created = await apps.generateSecret(steep, actor.user.id, clientId);
    await leaveNote(steep, reply, actor.user.id, {
      message: 'Client secret created. Copy it now: it is shown only once. Steep keeps only a fingerprint of it and cannot show it again.',
      secret: { elementId: 'new-secret', label: 'secret', value: created.secret },
    });
    return reply.redirect(appPath(clientId), 303);
  });

  // A typed-in or bookmarked URL of the form's target leads back to the app, never to a new secret.
  app.get('/settings/apps/:clientId/secrets', signedIn, async (request, reply) => reply.redirect(appPath((request.params as ClientParams).clientId), 303));

  app.get('/settings/apps/:clientId/secrets/:secretId/delete', signedIn, async (request, reply) =>
    askToConfirm(steep, request, reply, 'apps', deletion(await secretOf(steep, request))),
  );
  app.post('/settings/apps/:clientId/secrets/:secretId/delete', signedIn, async (request, reply) => {
    const target = await secretOf(steep, request);
    if (!confirmed(steep, request, reply, 'apps', deletion(target))) return reply;
    await apps.deleteSecret(steep, pageActor(request).user.id, target.app.clientId, target.secret.id);
    await leaveNote(steep, reply, pageActor(request).user.id, { message: `Client secret ending ${target.ending} deleted.` });
    return reply.redirect(appPath(target.app.clientId), 303);
  });
}
