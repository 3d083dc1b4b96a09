// One-time notes for the next page a browser shows: the message after an action ("App deleted") and,
// right after one was made, a new client secret or token. The body is sealed; a row is read once.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('page_notes')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_notes_expiry').on('page_notes').column('expires_at').execute();
}
