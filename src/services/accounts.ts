// Sign-up, sign-in and browser sessions.
import type { Steep } from '../context.ts';
import { RateLimited, conflict, forbidden, unauthorized } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../domain/password.ts';
import { newSecret } from '../domain/secrets.ts';
import type { User } from '../store/users.ts';
import type { SignupInput } from '../schemas/accounts.ts';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const SIGNUP_CLOSED = 'Sign-up is closed on this server: ask its administrator for an account.';

/** With STEEP_SIGNUP=closed nobody signs up over HTTP (API or page); operators create accounts with `steep users create`. */
export function checkSignupOpen(steep: Steep): void {
  if (steep.config.signup === 'closed') throw forbidden(SIGNUP_CLOSED);
}

export async function createUser(steep: Steep, input: SignupInput): Promise<User> {
  const email = normalizeEmail(input.email);
  const user = await steep.users.create({
    id: newId('usr'),
    email,
    name: input.name?.trim() || email.split('@')[0],
    password_hash: await hashPassword(input.password),
    avatar: null,
    created_at: steep.clock.now(),
  });
  if (!user) throw conflict('An account with this email already exists.');
  return user;
}

/** Sign-up from the API or the page: every attempt counts against the address (signupIp), since each costs an scrypt hash. */
export async function signUp(steep: Steep, input: SignupInput, ip: string): Promise<User> {
  await steep.limits.hit(['signupIp', ip]);
  return createUser(steep, input);
}

/**
 * Sign-in with a backoff per account and address, and a looser cap per address. Failures of one
 * (email, address) pair slow down only that pair: a stranger's wrong passwords from their address
 * never stop the owner's right one from another, while a guesser gets signInAccountIp tries per
 * window for each address it holds, and signInIp tries in all from one address.
 */
export async function checkSignIn(steep: Steep, emailInput: string, password: string, ip: string): Promise<User> {
  const email = normalizeEmail(emailInput);
  const pair = `${email} ${ip}`;
  const { limits } = steep;
  const user = await steep.users.byEmail(email);
  try {
    // Counted as the attempt starts (a parallel burst of guesses cannot outrun the limit), given back when it was right.
    await limits.hit(['signInAccountIp', pair], ['signInIp', ip]);
  } catch (error) {
    if (error instanceof RateLimited) await steep.events.emit({ type: 'signin.backoff', userId: user?.id ?? null, details: { retryAfterSeconds: error.retryAfter } });
    throw error;
  }
  // Unknown email and wrong password cost the same scrypt and get the same answer.
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    await steep.events.emit({ type: 'signin.failed', userId: user?.id ?? null, details: { reason: user ? 'wrong_password' : 'unknown_account' } });
    throw unauthorized('The email or password is incorrect.');
  }
  await Promise.all([limits.clear('signInAccountIp', pair), limits.refund('signInIp', ip)]);
  return user;
}

/** Starts a session; returns the cookie value, which is shown only to this response. */
export async function startSession(steep: Steep, userId: string): Promise<string> {
  const sessionId = newSecret('session');
  const now = steep.clock.now();
  await steep.users.createSession(steep.hasher.hash(sessionId), userId, now, now + steep.config.ttl.session * 1000);
  return sessionId;
}
