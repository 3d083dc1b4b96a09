// RFC 8414 discovery: where Steep publishes its keys and its introspection endpoint. Read once, on
// the first request that needs it (so an API can start before Steep does); a failure is retried on
// the next request rather than remembered.
import { fetchJson } from './fetch-json.ts';
import { AuthorizationServerUnavailable } from './types.ts';

export interface ServerEndpoints {
  jwksUri: string;
  introspectionEndpoint?: string;
}

const isUrl = (value: unknown): value is string => typeof value === 'string' && URL.canParse(value);

async function discover(issuer: string): Promise<ServerEndpoints> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/oauth-authorization-server`;
  const metadata = await fetchJson(url, { headers: { accept: 'application/json' } });
  // RFC 8414 section 3.3: metadata naming another issuer must not be used.
  if (metadata.issuer !== issuer) throw new AuthorizationServerUnavailable(`${url} names issuer ${String(metadata.issuer)}, not ${issuer}`);
  if (!isUrl(metadata.jwks_uri)) throw new AuthorizationServerUnavailable(`${url} has no jwks_uri`);
  return { jwksUri: metadata.jwks_uri, ...(isUrl(metadata.introspection_endpoint) && { introspectionEndpoint: metadata.introspection_endpoint }) };
}

/** A function answering the issuer's endpoints, asking Steep only until it has once succeeded. */
export function discovery(issuer: string): () => Promise<ServerEndpoints> {
  let found: Promise<ServerEndpoints> | undefined;
  return () => {
    // Concurrent first requests share one fetch; a failed one is dropped so the next request retries.
    found ??= discover(issuer).catch((error: unknown) => {
      found = undefined;
      throw error;
    });
    return found;
  };
}
