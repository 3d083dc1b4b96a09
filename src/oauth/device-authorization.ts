// The device authorization endpoint (RFC 8628 sections 3.1 and 3.2): a device that cannot show a
// browser gets a device_code to poll the token endpoint with, and a user_code for its person to
// enter at /device on another screen.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import { newSecret } from '../domain/secrets.ts';
import { formatUserCode, newUserCode } from '../domain/user-code.ts';
import { toJson } from '../store/json.ts';
import { scopesWithinApp } from './app-scopes.ts';
import { requireResourceScopes, tokenResource } from './resources.ts';
import { authenticateClient, type ClientCredentialsInput } from './client-auth.ts';
import { DEVICE_CODE_GRANT, grantTypesOf } from './grants/index.ts';

/** The page where people enter user codes (RFC 8628's verification_uri). */
export const DEVICE_PAGE = '/device';

/** Seconds a device waits between polls until slow_down asks for more (RFC 8628 section 3.2's default). */
export const POLL_INTERVAL = 5;

/** User codes drawn before giving up: 20^8 codes make even one collision rare, five in a row a flooded table. */
const USER_CODE_DRAWS = 5;

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export async function authorizeDevice(steep: Steep, request: ClientCredentialsInput & { scope?: string; resource?: string }): Promise<DeviceAuthorization> {
  const { app } = await authenticateClient(steep, request);
  if (!grantTypesOf(app).includes(DEVICE_CODE_GRANT)) {
    throw new OAuthError('unauthorized_client', `This app may not use the device flow; its owner can allow it by adding ${DEVICE_CODE_GRANT} to the app's grant types.`);
  }
  // RFC 8707 applies to every authorization request, this one included.
  const resource = tokenResource(steep, null, request.resource);
  const scopes = scopesWithinApp(steep, app, request.scope, resource, true);
  requireResourceScopes(steep, resource, scopes);
  const deviceCode = newSecret('deviceCode');
  const now = steep.clock.now();
  const ttl = steep.config.ttl.deviceCode;
  for (let draw = 0; draw < USER_CODE_DRAWS; draw++) {
    const userCode = newUserCode();
    const created = await steep.deviceCodes.create({
      device_code_hash: steep.hasher.hash(deviceCode),
      user_code_hash: steep.hasher.hash(userCode),
      client_id: app.client_id,
      scopes: toJson(scopes),
      status: 'pending',
      user_id: null,
      poll_interval: POLL_INTERVAL,
      last_polled_at: null,
      resource,
      auth_time: null,
      expires_at: now + ttl * 1000,
      created_at: now,
    });
    if (!created) continue;
    const verificationUri = steep.config.publicOrigin + DEVICE_PAGE;
    const shown = formatUserCode(userCode);
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${shown}`,
      expires_in: ttl,
      interval: POLL_INTERVAL,
    };
  }
  throw new OAuthError('server_error', 'No free user code could be found; try again in a moment.');
}
