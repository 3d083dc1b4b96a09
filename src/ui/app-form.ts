// The create/edit form of an OAuth app. It validates with appBodySchema, the API's schema too, so a
// page and a curl call accept and refuse the same things. Callback URLs work without JavaScript:
// the form shows one input per URL, "Add another callback URL" and "Remove" are submit buttons
// that send the form back to be redrawn with one input more or less.
import type { Steep } from '../context.ts';
import { appBodySchema } from '../schemas/apps.ts';
import { DEFAULT_GRANT_TYPES, GRANT_TYPES } from '../oauth/grants/index.ts';
import type { AppInput, AppView } from '../services/apps.ts';
import type { ClientType } from '../store/schema.ts';
import { scopeCheckboxes } from './components.ts';
import { type FieldErrors, type FormBody, csrfInput, errorFor, field, fieldError, fieldErrors, formAlert, formList, formString, zodProblems } from './forms.ts';
import { type Html, html } from './html.ts';

/** What the form holds: strings as typed, so a refused form comes back exactly as sent. */
export interface AppDraft {
  name: string;
  homepage: string;
  description: string;
  logo: string;
  redirectUris: string[];
  scopes: string[];
  clientType: string;
  grantTypes: string[];
}

/** The client kinds in people's words (API.md Part 2). */
export const CLIENT_TYPE_LABELS: Record<ClientType, { label: string; hint: string }> = {
  confidential: { label: 'Confidential', hint: 'for apps with a server that can keep a client secret' },
  public: { label: 'Public', hint: 'for apps that cannot keep a secret: native and desktop apps, CLIs, single-page apps (PKCE, no secret)' },
};

/** The grants in people's words; a grant added to the registry without words shows its name. */
export const GRANT_LABELS: Record<string, string> = {
  authorization_code: 'Authorization code: people sign in and allow the app',
  refresh_token: 'Refresh tokens: stay connected without asking again',
  client_credentials: 'Client credentials: the app acts for itself, with no person (confidential apps only)',
  'urn:ietf:params:oauth:grant-type:device_code': 'Device code: TVs, terminals and other devices without a browser',
};

export const MAX_CALLBACKS = 20;

export const emptyDraft = (): AppDraft => ({
  name: '', homepage: '', description: '', logo: '', redirectUris: [''], scopes: [], clientType: 'confidential', grantTypes: [...DEFAULT_GRANT_TYPES],
});

export function draftOf(app: AppView): AppDraft {
  return {
    name: app.name, homepage: app.homepage, description: app.description ?? '', logo: app.logo ?? '', redirectUris: app.redirectUris, scopes: app.scopes ?? [],
    clientType: app.clientType, grantTypes: app.grantTypes,
  };
}

export function readDraft(body: FormBody): AppDraft {
  return {
    name: formString(body, 'name'),
    homepage: formString(body, 'homepage').trim(),
    description: formString(body, 'description'),
    logo: formString(body, 'logo').trim(),
    redirectUris: formList(body, 'redirectUris').slice(0, MAX_CALLBACKS + 1).map((uri) => uri.trim()),
    scopes: formList(body, 'scopes'),
    clientType: formString(body, 'clientType'),
    grantTypes: formList(body, 'grantTypes'),
  };
}

/** "Add another" or "Remove" was pressed: the redrawn draft; null when the form was submitted for real. */
export function editedDraft(body: FormBody, draft: AppDraft): AppDraft | null {
  if (formString(body, 'action') === 'add-callback') {
    return { ...draft, redirectUris: [...draft.redirectUris, ''].slice(0, MAX_CALLBACKS) };
  }
  const remove = /^remove-callback-(\d+)$/.exec(formString(body, 'action'));
  if (remove) {
    const left = draft.redirectUris.filter((_, i) => i !== Number(remove[1]));
    return { ...draft, redirectUris: left.length ? left : [''] };
  }
  return null;
}

/**
 * Validates a submitted draft. Blank callback inputs are dropped first (an unused "another" input is
 * not a mistake), and the draft keeps the same list so that error paths ("redirectUris.1") match inputs.
 */
export function validateDraft(steep: Steep, draft: AppDraft): { input: AppInput } | { draft: AppDraft; errors: FieldErrors } {
  const cleaned = { ...draft, redirectUris: draft.redirectUris.filter(Boolean) };
  const parsed = appBodySchema(steep.config).safeParse({
    name: cleaned.name,
    homepage: cleaned.homepage,
    description: cleaned.description || undefined,
    logo: cleaned.logo || undefined,
    redirectUris: cleaned.redirectUris,
    scopes: cleaned.scopes,
    clientType: cleaned.clientType,
    grantTypes: cleaned.grantTypes,
  });
  if (parsed.success) return { input: parsed.data };
  return { draft: { ...cleaned, redirectUris: cleaned.redirectUris.length ? cleaned.redirectUris : [''] }, errors: fieldErrors(zodProblems(parsed.error)) };
}

function callbackInputs(draft: AppDraft, errors: FieldErrors): Html {
  const listError = errors.get('redirectUris');
  const canRemove = draft.redirectUris.length > 1;
  return html`<fieldset class="callbacks${listError ? ' invalid' : ''}">
  <legend>Callback URLs</legend>
  <p class="hint">Where Steep may send people back after they decide. The first one is used when an app does not name one.</p>
  ${fieldError('callbacks-error', listError, 'Callback URLs')}
  ${draft.redirectUris.map((uri, i) => {
    const id = `f-redirectUris-${i}`;
    const error = errors.get(`redirectUris.${i}`);
    return html`<div class="field callback${error ? ' invalid' : ''}">
    <label for="${id}">Callback URL ${i + 1}</label>
    <div class="row">
      <input id="${id}" name="redirectUris" type="text" inputmode="url" value="${uri}" maxlength="2048"${
        error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''
      }>
      ${canRemove ? html`<button type="submit" name="action" value="remove-callback-${i}" class="secondary" formnovalidate aria-label="Remove callback URL ${i + 1}">Remove</button>` : ''}
    </div>
    ${fieldError(`${id}-error`, error, `Callback URL ${i + 1}`)}
  </div>`;
  })}
  ${draft.redirectUris.length < MAX_CALLBACKS
    ? html`<button type="submit" name="action" value="add-callback" class="secondary" formnovalidate>Add another callback URL</button>`
    : ''}
</fieldset>`;
}

/** The app's kind (radio buttons) and the grants it may use (checkboxes). */
function clientKindInputs(draft: AppDraft, errors: FieldErrors): Html {
  const typeError = errors.get('clientType');
  const grantError = errorFor(errors, 'grantTypes', true);
  return html`<fieldset class="client-type${typeError ? ' invalid' : ''}">
  <legend>App type</legend>
  ${fieldError('clientType-error', typeError, 'App type')}
  ${(Object.keys(CLIENT_TYPE_LABELS) as ClientType[]).map((type) => html`<div class="check"><input type="radio" id="clientType-${type}" name="clientType" value="${type}"${
    draft.clientType === type ? html` checked` : ''
  }><label for="clientType-${type}"><strong>${CLIENT_TYPE_LABELS[type].label}</strong> — ${CLIENT_TYPE_LABELS[type].hint}</label></div>`)}
</fieldset>
<fieldset class="grant-types${grantError ? ' invalid' : ''}">
  <legend>Grant types</legend>
  ${fieldError('grantTypes-error', grantError, 'Grant types')}
  ${GRANT_TYPES.map((type, i) => html`<div class="check"><input type="checkbox" id="grantType-${i}" name="grantTypes" value="${type}"${
    draft.grantTypes.includes(type) ? html` checked` : ''
  }><label for="grantType-${i}">${GRANT_LABELS[type] ?? type}</label></div>`)}
</fieldset>`;
}

export function appForm(steep: Steep, o: { action: string; submit: string; csrf: string; draft: AppDraft; errors?: FieldErrors }): Html {
  const errors = o.errors ?? new Map();
  const { draft } = o;
  return html`${formAlert(errors.size ? 'Some fields need attention; see the messages below.' : undefined)}
<form method="post" action="${o.action}" class="card app-form" novalidate>
  ${csrfInput(o.csrf)}
  <!-- Enter in a text box presses the form's first submit button: make that one "save", not "Remove". -->
  <button type="submit" name="action" value="save" class="visually-hidden" tabindex="-1" aria-hidden="true">${o.submit}</button>
  ${field({ name: 'name', label: 'App name', value: draft.name, required: true, maxlength: 100, error: errors.get('name') })}
  ${field({ name: 'homepage', label: 'Homepage', type: 'url', value: draft.homepage, required: true, hint: 'An http or https address people can visit to learn about the app.', error: errors.get('homepage') })}
  ${field({ name: 'description', label: 'Description', value: draft.description, multiline: true, maxlength: 1000, error: errors.get('description') })}
  ${field({ name: 'logo', label: 'Logo URL', type: 'url', value: draft.logo, hint: 'An https image address, shown on the consent page.', error: errors.get('logo') })}
  ${clientKindInputs(draft, errors)}
  ${callbackInputs(draft, errors)}
  ${scopeCheckboxes(steep.config.scopes, draft.scopes, errorFor(errors, 'scopes', true), 'Permissions the app may ask for')}
  <div class="actions"><button type="submit" name="action" value="save">${o.submit}</button></div>
</form>`;
}
