// The scopes a client asks for without an authorize request (the device flow; client_credentials
// applies the same rule): always within the ones its app registered.
import { OAuthError } from '../domain/errors.ts';
import { isSubset, splitScope } from '../domain/scopes.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';

/** `scope` as a list, or all of the app's scopes when it is omitted; invalid_scope beyond them. */
export function scopesWithinApp(app: Pick<AppRow, 'scopes'>, scope: string | undefined): string[] {
  const allowed = fromJson(app.scopes);
  const scopes = scope === undefined ? allowed : splitScope(scope);
  if (!isSubset(scopes, allowed)) {
    throw new OAuthError('invalid_scope', `scope: the app may not ask for ${scopes.filter((s) => !allowed.includes(s)).join(', ')}.`);
  }
  return scopes;
}
