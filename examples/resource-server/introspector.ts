// Asks Steep whether a Bearer token is live (RFC 7662), and remembers live answers for a short while
// so a busy API does not call Steep on every request. The price: a revoked token keeps working here
// for at most `cacheSeconds` (never past its own expiry).
import { createHash } from 'node:crypto';

export interface Introspection {
  active: boolean;
  scope?: string;
  sub?: string;
  client_id?: string;
  exp?: number;
}

export interface IntrospectorOptions {
  /** Steep's public origin, e.g. https://auth.example.com */
  steepUrl: string;
  /** This resource server's own OAuth client credentials at Steep. */
  clientId: string;
  clientSecret: string;
  cacheSeconds?: number;
  maxEntries?: number;
  /** Milliseconds since the epoch; tests pass a manual clock. */
  now?: () => number;
}

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded before Base64. */
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export class Introspector {
  readonly #cache = new Map<string, { result: Introspection; until: number }>();
  readonly #authorization: string;
  readonly #now: () => number;

  constructor(private readonly options: IntrospectorOptions) {
    this.#authorization = 'Basic ' + Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64');
    this.#now = options.now ?? Date.now;
  }

  async check(token: string): Promise<Introspection> {
    // Keyed by a hash: the cache never holds usable tokens.
    const key = createHash('sha256').update(token).digest('base64url');
    const now = this.#now();
    const cached = this.#cache.get(key);
    if (cached && cached.until > now) return cached.result;
    this.#cache.delete(key);

    const response = await fetch(new URL('/oauth/introspect', this.options.steepUrl), {
      method: 'POST',
      headers: { authorization: this.#authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token }).toString(),
    });
    if (response.status !== 200) throw new Error(`introspection failed with HTTP ${response.status}`);
    const result = (await response.json()) as Introspection;
    if (result.active) this.remember(key, result, now);
    return result;
  }

  private remember(key: string, result: Introspection, now: number): void {
    const until = Math.min(now + (this.options.cacheSeconds ?? 30) * 1000, (result.exp ?? Infinity) * 1000);
    if (until <= now) return;
    if (this.#cache.size >= (this.options.maxEntries ?? 10_000)) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, { result, until });
  }
}
