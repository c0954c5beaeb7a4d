// Sentences, words and the headline of an article, with exact offsets.
import { isSpace, splitLines, wordCount } from '../text.ts';

export interface Span {
  start: number;
  end: number;
}

export interface Word extends Span {
  text: string;
  /** Lower case, typographic apostrophes folded, a possessive 's removed. */
  lower: string;
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr st sept sep jan feb mar apr jun jul aug oct nov dec gen col lt sgt gov sen rep prof no vs etc inc ltd jr sr co corp dept est approx fig'.split(' '),
);

const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);

/** Sentences of the text (never across a line break), trimmed of horizontal whitespace. */
export function sentenceSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const line of splitLines(text)) {
    let s = line.start;
    while (s < line.end && isSpace(text.charCodeAt(s))) s++;
    for (let i = s; i < line.end; i++) {
      const c = text[i];
      if (c !== '.' && c !== '!' && c !== '?') continue;
      let j = i + 1;
      while (j < line.end && CLOSERS.has(text[j]!)) j++;
      if (j < line.end && !isSpace(text.charCodeAt(j))) continue;
      let k = j;
      while (k < line.end && isSpace(text.charCodeAt(k))) k++;
      if (k < line.end) {
        if (/\p{Ll}/u.test(text[k]!)) continue;
        if (c === '.') {
          const m = /([\p{L}]+)$/u.exec(text.slice(Math.max(line.start, i - 12), i));
          if (m && (m[1]!.length === 1 || ABBREVIATIONS.has(m[1]!.toLowerCase()))) continue;
        }
      }
      out.push({ start: s, end: j });
      s = k;
      i = k - 1;
    }
    let e = line.end;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ start: s, end: e });
  }
  return out;
}

/** The span in a sorted list that contains offset, if any. */
export function spanAt<T extends Span>(spans: readonly T[], offset: number): T | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const sp = spans[mid]!;
    if (offset < sp.start) hi = mid - 1;
    else if (offset >= sp.end) lo = mid + 1;
    else return sp;
  }
  return null;
}

const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’ʼ\-‑][\p{L}\p{M}\p{N}]+)*/gu;

/** Words of text[start, end). Hyphenated words and words with apostrophes stay whole. */
export function wordsIn(text: string, start: number, end: number): Word[] {
  const out: Word[] = [];
  WORD_RE.lastIndex = start;
  for (let m = WORD_RE.exec(text); m && m.index < end; m = WORD_RE.exec(text)) {
    const e = Math.min(m.index + m[0].length, end);
    const t = text.slice(m.index, e);
    out.push({ start: m.index, end: e, text: t, lower: lowerWord(t) });
  }
  return out;
}

export function lowerWord(t: string): string {
  return t.toLowerCase().replace(/[’ʼ]/g, "'").replace(/'s$/, '');
}

/**
 * The word starting right after pos, separated from it by horizontal whitespace only (at least one
 * space unless allowTight). Null when punctuation or a line break comes first.
 */
export function nextWord(text: string, pos: number, allowTight = false): Word | null {
  let i = pos;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === pos && !allowTight) return null;
  WORD_RE.lastIndex = i;
  const m = WORD_RE.exec(text);
  if (!m || m.index !== i) return null;
  return { start: i, end: i + m[0].length, text: m[0], lower: lowerWord(m[0]) };
}

/** The word ending right before pos (whitespace only in between). */
export function prevWord(text: string, pos: number): Word | null {
  let i = pos;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  const m = /[\p{L}\p{M}\p{N}]+(?:['’ʼ\-‑][\p{L}\p{M}\p{N}]+)*$/u.exec(text.slice(Math.max(0, i - 40), i));
  if (!m) return null;
  const s = i - m[0].length;
  return { start: s, end: i, text: m[0], lower: lowerWord(m[0]) };
}

const normTitle = (s: string): string =>
  s.normalize('NFKC').replace(/[’‘ʼ]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Spans of the headline: the lines that carry the title (when one is given and found among the
 * first lines), else the first line of 3+ words, when it does not read like a paragraph (30+ words,
 * or a final full stop); short page furniture such as "Flash News" before it is skipped. Verbatim
 * repeats of the headline line count as headline too.
 */
export function headlineSpans(text: string, title?: string | null): Span[] {
  const lines = splitLines(text)
    .map((l) => {
      let s = l.start;
      let e = l.end;
      while (s < e && isSpace(text.charCodeAt(s))) s++;
      while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
      return { start: s, end: e, norm: normTitle(text.slice(s, e)) };
    })
    .filter((l) => l.end > l.start)
    .slice(0, 10);
  const t = title ? normTitle(title) : '';
  if (t) {
    const hits = lines.filter((l) => l.norm === t || (l.norm.startsWith(t) && /^\s*[|:–—-]/.test(l.norm.slice(t.length))));
    if (hits.length) return hits.map(({ start, end }) => ({ start, end }));
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const words = wordCount(l.norm);
    if (words < 3) continue;
    if (words > 30 || /[.;,]["”']?$/.test(l.norm)) return []; // a paragraph: this text starts with its body
    const out: Span[] = [{ start: l.start, end: l.end }];
    for (const m of lines.slice(i + 1)) if (m.norm === l.norm) out.push({ start: m.start, end: m.end });
    return out;
  }
  return [];
}
