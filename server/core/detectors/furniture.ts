// furniture: page furniture scraped together with the article — cookie banners, share bars,
// comment forms, related-links lists, photo credits, a headline fused with the site name or
// repeated, labels above the headline, image placeholders, agency tags.
//
// The phrases are data (glossary `furniture` entries: whole lines, line openings, patterns); the
// structural rules (header zone, fused suffix, repeated headline, image markup, agency tags) are
// code. The data is compiled once per glossary into lookup tables (see compileFurniture):
//   - `line` entries: one Map keyed by the normalised line, tried only on short lines;
//   - `starts` entries: a Map keyed by the phrase's first word (case-folded);
//   - `pattern` entries anchored at ^ on something definite: one combined sticky regex tried once
//     per line as a gate, the individual patterns only on the lines that pass it;
//   - other patterns (floating, or scanning the line from ^): gated by a literal they cannot match
//     without ("cookie", "<img", "(" ...), found by reading the pattern source, or by the pattern
//     itself; all gates form one whole-text regex that jumps to the next line worth trying.
// Patterns see the line without its leading whitespace.
import type { Detector, Finding, Line, ScanContext, Severity } from '../types.ts';
import type { CompiledGlossary } from '../glossary/compile.ts';
import type { FurnitureData } from '../glossary/schema.ts';
import { WORD, wordCount } from '../text.ts';

const ID = 'furniture';

interface Entry {
  readonly id: string;
  readonly message: string;
  readonly severity: Severity;
}

interface StartsEntry extends Entry {
  /** The phrase, lower-cased. */
  readonly phrase: string;
  /** The phrase ends with a word character: the line must not continue the word. */
  readonly wordEnd: boolean;
}

interface PatternEntry extends Entry {
  /** Per-line regex, flags diu (indices for the `span` group). */
  readonly re: RegExp;
}

/** Patterns sharing one gate: a required literal, or the pattern itself (multiline). */
interface GatedPatterns {
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

// ── compiling the data ────────────────────────────────────────────────────────────────────────

function isSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x202f || c === 0x205f || (c >= 0x2000 && c <= 0x200b)
  );
}

/** Leading list bullets and arrows tolerated before a furniture line. */
const LEAD_RE = /^[\s•·*▪►▶→»›>#\-–—]+/u;
const LEAD_CHARS = '•·*▪►▶→»›>#-–—';
/** Trailing punctuation tolerated after a furniture line ("Tags:", "Read more »", "Loading…"). */
const TRAIL_RE = /[\s:：»›>.…]+$/u;

/** The key of a `line` entry and of a line of text: folded case, quotes and spacing. */
export function lineKey(s: string): string {
  let k = s.replace(LEAD_RE, '').replace(TRAIL_RE, '');
  if (!k) k = s.trim();
  return k.normalize('NFC').toLowerCase().replace(/[’‘ʼ]/g, "'").replace(/\s+/g, ' ');
}

/** The first word of s (lower-cased), or its first character when it does not start with a word character. */
function firstToken(s: string, from = 0): string {
  let i = from;
  const n = s.length;
  if (i >= n) return '';
  if (!WORD[s.charCodeAt(i)]) return s.charAt(i);
  while (i < n && WORD[s.charCodeAt(i)]) i++;
  return s.slice(from, i).toLowerCase();
}

// A small reader of regular-expression source, enough to find what a pattern cannot match
// without: a literal run ("cookie", "all rights reserved", "<img") or a short set of alternatives.
// Used only to choose a cheap pre-filter; when in doubt it finds nothing and the pattern runs as is.

type Lits = string[] | null;

/** Index just past the group that opens at src[i] === '(' (or src.length). */
function groupEnd(src: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/** Split a disjunction at its top-level "|". */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, j));
      from = j + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** Reads a quantifier at src[i]; returns its minimum and the index after it. */
function quantifier(src: string, i: number): { min: number; next: number } {
  const c = src[i];
  let min = 1;
  let next = i;
  if (c === '?' || c === '*') {
    min = 0;
    next = i + 1;
  } else if (c === '+') next = i + 1;
  else if (c === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(i));
    if (m) {
      min = Number(m[1]);
      next = i + m[0].length;
    }
  }
  if (next > i && src[next] === '?') next++;
  return { min, next };
}

function score(l: Lits): number {
  if (!l || !l.length) return -1;
  const shortest = Math.min(...l.map((x) => x.length));
  return shortest * 4 - (l.length - 1) * 3;
}

/** The best required literal set of a disjunction (every alternative must contribute one). */
export function requiredLiterals(src: string): Lits {
  const alts = topLevelAlternatives(src);
  if (alts.length > 1) {
    const all: string[] = [];
    for (const a of alts) {
      const l = requiredLiterals(a);
      if (!l) return null;
      all.push(...l);
    }
    return all.length <= 6 ? [...new Set(all)] : null;
  }
  let best: Lits = null;
  let run = '';
  const flush = () => {
    if (run && score([run]) > score(best)) best = [run];
    run = '';
  };
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    let atom: { lit: string | null; group: Lits; zero: boolean };
    let next: number;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      next = i + 2;
      if (/[bB]/.test(e)) atom = { lit: null, group: null, zero: true };
      else if (/[pPuxck]/.test(e)) {
        // \p{..}, \u...., \x.., \cX, \k<..>: skip the argument
        const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>)/.exec(src.slice(i));
        next = i + (m ? m[0].length : 2);
        atom = { lit: null, group: null, zero: false };
      } else if (/[^A-Za-z0-9]/.test(e)) atom = { lit: e, group: null, zero: false };
      else atom = { lit: null, group: null, zero: false };
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      next = j + 1;
      atom = { lit: null, group: null, zero: false };
    } else if (c === '(') {
      next = groupEnd(src, i);
      const inner = src.slice(i + 1, next - 1);
      if (/^\?(?:=|!|<=|<!)/.test(inner)) atom = { lit: null, group: null, zero: true };
      else {
        const body = inner.replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, '');
        atom = { lit: null, group: requiredLiterals(body), zero: false };
      }
    } else if (c === '^' || c === '$') {
      next = i + 1;
      atom = { lit: null, group: null, zero: true };
    } else if (c === '.') {
      next = i + 1;
      atom = { lit: null, group: null, zero: false };
    } else {
      next = i + 1;
      // a surrogate pair is one literal character
      if (/[\uD800-\uDBFF]/.test(c) && next < src.length) next++;
      atom = { lit: src.slice(i, next), group: null, zero: false };
    }
    const q = quantifier(src, next);
    const quantified = q.next > next;
    next = q.next;
    i = next;
    if (atom.zero) continue;
    if (q.min === 0) {
      flush();
      continue;
    }
    if (atom.lit !== null) {
      run += atom.lit;
      if (quantified) flush();
      continue;
    }
    flush();
    if (atom.group && score(atom.group) > score(best)) best = atom.group;
  }
  flush();
  return best;
}

/** True when the pattern starts at the line start and then on something definite (not a scan). */
function isCheapAnchored(src: string): boolean {
  if (!src.startsWith('^')) return false;
  if (topLevelAlternatives(src).length > 1) return false;
  // after ^: a lookaround, a negated class or "." would scan the whole line
  return !/^\^(?:\(\?(?:=|!|<=|<!)|\[\^|\.)/.test(src);
}

/** Rename named groups so several patterns can share one regex. */
function renameGroups(src: string, suffix: string): string {
  return src
    .replace(/\(\?<([A-Za-z_$][\w$]*)>/g, (_m, n: string) => `(?<${n}${suffix}>`)
    .replace(/\\k<([A-Za-z_$][\w$]*)>/g, (_m, n: string) => `\\k<${n}${suffix}>`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
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
  // Slack for bullets and trailing punctuation around a furniture line.
  const groups = [...gated.values()];
  let gatedGate: RegExp | null = null;
  if (groups.length) {
    try {
      gatedGate = new RegExp(groups.map((x, i) => `(?:${renameGroups(x.source, `_${i}`)})`).join('|'), 'gimu');
    } catch {
      gatedGate = /[^]/gu; // every line
    }
  }
  return { lines, maxLineLength: maxLineLength + 12, starts, anchoredGate, anchored, gated: groups, gatedGate };
}

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

// ── detecting ─────────────────────────────────────────────────────────────────────────────────

interface Trimmed {
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

function finding(text: string, start: number, end: number, message: string, severity: Severity = 'warning'): Finding {
  return { detector: ID, kind: 'boilerplate', severity, start, end, text: text.slice(start, end), suggestion: null, concept: null, message };
}

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
function markWhole(text: string, line: Line, f: Finding | null, whole: Uint8Array, i: number): boolean {
  if (!f) return false;
  const t = trimLine(text, line);
  if (f.start <= t.start && f.end >= t.end) whole[i] = 1;
  return true;
}

/** Data-driven furniture: `line`, `starts` and `pattern` entries. Marks whole lines it flags. */
function detectData(ctx: ScanContext, t: FurnitureTables, out: Finding[], whole: Uint8Array): void {
  const text = ctx.text;
  const lines = ctx.lines();
  const gate = t.anchoredGate;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const { start, end } = trimLine(text, line);
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
        for (const p of t.anchored) if (markWhole(text, line, tryPattern(p, text, view, out), whole, i)) break;
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
      const view = patternView(text, line, trimLine(text, line).start);
      for (const group of t.gated) {
        if (!group.test.test(view.text)) continue;
        for (const p of group.entries) markWhole(text, line, tryPattern(p, text, view, out), whole, li);
      }
      if (li + 1 >= lines.length) break;
      pos = lines[li + 1]!.start;
    }
  }
}

// ── structural rules ──────────────────────────────────────────────────────────────────────────

const SENTENCE_END = /[.!?…。！？](?:["'”’»)\]]*)$/u;
const IMAGE_LINE = /^[\s|]*(?:!\[[^\]\n]*\]\([^)\n]*\)[\s|]*)+$/u;
const IMAGE_INLINE = /!\[[^\]\n]*\]\([^)\n]*\)/gu;
const TABLE_RESIDUE = /^\s*\|[\s|:\-–—]*$|^[\s:\-–—]*\|\s*$/u;
const AGENCY_TAG = /[.!?…"”’')\]]\s?(\/[A-Z]{2,6}\/?)\s*$/u;
const SEPARATOR = / +(\||–|—|-|::|»|›) +/gu;
const DOMAIN = /^(?:https?:\/\/)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}(?:\/\S*)?$/iu;
/** Small words allowed inside a Title Case site or section name ("Ministry of Defence", "News & Politics"). */
const NAME_JOINERS = new Set(['of', 'the', 'and', '&', 'for', 'in', 'on', 'de', 'la', 'el', 'le', 'du', 'des', 'di', 'da', 'do', 'van', 'von', 'al']);

function endsSentence(s: string): boolean {
  return SENTENCE_END.test(s);
}

function isDomain(s: string): boolean {
  return s.length <= 100 && s.includes('.') && DOMAIN.test(s);
}

/** A short segment written like a name: every word capitalised, apart from small joining words. */
function isNameLike(seg: string): boolean {
  const words = seg.split(/\s+/).filter(Boolean);
  if (!words.length || !/^[\p{Lu}\p{N}]/u.test(words[0]!)) return false;
  return words.every((w) => /^[\p{Lu}\p{N}&]/u.test(w) || NAME_JOINERS.has(w.toLowerCase()));
}

interface Fused {
  /** The headline part, trimmed. */
  base: string;
  /** Offset (in the text) where the suffix finding starts: the whitespace before the separator. */
  suffixStart: number;
}

/**
 * "Headline | Section | site.example.com": a long first part, then short segments (≤ 4 words each)
 * or a domain. Single hyphens count only before a domain or when repeated; en and em dashes only
 * before a name-like segment; pipes, "::", "»" and "›" before any short segment.
 */
export function splitFusedSuffix(line: string, offset = 0): Fused | null {
  SEPARATOR.lastIndex = 0;
  const seps: { at: number; end: number; sep: string }[] = [];
  for (let m; (m = SEPARATOR.exec(line)); ) seps.push({ at: m.index, end: m.index + m[0].length, sep: m[1]! });
  if (!seps.length) return null;
  let best = -1;
  let hyphens = 0;
  let hasDomain = false;
  // Walk from the end: the suffix is the longest run of trailing segments that all qualify.
  for (let k = seps.length - 1; k >= 0; k--) {
    const segEnd = k + 1 < seps.length ? seps[k + 1]!.at : line.length;
    const seg = line.slice(seps[k]!.end, segEnd).trim();
    const sep = seps[k]!.sep;
    if (!seg || !/[\p{L}\p{N}]/u.test(seg)) break;
    const domain = isDomain(seg);
    const wc = wordCount(seg);
    let ok = domain || wc <= 4;
    if (ok && !domain && (sep === '–' || sep === '—' || sep === '-')) ok = isNameLike(seg);
    if (!ok) break;
    if (sep === '-') hyphens++;
    if (domain) hasDomain = true;
    const head = line.slice(0, seps[k]!.at).trim();
    if (wordCount(head) >= 4 && head.length > seg.length) {
      const onlyHyphens = seps.slice(k).every((s) => s.sep === '-');
      if (!onlyHyphens || hasDomain || hyphens >= 2) best = k;
    }
  }
  if (best < 0) return null;
  return { base: line.slice(0, seps[best]!.at).trim(), suffixStart: offset + seps[best]!.at };
}

/** Comparison key for headline copies: case, quotes, spacing and trailing punctuation ignored. */
function headlineKey(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’‘ʼ]/g, "'")
    .replace(/[“”„]/g, '"')
    .replace(/[\s.!?:;,…]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MAX_HEADER_LINES = 15;

function detectStructure(ctx: ScanContext, out: Finding[], whole: Uint8Array): void {
  const text = ctx.text;
  const lines = ctx.lines();
  const trims: Trimmed[] = new Array(lines.length);
  const trimmed = (i: number): Trimmed => (trims[i] ??= trimLine(text, lines[i]!));

  // (e) image placeholders and table residue; (f) agency tags at the end of a paragraph
  const hasImages = text.includes('![');
  for (let i = 0; i < lines.length; i++) {
    if (whole[i]) continue;
    const { start, end } = trimmed(i);
    if (start === end) continue;
    const first = text.charCodeAt(start);
    const last = text.charCodeAt(end - 1);
    const s = text.slice(start, end);
    if (hasImages && s.includes('![')) {
      if (IMAGE_LINE.test(s)) {
        out.push(finding(text, start, end, 'Page furniture: image placeholder scraped with the article'));
        whole[i] = 1;
        continue;
      }
      IMAGE_INLINE.lastIndex = 0;
      for (let m; (m = IMAGE_INLINE.exec(s)); ) {
        out.push(finding(text, start + m.index, start + m.index + m[0].length, 'Page furniture: image placeholder scraped with the article'));
      }
    }
    if ((first === 0x7c || last === 0x7c) && TABLE_RESIDUE.test(s)) {
      out.push(finding(text, start, end, 'Page furniture: table residue scraped with the article'));
      whole[i] = 1;
      continue;
    }
    if ((last >= 65 && last <= 90) || last === 0x2f) {
      const m = AGENCY_TAG.exec(s);
      if (m) {
        const tagStart = start + m.index + m[0].indexOf(m[1]!);
        out.push(finding(text, tagStart, tagStart + m[1]!.length, 'Page furniture: agency or source tag fused to the end of the paragraph'));
      }
    }
  }

  // (a) header zone: the lines before the first body paragraph
  let body = -1;
  let headerCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const { start, end } = trimmed(i);
    if (start === end || whole[i]) continue;
    const s = text.slice(start, end);
    const wc = wordCount(s);
    if ((wc >= 8 && endsSentence(s)) || wc >= 30) {
      body = i;
      break;
    }
    if (++headerCount > MAX_HEADER_LINES) return;
  }
  if (body < 0) return;

  interface Header {
    index: number;
    start: number;
    end: number;
    base: string;
    fused: Fused | null;
  }
  const header: Header[] = [];
  for (let i = 0; i < body; i++) {
    const { start, end } = trimmed(i);
    if (start === end || whole[i]) continue;
    const s = text.slice(start, end);
    const fused = splitFusedSuffix(s, start);
    header.push({ index: i, start, end, base: fused ? fused.base : s, fused });
  }
  if (!header.length) return;

  // (b) site or section names fused to a header line
  for (const h of header) {
    if (h.fused) out.push(finding(text, h.fused.suffixStart, h.end, 'Page furniture: site name or section fused to the headline'));
  }

  // the headline: the longest header line once any fused suffix is removed (bylines excluded)
  let headline: Header | null = null;
  for (const h of header) {
    if (/^by\s/iu.test(h.base)) continue;
    if (!headline || h.base.length > headline.base.length) headline = h;
  }
  if (!headline) return;

  // (d) short labels above the headline (site name, section, kicker)
  for (const h of header) {
    if (h === headline) break;
    const s = text.slice(h.start, h.end);
    if (wordCount(s) >= 5) break;
    // Labels are written like names ("Flash News", "WORLD", "Bota"); a short sentence-case line
    // ("Prisoners swapped") is more likely a headline followed by a stand-first.
    if (/[.!?\p{N}]/u.test(s) || /^by\s/iu.test(s) || !/\p{L}/u.test(s) || !isNameLike(s)) continue;
    out.push(finding(text, h.start, h.end, 'Page furniture: site name or section label above the headline'));
  }

  // (c) later copies of the headline, in the header or the body
  if (wordCount(headline.base) < 3) return;
  const key = headlineKey(headline.base);
  const len = headline.base.length;
  for (let i = headline.index + 1; i < lines.length; i++) {
    if (whole[i]) continue;
    const { start, end } = trimmed(i);
    const n = end - start;
    if (n < len - 8) continue;
    if (n > len + 8) {
      // a copy fused with a suffix again
      if (n > len + 200) continue;
      const s = text.slice(start, end);
      const f = splitFusedSuffix(s, start);
      if (!f || headlineKey(f.base) !== key) continue;
    } else if (headlineKey(text.slice(start, end)) !== key) {
      const f = splitFusedSuffix(text.slice(start, end), start);
      if (!f || headlineKey(f.base) !== key) continue;
    }
    out.push(finding(text, start, end, 'Page furniture: the headline repeated (scraped twice)'));
    whole[i] = 1;
  }
}

/** Drop findings that lie inside another furniture finding (a flagged line already covers them). */
function dropNested(found: Finding[]): Finding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  let coverEnd = -1;
  for (const f of found) {
    if (f.end <= coverEnd) continue;
    kept.push(f);
    coverEnd = Math.max(coverEnd, f.end);
  }
  return kept;
}

export const furnitureDetector: Detector = {
  id: ID,
  description:
    'Page furniture scraped with the article: cookie banners, share bars, comment forms, related links, photo credits, a headline fused with the site name or repeated.',
  priority: 10,
  scope: 'block',
  detect(ctx) {
    const tables = ctx.glossary.cache('furniture', compileFurniture);
    const lines = ctx.lines();
    const whole = new Uint8Array(lines.length);
    const out: Finding[] = [];
    detectData(ctx, tables, out, whole);
    detectStructure(ctx, out, whole);
    return dropNested(out);
  },
};
