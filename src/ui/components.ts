// Small pieces several pages show: scopes in words (with their sentences where people decide), scope checkboxes, app logos, times, copyable values.
import type { ScopeInfo } from '../domain/scopes.ts';
import { groupScopes, identityPhrases, isIdentityScope } from '../domain/scopes.ts';
import { type Html, html } from './html.ts';
import { fieldError } from './forms.ts';

/** A scope's sentence when it says more than its words ("Read records." for "read"); a custom scope without words has none. */
const about = (scope: ScopeInfo): string => (scope.description === scope.name || scope.description === scope.action ? '' : scope.description);

/**
 * "Records: read, create" per resource; `detailed` adds each scope's sentence under it, in the page,
 * for people deciding what to allow (never only in a tooltip).
 */
export function scopeSummary(list: ScopeInfo[], names: string[], detailed = false): Html {
  if (names.length === 0) return html`<p class="muted">No permissions.</p>`;
  return html`<ul class="scopes">${groupScopes(list, names).map((group) => {
    const sentences = detailed ? group.scopes.map(about).filter(Boolean).join(' ') : '';
    return html`<li><strong>${group.resource}:</strong> ${group.scopes.map((scope) => scope.action).join(', ')}${sentences ? html`<span class="scope-about">${sentences}</span>` : ''}</li>`;
  })}</ul>`;
}

/** What a consent grants, in words: the identity scopes' sentences first, then the resource scopes by resource with theirs. */
export function permissionSummary(list: ScopeInfo[], names: string[]): Html {
  const phrases = identityPhrases(names);
  const resourceScopes = names.filter((name) => !isIdentityScope(name));
  if (phrases.length === 0) return scopeSummary(list, resourceScopes, true);
  return html`<ul class="scopes identity">${phrases.map((phrase) => html`<li>${phrase}</li>`)}</ul>${resourceScopes.length ? scopeSummary(list, resourceScopes, true) : ''}`;
}

/** The whole scope list as checkboxes, one fieldset per resource. */
export function scopeCheckboxes(list: ScopeInfo[], selected: readonly string[], error: string | undefined, legend: string): Html {
  const chosen = new Set(selected);
  const groups = groupScopes(list, list.map((s) => s.name));
  return html`<fieldset class="scope-picker${error ? ' invalid' : ''}"${error ? html` aria-describedby="scopes-error"` : ''}>
  <legend>${legend}</legend>
  ${fieldError('scopes-error', error, 'Permissions')}
  <div class="scope-groups">${groups.map(
    (group) => html`<fieldset class="scope-group"><legend>${group.resource}</legend>${group.scopes.map((scope) => {
      // By position in the list: names like "files.read" and "files_read" must not share an id.
      const id = `scope-${list.indexOf(scope)}`;
      const sentence = about(scope);
      return html`<div class="check"><input type="checkbox" id="${id}" name="scopes" value="${scope.name}"${chosen.has(scope.name) ? html` checked` : ''}${
        sentence ? html` aria-describedby="${id}-about"` : ''
      }>
<div><label for="${id}">${scope.action}</label>${sentence ? html`<span class="scope-about" id="${id}-about">${sentence}</span>` : ''}</div></div>`;
    })}</fieldset>`,
  )}</div>
</fieldset>`;
}

/** An app's logo, only when it is an http(s) URL (a logo is any string; only a web image can be shown). */
export function appLogo(logo: string | undefined | null, name: string, size: 'small' | 'large' = 'small'): Html {
  if (!logo || !/^https?:\/\//i.test(logo) || !URL.canParse(logo)) return html`<span class="logo ${size} placeholder" aria-hidden="true">${name.charAt(0).toUpperCase()}</span>`;
  return html`<img class="logo ${size}" src="${logo}" alt="${name} logo" referrerpolicy="no-referrer">`;
}

/** A point in time for people: "2024-05-01 14:03 UTC", or a word when there is none. */
export function when(iso: string | undefined, none = 'never'): Html {
  if (!iso) return html`<span class="muted">${none}</span>`;
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** A value in a box with a copy button; the button appears only when the script runs (it needs the clipboard). */
export function copyable(id: string, value: string, label: string): Html {
  return html`<div class="copyable"><code id="${id}">${value}</code>
<button type="button" class="secondary copy" data-copy="${id}" hidden>Copy ${label}</button></div>`;
}
