// Public identifiers: random, URL-safe, with a readable prefix. Not secrets.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `prefix` + `length` uniformly random base62 characters (about 5.95 bits each). */
export function newId(prefix: string, length = 16): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps the alphabet uniform: 248 = 4 * 62.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return prefix + out;
}
