/** Shared helpers for `npm run bench`: statistics and a plain table printer. Figures, never asserts. */

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => {
    if (sorted.length === 0) return NaN;
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[idx]!;
  };
  return { n: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN };
}

export interface Row {
  name: string;
  value: string;
  note?: string;
}

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toFixed(digits);
}

/** Print one section of the benchmark report. */
export function printTable(title: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  const lines = [`\n## ${title}`];
  for (const r of rows) lines.push(`  ${r.name.padEnd(width)}  ${r.value}${r.note ? `   (${r.note})` : ""}`);
  process.stdout.write(lines.join("\n") + "\n");
}

/** Time an async function in milliseconds. */
export async function timeMs<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
