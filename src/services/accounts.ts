// Sign-up, sign-in and browser sessions.
import type { Steep } from '../context.ts';
import { conflict, tooManyRequests, unauthorized } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../domain/password.ts';
import { AttemptLimiter } from '../domain/rate-limit.ts';
import { newSecret } from '../domain/secrets.ts';
import type { User } from '../store/users.ts';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export async function createUser(steep: Steep, input: { email: string; password: string; name?: string }): Promise<User> {
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

export class SignIn {
  // Per account and per IP, so neither one password guessed across many IPs nor many accounts from one IP.
  readonly #byEmail: AttemptLimiter;
  readonly #byIp: AttemptLimiter;

  constructor(private readonly steep: Steep) {
    this.#byEmail = new AttemptLimiter(steep.clock, 10, 15 * 60_000);
    this.#byIp = new AttemptLimiter(steep.clock, 50, 15 * 60_000);
  }

  async check(emailInput: string, password: string, ip: string): Promise<User> {
    const email = normalizeEmail(emailInput);
    const waitEmail = this.#byEmail.take(email);
    const waitIp = waitEmail ? 0 : this.#byIp.take(ip);
    if (waitEmail || waitIp) {
      if (!waitEmail) this.#byEmail.refund(email);
      this.steep.metrics.rateLimited('signin');
      throw tooManyRequests(`Too many failed sign-in attempts: try again in ${Math.max(waitEmail, waitIp)} seconds.`);
    }
    const user = await this.steep.users.byEmail(email);
    // Unknown email and wrong password cost the same scrypt and get the same answer.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      await this.steep.events.emit({ type: 'signin.failed', userId: user?.id ?? null, details: { reason: user ? 'wrong_password' : 'unknown_account' } });
      throw unauthorized('The email or password is incorrect.');
    }
    this.#byEmail.reset(email);
    this.#byIp.refund(ip);
    return user;
  }
}

/** Starts a session; returns the cookie value, which is shown only to this response. */
export async function startSession(steep: Steep, userId: string): Promise<string> {
  const sessionId = newSecret('session');
  const now = steep.clock.now();
  await steep.users.createSession(steep.hasher.hash(sessionId), userId, now, now + steep.config.ttl.session * 1000);
  return sessionId;
}
