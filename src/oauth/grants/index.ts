// The grant registry: grant_type -> its handler. The token endpoint dispatches through it, its request
// schema is the union of the grants' parameters, and the metadata's grant_types_supported is its keys.
import type { AppRow } from '../../store/apps.ts';
import { fromJson } from '../../store/json.ts';
import { authorizationCode } from './authorization-code.ts';
import { clientCredentials } from './client-credentials.ts';
import { deviceCode } from './device-code.ts';
import type { Grant } from './grant.ts';
import { refreshToken } from './refresh-token.ts';

/** RFC 8628 section 3.4's grant type, which the device authorization endpoint also checks for. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export const GRANTS: Record<string, Grant<any>> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  client_credentials: clientCredentials,
  [DEVICE_CODE_GRANT]: deviceCode,
};

export const GRANT_TYPES = Object.keys(GRANTS) as [string, ...string[]];

/** Every grant's parameters, for the token endpoint's one request schema. */
export const GRANT_PARAMS = Object.assign({}, ...Object.values(GRANTS).map((grant) => grant.params));

export const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'];

/** The grants an app lists (API.md Part 2: any other is unauthorized_client). */
export const grantTypesOf = (app: Pick<AppRow, 'grant_types'>): string[] => fromJson(app.grant_types);

/** Why a client of this type may not list these grants, or null. */
export function grantTypesProblem(clientType: AppRow['client_type'], grantTypes: readonly string[]): string | null {
  if (clientType !== 'public') return null;
  const refused = grantTypes.filter((type) => GRANTS[type] && !GRANTS[type].publicClients);
  return refused.length ? `a public client cannot use ${refused.join(', ')} (it has no secret to authenticate with)` : null;
}
