// What every furniture pass shares: the detector id and its findings, and lines trimmed of
// whitespace (offsets into the text, no copies), computed once per scan.
import type { Finding, Line, Severity } from '../../types.ts';

export const FURNITURE_ID = 'furniture';

export function finding(text: string, start: number, end: number, message: string, severity: Severity = 'warning'): Finding {
  return { detector: FURNITURE_ID, kind: 'boilerplate', severity, start, end, text: text.slice(start, end), suggestion: null, concept: null, message };
}

/** Horizontal whitespace: space, tab, no-break and ideographic spaces, BOM, U+2000–U+200B, U+202F, U+205F. */
export function isSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x202f || c === 0x205f || (c >= 0x2000 && c <= 0x200b)
  );
}

export interface Trimmed {
  /** Offsets of the trimmed line in the text. */
  start: number;
  end: number;
}

function trimLine(text: string, line: Line): Trimmed {
  let s = line.start;
  let e = line.end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

/** Line i trimmed, computed on first use and kept. */
export type TrimmedAt = (i: number) => Trimmed;

/** One cache per scan, shared by every pass: each line is trimmed at most once. */
export function trimmedLines(text: string, lines: readonly Line[]): TrimmedAt {
  const trims: Trimmed[] = new Array(lines.length);
  return (i: number): Trimmed => (trims[i] ??= trimLine(text, lines[i]!));
}
