// The scopes a client asks for without an authorize request (the device flow, client_credentials):
// within the ones its app registered — plus the identity scopes when a person will approve them.
import { OAuthError } from '../domain/errors.ts';
import { isIdentityScope, splitScope } from '../domain/scopes.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';
import type { Steep } from '../context.ts';
import { defaultScopes } from './resources.ts';

/**
 * `scope` as a list, or — when it is omitted — all of the app's scopes that `resource` takes;
 * invalid_scope beyond the app's. `forPerson`: a person approves (device flow), so the OpenID Connect
 * identity scopes may be asked for too.
 */
export function scopesWithinApp(steep: Steep, app: Pick<AppRow, 'scopes'>, scope: string | undefined, resource: string | null, forPerson: boolean): string[] {
  const allowed = fromJson(app.scopes);
  const scopes = scope === undefined ? defaultScopes(steep, allowed, resource) : splitScope(scope);
  const beyond = scopes.filter((s) => !allowed.includes(s) && !(forPerson && isIdentityScope(s)));
  if (beyond.length) throw new OAuthError('invalid_scope', `scope: the app may not ask for ${beyond.join(', ')}.`);
  return scopes;
}
