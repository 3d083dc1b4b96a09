// The sign-up body, shared by POST /api/auth/signup and the sign-up page.
import { z } from 'zod';

const email = z.email({ error: 'must be a valid email address' }).max(254);
const password = z.string().min(8).max(128);

export const signupBody = z.object({ email, password, name: z.string().trim().max(100).optional() })
  .meta({ id: 'Signup', description: 'A new account', examples: [{ email: 'ada@example.com', password: 'a long password', name: 'Ada' }] });

export type SignupInput = z.infer<typeof signupBody>;
