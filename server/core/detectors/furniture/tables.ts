// Compiling the glossary's `furniture` entries, once per glossary, into lookup tables:
//   - `line` entries: one Map keyed by the normalised line, tried only on short lines;
//   - `starts` entries: a Map keyed by the phrase's first word (case-folded);
//   - `pattern` entries anchored at ^ on something definite: one combined sticky regex tried once
//     per line as a gate, the individual patterns only on the lines that pass it;
//   - other patterns (floating, or scanning the line from ^): gated by a literal they cannot match
//     without ("cookie", "<img", "(" ...), found by reading the pattern source, or by the pattern
//     itself; all gates form one whole-text regex that jumps to the next line worth trying.
// The keys a line of text is looked up by (lineKey, firstToken) live here too, beside the keys
// they must agree with.
import type { Severity } from '../../types.ts';
import type { CompiledGlossary } from '../../glossary/compile.ts';
import type { FurnitureData } from '../../glossary/schema.ts';
import { WORD } from '../../text.ts';
import { escapeRegExp, isCheapAnchored, renameGroups, requiredLiterals, score } from './regex-literals.ts';

export interface Entry {
  readonly id: string;
  readonly message: string;
  readonly severity: Severity;
}

export interface StartsEntry extends Entry {
  /** The phrase, lower-cased. */
  readonly phrase: string;
  /** The phrase ends with a word character: the line must not continue the word. */
  readonly wordEnd: boolean;
}

export interface PatternEntry extends Entry {
  /** Per-line regex, flags diu (indices for the `span` group). */
  readonly re: RegExp;
}

/** Patterns sharing one gate: a required literal, or the pattern itself (multiline). */
export interface GatedPatterns {
  /** The gate's source (flags imu). */
  readonly source: string;
  /** The gate tried on one line. */
  readonly test: RegExp;
  readonly entries: PatternEntry[];
}

export interface FurnitureTables {
  readonly lines: ReadonlyMap<string, Entry>;
  /** Longest line (trimmed) worth normalising for the `lines` lookup. */
  readonly maxLineLength: number;
  readonly starts: ReadonlyMap<string, readonly StartsEntry[]>;
  /** Patterns anchored at the line start on a literal: one combined sticky gate per line, then each. */
  readonly anchoredGate: RegExp | null;
  readonly anchored: readonly PatternEntry[];
  /** Every other pattern, grouped by gate. */
  readonly gated: readonly GatedPatterns[];
  /** All gates in one whole-text regex (flags gimu): finds the next line worth trying. */
  readonly gatedGate: RegExp | null;
}

/** Leading list bullets and arrows tolerated before a furniture line. */
const LEAD_RE = /^[\s•·*▪►▶→»›>#\-–—]+/u;
/** The bullets of LEAD_RE, skipped before a `starts` phrase. */
export const LEAD_CHARS = '•·*▪►▶→»›>#-–—';
/** Trailing punctuation tolerated after a furniture line ("Tags:", "Read more »", "Loading…"). */
const TRAIL_RE = /[\s:：»›>.…]+$/u;

/** The key of a `line` entry and of a line of text: folded case, quotes and spacing. */
export function lineKey(s: string): string {
  let k = s.replace(LEAD_RE, '').replace(TRAIL_RE, '');
  if (!k) k = s.trim();
  return k.normalize('NFC').toLowerCase().replace(/[’‘ʼ]/g, "'").replace(/\s+/g, ' ');
}

/** The first word of s (lower-cased), or its first character when it does not start with a word character. */
export function firstToken(s: string, from = 0): string {
  let i = from;
  const n = s.length;
  if (i >= n) return '';
  if (!WORD[s.charCodeAt(i)]) return s.charAt(i);
  while (i < n && WORD[s.charCodeAt(i)]) i++;
  return s.slice(from, i).toLowerCase();
}

export function compileFurniture(g: CompiledGlossary): FurnitureTables {
  const lines = new Map<string, Entry>();
  const starts = new Map<string, StartsEntry[]>();
  const anchored: PatternEntry[] = [];
  const anchoredSources: string[] = [];
  const gated = new Map<string, GatedPatterns>();
  let maxLineLength = 0;
  for (const f of g.data.furniture ?? []) {
    const severity = f.severity ?? 'warning';
    if (f.line !== undefined) {
      const key = lineKey(f.line);
      if (!key || lines.has(key)) continue;
      lines.set(key, { id: f.id, severity, message: f.message ?? `Page furniture: "${f.line}" scraped with the article` });
      maxLineLength = Math.max(maxLineLength, f.line.length);
    } else if (f.starts !== undefined) {
      const phrase = f.starts.trim().normalize('NFC').toLowerCase();
      if (!phrase) continue;
      const key = firstToken(phrase);
      const list = starts.get(key) ?? [];
      list.push({
        id: f.id,
        severity,
        message: f.message ?? `Page furniture: "${f.starts}…" scraped with the article`,
        phrase,
        wordEnd: WORD[phrase.charCodeAt(phrase.length - 1)] === 1,
      });
      starts.set(key, list);
    } else if (f.pattern !== undefined) {
      addPattern(f, severity, anchored, anchoredSources, gated);
    }
  }
  // Longer phrases first, so "share this article" wins over "share".
  for (const list of starts.values()) list.sort((a, b) => b.phrase.length - a.phrase.length);
  let anchoredGate: RegExp | null = null;
  if (anchoredSources.length) {
    try {
      anchoredGate = new RegExp(anchoredSources.map((s, i) => `(?:${renameGroups(s, `_${i}`)})`).join('|'), 'iuy');
    } catch {
      anchoredGate = null; // fall back to trying each anchored pattern on each line
    }
  }
  const groups = [...gated.values()];
  let gatedGate: RegExp | null = null;
  if (groups.length) {
    try {
      gatedGate = new RegExp(groups.map((x, i) => `(?:${renameGroups(x.source, `_${i}`)})`).join('|'), 'gimu');
    } catch {
      gatedGate = /[^]/gu; // every line
    }
  }
  // Slack for bullets and trailing punctuation around a furniture line.
  return { lines, maxLineLength: maxLineLength + 12, starts, anchoredGate, anchored, gated: groups, gatedGate };
}

/** File one pattern: with the anchored ones (one combined gate), or under its gate (a required literal, else the pattern itself). */
function addPattern(f: FurnitureData, severity: Severity, anchored: PatternEntry[], anchoredSources: string[], gated: Map<string, GatedPatterns>) {
  const src = f.pattern!;
  let re: RegExp;
  try {
    re = new RegExp(src, 'diu');
  } catch {
    return; // validated at load time; a pattern this engine rejects is skipped rather than fatal
  }
  const entry: PatternEntry = { id: f.id, severity, message: f.message ?? 'Page furniture scraped with the article', re };
  if (isCheapAnchored(src) && !/\\[1-9]/.test(src)) {
    anchored.push(entry);
    anchoredSources.push(src);
    return;
  }
  let gateSrc = src;
  const lits = requiredLiterals(src);
  if (lits && lits.length <= 4 && score(lits) > 0) gateSrc = lits.map(escapeRegExp).join('|');
  let group = gated.get(gateSrc);
  if (!group) {
    let test: RegExp;
    try {
      test = new RegExp(gateSrc, 'imu');
    } catch {
      test = /[^]/u;
    }
    group = { source: test.source === '[^]' ? '[^]' : gateSrc, test, entries: [] };
    gated.set(gateSrc, group);
  }
  group.entries.push(entry);
}
