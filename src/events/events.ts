// The event seam: services and protocol code emit typed security events here; consumers (the audit
// log, the metrics) subscribe. Emitters name what happened and who was involved; the request's IP and
// user agent are added here, from the request scope the HTTP layer opens, so no service has to carry them.
import { AsyncLocalStorage } from 'node:async_hooks';

/** What each event says beyond its parties. Never a secret, token, code or password: ids and names only. */
export interface EventDetails {
  'app.created': { name: string };
  'app.updated': { name: string };
  'app.deleted': Record<string, never>;
  'secret.created': { secretId: string };
  'secret.deleted': { secretId: string };
  'secret.first_used': { secretId: string };
  'consent.granted': { scopes: string[] };
  'consent.withdrawn': Record<string, never>;
  /** A spent refresh token came back after its grace window: the whole family (grant) was revoked. */
  'refresh.reused': { grantId: string };
  /** A used authorization code came back: the grant it was redeemed into (if any) was revoked. */
  'code.replayed': { grantId: string | null };
  'signin.failed': { reason: 'unknown_account' | 'wrong_password' };
  /** For the sign-in backoff (issue 11 item 4): an account-and-IP pair was slowed down for this long. */
  'signin.backoff': { retryAfterSeconds: number };
  'pat.created': { tokenId: string; name: string; scopes: string[] };
  /** Its secret was replaced (Teable's refresh): the old one stopped working. */
  'pat.refreshed': { tokenId: string };
  'pat.deleted': { tokenId: string };
  'registration.created': { name: string };
  'registration.updated': { name: string };
  'registration.deleted': Record<string, never>;
  /** Counted by the metrics, not audited: it happens on every token response. */
  'token.issued': { grantType: string };
}

export type EventType = keyof EventDetails;

/** Who and what an event involves; every field optional, since not every event has every party. */
export interface Parties {
  /** Who did it: a user id, or a client id when an app acted (at the token endpoint, registration). */
  actor?: string | null;
  /** The person the event is about (whose app, consent, token or account). */
  userId?: string | null;
  clientId?: string | null;
  /** The app's owner, when the emitter knows it (an app already deleted); otherwise the audit log looks it up. */
  ownerId?: string | null;
}

export type SteepEvent = { [T in EventType]: Parties & { type: T; details: EventDetails[T] } }[EventType];

/** Where a request came from; null outside a request (the CLI, the sweep). */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export type Emitted = SteepEvent & RequestMeta & { at: number };

export type Consumer = (event: Emitted) => void | Promise<void>;

const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };
const DONE = Promise.resolve();

export class EventSink {
  readonly #consumers: Consumer[] = [];
  readonly #scope = new AsyncLocalStorage<RequestMeta>();

  constructor(private readonly now: () => number) {}

  subscribe(consumer: Consumer): void {
    this.#consumers.push(consumer);
  }

  /** Runs `next` (and everything it awaits) as part of the request described by `meta`. */
  within(meta: RequestMeta, next: () => void): void {
    this.#scope.run(meta, next);
  }

  /**
   * Hands the event to every consumer and resolves once they are done with it. The audit log writes
   * its row before resolving, so an emitter that awaits knows the record exists (a security event is
   * never silently lost; a database that cannot take it fails the request instead). Consumers that
   * only count (metrics) are synchronous, and an event none of them writes resolves at once.
   */
  emit(event: SteepEvent): Promise<void> {
    const emitted: Emitted = { ...event, ...(this.#scope.getStore() ?? NO_REQUEST), at: this.now() };
    let pending: Promise<void>[] | undefined;
    for (const consumer of this.#consumers) {
      const result = consumer(emitted);
      if (result) (pending ??= []).push(result);
    }
    return pending ? Promise.all(pending).then(() => undefined) : DONE;
  }
}
