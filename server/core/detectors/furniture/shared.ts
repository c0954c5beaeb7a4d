// What every furniture pass shares: the detector id and its findings, and lines trimmed of
// whitespace (offsets into the text, no copies), computed once per scan.
import type { Finding, Line, Severity } from '../../types.ts';
import { isSpace, trimLine } from '../../text.ts';

export { isSpace };

export const FURNITURE_ID = 'furniture';

export function finding(text: string, start: number, end: number, message: string, severity: Severity = 'warning'): Finding {
  return { detector: FURNITURE_ID, kind: 'boilerplate', severity, start, end, text: text.slice(start, end), suggestion: null, concept: null, message };
}

export interface Trimmed {
  /** Offsets of the trimmed line in the text. */
  start: number;
  end: number;
}

/** Line i trimmed, computed on first use and kept. */
export type TrimmedAt = (i: number) => Trimmed;

/** One cache per scan, shared by every pass: each line is trimmed at most once. */
export function trimmedLines(text: string, lines: readonly Line[]): TrimmedAt {
  const trims: Trimmed[] = new Array(lines.length);
  return (i: number): Trimmed => (trims[i] ??= trimLine(text, lines[i]!));
}
