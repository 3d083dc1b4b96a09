// The person's side of the device flow (RFC 8628 section 3.3): the code they type at /device names a
// pending request, which they then allow or deny. A user code has only about 35 bits, so wrong codes
// are limited per person and per IP (section 5.1); a real code, even a spent one, is no guess and
// does not count.
import type { Steep } from '../context.ts';
import { AttemptLimiter } from '../domain/rate-limit.ts';
import { normalizeUserCode } from '../domain/user-code.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';
import type { Signer } from './authorize.ts';
import { rememberConsent } from './consent.ts';

const WINDOW_MS = 15 * 60_000;

/** A pending request, as the consent screen shows it. */
export interface DeviceRequest {
  app: AppRow;
  scopes: string[];
  resource: string | null;
  /** The code in its stored form (BCDFGHJK), for the Allow and Deny form to send back. */
  userCode: string;
}

/** Why a typed code leads nowhere. */
export type DeviceRefusal =
  /** Cannot be a user code (wrong length or letters); not counted. */
  | { kind: 'malformed' }
  /** Well-formed but no request has it; counted. */
  | { kind: 'unknown' }
  /** Expired, or already allowed or denied. */
  | { kind: 'unavailable' }
  | { kind: 'limited'; retryAfter: number };

export class DeviceVerification {
  readonly #byUser: AttemptLimiter;
  readonly #byIp: AttemptLimiter;

  constructor(private readonly steep: Steep) {
    this.#byUser = new AttemptLimiter(steep.clock, 10, WINDOW_MS);
    this.#byIp = new AttemptLimiter(steep.clock, 30, WINDOW_MS);
  }

  /** The pending request behind a typed code. */
  async find(userId: string, ip: string, typed: string): Promise<{ kind: 'found'; request: DeviceRequest } | DeviceRefusal> {
    const userCode = normalizeUserCode(typed);
    if (!userCode) return { kind: 'malformed' };
    // Counted before the lookup, so a burst of parallel guesses cannot outrun the limit.
    const wait = this.#take(userId, ip);
    if (wait) {
      this.steep.metrics.rateLimited('device_user_code');
      return { kind: 'limited', retryAfter: wait };
    }
    const row = await this.steep.deviceCodes.byUserCode(this.steep.hasher.hash(userCode));
    const app = row && (await this.steep.apps.byClientId(row.client_id));
    if (!row || !app) return { kind: 'unknown' };
    this.#byUser.refund(userId);
    this.#byIp.refund(ip);
    if (row.status !== 'pending' || row.expires_at <= this.steep.clock.now()) return { kind: 'unavailable' };
    return { kind: 'found', request: { app, scopes: fromJson(row.scopes), resource: row.resource, userCode } };
  }

  /** Allows or denies the request behind the code, once; an allowed app is remembered like any consent. */
  async decide(signer: Signer, ip: string, typed: string, allow: boolean): Promise<{ kind: 'decided'; request: DeviceRequest } | DeviceRefusal> {
    const { userId } = signer;
    const found = await this.find(userId, ip, typed);
    if (found.kind !== 'found') return found;
    const { request } = found;
    const won = await this.steep.deviceCodes.decide(this.steep.hasher.hash(request.userCode), userId, signer.signedInAt, allow, this.steep.clock.now());
    if (!won) return { kind: 'unavailable' };
    if (allow) await rememberConsent(this.steep, userId, request.app.client_id, request.scopes);
    return { kind: 'decided', request };
  }

  /** Seconds to wait, or 0 after counting the attempt for both the person and the IP. */
  #take(userId: string, ip: string): number {
    const waitUser = this.#byUser.take(userId);
    const waitIp = waitUser ? 0 : this.#byIp.take(ip);
    if (waitIp) this.#byUser.refund(userId);
    return Math.max(waitUser, waitIp);
  }
}
