// fast-check arbitraries for hostile HTTP requests to one of the app's routes: random JSON of every
// type (prototype-polluting and repeated keys, deep nesting, huge strings), forms with repeated and
// mis-encoded fields, invalid UTF-8, odd content types and methods, and garbage credentials.
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';
import type { RouteEntry } from './routes.ts';
import type { FuzzFixtures } from './fuzz-fixtures.ts';

const LIMIT = 64 * 1024;
const POLLUTING = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];
const PERCENT_MISTAKES = ['%', '%2', '%zz', '%ff', '%c0%af', '%e2%82', '%ed%a0%80', '%00', '%%', '%u2028', '+', '%2B%2b'];
const ODD_METHODS = ['HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'FOO', 'GET', 'POST', 'PUT', 'DELETE'];
const CONTENT_TYPES = [
  'application/json', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'application/json; charset=latin1',
  'APPLICATION/JSON', 'application/vnd.api+json', 'application/x-www-form-urlencoded; charset=iso-8859-1', 'text/plain',
  'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', '', ';;;', 'application/json;', 'json', '*/*',
];

export interface Vocabulary {
  fixtures: FuzzFixtures;
  /** Body and query field names the API documents, plus the ones pages and protocol endpoints read. */
  fields: string[];
  /** The server's own origin, so that page forms pass the same-origin check now and then. */
  origin: string;
}

/** A string to put where an identifier, credential or value goes: a real one, or something hostile. */
function valueString(vocabulary: Vocabulary, longest = 60_000): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...vocabulary.fixtures.values) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(...PERCENT_MISTAKES, ...POLLUTING, '', ' ', '\u0000', '\ud800', 'null', 'true', '0', '-1', '1e400') },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: longest }).map((n) => 'x'.repeat(n)) },
  );
}

/** JSON text, written by hand so that keys may repeat and may be __proto__ (JSON.stringify can do neither). */
function jsonText(vocabulary: Vocabulary): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...vocabulary.fields), fc.constantFrom(...POLLUTING), fc.string({ unit: 'binary', maxLength: 12 }));
  const scalar = fc.oneof(
    valueString(vocabulary).map((s) => JSON.stringify(s)),
    fc.constantFrom('null', 'true', 'false', '0', '-0', '1e400', '-1e400', '123456789012345678901234567890', '0.1', '"\\ud800"', '"\\udfff x"', '"\\u0000"'),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  );
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  }));
  return value;
}

/** An object of the route's likely fields (real values often), so validation passes and the handler runs. */
function structured(vocabulary: Vocabulary, longest?: number): fc.Arbitrary<[string, string | string[]][]> {
  const field = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...vocabulary.fields) }, { weight: 1, arbitrary: fc.constantFrom(...POLLUTING) });
  const value = fc.oneof({ weight: 4, arbitrary: valueString(vocabulary, longest) }, { weight: 1, arbitrary: fc.array(valueString(vocabulary, longest), { maxLength: 3 }) });
  return fc.array(fc.tuple(field, value), { maxLength: 8 });
}

/** `a=b&a=c`: repeated keys, and now and then a raw percent mistake or latin-1 byte instead of an encoded value. */
function formText(entries: [string, string | string[]][], mistakes: string[]): string {
  const parts = entries.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${encodeURIComponent(k)}=${encodeURIComponent(item.replace(/[\ud800-\udfff]/g, ''))}`));
  return [...parts, ...mistakes].join('&');
}

function body(vocabulary: Vocabulary): fc.Arbitrary<Buffer | undefined> {
  const mistakes = fc.array(fc.constantFrom(...PERCENT_MISTAKES.map((m) => `x=${m}`), 'a=%ff%fe', '=', '&&', 'a', 'a==b', '\xff=\xfe'), { maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: jsonText(vocabulary).map((text) => Buffer.from(text)) },
    { weight: 4, arbitrary: structured(vocabulary).map((entries) => Buffer.from(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`)) },
    { weight: 4, arbitrary: fc.tuple(structured(vocabulary), mistakes).map(([entries, extra]) => Buffer.from(formText(entries, extra), 'latin1')) },
    // Nesting far past the 32-level bound, still under the size limit.
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([n, array]) => Buffer.from(array ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(Math.min(n, 10_000)) + '1' + '}'.repeat(Math.min(n, 10_000)))) },
    // A huge string inside the limit, and a body just over it.
    { weight: 1, arbitrary: fc.constantFrom(LIMIT - 200, LIMIT + 10).map((n) => Buffer.from(`{"name":"${'é'.repeat(Math.floor(n / 2) - 8)}"}`)) },
    // Bytes that are not UTF-8 at all, or almost JSON with an invalid sequence inside a string.
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constantFrom('\xff\xfe', '\xc0\xaf', '\xed\xa0\x80', '\xf8\x88\x80\x80\x80').map((bad) => Buffer.concat([Buffer.from('{"email":"a'), Buffer.from(bad, 'latin1'), Buffer.from('@b.example","name":"x"}')])) },
  );
}

function pathSegment(vocabulary: Vocabulary, param: string): fc.Arbitrary<string> {
  const real = vocabulary.fixtures.ids[param] ?? [];
  return fc.oneof(
    { weight: real.length ? 4 : 0, arbitrary: real.length ? fc.constantFrom(...real) : fc.constant('x') },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-.~'), maxLength: 30 }) },
    { weight: 2, arbitrary: fc.constantFrom(...PERCENT_MISTAKES, '..', '.', 'stp_cs_x', 'stp_tx_x', '\xff\xfe', '%2e%2e', 'a%2Fb') },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 8000 }).map((n) => 'a'.repeat(n)) },
  );
}

function query(vocabulary: Vocabulary): fc.Arbitrary<string> {
  // Mostly short: a URL over 16 KiB is refused before any route sees it (one in a while is enough).
  const encoded = structured(vocabulary, 3000).map((entries) => formText(entries, []));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: fc.tuple(encoded, fc.array(fc.constantFrom(...PERCENT_MISTAKES.map((m) => `q=${m}`), 'a=\xff', 'response_type=code&response_type=token', '?'), { maxLength: 2 })).map(([q, extra]) => '?' + [q, ...extra].filter(Boolean).join('&')) },
  );
}

function authorization(vocabulary: Vocabulary): fc.Arbitrary<string | undefined> {
  const { fixtures } = vocabulary;
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(`Bearer ${fixtures.pat}`, `Bearer ${fixtures.accessToken}`, `Basic ${fixtures.basic}`, 'Bearer', 'Bearer ', 'Basic', 'Basic !!!!', 'Basic ====', 'Basic Og==', 'Basic YTo=', 'Basic OmI=', 'Digest x', 'bearer stp_pat_x', 'Bearer stp_at_x stp_at_y'),
    valueString(vocabulary).map((s) => `Bearer ${s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')}`),
    fc.string({ maxLength: 60 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '')}`),
  );
}

function cookie(vocabulary: Vocabulary): fc.Arbitrary<string | undefined> {
  const { fixtures } = vocabulary;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.constantFrom(fixtures.sessionCookie, fixtures.preSessionCookie, `${fixtures.sessionCookie}; ${fixtures.preSessionCookie}`) },
    { weight: 1, arbitrary: fc.constantFrom('steep_session=', 'steep_session=x; steep_session=y', '=;=;', 'steep_session=%ff', 'steep_session="unterminated', '\xff=\xfe') },
    // Large, near and past the 16 KiB header limit.
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 17_000 }).map((n) => `steep_session=${'a'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constant(`steep_session=x; ${'junk=y; '.repeat(1500)}`) },
  );
}

/** One request to one of `routes`, with its `:param`s filled in. */
export function fuzzRequest(routes: RouteEntry[], vocabulary: Vocabulary): fc.Arbitrary<RawRequest> {
  return fc.constantFrom(...routes).chain((route) => {
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    return fc.record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...route.methods) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) }),
      segments: fc.tuple(...params.map((p) => pathSegment(vocabulary, p))),
      tail: fc.constantFrom('', '', '', '', '/', '//', '/x', '%2F'),
      query: query(vocabulary),
      body: body(vocabulary),
      // Usually the type that fits the body, so that it is parsed and reaches the handler; often any other.
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('fitting') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(null) }),
      authorization: authorization(vocabulary),
      cookie: cookie(vocabulary),
      accept: fc.constantFrom(undefined, 'text/html', 'application/json', '*/*', 'text/html,application/xhtml+xml;q=0.9', '\xff'),
      origin: fc.constantFrom(undefined, vocabulary.origin, 'https://evil.example', 'null'),
      forwarded: fc.constantFrom(undefined, '1.2.3.4', 'garbage, ,', '::1, 999.1.1.1'),
    }).map((r) => {
      let i = 0;
      const path = route.path.replace(/:(\w+)/g, () => r.segments[i++]) + r.tail + r.query;
      const headers: Record<string, string> = {};
      if (r.contentType === 'fitting') {
        if (r.body) headers['content-type'] = /^[[{"]/.test(r.body.toString('latin1', 0, 1)) ? 'application/json' : 'application/x-www-form-urlencoded';
      } else if (r.contentType !== null) headers['content-type'] = r.contentType;
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.cookie !== undefined) headers.cookie = r.cookie;
      if (r.accept !== undefined) headers.accept = r.accept;
      if (r.origin !== undefined) headers.origin = r.origin;
      if (r.forwarded !== undefined) headers['x-forwarded-for'] = r.forwarded;
      return { method: r.method, path, headers, body: r.body };
    });
  });
}
