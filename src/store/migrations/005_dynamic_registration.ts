// Dynamic client registration (RFC 7591/7592): an app that registered itself has no owner, holds the
// hash of its registration access token, and keeps the auth method it registered with.
import type { Kysely } from 'kysely';
import { dropNotNull } from './alter.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await dropNotNull(db, [{ table: 'apps', column: 'user_id' }]);
  await db.schema.alterTable('apps').addColumn('registration_token_hash', 'text').execute();
  await db.schema.alterTable('apps').addColumn('token_endpoint_auth_method', 'text').execute();
  // The sweep finds self-registered apps (no owner) by age through the existing apps_user (user_id, created_at) index.
}
