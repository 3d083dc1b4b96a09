// Output of the listing commands: aligned columns for a person, or --json for a script.

export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

/** Rows as JSON lines' worth of objects, or as a table with a header; `none` when there are no rows. */
export function printRows(rows: Record<string, string | number | null>[], options: { json?: boolean; none: string }): void {
  if (options.json) return console.log(JSON.stringify(rows, null, 2));
  if (!rows.length) return console.log(options.none);
  const columns = Object.keys(rows[0]);
  const cell = (value: string | number | null) => (value === null ? '-' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n'));
}
