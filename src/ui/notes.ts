// One-time notes between an action and the page after it (POST → 303 → GET): the flash message
// ("App deleted.") and, right after one was made, a new client secret or token. The note is sealed
// in the database under a random id that only this browser's cookie holds; the next page takes it
// (deleting the row) and clears the cookie, so a reload, the back button or another process never
// shows it again, and a secret never travels in a URL or sits readable in the database.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Steep } from '../context.ts';
import { newId } from '../domain/ids.ts';
import { Sealer } from '../domain/seal.ts';

export interface PageNote {
  message: string;
  /** A credential shown for the first and only time, with the id of the element that holds it. */
  secret?: { elementId: string; label: string; value: string };
}

/** What is sealed: the note and whose it is (null: anyone in this browser, e.g. "You have signed out"). */
interface Sealed {
  userId: string | null;
  note: PageNote;
}

const COOKIE = 'steep_note';
/** Long enough for a slow redirect; a secret not shown by then is lost, and the person makes another. */
const LIFETIME_SECONDS = 300;
const MAX_ID = 100;

const sealer = (steep: Steep) => new Sealer(steep.config.secret, 'page-notes');

/** Leaves a note for this browser's next page; `userId` binds it to the person who acted. */
export async function leaveNote(steep: Steep, reply: FastifyReply, userId: string | null, note: PageNote): Promise<void> {
  const id = newId('', 32);
  const body: Sealed = { userId, note };
  await steep.pageNotes.create({ id_hash: steep.hasher.hash(id), sealed: sealer(steep).seal(JSON.stringify(body)), expires_at: steep.clock.now() + LIFETIME_SECONDS * 1000 });
  reply.setCookie(COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: steep.config.secureCookies, maxAge: LIFETIME_SECONDS });
}

/** Takes this browser's note, if it has one for `userId`: it is gone from the database and the cookie afterwards. */
export async function takeNote(steep: Steep, request: FastifyRequest, reply: FastifyReply, userId: string | null): Promise<PageNote | undefined> {
  const id = request.cookies[COOKIE];
  if (id === undefined) return undefined;
  reply.clearCookie(COOKIE, { path: '/' });
  if (id.length > MAX_ID) return undefined;
  const sealed = await steep.pageNotes.take(steep.hasher.hash(id), steep.clock.now());
  if (!sealed) return undefined;
  let body: Sealed;
  try {
    body = JSON.parse(sealer(steep).open(sealed)) as Sealed;
  } catch {
    // Sealed under another STEEP_SECRET (the key changed minutes ago): unreadable, so the page goes without it.
    return undefined;
  }
  // Another person signed in in this browser since: the note (and any secret in it) is not theirs.
  return body.userId === userId ? body.note : undefined;
}
