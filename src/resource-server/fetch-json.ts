// Every call this kit makes to Steep goes through here, so every way it can fail becomes one error
// the caller can tell apart from a bad token: AuthorizationServerUnavailable.
import { AuthorizationServerUnavailable } from './types.ts';

/** Long enough for a loaded Steep, short enough that a hung one does not hold requests for long. */
const TIMEOUT_MS = 5_000;

export async function fetchJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    // No redirects: the metadata names the exact endpoints, and a redirect would be a misconfiguration.
    response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    throw new AuthorizationServerUnavailable(`${url} cannot be reached`, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new AuthorizationServerUnavailable(`${url} answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new AuthorizationServerUnavailable(`${url} answered something that is not JSON`, { cause });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AuthorizationServerUnavailable(`${url} answered JSON that is not an object`);
  return body as Record<string, unknown>;
}
