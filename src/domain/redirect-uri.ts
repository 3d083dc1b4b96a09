// Which URLs an app may register: redirect URIs and its homepage (API.md "Validation of the create/update body").

const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The checks every registered URL shares; returns the parsed URL, or why the string is not acceptable. */
function parseAbsolute(value: string): URL | string {
  if (value.length > 2048) return 'must be at most 2048 characters';
  // Stored and sent back byte for byte (in a Location header or a link), so only the characters RFC 3986
  // allows: no spaces, controls, non-ASCII, or "\" (which browsers and RFC parsers read differently).
  if (/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/.test(value)) return 'must contain only URL characters (percent-encode spaces, non-ASCII and the like)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  // "http:example.com/cb" parses, but browsers would resolve it against the page's own host.
  if (web && (!/^https?:\/\/[^/]/i.test(value) || !url.hostname)) return 'must name a host after "//"';
  // Any "@" in the authority is user information, even empty ("http://:@host").
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) return 'must not contain user information';
  return url;
}

/** Returns why `value` may not be registered as a redirect URI, or null when it may. */
export function redirectUriProblem(value: string, requireHttps: boolean): string | null {
  if (value.includes('*')) return 'must not contain a wildcard';
  const url = parseAbsolute(value);
  if (typeof url === 'string') return url;
  if (value.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain user information';
  const scheme = url.protocol;
  if (REFUSED_SCHEMES.has(scheme)) return `must not use the ${scheme} scheme`;
  if (scheme === 'http:' || scheme === 'https:') {
    if (requireHttps && scheme === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return 'must use https outside loopback';
    return null;
  }
  // Native apps: a private-use scheme in reverse-domain form (RFC 8252 section 7.1).
  if (!scheme.slice(0, -1).includes('.')) return 'must use http, https or a private-use scheme containing a dot';
  return null;
}

/** Absolute http(s) URL check for `homepage`. */
export function httpUrlProblem(value: string): string | null {
  const url = parseAbsolute(value);
  if (typeof url === 'string') return url;
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an http or https URL';
}

/** A loopback URI split around its port: "http://127.0.0.1" + ":8080" + "/cb?x". */
const LOOPBACK_URI = /^(https?:\/\/(?:127\.0\.0\.1|\[::1\]|localhost))(:\d{1,5})?([/?].*)?$/i;

/** ":8080" is a port a listener can have; ":0" and ":65536" are not (a browser would refuse to go there). */
const validPort = (port: string | undefined) => port === undefined || (Number(port.slice(1)) >= 1 && Number(port.slice(1)) <= 65535);

/**
 * Whether `given` is one of the `registered` redirect URIs: the exact string, or — for a registered
 * loopback URI (RFC 8252 section 7.3: native apps listen on a port the OS picks) — the same URI with
 * any port; scheme, host, path and query stay exact.
 */
export function isRegisteredRedirectUri(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  const asked = LOOPBACK_URI.exec(given);
  if (!asked || !validPort(asked[2])) return false;
  return registered.some((uri) => {
    const own = LOOPBACK_URI.exec(uri);
    return own !== null && own[1] === asked[1] && (own[3] ?? '') === (asked[3] ?? '');
  });
}

/**
 * Whether a page at `origin` belongs to the app whose callback is `redirectUri`: the same origin, or
 * for a loopback callback the same scheme and host on any port (as at authorize).
 */
export function originOfRedirectUri(origin: string, redirectUri: string): boolean {
  if (!URL.canParse(redirectUri) || !URL.canParse(origin)) return false;
  const callback = new URL(redirectUri);
  const page = new URL(origin);
  if (callback.origin === 'null' || page.origin !== origin) return false;
  if (callback.origin === origin) return true;
  return LOOPBACK_URI.test(redirectUri) && callback.protocol === page.protocol && callback.hostname === page.hostname;
}
