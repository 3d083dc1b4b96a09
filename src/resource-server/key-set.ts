// Steep's public signing keys, fetched from its jwks_uri and kept in memory. A token signed with a key
// not seen yet (after `steep keys rotate`) refetches the set, at most once per cooldown, so made-up
// `kid`s cannot turn into a flood of requests to Steep. jose does all the JWK work (createLocalJWKSet);
// this file only decides when to fetch. Not jose's createRemoteJWKSet: its cache and cooldown run on
// Date.now(), out of reach of the verifier's clock, and its fetch failures look like token failures.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { fetchJson } from './fetch-json.ts';
import { AuthorizationServerUnavailable } from './types.ts';

const COOLDOWN_MS = 30_000;
/** Refetch even without an unknown kid after this, so a withdrawn key stops working; Steep's JWKS says max-age=300. */
const MAX_AGE_MS = 300_000;

type LocalSet = ReturnType<typeof createLocalJWKSet>;

export function keySet(jwksUri: () => Promise<string>, now: () => number): JWTVerifyGetKey {
  let local: LocalSet | undefined;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let pending: Promise<void> | undefined;

  const reload = () => {
    pending ??= (async () => {
      attemptedAt = now();
      const jwks = await fetchJson(await jwksUri(), { headers: { accept: 'application/jwk-set+json, application/json' } });
      try {
        local = createLocalJWKSet(jwks as unknown as JSONWebKeySet);
      } catch (cause) {
        throw new AuthorizationServerUnavailable('the JWKS is malformed', { cause });
      }
      fetchedAt = now();
    })().finally(() => (pending = undefined));
    return pending;
  };

  return async (header, token) => {
    if (!local) await reload();
    else if (now() - fetchedAt > MAX_AGE_MS && now() - attemptedAt > COOLDOWN_MS) {
      // Keys a little stale beat refusing every request while Steep is away; a later request tries again.
      await reload().catch(() => undefined);
    }
    try {
      return await local!(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - attemptedAt < COOLDOWN_MS) throw error;
      await reload();
      return local!(header, token);
    }
  };
}
