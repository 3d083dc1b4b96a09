// Client secrets from the app page: generate one (shown once, in the response to the POST — never in a
// URL, a cookie or a later page) and delete one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import * as apps from '../services/apps.ts';
import { type ClientParams, appPage } from './app-pages.ts';
import { pageActor, requireSignIn } from './guard.ts';
import { sendPage } from './layout.ts';

export function appSecretPages(app: FastifyInstance, steep: Steep): void {
  const signedIn = requireSignIn(steep);

  app.post('/settings/apps/:clientId/secrets', signedIn, async (request, reply) => {
    const actor = pageActor(request);
    const { clientId } = request.params as ClientParams;
    const created = await apps.generateSecret(steep, actor.user.id, clientId);
    return sendPage(reply, await appPage(steep, actor, clientId, created));
  });

  // After "Generate", the address bar shows this URL; opening it again leads back to the app, not to a new secret.
  app.get('/settings/apps/:clientId/secrets', signedIn, async (request, reply) =>
    reply.redirect(`/settings/apps/${encodeURIComponent((request.params as ClientParams).clientId)}`, 303),
  );

  app.post('/settings/apps/:clientId/secrets/:secretId/delete', signedIn, async (request: FastifyRequest, reply) => {
    const { clientId, secretId } = request.params as ClientParams & { secretId: string };
    await apps.deleteSecret(steep, pageActor(request).user.id, clientId, secretId);
    return reply.redirect(`/settings/apps/${encodeURIComponent(clientId)}`, 303);
  });
}
