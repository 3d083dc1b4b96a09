// POST /oauth/device_authorization (RFC 8628 section 3.1), in the standard dialect like /oauth/token.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Steep } from '../context.ts';
import { authorizeDevice } from '../oauth/device-authorization.ts';
import { credential, param } from '../oauth/params.ts';
import { NO_STORE, oauthErrorShape } from './oauth-token.ts';

// Optional as a whole: a confidential client authenticating with Basic may have nothing else to send.
const deviceRequest = z
  .object({ scope: param(4096), resource: param(2048), client_id: credential, client_secret: credential })
  .nullish();

const deviceResponse = z.object({
  device_code: z.string(),
  user_code: z.string().describe('Shown to the person as XXXX-XXXX; entry ignores case, spaces and the dash'),
  verification_uri: z.string(),
  verification_uri_complete: z.string(),
  expires_in: z.number().int(),
  interval: z.number().int(),
});

export const oauthDeviceRoutes =
  (steep: Steep): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/oauth/device_authorization', {
      config: { forms: true, oauth: true },
      schema: {
        tags: ['oauth-standard'],
        description: 'Device authorization (RFC 8628): a device_code to poll /oauth/token with, and a user_code for the person to enter at /device',
        security: [{ clientBasic: [] }, {}],
        body: deviceRequest,
        response: { 200: deviceResponse, 400: oauthErrorShape, 401: oauthErrorShape },
      },
    }, async (request, reply) => {
      const issued = await authorizeDevice(steep, { ...request.body, authorization: request.headers.authorization, ip: request.ip });
      return reply.headers(NO_STORE).send(issued);
    });
  };
