// Remembered consent: a user who allowed an app recently is not asked again for the same (or fewer) scopes.
import type { Steep } from '../context.ts';
import { isSubset, uniqueScopes } from '../domain/scopes.ts';
import { fromJson, toJson } from '../store/json.ts';
import type { ConsentRow } from '../store/consents.ts';

function isFresh(steep: Steep, consent: ConsentRow | undefined, now: number): consent is ConsentRow {
  return consent !== undefined && consent.granted_at + steep.config.ttl.consent * 1000 > now;
}

/** True when the user consented to this app within the remember window, for at least these scopes. */
export async function consentCovers(steep: Steep, userId: string, clientId: string, scopes: string[]): Promise<boolean> {
  const consent = await steep.consents.get(userId, clientId);
  return isFresh(steep, consent, steep.clock.now()) && isSubset(scopes, fromJson(consent.scopes));
}

/** Records an explicit consent; scopes still inside the window are kept, so asking for more never loses less. */
export async function rememberConsent(steep: Steep, userId: string, clientId: string, scopes: string[]): Promise<void> {
  const now = steep.clock.now();
  const previous = await steep.consents.get(userId, clientId);
  const kept = isFresh(steep, previous, now) ? fromJson(previous.scopes) : [];
  const granted = uniqueScopes([...kept, ...scopes]);
  await steep.consents.grant(userId, clientId, toJson(granted), now);
  await steep.events.emit({ type: 'consent.granted', actor: userId, userId, clientId, details: { scopes: granted } });
}
