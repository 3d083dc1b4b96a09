// The scope list: every scope's name, its resource group and its words for the consent page, in one table.

export interface ScopeInfo {
  name: string;
  /** Human name of the resource, used to group scopes on the consent page ("Records"). */
  resource: string;
  /** Short verb phrase ("read"), shown as "Records: read, create". */
  action: string;
  /** One sentence for people who want to know more. */
  description: string;
}

const scope = (name: string, resource: string, action: string, description: string): ScopeInfo => ({ name, resource, action, description });

/** Teable's scope enum, in the seed's order (28 values). */
export const DEFAULT_SCOPES: ScopeInfo[] = [
  scope('table|create', 'Tables', 'create', 'Create new tables.'),
  scope('table|delete', 'Tables', 'delete', 'Delete tables.'),
  scope('table|export', 'Tables', 'export', 'Export table data.'),
  scope('table|import', 'Tables', 'import', 'Import data into tables.'),
  scope('table|read', 'Tables', 'read', 'See tables and their settings.'),
  scope('table|update', 'Tables', 'update', 'Change table names and settings.'),
  scope('table|trash_read', 'Tables', 'see trash', 'See deleted tables in the trash.'),
  scope('table|trash_update', 'Tables', 'restore from trash', 'Restore or permanently remove items in the trash.'),
  scope('table|trash_reset', 'Tables', 'empty trash', 'Empty the trash.'),
  scope('view|create', 'Views', 'create', 'Create views.'),
  scope('view|delete', 'Views', 'delete', 'Delete views.'),
  scope('view|read', 'Views', 'read', 'See views and their settings.'),
  scope('view|update', 'Views', 'update', 'Change views.'),
  scope('field|create', 'Fields', 'create', 'Add fields to tables.'),
  scope('field|delete', 'Fields', 'delete', 'Delete fields.'),
  scope('field|read', 'Fields', 'read', 'See fields and their settings.'),
  scope('field|update', 'Fields', 'update', 'Change fields.'),
  scope('record|comment', 'Records', 'comment', 'Comment on records.'),
  scope('record|create', 'Records', 'create', 'Create records.'),
  scope('record|delete', 'Records', 'delete', 'Delete records.'),
  scope('record|read', 'Records', 'read', 'Read records.'),
  scope('record|update', 'Records', 'update', 'Change records.'),
  scope('automation|create', 'Automations', 'create', 'Create automations.'),
  scope('automation|delete', 'Automations', 'delete', 'Delete automations.'),
  scope('automation|read', 'Automations', 'read', 'See automations.'),
  scope('automation|update', 'Automations', 'update', 'Change automations.'),
  scope('user|email_read', 'Your account', 'see your email address', 'See the email address of your account.'),
  scope('user|integrations', 'Your account', 'manage integrations', 'Manage the integrations connected to your account.'),
];

const SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/; // RFC 6749 scope-token characters

/**
 * Reads a custom scope list: an array of names, or of {name, resource?, action?, description?}.
 * A scope without words shows its raw name.
 */
export function parseScopeList(input: unknown): ScopeInfo[] {
  if (!Array.isArray(input) || input.length === 0) throw new Error('the scope list must be a non-empty JSON array.');
  const seen = new Set<string>();
  return input.map((entry, index) => {
    const item = typeof entry === 'string' ? { name: entry } : entry;
    const name = item?.name;
    if (typeof name !== 'string' || !SCOPE_NAME.test(name)) throw new Error(`entry ${index} has no valid scope name.`);
    if (seen.has(name)) throw new Error(`scope "${name}" is listed twice.`);
    seen.add(name);
    const text = (key: string, fallback: string) => (typeof item[key] === 'string' && item[key] ? item[key] : fallback);
    return scope(name, text('resource', name), text('action', name), text('description', name));
  });
}

/** Groups scope names by resource for display, keeping the list's order: [["Records", ["read", "create"]]]. */
export function groupScopes(list: ScopeInfo[], names: string[]): { resource: string; scopes: ScopeInfo[] }[] {
  const byName = new Map(list.map((info) => [info.name, info]));
  const groups = new Map<string, ScopeInfo[]>();
  for (const name of names) {
    const info = byName.get(name) ?? scope(name, name, name, name);
    groups.set(info.resource, [...(groups.get(info.resource) ?? []), info]);
  }
  return [...groups].map(([resource, scopes]) => ({ resource, scopes }));
}

/** Drops duplicates, keeping the first occurrence's order. */
export function uniqueScopes(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** Splits an RFC 6749 scope string ("a b") into names. */
export function splitScope(value: string | undefined): string[] {
  return value ? uniqueScopes(value.split(' ').filter(Boolean)) : [];
}

export function isSubset(wanted: readonly string[], granted: readonly string[]): boolean {
  const have = new Set(granted);
  return wanted.every((name) => have.has(name));
}

/**
 * OpenID Connect's identity scopes (Core section 5.4, and offline_access from section 11): any app may
 * ask for them without registering them; they decide the id_token's and userinfo's claims.
 */
export const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const isIdentityScope = (name: string): boolean => (IDENTITY_SCOPES as readonly string[]).includes(name);

/** What the identity scopes let an app do, in the consent page's words. */
export function identityPhrases(names: readonly string[]): string[] {
  const has = (name: string) => names.includes(name);
  const phrases: string[] = [];
  if (has('openid')) phrases.push('Sign you in with your Steep account');
  if (has('profile') && has('email')) phrases.push('See your name and email address');
  else if (has('profile')) phrases.push('See your name and profile picture');
  else if (has('email')) phrases.push('See your email address');
  if (has('offline_access')) phrases.push('Keep access while you are not using it');
  return phrases;
}
