// The JWS signing keys every process shares: read from the database (the private half unsealed only
// in memory), created on first use, rotated by `steep keys rotate`. A retired key stays published in
// the JWKS until everything it signed has expired.
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../domain/clock.ts';
import { newId } from '../domain/ids.ts';
import type { Sealer } from '../domain/seal.ts';
import type { SigningKeyRow, SigningKeyStore } from '../store/signing-keys.ts';

/** RS256: every OpenID relying party must accept it (OpenID Connect Core section 15.1). */
export const SIGNING_ALG = 'RS256';
/** How long a process trusts its copy of the key list: a rotation elsewhere is seen within this. */
const RELOAD_MS = 30_000;

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

export class KeyRing {
  #rows: SigningKeyRow[] = [];
  #loadedAt = -Infinity;
  #private = new Map<string, Promise<CryptoKey>>();
  #creating: Promise<void> | null = null;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
    /** How long a retired key stays published: the longest lifetime of anything it signs. */
    readonly retentionMs: number,
  ) {}

  async #load(force = false): Promise<SigningKeyRow[]> {
    if (force || this.clock.now() - this.#loadedAt > RELOAD_MS) {
      this.#rows = await this.store.all();
      this.#loadedAt = this.clock.now();
    }
    return this.#rows;
  }

  /** The current key (the newest unretired one), created when there is none yet. */
  async current(): Promise<SigningKey> {
    let row = (await this.#load()).find((key) => key.retired_at === null);
    if (!row) {
      // One creation per process at a time; two processes creating at once both publish, and the newest signs.
      this.#creating ??= this.rotate().then(() => undefined).finally(() => (this.#creating = null));
      await this.#creating;
      row = (await this.#load(true)).find((key) => key.retired_at === null)!;
    }
    return { kid: row.kid, alg: row.alg, privateKey: await this.#privateKey(row) };
  }

  #privateKey(row: SigningKeyRow): Promise<CryptoKey> {
    let key = this.#private.get(row.kid);
    if (!key) {
      key = importJWK(JSON.parse(this.sealer.open(row.private_sealed)) as JWK, row.alg) as Promise<CryptoKey>;
      this.#private.set(row.kid, key);
    }
    return key;
  }

  /** The keys to publish: the current one and those retired less than `retentionMs` ago. */
  async published(): Promise<SigningKeyRow[]> {
    const now = this.clock.now();
    return (await this.#load()).filter((key) => key.retired_at === null || key.retired_at + this.retentionMs > now);
  }

  /** RFC 7517 JWK Set of the published public keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.published()).map((key) => JSON.parse(key.public_jwk) as JWK) };
  }

  /**
   * A published public key by id. An unknown id rereads the list (another process may have rotated),
   * at most once every few seconds, so made-up ids cannot turn into a flood of queries.
   */
  async publicJwk(kid: string): Promise<JWK | undefined> {
    const find = async () => (await this.published()).find((key) => key.kid === kid);
    let found = await find();
    if (!found && this.clock.now() - this.#loadedAt > 5_000) {
      await this.#load(true);
      found = await find();
    }
    return found ? (JSON.parse(found.public_jwk) as JWK) : undefined;
  }

  /** Makes a new current key; the previous one is retired (still published for `retentionMs`). */
  async rotate(): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
    const kid = newId('key', 16);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const row: SigningKeyRow = {
      kid,
      alg: SIGNING_ALG,
      public_jwk: JSON.stringify(publicJwk),
      private_sealed: this.sealer.seal(JSON.stringify(await exportJWK(privateKey))),
      created_at: this.clock.now(),
      retired_at: null,
    };
    await this.store.add(row);
    await this.#load(true);
    return row;
  }

  list(): Promise<SigningKeyRow[]> {
    return this.#load(true);
  }
}
