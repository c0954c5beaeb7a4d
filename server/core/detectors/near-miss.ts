// near-miss: capitalised words that are in no concept but look like an unseen variant of a known
// name ("Dunbas" for Donbas, "Poloshenko" for Poroshenko, "Lugansk" for Luhansk).
//
// Raw spelling is not enough (Dice scores "Kiev"/"Kyiv" 0.0 but "Zelensky"/"Zelenko" 0.6), so words
// are compared on transliteration keys (see glossary/keys.ts), and candidates come from a
// symmetric-delete index over those keys: a handful of hash look-ups per word whatever the
// glossary size, instead of comparing every word with every concept. A candidate must then also
// be close in plain spelling, so correct names that merely look alike stay clean.
import stringSimilarity from 'string-similarity';
import type { CompiledGlossary } from '../glossary/compile.ts';
import { deletions, translitKey } from '../glossary/keys.ts';
import { UPPER, WORD } from '../text.ts';
import type { Detector, Finding } from '../types.ts';
import { possessive } from './glossary.ts';

interface Target {
  concept: number;
  /** The correct word or phrase the key came from. */
  word: string;
  key: string;
  plain: string;
}

interface Index {
  exact: Map<string, Target[]>;
  deleted: Map<string, Target[]>;
  /** Folded words that are forms (or parts of forms) of the glossary: never near-misses. */
  known: Set<string>;
  memo: Map<string, Target | null>;
}

const MIN_WORD = 5;
const MIN_KEY = 4;
/** Key similarity needed when the keys are not equal (they must still start alike). */
const KEY_DICE = 0.9;
/** Plain-spelling similarity needed in every case. */
const PLAIN_DICE = 0.55;
/** A surname shorter than this is not indexed on its own: short surnames collide with ordinary names. */
const MIN_SURNAME = 7;
const MEMO_CAP = 100_000;

export function plain(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function push(map: Map<string, Target[]>, k: string, t: Target) {
  const list = map.get(k);
  if (!list) map.set(k, [t]);
  else if (!list.some((x) => x.concept === t.concept && x.word === t.word)) list.push(t);
}

function buildIndex(g: CompiledGlossary): Index {
  const exact = new Map<string, Target[]>();
  const deleted = new Map<string, Target[]>();
  const known = new Set<string>();
  const add = (word: string, concept: number) => {
    const key = translitKey(word);
    if (word.length < MIN_WORD || key.length < MIN_KEY) return;
    const t: Target = { concept, word, key, plain: plain(word) };
    push(exact, key, t);
    for (const d of deletions(key)) push(deleted, d, t);
  };
  for (const f of g.forms) {
    for (const w of f.text.split(/[\s-]+/)) known.add(plain(w));
    // Correct spellings only: artefact variants are found exactly by the glossary detector.
    if (f.role === 'variant' && f.kind !== 'house-style') continue;
    const words = f.text.split(/\s+/);
    if (words.length === 1) add(f.text, f.concept);
    else if (g.concepts[f.concept]!.type === 'person') {
      // A person's surname stands alone in copy: index the last word of the full name.
      const surname = words[words.length - 1]!;
      if (surname.length >= MIN_SURNAME) add(surname, f.concept);
    }
  }
  return { exact, deleted, known, memo: new Map() };
}

function closest(word: string, idx: Index): Target | null {
  const key = translitKey(word);
  if (key.length < MIN_KEY) return null;
  const p = plain(word);
  const cands = new Set<Target>();
  for (const t of idx.exact.get(key) ?? []) cands.add(t);
  for (const t of idx.deleted.get(key) ?? []) cands.add(t);
  for (const d of deletions(key)) {
    for (const t of idx.exact.get(d) ?? []) cands.add(t);
    for (const t of idx.deleted.get(d) ?? []) cands.add(t);
  }
  let best: Target | null = null;
  let bestScore = 0;
  for (const t of cands) {
    if (t.plain === p) return null; // it is the correct form
    if (Math.abs(t.plain.length - p.length) > 2) continue;
    if (isDerived(p, t.plain)) continue; // "Moldovan", "Hungarian": a derived word, not a misspelling
    const keyScore = t.key === key ? 1 : t.key[0] === key[0] ? stringSimilarity.compareTwoStrings(t.key, key) : 0;
    if (keyScore < KEY_DICE) continue;
    const plainScore = stringSimilarity.compareTwoStrings(t.plain, p);
    if (plainScore < PLAIN_DICE) continue;
    const score = keyScore + plainScore;
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

/** True when word is name plus an ending (demonyms, plurals): it shares all of name but its last letter. */
function isDerived(word: string, name: string): boolean {
  if (word.length <= name.length) return false;
  let i = 0;
  while (i < name.length && word[i] === name[i]) i++;
  return i >= name.length - 1;
}

function lookup(word: string, idx: Index): Target | null {
  const hit = idx.memo.get(word);
  if (hit !== undefined) return hit;
  const r = closest(word, idx);
  if (idx.memo.size >= MEMO_CAP) idx.memo.clear();
  idx.memo.set(word, r);
  return r;
}

export const nearMissDetector: Detector = {
  id: 'near-miss',
  description: 'Capitalised names in no concept that look like an unseen spelling of a known name.',
  priority: 30,
  scope: 'span',
  detect(ctx) {
    const { text, glossary: g } = ctx;
    const idx = g.cache('near-miss', buildIndex);
    const mentions = ctx.mentions();
    const out: Finding[] = [];
    let mi = 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (WORD[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      const start = i;
      let allUpper = true;
      while (i < n && WORD[text.charCodeAt(i)] === 1) {
        if (UPPER[text.charCodeAt(i)] === 0) allUpper = false;
        i++;
      }
      const end = i;
      if (end - start < MIN_WORD || UPPER[text.charCodeAt(start)] === 0 || allUpper) continue;
      while (mi < mentions.length && mentions[mi]!.end <= start) mi++;
      if (mi < mentions.length && mentions[mi]!.start < end) continue; // part of a glossary form
      const word = text.slice(start, end);
      if (idx.known.has(plain(word))) continue;
      // A trailing "s" may be a possessive that lost its apostrophe ("Poloshenkos"): prefer that reading.
      let t: Target | null = null;
      let dropped = false;
      if (word.length > MIN_WORD && (word.endsWith('s') || word.endsWith('S'))) {
        const stem = word.slice(0, -1);
        if (!idx.known.has(plain(stem))) t = lookup(stem, idx);
        dropped = t !== null;
      }
      if (!t) t = lookup(word, idx);
      if (!t) continue;
      const concept = g.concepts[t.concept]!;
      const base = t.word;
      const suggestion = dropped ? possessive(base) : base;
      out.push({
        detector: 'near-miss',
        kind: 'name-variant',
        severity: 'warning',
        start,
        end,
        text: word,
        suggestion,
        concept: concept.id,
        message: `"${word}" looks like a variant spelling of "${base}" (${concept.type}: ${concept.canonical})${dropped ? ', and the possessive lost its apostrophe' : ''}`,
      });
    }
    return out;
  },
};
