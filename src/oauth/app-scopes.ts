// The scopes a client asks for without an authorize request (the device flow, client_credentials):
// within the ones its app registered — plus the identity scopes when a person will approve them.
import { OAuthError } from '../domain/errors.ts';
import { isIdentityScope, splitScope } from '../domain/scopes.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';

/**
 * `scope` as a list, or all of the app's scopes when it is omitted; invalid_scope beyond them.
 * `forPerson`: a person approves (device flow), so the OpenID Connect identity scopes may be asked for too.
 */
export function scopesWithinApp(app: Pick<AppRow, 'scopes'>, scope: string | undefined, forPerson: boolean): string[] {
  const allowed = fromJson(app.scopes);
  const scopes = scope === undefined ? allowed : splitScope(scope);
  const beyond = scopes.filter((s) => !allowed.includes(s) && !(forPerson && isIdentityScope(s)));
  if (beyond.length) throw new OAuthError('invalid_scope', `scope: the app may not ask for ${beyond.join(', ')}.`);
  return scopes;
}
