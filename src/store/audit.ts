// The audit log's rows: appended, listed newest first, never updated (the sweep deletes them by age).
import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import type { Db } from './db.ts';
import type { AuditEventTable, Database } from './schema.ts';

export type AuditRow = Selectable<AuditEventTable>;

export interface AuditQuery {
  /** Events that involve this user: as actor, as the person concerned, or as the app's owner. */
  userId?: string;
  clientId?: string;
  /** Epoch ms; events at or after it. */
  since?: number;
  /** Only events older than this id (the cursor of the previous page). */
  before?: number;
  limit: number;
}

const involves = (userId: string) => (eb: ExpressionBuilder<Database, 'audit_events'>) =>
  eb.or([eb('user_id', '=', userId), eb('owner_id', '=', userId), eb('actor', '=', userId)]);

export class AuditStore {
  constructor(private readonly db: Db) {}

  /** Appends a row; without an owner, the app's current owner (if the app exists) is recorded. */
  async append(row: Omit<Insertable<AuditEventTable>, 'id'>): Promise<void> {
    const { owner_id, client_id } = row;
    await this.db
      .insertInto('audit_events')
      .values((eb) => ({
        ...row,
        owner_id: owner_id ?? (client_id ? eb.selectFrom('apps').select('user_id').where('client_id', '=', client_id) : null),
      }))
      .execute();
  }

  list(query: AuditQuery): Promise<AuditRow[]> {
    let select = this.db.selectFrom('audit_events').selectAll();
    if (query.userId !== undefined) select = select.where(involves(query.userId));
    if (query.clientId !== undefined) select = select.where('client_id', '=', query.clientId);
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    return select.orderBy('id', 'desc').limit(query.limit).execute();
  }
}
