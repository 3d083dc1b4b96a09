// The page frame every screen shares: head, top navigation with the account menu, the one-time
// note of the last action, and the main column.
import type { FastifyReply } from 'fastify';
import type { Steep } from '../context.ts';
import type { User } from '../store/users.ts';
import { copyable } from './components.ts';
import { type SessionActor, csrfToken } from './guard.ts';
import { type Html, html } from './html.ts';
import type { PageNote } from './notes.ts';

export interface PageOptions {
  title: string;
  /** The signed-in person; shows the settings navigation and the account menu. */
  user?: User;
  /** The CSRF token for the sign-out form in the header (signed-in pages only). */
  csrf?: string;
  /** Which navigation entry is the current page. */
  current?: 'apps' | 'authorized' | 'tokens' | 'activity';
  wide?: boolean;
  /** The message after the last action, and a secret it made, shown on this page only. */
  note?: PageNote;
}

/** Each entry has a short label too: at a phone's width the whole bar stays on one row. */
const NAV = [
  ['apps', '/settings/apps', 'Your apps', 'Apps'],
  ['authorized', '/settings/authorized', 'Authorized apps', 'Authorized'],
  ['tokens', '/settings/tokens', 'Access tokens', 'Tokens'],
] as const;

const BRAND = html`<a class="brand" href="/"><img src="/static/favicon.svg" alt="" width="24" height="24"><span class="brand-name">Steep</span></a>`;

/** The account menu is a <details>: it opens and closes without JavaScript. The activity log lives here: the bar must fit a phone's width. */
function accountMenu(user: User, csrf: string): Html {
  return html`<details class="account">
    <summary><span class="avatar" aria-hidden="true">${user.name.charAt(0).toUpperCase()}</span><span class="visually-hidden">Account menu for ${user.name}</span></summary>
    <div class="menu">
      <p>Signed in as <strong>${user.name}</strong><br><span class="muted small">${user.email}</span></p>
      <p><a href="/settings/activity">Security activity</a></p>
      <form method="post" action="/auth/signout"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="secondary small">Sign out</button></form>
    </div>
  </details>`;
}

function header(options: PageOptions): Html {
  if (!options.user) return html`<header class="top">${BRAND}</header>`;
  return html`<header class="top">
  ${BRAND}
  <nav aria-label="Settings"><ul>${NAV.map(
    ([key, href, label, short]) => html`<li><a href="${href}"${key === options.current ? html` aria-current="page"` : ''}><span class="long">${label}</span><span class="short">${short}</span></a></li>`,
  )}</ul></nav>
  ${accountMenu(options.user, options.csrf ?? '')}
</header>`;
}

/** The last action's message; a new secret comes with it, in a box to copy from. */
function flash(note: PageNote | undefined): Html {
  if (!note) return html``;
  if (!note.secret) return html`<div class="flash" role="status">${note.message}</div>`;
  return html`<div class="flash once" role="status"><p>${note.message}</p>
${copyable(note.secret.elementId, note.secret.value, note.secret.label)}</div>`;
}

export function page(options: PageOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${options.title} · Steep</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/steep.css">
<script src="/static/steep.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header(options)}
<main id="main"${options.wide ? html` class="wide"` : ''}>
${flash(options.note)}
${body}
</main>
</body>
</html>`;
}

/** The header of a signed-in person's page: their name, and the CSRF token of its sign-out form. */
export function signedInAs(steep: Steep, actor: SessionActor): Pick<PageOptions, 'user' | 'csrf'> {
  return { user: actor.user, csrf: csrfToken(steep, actor) };
}

/** The frame of every signed-in settings page. */
export function settingsPage(steep: Steep, actor: SessionActor, title: string, current: PageOptions['current'], body: Html, note?: PageNote): Html {
  return page({ title, ...signedInAs(steep, actor), current, wide: true, note }, body);
}

/**
 * Sends a page. Pages are never cached: some show a secret exactly once, and all are per-person.
 */
export function sendPage(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
}
