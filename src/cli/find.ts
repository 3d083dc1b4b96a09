// Looking up what a command names, failing with a sentence when it does not exist.
import type { Steep } from '../context.ts';
import { normalizeEmail } from '../services/accounts.ts';
import type { User } from '../store/users.ts';
import { Failure } from './failures.ts';

export async function userByEmail(steep: Steep, email: string): Promise<User> {
  const user = await steep.users.byEmail(normalizeEmail(email));
  if (!user) throw new Failure(`no user with email ${normalizeEmail(email)}`);
  return user;
}
