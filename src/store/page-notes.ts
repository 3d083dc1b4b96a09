// One-time page notes (flash messages, a secret to show once): written by an action, taken by the next page.
import type { Db } from './db.ts';
import type { PageNoteTable } from './schema.ts';

export class PageNoteStore {
  constructor(private readonly db: Db) {}

  async create(row: PageNoteTable): Promise<void> {
    await this.db.insertInto('page_notes').values(row).execute();
  }

  /** Deletes a live note and returns its sealed body: one reader gets it, even when two race; expired ones wait for the sweep. */
  async take(idHash: string, now: number): Promise<string | undefined> {
    const row = await this.db.deleteFrom('page_notes').where('id_hash', '=', idHash).where('expires_at', '>', now).returning('sealed').executeTakeFirst();
    return row?.sealed;
  }
}
