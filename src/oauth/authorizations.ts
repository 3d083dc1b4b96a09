// A user's view of the apps they authorized: the list, and withdrawing an app's access.
import type { Steep } from '../context.ts';
import { toIso } from '../domain/clock.ts';
import { notFound } from '../domain/errors.ts';
import { fromJson } from '../store/json.ts';
import { consentKey } from '../store/usage.ts';

export interface AuthorizedApp {
  clientId: string;
  name: string;
  homepage: string;
  logo?: string;
  description?: string;
  scopes: string[];
  lastUsedTime?: string;
  createdUser: { name: string; email: string };
}

export const SELF_REGISTERED = { name: 'Registered itself (unverified)', email: '' };

/** Teable's AuthorizedVo list; lastUsedTime is this user's last use of the app's tokens. */
export async function listAuthorized(steep: Steep, userId: string): Promise<AuthorizedApp[]> {
  const rows = await steep.consents.listAuthorized(userId);
  return rows.map((row) => {
    const lastUsed = steep.usage.lastUsed('consent', consentKey(userId, row.client_id), row.last_used_at);
    return {
      clientId: row.client_id,
      name: row.name,
      homepage: row.homepage,
      ...(row.logo !== null && { logo: row.logo }),
      ...(row.description !== null && { description: row.description }),
      scopes: fromJson(row.scopes),
      ...(lastUsed !== null && { lastUsedTime: toIso(lastUsed) }),
      // Teable's shape always has a creator; an app that registered itself (RFC 7591) has none to name.
      createdUser: row.owner_name === null ? SELF_REGISTERED : { name: row.owner_name, email: row.owner_email ?? '' },
    };
  });
}

/**
 * Ends the user's authorization of the app: consent forgotten, unredeemed codes dropped, approvals
 * a device has not redeemed yet withdrawn (it gets access_denied), every token revoked. The app's
 * owner always gets 200, as in Teable (nothing left to end is fine: the app is theirs to see).
 * Anyone else gets 404 when they hold no authorization: another user's app is never revealed.
 */
export async function revokeAccess(steep: Steep, userId: string, clientId: string): Promise<void> {
  const missing = notFound('You have not authorized an OAuth app with this client id.');
  const app = await steep.apps.byClientId(clientId);
  if (!app) throw missing;
  const now = steep.clock.now();
  const forgotten = await steep.consents.delete(userId, clientId);
  await steep.codes.discardUnused(userId, clientId);
  await steep.deviceCodes.withdrawApprovals(userId, clientId);
  const revoked = await steep.grants.revokeAll(userId, clientId, now);
  if (!forgotten && revoked === 0 && app.user_id !== userId) throw missing;
  if (forgotten || revoked > 0) await steep.events.emit({ type: 'consent.withdrawn', actor: userId, userId, clientId, details: {} });
}
