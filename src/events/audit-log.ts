// Consumer 1 of the event seam: every security event becomes one append-only audit_events row, and a
// person may read the rows that concern them or their apps.
import { toIso } from '../domain/clock.ts';
import type { AuditRow, AuditStore } from '../store/audit.ts';
import type { Consumer, EventType } from './events.ts';

/** Events the metrics count but the log does not keep: they happen on every request of their kind. */
const UNAUDITED: ReadonlySet<EventType> = new Set(['token.issued']);

export function auditConsumer(store: AuditStore): Consumer {
  return (event) => {
    if (UNAUDITED.has(event.type)) return;
    return store.append({
      at: event.at,
      type: event.type,
      actor: event.actor ?? null,
      user_id: event.userId ?? null,
      client_id: event.clientId ?? null,
      owner_id: event.ownerId ?? null,
      ip: event.ip,
      user_agent: event.userAgent,
      details: JSON.stringify(event.details),
    });
  };
}

export interface AuditView {
  id: string;
  type: string;
  time: string;
  actor?: string;
  userId?: string;
  clientId?: string;
  ip?: string;
  userAgent?: string;
  details: Record<string, unknown>;
}

/**
 * One row as `viewerId` may see it. An app's owner sees what happened to their app, but when the event
 * is another person's doing (a consent, a sign-in through it), not that person's id, address or browser.
 */
export function auditView(row: AuditRow, viewerId?: string): AuditView {
  const someoneElses = viewerId !== undefined && row.user_id !== null && row.user_id !== viewerId && row.actor !== viewerId;
  const actor = someoneElses && row.actor === row.user_id ? null : row.actor;
  return {
    id: String(row.id),
    type: row.type,
    time: toIso(row.at)!,
    ...(actor !== null && { actor }),
    ...(row.user_id !== null && !someoneElses && { userId: row.user_id }),
    ...(row.client_id !== null && { clientId: row.client_id }),
    ...(row.ip !== null && !someoneElses && { ip: row.ip }),
    ...(row.user_agent !== null && !someoneElses && { userAgent: row.user_agent }),
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export interface ActivityPage {
  events: AuditView[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** The events that concern `userId` (as actor, as the person concerned, or as the app's owner), newest first. */
export async function activityOf(store: AuditStore, userId: string, page: { cursor?: number; limit: number }): Promise<ActivityPage> {
  const rows = await store.list({ userId, before: page.cursor, limit: page.limit + 1 });
  const shown = rows.slice(0, page.limit);
  return {
    events: shown.map((row) => auditView(row, userId)),
    ...(rows.length > page.limit && { nextCursor: String(shown[shown.length - 1].id) }),
  };
}
