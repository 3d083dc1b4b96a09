// OAuth apps and their client secrets. Every owner-facing query filters by user_id: another user's app does not exist.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { AppTable, ClientSecretTable } from './schema.ts';

export type AppRow = AppTable;
export type ClientSecretRow = ClientSecretTable;
export type AppFields = Pick<AppTable, 'name' | 'description' | 'homepage' | 'logo' | 'scopes' | 'redirect_uris' | 'client_type' | 'grant_types'>;

// Client authentication at the token, introspection and revocation endpoints: a hot path.
const appBySecret = prepared((db: Db, clientId: string, secretHash: string) =>
  db
    .selectFrom('client_secrets as s')
    .innerJoin('apps', 'apps.client_id', 's.client_id')
    .selectAll('apps')
    .select(['s.id as secret_id', 's.last_used_at as secret_last_used_at'])
    .where('s.secret_hash', '=', secretHash)
    .where('s.client_id', '=', clientId),
);
const appById = prepared((db: Db, clientId: string) => db.selectFrom('apps').selectAll().where('client_id', '=', clientId));

export class AppStore {
  constructor(private readonly db: Db) {}

  async create(app: AppRow): Promise<void> {
    await this.db.insertInto('apps').values(app).execute();
  }

  listByOwner(userId: string): Promise<AppRow[]> {
    return this.db.selectFrom('apps').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('client_id', 'desc').execute();
  }

  /** The app when `userId` owns it. */
  owned(userId: string, clientId: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('client_id', '=', clientId).where('user_id', '=', userId).executeTakeFirst();
  }

  /** Any app, for the protocol endpoints. */
  byClientId(clientId: string): Promise<AppRow | undefined> {
    return appById(this.db, clientId);
  }

  /** Replaces the app's fields; an app that becomes public loses its secrets (a public client has none). */
  async update(userId: string, clientId: string, fields: AppFields, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('apps')
        .set({ ...fields, updated_at: now })
        .where('client_id', '=', clientId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (fields.client_type === 'public') await trx.deleteFrom('client_secrets').where('client_id', '=', clientId).execute();
      return true;
    });
  }

  /** Deletes the app; its secrets, transactions, codes, grants, tokens and consents go with it (foreign-key cascade). */
  async delete(userId: string, clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('apps').where('client_id', '=', clientId).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** A self-registered app's metadata replaced (RFC 7592); only apps without an owner. */
  async updateRegistration(clientId: string, fields: Partial<AppFields> & Pick<AppRow, 'token_endpoint_auth_method'>, now: number): Promise<void> {
    await this.db.updateTable('apps').set({ ...fields, updated_at: now }).where('client_id', '=', clientId).where('user_id', 'is', null).execute();
  }

  async setRegistrationToken(clientId: string, tokenHash: string): Promise<void> {
    await this.db.updateTable('apps').set({ registration_token_hash: tokenHash }).where('client_id', '=', clientId).where('user_id', 'is', null).execute();
  }

  /** A self-registered app deleted by its registration (RFC 7592); cascades like delete(). */
  async deleteRegistration(clientId: string): Promise<void> {
    await this.db.deleteFrom('apps').where('client_id', '=', clientId).where('user_id', 'is', null).execute();
  }

  async addSecret(secret: ClientSecretRow): Promise<void> {
    await this.db.insertInto('client_secrets').values(secret).execute();
  }

  listSecrets(clientId: string): Promise<ClientSecretRow[]> {
    return this.db.selectFrom('client_secrets').selectAll().where('client_id', '=', clientId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }

  async countSecrets(clientId: string): Promise<number> {
    const row = await this.db.selectFrom('client_secrets').select((eb) => eb.fn.countAll<number>().as('n')).where('client_id', '=', clientId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deleteSecret(clientId: string, secretId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('client_secrets').where('client_id', '=', clientId).where('id', '=', secretId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The app and the id of its secret with this hash, in one indexed lookup: client authentication costs
   * one keyed hash and one query, never a loop over secrets.
   */
  async bySecretHash(clientId: string, secretHash: string): Promise<{ app: AppRow; secretId: string; lastUsedAt: number | null } | undefined> {
    const row = await appBySecret(this.db, clientId, secretHash);
    if (!row) return undefined;
    const { secret_id, secret_last_used_at, ...app } = row;
    return { app, secretId: secret_id, lastUsedAt: secret_last_used_at };
  }

  /**
   * The redirect URIs of public apps that mention `host` (a cheap LIKE prefilter; the caller decides
   * whether one really matches): which browser origins may call the token endpoint (CORS).
   */
  async publicRedirectUrisMentioning(host: string): Promise<string[]> {
    const pattern = `%${host.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('apps')
      .select('redirect_uris')
      .where('client_type', '=', 'public')
      .where(sql<boolean>`redirect_uris like ${pattern} escape '\\'`)
      .limit(1000)
      .execute();
    return rows.flatMap((row) => JSON.parse(row.redirect_uris) as string[]);
  }
}
