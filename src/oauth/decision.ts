// The user's decision on the consent page. Exported for the page itself (src/ui) and the JSON API.
import type { Steep } from '../context.ts';
import { AppError, badRequest } from '../domain/errors.ts';
import { hasPrefix } from '../domain/secrets.ts';
import type { AppRow } from '../store/apps.ts';
import { fromJson } from '../store/json.ts';
import type { TransactionRow } from '../store/transactions.ts';
import { isRegisteredRedirectUri } from '../domain/redirect-uri.ts';
import { type AuthorizationRequest, fromColumns } from './authorization-request.ts';
import type { Signer } from './authorize.ts';
import { issueCode } from './codes.ts';
import { rememberConsent } from './consent.ts';
import { authorizationResponse } from './redirect.ts';

/** A request waiting on the consent page; its `scopes` are the ones it asks for (not all of the app's). */
export type PendingAuthorization = AuthorizationRequest & { transactionId: string; app: AppRow };

/** The answer for unknown, expired and used transactions; the consent page recognises it. */
export const UNKNOWN = 'transaction_id: this authorization request is unknown, expired or already decided; start again from the app.';

/**
 * The transaction behind an id; an unknown, expired or foreign one counts against the person
 * (decisionUser: transaction ids are not for guessing), who past the limit is refused before any lookup.
 */
async function loadRow(steep: Steep, userId: string, transactionId: string): Promise<{ row: TransactionRow; app: AppRow }> {
  steep.limits.refuseKnown('decisionUser', userId);
  try {
    return await findRow(steep, userId, transactionId);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) await steep.limits.hit(['decisionUser', userId]);
    throw error;
  }
}

async function findRow(steep: Steep, userId: string, transactionId: string): Promise<{ row: TransactionRow; app: AppRow }> {
  const row = hasPrefix(transactionId, 'transaction') ? await steep.transactions.byHash(steep.hasher.hash(transactionId)) : undefined;
  if (!row || row.expires_at <= steep.clock.now()) throw badRequest(UNKNOWN);
  // Teable's message, kept for its clients; the transaction is not revealed further.
  if (row.user_id !== userId) throw badRequest('Invalid user');
  const app = await steep.apps.byClientId(row.client_id);
  if (!app) throw badRequest(UNKNOWN);
  return { row, app };
}

/** The pending request behind a transaction id, for the consent page. Throws 400 when unknown, expired or another user's. */
export async function loadTransaction(steep: Steep, userId: string, transactionId: string): Promise<PendingAuthorization> {
  const { row, app } = await loadRow(steep, userId, transactionId);
  return { ...fromColumns(row, row.state), transactionId, app };
}

/** Allows or denies the request (once) for the signed-in `signer`; returns the URL to send the browser to: the client's redirect URI. */
export async function decide(steep: Steep, signer: Signer, transactionId: string, allow: boolean): Promise<string> {
  const userId = signer.userId;
  const { row, app } = await loadRow(steep, userId, transactionId);
  // The owner may have removed the URI (say, a compromised one) while the consent page was open.
  if (!isRegisteredRedirectUri(fromJson(app.redirect_uris), row.redirect_uri)) {
    throw badRequest('redirect_uri: the app no longer lists this redirect URI; start again from the app.');
  }
  if (!(await steep.transactions.consume(row.id_hash, userId, steep.clock.now()))) throw badRequest(UNKNOWN);
  if (!allow) {
    return authorizationResponse(steep, row.redirect_uri, { error: 'access_denied', error_description: 'The user denied the request.' }, row.state);
  }
  const request = fromColumns(row, row.state);
  await rememberConsent(steep, userId, request.clientId, request.scopes);
  return authorizationResponse(steep, request.redirectUri, { code: await issueCode(steep, userId, signer.signedInAt, request) }, request.state);
}
