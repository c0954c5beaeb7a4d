// The bench's result table: one row per measurement, with the goal and a pass/fail mark. Figures
// only: the bench never fails on a missed goal (it is a measurement, not a test).

export interface Row {
  stage: string;
  glossary?: string;
  mb?: number;
  seconds?: number;
  mbps?: number;
  /** Free text: a ratio, a count, a peak RSS… */
  result?: string;
  goal?: string;
  /** true = goal met, false = missed, undefined = no goal. */
  ok?: boolean;
}

const fmt = (n: number | undefined, digits: number) =>
  n === undefined || !Number.isFinite(n) ? '' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatTable(rows: readonly Row[]): string {
  const head = ['stage', 'glossary', 'MB', 'seconds', 'MB/s', 'result', 'goal', ''];
  const body = rows.map((r) => [
    r.stage,
    r.glossary ?? '',
    fmt(r.mb, 1),
    fmt(r.seconds, r.seconds !== undefined && r.seconds < 10 ? 3 : 1),
    fmt(r.mbps, r.mbps !== undefined && r.mbps < 10 ? 2 : 1),
    r.result ?? '',
    r.goal ?? '',
    r.ok === undefined ? '' : r.ok ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** "1k", "10k", "100k", "1,234". */
export function sizeLabel(n: number): string {
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return n.toLocaleString('en-US');
}

export function ratio(x: number): string {
  return `${x.toFixed(x >= 10 ? 1 : 2)}×`;
}
