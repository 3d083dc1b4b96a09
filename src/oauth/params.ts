// Limits of the protocol endpoints' text parameters, shared by every grant and client-auth field.
import { z } from 'zod';

export const param = (max: number) => z.string().max(max).optional();
/** Credentials get generous limits: a wrong one of any length is invalid_grant / invalid_client, not invalid_request. */
export const credential = param(16_384);
