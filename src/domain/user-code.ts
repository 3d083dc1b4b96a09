// The device flow's user code (RFC 8628 section 6.1): short enough to type from a TV screen, from an
// alphabet without vowels (no words) and without look-alikes (no 0/O, 1/I/L confusion with digits).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;
const CANONICAL = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);
/** Longer input is no user code however it is spaced; refusing it early bounds the work on untrusted text. */
const MAX_INPUT = 64;

/** 8 letters, uniform over the alphabet: bytes at or above 240 (12 * 20) are rejected, not folded in. */
export function newUserCode(random: (size: number) => Buffer = randomBytes): string {
  let code = '';
  while (code.length < LENGTH) {
    for (const byte of random(LENGTH * 2)) {
      if (byte < 240 && code.length < LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

/** How people see it: BCDF-GHJK. */
export const formatUserCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * What a person typed, as the stored form: case, spaces and dashes (phones turn "-" into "–") do not
 * matter. null when it cannot be a user code at all.
 */
export function normalizeUserCode(input: string): string | null {
  if (input.length > MAX_INPUT) return null;
  const code = input.replace(/[\s\-\u2010-\u2015]/g, '').toUpperCase();
  return CANONICAL.test(code) ? code : null;
}
