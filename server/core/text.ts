// Character classes and small text helpers shared by the detectors. Unicode-aware: JavaScript's \b
// is ASCII-only, so word boundaries here come from a table of every UTF-16 code unit built from
// \p{L}, \p{M} and \p{N} (surrogates count as word characters, so astral letters stay inside words).
import type { Line } from './types.ts';

/** 1 where the code unit is part of a word (letter, mark, digit, surrogate half). */
export const WORD = new Uint8Array(0x10000);
/** Simple case folding of one code unit (to lower case where that is one code unit). */
export const FOLD = new Uint16Array(0x10000);
/** 1 for upper-case letters (\p{Lu}, \p{Lt}). */
export const UPPER = new Uint8Array(0x10000);

(() => {
  const word = /[\p{L}\p{M}\p{N}]/u;
  const upper = /[\p{Lu}\p{Lt}]/u;
  for (let c = 0; c < 0x10000; c++) {
    FOLD[c] = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      WORD[c] = 1;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (c < 0x80) {
      const isW = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      WORD[c] = isW ? 1 : 0;
      if (c >= 65 && c <= 90) {
        FOLD[c] = c + 32;
        UPPER[c] = 1;
      }
      continue;
    }
    if (word.test(ch)) {
      WORD[c] = 1;
      const lo = ch.toLowerCase();
      if (lo.length === 1) FOLD[c] = lo.charCodeAt(0);
      if (upper.test(ch)) UPPER[c] = 1;
    }
  }
  // Typographic apostrophes and hyphens fold to their ASCII forms so one variant matches all spellings.
  for (const c of [0x2019, 0x2018, 0x02bc, 0x2032]) FOLD[c] = 0x27;
  for (const c of [0x2010, 0x2011, 0x2012, 0x2013, 0x2212]) FOLD[c] = 0x2d;
  FOLD[0xa0] = 0x20;
})();

export function isWordAt(text: string, i: number): boolean {
  return i >= 0 && i < text.length && WORD[text.charCodeAt(i)] === 1;
}

/** True when [start, end) is a whole word run: no word character touches either side. */
export function isWholeWord(text: string, start: number, end: number): boolean {
  return !isWordAt(text, start - 1) && !isWordAt(text, end);
}

export function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x02bc || c === 0x2018;
}

/** Split into lines, keeping exact offsets. Handles \n, \r\n and \r. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push({ start, end: i, text: text.slice(start, i) });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.push({ start, end: n, text: text.slice(start, n) });
  return lines;
}

/** Maps offsets to 1-based line and column (columns in UTF-16 code units, as editors report them). */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    this.starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** Count words (runs of word characters). */
export function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const w = WORD[s.charCodeAt(i)] === 1;
    if (w && !inWord) n++;
    inWord = w;
  }
  return n;
}

/** Horizontal whitespace: space, tab, no-break and ideographic spaces, BOM, U+2000–U+200B, U+202F, U+205F. */
export function isSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x202f || c === 0x205f || (c >= 0x2000 && c <= 0x200b)
  );
}

/** Offsets of a line without its leading and trailing horizontal whitespace. */
export function trimLine(text: string, line: Line): { start: number; end: number } {
  let s = line.start;
  let e = line.end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}
