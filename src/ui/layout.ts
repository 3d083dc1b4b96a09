// The page frame every screen shares: head, top navigation with the account, and the main column.
import type { FastifyReply } from 'fastify';
import type { Steep } from '../context.ts';
import type { User } from '../store/users.ts';
import { type SessionActor, csrfToken } from './guard.ts';
import { type Html, html } from './html.ts';

export interface PageOptions {
  title: string;
  /** The signed-in person; shows the settings navigation and the sign-out button. */
  user?: User;
  /** The CSRF token for the sign-out form in the header (signed-in pages only). */
  csrf?: string;
  /** Which navigation entry is the current page. */
  current?: 'apps' | 'authorized' | 'tokens' | 'activity';
  wide?: boolean;
}

const NAV = [
  ['apps', '/settings/apps', 'Your apps'],
  ['authorized', '/settings/authorized', 'Authorized apps'],
  ['tokens', '/settings/tokens', 'Access tokens'],
  ['activity', '/settings/activity', 'Activity'],
] as const;

function header(options: PageOptions): Html {
  if (!options.user) return html`<header class="top"><a class="brand" href="/">Steep</a></header>`;
  return html`<header class="top">
  <a class="brand" href="/">Steep</a>
  <nav aria-label="Settings"><ul>${NAV.map(
    ([key, href, label]) => html`<li><a href="${href}"${key === options.current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>
  <form class="account" method="post" action="/auth/signout">
    <span class="who">${options.user.name}</span>
    <input type="hidden" name="csrf" value="${options.csrf ?? ''}">
    <button type="submit" class="link">Sign out</button>
  </form>
</header>`;
}

export function page(options: PageOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Steep</title>
<link rel="stylesheet" href="/static/steep.css">
<script src="/static/steep.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header(options)}
<main id="main"${options.wide ? html` class="wide"` : ''}>
${body}
</main>
</body>
</html>`;
}

/** The frame of every signed-in settings page. */
export function settingsPage(steep: Steep, actor: SessionActor, title: string, current: PageOptions['current'], body: Html): Html {
  return page({ title, user: actor.user, csrf: csrfToken(steep, actor), current, wide: true }, body);
}

/**
 * Sends a page. Pages are never cached: some show a secret exactly once, and all are per-person.
 */
export function sendPage(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
}
