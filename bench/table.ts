// Printing results as Markdown tables (they go into bench/README.md as they are).
export function markdownTable(header: string[], rows: string[][], alignRight: boolean[] = header.map((_, i) => i > 0)): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => (alignRight[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ') + ' |';
  const rule = '|' + widths.map((width, i) => (alignRight[i] ? '-'.repeat(width + 1) + ':' : '-'.repeat(width + 2))).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');
export const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '—');
