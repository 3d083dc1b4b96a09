// Accounts and their browser sessions.
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { UserTable } from './schema.ts';
import { isUniqueViolation } from './json.ts';

export type User = UserTable;

/** The hot path of every request with a session cookie. */
const liveSession = prepared((db: Db, idHash: string, now: number) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.created_at as signed_in_at')
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now),
);

export class UserStore {
  constructor(private readonly db: Db) {}

  /** Inserts a user; returns null when the email is taken. */
  async create(user: User): Promise<User | null> {
    try {
      await this.db.insertInto('users').values(user).execute();
      return user;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  byId(id: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byEmail(email: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async createSession(idHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await this.db.insertInto('sessions').values({ id_hash: idHash, user_id: userId, created_at: now, expires_at: expiresAt }).execute();
  }

  /** The user behind a live session and when they signed in (the session's start), in one query. */
  async bySession(idHash: string, now: number): Promise<{ user: User; signedInAt: number } | undefined> {
    const row = await liveSession(this.db, idHash, now);
    if (!row) return undefined;
    const { signed_in_at, ...user } = row;
    return { user, signedInAt: signed_in_at };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }
}
