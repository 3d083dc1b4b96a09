// Form plumbing shared by every page: reading urlencoded bodies, field rendering with errors, and safe return paths.
import type { z } from 'zod';
import type { FieldProblem } from '../domain/errors.ts';
import { type Html, html } from './html.ts';

/** A urlencoded body as parsed by @fastify/formbody: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

export function asForm(body: unknown): FormBody {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

/** One text value; a repeated name (a tampered form) keeps the first; anything not text (a JSON post) is ''. */
export function formString(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Every text value of a repeated name (checkboxes, several callback URLs). */
export function formList(body: FormBody, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/** Field errors by dotted path ("name", "redirectUris.1"): the first problem per field wins. */
export type FieldErrors = Map<string, string>;

export function fieldErrors(problems: readonly FieldProblem[]): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const { path, message } of problems) if (!errors.has(path)) errors.set(path, message);
  return errors;
}

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * The problem for a field, or for any of its parts when `deep` (scopes.3 belongs to the scopes group).
 */
export function errorFor(errors: FieldErrors, path: string, deep = false): string | undefined {
  if (errors.has(path)) return errors.get(path);
  if (deep) for (const [key, message] of errors) if (key.startsWith(path + '.')) return message;
  return undefined;
}

interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'date';
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** Distinguishes several inputs with one name (callback URLs). */
  id?: string;
  maxlength?: number;
  multiline?: boolean;
  min?: string;
}

/** A labelled input; its error sits right under it and is announced with the field (aria-describedby). */
export function field(o: FieldOptions): Html {
  const id = o.id ?? `f-${o.name}`;
  const described = [o.hint && `${id}-hint`, o.error && `${id}-error`].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${o.name}"${o.required ? html` required` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${
    described ? html` aria-describedby="${described}"` : ''
  }${o.error ? html` aria-invalid="true"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}`;
  const control = o.multiline
    ? html`<textarea ${common} rows="3">${o.value ?? ''}</textarea>`
    : html`<input ${common} type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.min ? html` min="${o.min}"` : ''}>`;
  return html`<div class="field${o.error ? ' invalid' : ''}">
  <label for="${id}">${o.label}${o.required ? '' : html` <span class="optional">(optional)</span>`}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${control}
  ${fieldError(`${id}-error`, o.error, o.label)}
</div>`;
}

/** Validation messages are predicates ("must be an http or https URL"): the field's label makes them a sentence. */
export function fieldError(id: string, message: string | undefined, label: string): Html {
  if (!message) return html``;
  const sentence = /^[a-z]/.test(message) ? `${label} ${message}` : message;
  return html`<p class="error" id="${id}">${sentence.replace(/\.?$/, '.')}</p>`;
}

/** A whole-form problem, announced at once. */
export function formAlert(message: string | undefined): Html {
  return message ? html`<div class="alert" role="alert">${message}</div>` : html``;
}

export const csrfInput = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}">`;

/**
 * A place to return to after signing in: a path on this server, never another origin. Refuses
 * "//evil.example" (scheme-relative), "/\evil.example" (browsers read "\" as "/"), absolute URLs,
 * and anything with control characters. Returns `fallback` for everything else.
 */
export function safeReturnPath(value: unknown, fallback = '/settings/apps'): string {
  // 12 KiB: an authorize request may carry a 2 KiB state and a 2 KiB redirect_uri, percent-encoded.
  if (typeof value !== 'string' || value.length > 12_288) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\x00-\x20\x7f]/.test(value)) return fallback;
  const base = 'http://steep.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  // Check what is returned, not only what came in: dot segments ("/.//evil.example") collapse into "//evil.example".
  const path = url.pathname + url.search;
  return url.origin === base && !path.startsWith('//') && !path.includes('\\') ? path : fallback;
}
