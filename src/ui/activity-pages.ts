// /settings/activity: the person's security events (the audit log's rows that concern them or their
// apps), newest first, a page at a time, as GET /api/audit gives them.
import type { FastifyInstance } from 'fastify';
import type { Steep } from '../context.ts';
import { badRequest } from '../domain/errors.ts';
import { type AuditView, activityOf } from '../events/audit-log.ts';
import type { EventType } from '../events/events.ts';
import { activityQuery } from '../schemas/audit.ts';
import { when } from './components.ts';
import { pageActor, requireSignIn } from './guard.ts';
import { type Html, html } from './html.ts';
import { sendPage, settingsPage } from './layout.ts';

const PAGE_SIZE = 50;

const WHAT: Record<Exclude<EventType, 'token.issued'>, string> = {
  'app.created': 'App registered',
  'app.updated': 'App changed',
  'app.deleted': 'App deleted',
  'secret.created': 'Client secret generated',
  'secret.deleted': 'Client secret deleted',
  'secret.first_used': 'Client secret used for the first time',
  'consent.granted': 'Access granted to an app',
  'consent.withdrawn': 'Access withdrawn from an app',
  'refresh.reused': 'A used refresh token came back: that authorization was revoked',
  'code.replayed': 'A used authorization code came back: what it issued was revoked',
  'signin.failed': 'Failed sign-in to your account',
  'signin.backoff': 'Sign-ins to your account slowed down after failures',
  'pat.created': 'Personal access token created',
  'pat.refreshed': 'Personal access token replaced by a new one',
  'pat.deleted': 'Personal access token deleted',
  'registration.created': 'App registered itself',
  'registration.updated': 'Self-registered app changed',
  'registration.deleted': 'Self-registered app deleted',
};

function what(event: AuditView): Html {
  const label = WHAT[event.type as keyof typeof WHAT] ?? event.type;
  const name = typeof event.details.name === 'string' ? event.details.name : undefined;
  return html`${label}${name ? html`: “${name}”` : ''}`;
}

function from(event: AuditView): Html {
  if (!event.ip && !event.userAgent) return html`<span class="muted">not shown</span>`;
  return html`${event.ip ?? ''}${event.userAgent ? html`<br><span class="muted small">${event.userAgent}</span>` : ''}`;
}

export function activityPages(app: FastifyInstance, steep: Steep): void {
  app.get('/settings/activity', requireSignIn(steep), async (request, reply) => {
    const actor = pageActor(request);
    const query = activityQuery.safeParse(request.query);
    if (!query.success) throw badRequest('This page of your activity does not exist; start again from the newest events.');
    const { events, nextCursor } = await activityOf(steep.audit, actor.user.id, { cursor: query.data.cursor, limit: PAGE_SIZE });
    return sendPage(reply, settingsPage(steep, actor, 'Activity', 'activity', html`<h1>Activity</h1>
<p>Security events of your account and your apps, newest first: sign-in failures, tokens and secrets made or
deleted, access granted or withdrawn. Events are kept for ${steep.config.auditRetentionDays} days.</p>
${events.length
  ? html`<table class="stack"><caption class="visually-hidden">Your security events</caption>
<thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">App</th><th scope="col">From</th></tr></thead>
<tbody>${events.map(
      (event) => html`<tr><td data-label="When">${when(event.time)}</td><td data-label="What">${what(event)}</td>
<td data-label="App">${event.clientId ? html`<code>${event.clientId}</code>` : html`<span class="muted">none</span>`}</td><td data-label="From">${from(event)}</td></tr>`,
    )}</tbody></table>
${nextCursor ? html`<p><a href="/settings/activity?cursor=${nextCursor}">Older events</a></p>` : ''}`
  : html`<p class="empty">${query.data.cursor ? 'There are no older events.' : 'Nothing has happened yet.'}</p>`}`));
  });
}
