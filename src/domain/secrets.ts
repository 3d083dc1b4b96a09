// Generation, keyed hashing, masking and comparison of every secret-bearing string.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes let secret scanners find leaked credentials. */
export const PREFIX = {
  pat: 'stp_pat_',
  clientSecret: 'stp_cs_',
  accessToken: 'stp_at_',
  refreshToken: 'stp_rt_',
  code: 'stp_ac_',
  session: 'stp_ss_',
  transaction: 'stp_tx_',
  registrationToken: 'stp_rat_',
  deviceCode: 'stp_dc_',
} as const;

export type SecretKind = keyof typeof PREFIX;

/** 256 bits from the CSPRNG, base64url, behind the kind's prefix. */
export function newSecret(kind: SecretKind, random: (size: number) => Buffer = randomBytes): string {
  return PREFIX[kind] + random(32).toString('base64url');
}

/** Keyed hash for high-entropy secrets: fast on purpose (brute force is hopeless at 256 bits). */
export class SecretHasher {
  readonly #key: Buffer;
  constructor(serverSecret: string) {
    // Derive a dedicated key so the server secret can also sign other things (CSRF tokens) safely.
    this.#key = createHmac('sha256', serverSecret).update('steep:secret-hash:v1').digest();
  }

  hash(secret: string): string {
    return createHmac('sha256', this.#key).update(secret).digest('base64url');
  }

  /** Constant-time check of a presented secret against a stored hash. */
  matches(secret: string, storedHash: string): boolean {
    return safeEqual(this.hash(secret), storedHash);
  }

  /** An HMAC of `data` for tokens that are derived rather than stored (CSRF). */
  sign(data: string): string {
    return createHmac('sha256', this.#key).update('sign:' + data).digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Teable's masked form: every character but the last ten becomes `*`. */
export function maskSecret(secret: string): string {
  return '*'.repeat(Math.max(0, secret.length - 10)) + secret.slice(-10);
}

/** True when `value` looks like one of our credentials of that kind (cheap rejection before a lookup). */
export function hasPrefix(value: string, kind: SecretKind): boolean {
  return value.startsWith(PREFIX[kind]) && value.length <= 200;
}
