// The exact glossary pass: every form of every concept in one compiled matcher.
//
// Forms are indexed by a hash of their first word (case-folded). Scanning walks the text once,
// hashing each word as it goes; only a word whose hash is in the table costs anything more (a
// verification against the few forms that start with it). The cost per character is a couple of
// table look-ups whatever the glossary size, so throughput is nearly flat from 1k to 100k forms.
import { FOLD, WORD, UPPER } from '../text.ts';

export interface MatchForm {
  /** The form as written in the glossary, spaces normalised. */
  readonly text: string;
  /** Folded (lower-case, ASCII apostrophes and hyphens, single spaces) for matching. */
  readonly folded: string;
  readonly caseSensitive: boolean;
  /** Context phrases in which the form must not match: folded text before and after it. */
  readonly exceptions: readonly { before: string; after: string }[];
}

export interface Mention {
  /** Index into the compiled forms. */
  form: number;
  start: number;
  end: number;
  /** True when the match is the form plus an "s" with no apostrophe ("Russias", "Poloshenkos"). */
  droppedApostrophe: boolean;
}

const SPACE = 32;

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x3000;
}

export function foldText(s: string): string {
  let out = '';
  let lastSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSpaceCode(c)) {
      if (!lastSpace && out.length) out += ' ';
      lastSpace = true;
      continue;
    }
    lastSpace = false;
    out += String.fromCharCode(FOLD[c]!);
  }
  return out.trimEnd();
}

function firstWordHash(folded: string): number {
  let h = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (!WORD[c]) break;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h;
}

/** Most characters allowed between two words of a form ("U.S.", "Rostov-on-Don", "Normandy Four"). */
const MAX_GAP = 3;

/**
 * Hash of the word that follows position `from` after at most MAX_GAP separator characters, or
 * NO_WORD. Forms and text are hashed the same way, so a multi-word form can be rejected on its
 * second word with one integer comparison.
 */
function nextWordHash(s: string, from: number, fold: boolean): number {
  const n = s.length;
  let j = from;
  while (j < n && WORD[s.charCodeAt(j)] === 0) {
    if (j - from >= MAX_GAP && !isSpaceCode(s.charCodeAt(j))) return NO_WORD;
    j++;
  }
  if (j >= n || j - from === 0) return NO_WORD;
  let h = 0;
  let prev = 0;
  let last = 0;
  for (; j < n; j++) {
    const c = s.charCodeAt(j);
    if (WORD[c] === 0) break;
    prev = h;
    last = fold ? FOLD[c]! : c;
    h = (Math.imul(h, 31) + last) | 0;
  }
  // The word without a final "s", for a last word that lost its apostrophe ("Vladimir Zelenskys").
  nextWordStem = last === 115 ? prev : NO_WORD;
  return h;
}
const NO_WORD = 0x7fffffff;
/** Set by nextWordHash: the hash of the word without its final "s", or NO_WORD. */
let nextWordStem = NO_WORD;

export class Matcher {
  private readonly mask: number;
  private readonly keys: Int32Array;
  /** Bucket number + 1 for each slot; 0 = empty. */
  private readonly slots: Int32Array;
  /** Per bucket: form indexes, longest first. */
  private readonly buckets: number[][] = [];
  /** Per form: hash of its second word (NO_WORD for one-word forms). */
  private readonly second: Int32Array;
  readonly size: number;

  constructor(private readonly forms: readonly MatchForm[]) {
    let cap = 1024;
    while (cap < forms.length * 4) cap <<= 1;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap);
    this.slots = new Int32Array(cap);
    const byHash = new Map<number, number[]>();
    forms.forEach((f, i) => {
      if (!f.folded || !WORD[f.folded.charCodeAt(0)]) return;
      const h = firstWordHash(f.folded);
      const list = byHash.get(h);
      if (list) list.push(i);
      else byHash.set(h, [i]);
    });
    for (const [h, list] of byHash) {
      // Longest first; at equal length a case-sensitive form first ("Tass" before "TASS").
      list.sort(
        (a, b) =>
          forms[b]!.folded.length - forms[a]!.folded.length ||
          Number(forms[b]!.caseSensitive) - Number(forms[a]!.caseSensitive),
      );
      this.buckets.push(list);
      let s = h & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.keys[s] = h;
      this.slots[s] = this.buckets.length;
    }
    this.size = forms.length;
    this.second = new Int32Array(forms.length);
    forms.forEach((f, i) => {
      let end = 0;
      while (end < f.folded.length && WORD[f.folded.charCodeAt(end)] === 1) end++;
      this.second[i] = end >= f.folded.length ? NO_WORD : nextWordHash(f.folded, end, false);
    });
  }

  private bucket(h: number): number[] | undefined {
    let s = h & this.mask;
    for (;;) {
      const b = this.slots[s]!;
      if (b === 0) return undefined;
      if (this.keys[s] === h) return this.buckets[b - 1];
      s = (s + 1) & this.mask;
    }
  }

  /**
   * All leftmost-longest, non-overlapping occurrences of the forms in text, whole words only.
   * A form followed directly by "s" (no apostrophe) and then a word boundary is reported with
   * droppedApostrophe, when the word starts with a capital letter.
   */
  scan(text: string, out: Mention[] = []): Mention[] {
    const n = text.length;
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    const buckets = this.buckets;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (WORD[c] === 0) {
        i++;
        continue;
      }
      const start = i;
      let h = 0;
      let prev = 0;
      do {
        prev = h;
        h = (Math.imul(h, 31) + FOLD[c]!) | 0;
        if (++i >= n) break;
        c = text.charCodeAt(i);
      } while (WORD[c] === 1);
      // Look the word's hash up (open addressing, inlined: this is the hot path).
      let s = h & mask;
      let b = slots[s]!;
      while (b !== 0 && keys[s] !== h) {
        s = (s + 1) & mask;
        b = slots[s]!;
      }
      let matched = b === 0 ? -1 : this.tryBucket(buckets[b - 1]!, text, start, i, false, out);
      if (matched < 0 && i - start > 3 && FOLD[text.charCodeAt(i - 1)] === 115 && UPPER[text.charCodeAt(start)] === 1) {
        const b2 = this.bucket(prev);
        if (b2 !== undefined) matched = this.tryBucket(b2, text, start, i, true, out);
      }
      if (matched > i) i = matched;
    }
    return out;
  }

  private tryBucket(bucket: number[], text: string, start: number, wordEnd: number, droppedOnly: boolean, out: Mention[]): number {
    let next = 0;
    let nextStem = NO_WORD;
    let nextKnown = false;
    for (let k = 0; k < bucket.length; k++) {
      const fi = bucket[k]!;
      const want = this.second[fi]!;
      if (want !== NO_WORD) {
        if (!nextKnown) {
          next = nextWordHash(text, wordEnd, true);
          nextStem = nextWordStem;
          nextKnown = true;
        }
        if (next !== want && nextStem !== want) continue;
      }
      const f = this.forms[fi]!;
      const end = verify(f, text, start);
      if (end < 0) continue;
      const n = text.length;
      let stop = end;
      let dropped = false;
      if (end < n && WORD[text.charCodeAt(end)] === 1) {
        // The form ends inside a longer word: only "<form>s" + boundary counts, as a dropped apostrophe.
        if (
          FOLD[text.charCodeAt(end)] === 115 &&
          (end + 1 >= n || WORD[text.charCodeAt(end + 1)] === 0) &&
          WORD[text.charCodeAt(end - 1)] === 1 &&
          UPPER[text.charCodeAt(start)] === 1
        ) {
          stop = end + 1;
          dropped = true;
        } else continue;
      } else if (droppedOnly) continue;
      if (f.exceptions.length && inException(f, text, start, end)) continue;
      out.push({ form: fi, start, end: stop, droppedApostrophe: dropped });
      return stop;
    }
    return -1;
  }
}

/** Match form f at text[start..]; returns the end offset or -1. Spaces in the form match any run of whitespace. */
function verify(f: MatchForm, text: string, start: number): number {
  const p = f.caseSensitive ? f.text : f.folded;
  const n = text.length;
  let j = start;
  for (let k = 0; k < p.length; k++) {
    const pc = p.charCodeAt(k);
    if (pc === SPACE) {
      if (j >= n || !isSpaceCode(text.charCodeAt(j))) return -1;
      while (j < n && isSpaceCode(text.charCodeAt(j))) j++;
      continue;
    }
    if (j >= n) return -1;
    const tc = text.charCodeAt(j);
    if (f.caseSensitive) {
      if (tc !== pc && (WORD[pc] === 1 || FOLD[tc] !== FOLD[pc])) return -1;
    } else if (FOLD[tc] !== pc) return -1;
    j++;
  }
  return j;
}

function inException(f: MatchForm, text: string, start: number, end: number): boolean {
  for (const ex of f.exceptions) {
    if (ex.before) {
      const window = foldText(text.slice(Math.max(0, start - ex.before.length - 8), start) + 'x');
      // The 'x' keeps a trailing space from being trimmed; compare without it.
      const w = window.slice(0, -1);
      if (!w.endsWith(ex.before)) continue;
      const cut = w.length - ex.before.length;
      if (cut > 0 && WORD[w.charCodeAt(cut - 1)] === 1 && WORD[ex.before.charCodeAt(0)] === 1) continue;
    }
    if (ex.after) {
      // The 'x' keeps a leading space from being dropped by foldText; compare without it.
      const window = foldText('x' + text.slice(end, end + ex.after.length + 8)).slice(1);
      if (!window.startsWith(ex.after)) continue;
      const next = window.charCodeAt(ex.after.length);
      if (ex.after.length < window.length && WORD[next] === 1 && WORD[ex.after.charCodeAt(ex.after.length - 1)] === 1) continue;
    }
    return true;
  }
  return false;
}

/** Split each exception phrase around the form it contains. */
export function compileExceptions(formFolded: string, exceptions: readonly string[]): { before: string; after: string }[] {
  const out: { before: string; after: string }[] = [];
  for (const e of exceptions) {
    const fe = foldText(e);
    const at = fe.indexOf(formFolded);
    if (at < 0) continue;
    out.push({ before: fe.slice(0, at), after: fe.slice(at + formFolded.length) });
  }
  return out;
}
