// The data-driven pass: the glossary's `line`, `starts` and `pattern` furniture entries, looked up
// line by line in the tables compiled by tables.ts. Patterns see the line without its leading
// whitespace. Marks the lines it flags whole, so the structural rules can skip them.
import type { Finding, Line, ScanContext } from '../../types.ts';
import { WORD } from '../../text.ts';
import { finding, isSpace, type TrimmedAt } from './shared.ts';
import { firstToken, LEAD_CHARS, lineKey, type FurnitureTables, type PatternEntry, type StartsEntry } from './tables.ts';

/** Index of the line holding offset (lines sorted by start). */
function lineAt(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Run one pattern on one line; push its finding (span group, else the whole match, trimmed). */
function tryPattern(p: PatternEntry, text: string, line: Line, out: Finding[]): Finding | null {
  const m = p.re.exec(line.text);
  if (!m) return null;
  let s: number;
  let e: number;
  const span = m.indices?.groups?.span;
  if (span) [s, e] = span;
  else {
    s = m.index;
    e = m.index + m[0].length;
  }
  s += line.start;
  e += line.start;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (e <= s) return null;
  const f = finding(text, s, e, p.message, p.severity);
  out.push(f);
  return f;
}

/** The line as patterns see it: without leading whitespace. */
function patternView(text: string, line: Line, start: number): Line {
  return start === line.start ? line : { start, end: line.end, text: text.slice(start, line.end) };
}

/** Mark line i as wholly furniture when the finding covers all of its trimmed text. */
function markWhole(trimmed: TrimmedAt, f: Finding | null, whole: Uint8Array, i: number): boolean {
  if (!f) return false;
  const t = trimmed(i);
  if (f.start <= t.start && f.end >= t.end) whole[i] = 1;
  return true;
}

/** Data-driven furniture: `line`, `starts` and `pattern` entries. Marks whole lines it flags. */
export function detectData(ctx: ScanContext, t: FurnitureTables, trimmed: TrimmedAt, out: Finding[], whole: Uint8Array): void {
  const text = ctx.text;
  const lines = ctx.lines();
  const gate = t.anchoredGate;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { start, end } = trimmed(i);
    if (start === end) continue;
    const len = end - start;
    // 1. whole-line phrases
    if (len <= t.maxLineLength) {
      const e = t.lines.get(lineKey(text.slice(start, end)));
      if (e) {
        out.push(finding(text, start, end, e.message, e.severity));
        whole[i] = 1;
        continue;
      }
    }
    // 2. line openings (after any bullets)
    let from = start;
    while (from < end && !WORD[text.charCodeAt(from)] && LEAD_CHARS.includes(text[from]!)) from++;
    while (from < end && isSpace(text.charCodeAt(from))) from++;
    const cands = t.starts.get(firstToken(text, from));
    if (cands) {
      let hit: StartsEntry | null = null;
      for (const c of cands) {
        const to = from + c.phrase.length;
        if (to > end) continue;
        if (c.wordEnd && WORD[text.charCodeAt(to)] === 1) continue;
        if (text.slice(from, to).normalize('NFC').toLowerCase() === c.phrase) {
          hit = c;
          break;
        }
      }
      if (hit) {
        out.push(finding(text, start, end, hit.message, hit.severity));
        whole[i] = 1;
        continue;
      }
    }
    // 3. anchored patterns: one sticky gate per line, then the individual patterns
    if (t.anchored.length) {
      const view = patternView(text, line, start);
      let pass = true;
      if (gate) {
        gate.lastIndex = 0;
        pass = gate.test(view.text);
      }
      if (pass) {
        for (const p of t.anchored) if (markWhole(trimmed, tryPattern(p, text, view, out), whole, i)) break;
      }
    }
  }
  // 4. other patterns: one whole-text gate jumps to the next line where some gate matches
  const g = t.gatedGate;
  if (g) {
    let pos = 0;
    while (pos <= text.length) {
      g.lastIndex = pos;
      const m = g.exec(text);
      if (!m) break;
      const li = lineAt(lines, m.index);
      const line = lines[li]!;
      const view = patternView(text, line, trimmed(li).start);
      for (const group of t.gated) {
        if (!group.test.test(view.text)) continue;
        for (const p of group.entries) markWhole(trimmed, tryPattern(p, text, view, out), whole, li);
      }
      if (li + 1 >= lines.length) break;
      pos = lines[li + 1]!.start;
    }
  }
}
