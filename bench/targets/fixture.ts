// What the bare routes serve: the JSON work of Steep's bearer check without Steep — an Authorization
// header parsed, a token looked up in an in-memory Map, the user's public shape answered.
export interface BareUser {
  id: string;
  name: string;
  email: string;
}

/** The token the bench presents; the Map holds a thousand others so the lookup is not a one-entry table. */
export const BARE_TOKEN = 'stp_at_bench-bare-fixture-token-0000000000000000000';

export function fixtureUsers(): Map<string, BareUser> {
  const users = new Map<string, BareUser>();
  for (let i = 0; i < 1000; i++) users.set(`stp_at_bench-bare-fixture-token-${String(i).padStart(37, '0')}`, { id: `usr_bench${i}`, name: `Bench User ${i}`, email: `bench${i}@example.com` });
  users.set(BARE_TOKEN, { id: 'usr_bench', name: 'Bench User', email: 'bench@example.com' });
  return users;
}

/** The same parse as Steep's bearerToken(). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header && /^Bearer +([^\s]+) *$/i.exec(header);
  return match ? match[1] : undefined;
}

/** Steep's userView: id, name, email (avatar only when set). */
export const userView = (user: BareUser) => ({ id: user.id, name: user.name, email: user.email });
