// Which redirect URIs an app may register (API.md "Validation of the create/update body").

const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Returns why `value` may not be registered as a redirect URI, or null when it may. */
export function redirectUriProblem(value: string, requireHttps: boolean): string | null {
  if (value.length > 2048) return 'must be at most 2048 characters';
  if (value.includes('*')) return 'must not contain a wildcard';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URI';
  }
  if (value.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain user information';
  const scheme = url.protocol;
  if (REFUSED_SCHEMES.has(scheme)) return `must not use the ${scheme} scheme`;
  if (scheme === 'http:' || scheme === 'https:') {
    if (!url.hostname) return 'must name a host';
    if (requireHttps && scheme === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return 'must use https outside loopback';
    return null;
  }
  // Native apps: a private-use scheme in reverse-domain form (RFC 8252 section 7.1).
  if (!scheme.slice(0, -1).includes('.')) return 'must use http, https or a private-use scheme containing a dot';
  return null;
}

/** Absolute http(s) URL check for `homepage`. */
export function httpUrlProblem(value: string): string | null {
  if (value.length > 2048) return 'must be at most 2048 characters';
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
    if (!url.hostname) return 'must name a host';
    return null;
  } catch {
    return 'must be an absolute http or https URL';
  }
}
