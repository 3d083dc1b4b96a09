// Lists are stored as JSON text so one schema works on SQLite and PostgreSQL.

export const toJson = (list: readonly string[]): string => JSON.stringify(list);
export const fromJson = (text: string): string[] => JSON.parse(text) as string[];

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
