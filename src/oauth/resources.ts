// RFC 8707 resource indicators: which declared resource server a token is for.
import type { Steep } from '../context.ts';
import { OAuthError } from '../domain/errors.ts';
import type { ResourceServer } from '../domain/resources.ts';
import { isIdentityScope } from '../domain/scopes.ts';

export const declaredResource = (steep: Steep, uri: string): ResourceServer | undefined => steep.config.resources.find((r) => r.resource === uri);

/** RFC 8707 section 2: an undeclared resource is invalid_target. */
export function requireDeclared(steep: Steep, uri: string): ResourceServer {
  const found = declaredResource(steep, uri);
  if (!found) throw new OAuthError('invalid_target', `resource: ${uri} is not a resource server this authorization server issues tokens for.`);
  return found;
}

/**
 * The resource a token request's access token is for: the grant's own, or — when the grant named
 * none — a declared one the request asks for. A grant bound to one resource cannot be spent on another.
 */
export function tokenResource(steep: Steep, granted: string | null, requested: string | undefined): string | null {
  if (requested === undefined) return granted;
  if (granted !== null && requested !== granted) throw new OAuthError('invalid_target', `resource: this grant is for ${granted}, not ${requested}.`);
  return requireDeclared(steep, requested).resource;
}

/** What "scope omitted" means for a request that names `resource`: the app's scopes, within those the resource takes. */
export function defaultScopes(steep: Steep, appScopes: readonly string[], resource: string | null): string[] {
  const declared = resource === null ? undefined : declaredResource(steep, resource);
  return appScopes.filter((s) => !declared?.scopes || declared.scopes.includes(s));
}

/** Throws invalid_scope when `scopes` go beyond what a token for `resource` may carry. */
export function requireResourceScopes(steep: Steep, resource: string | null, scopes: readonly string[]): void {
  const beyond = resourceScopeProblem(steep, resource, scopes);
  if (beyond) throw new OAuthError('invalid_scope', beyond);
}

/** The scopes a token for `resource` may carry (identity scopes aside): its declared list, or any. */
export function resourceScopeProblem(steep: Steep, resource: string | null, scopes: readonly string[]): string | null {
  const declared = resource === null ? undefined : declaredResource(steep, resource);
  if (!declared?.scopes) return null;
  const beyond = scopes.filter((s) => !isIdentityScope(s) && !declared.scopes!.includes(s));
  return beyond.length ? `scope: a token for ${declared.name} may not carry ${beyond.join(', ')}.` : null;
}
