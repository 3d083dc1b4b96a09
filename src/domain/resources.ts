// Resource servers an operator declares (STEEP_RESOURCES_FILE): the APIs a token may be audience-bound to.

export interface ResourceServer {
  /** An absolute URI, compared as a string (RFC 8707 section 2). */
  resource: string;
  /** Shown on the consent page: "… wants to use the Records API on your behalf". */
  name: string;
  /** The scopes a token for this resource may carry; null: all. */
  scopes: string[] | null;
  /** The app that is this resource server: it may introspect tokens for it, and every opaque access token. */
  clientId: string | null;
}

/** Reads the declared list, naming the first entry that is wrong and why. */
export function parseResourceList(input: unknown, knownScopes: readonly string[]): ResourceServer[] {
  if (!Array.isArray(input)) throw new Error('the resource list must be a JSON array.');
  const seen = new Set<string>();
  return input.map((entry, index) => {
    const where = `entry ${index}`;
    if (!entry || typeof entry !== 'object') throw new Error(`${where} must be an object.`);
    const { resource, name, scopes, clientId } = entry as Record<string, unknown>;
    if (typeof resource !== 'string' || !URL.canParse(resource) || resource.includes('#')) throw new Error(`${where}: resource must be an absolute URI without a fragment.`);
    if (seen.has(resource)) throw new Error(`${where}: resource ${resource} is listed twice.`);
    seen.add(resource);
    if (typeof name !== 'string' || !name.trim()) throw new Error(`${where}: name must be a non-empty string.`);
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || !knownScopes.includes(s)))) {
      throw new Error(`${where}: scopes must be a list of names from the scope list.`);
    }
    if (clientId !== undefined && typeof clientId !== 'string') throw new Error(`${where}: clientId must be a string.`);
    return { resource, name: name.trim(), scopes: (scopes as string[] | undefined) ?? null, clientId: clientId ?? null };
  });
}
