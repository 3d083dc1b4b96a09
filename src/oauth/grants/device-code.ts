// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 sections 3.4 and 3.5): the device
// polls with its device_code until its person decides, then gets exactly one token response.
import { OAuthError, UnknownGrant } from '../../domain/errors.ts';
import { hasPrefix } from '../../domain/secrets.ts';
import { SLOW_DOWN_STEP } from '../../store/device-codes.ts';
import { fromJson } from '../../store/json.ts';
import { mintTokens, newGrant, wantsRefresh } from '../issue-tokens.ts';
import { credential } from '../params.ts';
import { defineGrant } from './grant.ts';

const BAD_CODE = 'The device code is unknown, already used, or was issued to another client.';

export const deviceCode = defineGrant({
  params: { device_code: credential },
  publicClients: true,
  async issue(steep, app, input) {
    if (input.device_code === undefined) throw new OAuthError('invalid_request', 'device_code is required for this grant_type.');
    const now = steep.clock.now();
    const codeHash = steep.hasher.hash(input.device_code);
    const row = hasPrefix(input.device_code, 'deviceCode') ? await steep.deviceCodes.byHash(codeHash) : undefined;
    // Another client's code is refused before anything is recorded, so it cannot disturb the real device's polling.
    if (!row || row.client_id !== app.client_id) throw new UnknownGrant(BAD_CODE);
    if (row.status === 'redeemed') throw new OAuthError('invalid_grant', BAD_CODE);
    if (row.expires_at <= now) throw new OAuthError('expired_token', 'The device code has expired; start again on the device to get a new code.');
    if (row.status === 'denied') throw new OAuthError('access_denied', 'The user denied the request.');
    if (row.status === 'pending') {
      // null: decided or expired a moment ago; the next poll tells which.
      if ((await steep.deviceCodes.poll(codeHash, now)) === 'slow_down') {
        throw new OAuthError('slow_down', `Polling too often: wait at least ${row.poll_interval + SLOW_DOWN_STEP} seconds between requests.`);
      }
      throw new OAuthError('authorization_pending', 'The user has not answered yet; poll again after the interval.');
    }

    const scopes = fromJson(row.scopes);
    // A grant row like a code redemption's: the family of every token descended from this approval.
    const grant = newGrant({ client_id: app.client_id, user_id: row.user_id, scopes: row.scopes, resource: row.resource, auth_time: row.auth_time }, now);
    const { rows, response } = await mintTokens(steep, { grant, scopes, refreshScopes: wantsRefresh(app) ? scopes : null }, now);
    // Of concurrent polls after approval, one wins the conditional UPDATE; the others wrote nothing.
    if (!(await steep.deviceCodes.redeem(codeHash, now, grant, rows))) throw new OAuthError('invalid_grant', BAD_CODE);
    return response;
  },
});
