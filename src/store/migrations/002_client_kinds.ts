// Client kinds and grants (API.md Part 2): an app's type and allowed grants, with defaults that keep
// every existing app as it was; grants and tokens whose subject is the app itself (client_credentials)
// have no user.
import { sql, type Kysely } from 'kysely';
import { dropNotNull } from './alter.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('client_type', 'text', (c) => c.notNull().defaultTo('confidential')).execute();
  await db.schema
    .alterTable('apps')
    .addColumn('grant_types', 'text', (c) => c.notNull().defaultTo(sql.lit('["authorization_code","refresh_token"]')))
    .execute();
  await dropNotNull(db, [
    { table: 'grants', column: 'user_id' },
    { table: 'tokens', column: 'user_id' },
  ]);
}
