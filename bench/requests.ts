// Request shapes autocannon repeats, including the ones that consume something per request.
import type { Request } from 'autocannon';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

export const getWithBearer = (path: string, token: string): Request[] => [{ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }];

export const postForm = (path: string, authorization: string, body: string): Request[] => [{ method: 'POST', path, headers: { ...form, authorization }, body }];

/**
 * Refresh with rotation. Every chain is a sequence of refresh tokens each used once: a request takes a
 * chain's latest token from `pool`, its 200 puts the rotated successor back. (autocannon clears a
 * connection's `context` every time its request list wraps around — lib/requestIterator.js — so the
 * chain cannot live in the context itself; with one request in flight per connection, the pool holds
 * exactly the chains not in flight.) A chain whose answer is lost — the run ending mid-request — is
 * simply dropped: the next run gets freshly seeded chains.
 */
export function refreshChains(path: string, basic: string, pool: string[]): Request[] {
  return [
    {
      method: 'POST',
      path,
      headers: { ...form, authorization: basic },
      setupRequest: (request) => ({ ...request, body: `grant_type=refresh_token&refresh_token=${pool.pop() ?? 'stp_rt_pool-exhausted'}` }),
      onResponse: (status, body) => {
        if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
      },
    },
  ];
}

/** Code exchange: each request spends the next seeded code (a 400 once they run out, visible as non-2xx). */
export function codeExchanges(path: string, basic: string, codes: string[]): Request[] {
  let next = 0;
  return [
    {
      method: 'POST',
      path,
      headers: { ...form, authorization: basic },
      setupRequest: (request) => ({ ...request, body: `grant_type=authorization_code&code=${codes[next++] ?? 'stp_ac_codes-exhausted'}` }),
    },
  ];
}

/** Requests cycling over a sample of tokens (the growth table presents tokens spread over the whole table). */
export function cycling(sample: { token: string; basic: string }[], build: (item: { token: string; basic: string }) => { path: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Request[] {
  let next = 0;
  return [
    {
      method: 'GET',
      path: '/',
      setupRequest: (request) => ({ ...request, ...build(sample[next++ % sample.length]) }),
    },
  ];
}
