// The token endpoint's logic, shared by both dialects: authenticate the client, check that it may use
// the grant, then run the grant from the registry.
import type { Steep } from '../context.ts';
import { OAuthError, UnknownGrant } from '../domain/errors.ts';
import { authenticateClient, type ClientCredentialsInput } from './client-auth.ts';
import { GRANTS, GRANT_TYPES, grantTypesOf } from './grants/index.ts';
import type { TokenResponse } from './issue-tokens.ts';

export type TokenRequest = ClientCredentialsInput & { grant_type?: string } & Record<string, string | undefined>;

export async function token(steep: Steep, request: TokenRequest): Promise<TokenResponse> {
  // Code and refresh-token guessing (grantIp): an address past the limit is refused before any lookup.
  steep.limits.refuseKnown('grantIp', request.ip);
  if (request.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
  const { app } = await authenticateClient(steep, request);
  const grant = Object.hasOwn(GRANTS, request.grant_type) ? GRANTS[request.grant_type] : undefined;
  if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type must be one of: ${GRANT_TYPES.join(', ')}.`);
  if (!grantTypesOf(app).includes(request.grant_type) || (app.client_type === 'public' && !grant.publicClients)) {
    throw new OAuthError('unauthorized_client', `This app may not use grant_type=${request.grant_type}; its owner can allow it under the app's grant types.`);
  }
  let issued;
  try {
    issued = await grant.issue(steep, app, request);
  } catch (error) {
    // Only a guess writes: a right code or refresh token costs no counter I/O, nor does a spent one.
    if (error instanceof UnknownGrant) await steep.limits.hit(['grantIp', request.ip]);
    throw error;
  }
  await steep.events.emit({ type: 'token.issued', actor: app.client_id, clientId: app.client_id, details: { grantType: request.grant_type } });
  return issued;
}
