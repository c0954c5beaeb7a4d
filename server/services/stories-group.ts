// Grouping rewrites of one event into stories, as pure functions. Two articles belong together when
// they are dated close to each other (within WINDOW_DAYS; an undated article is compared by its
// text alone) and they are alike: in their words (cosine over content words) and in the names and
// numbers they share (capitalised names, counts). An article joins the story of its most alike
// neighbour when the likeness reaches THRESHOLD, else it starts a new story.
//
// The constants are general, not fitted to a corpus: rewrites of one event (translations from
// different languages, cut differently) typically share a third or more of their content words and
// most of their names and numbers; stories about different events of the same kind share the topic
// words but few names and numbers. tests/stories.test.ts checks both on synthetic pairs.
import crypto from 'node:crypto';

/** Articles dated further apart than this (days) are never grouped together automatically. */
export const WINDOW_DAYS = 3;
/** The likeness an article needs with a story's article to join the story. */
export const THRESHOLD = 0.3;
/** Weight of word likeness in the score (the rest: shared names and numbers). */
export const TEXT_WEIGHT = 0.5;
/** A story that has this many articles takes no more automatically (a running topic, not one event). */
export const MAX_AUTO_MEMBERS = 50;
/** Words read per article: the lead carries the event; this bounds the work on long texts. */
const MAX_WORDS = 500;

export interface GroupDoc {
  date: string | null;
  title?: string | null;
  text: string;
}

export interface Signature {
  /** Day number of the date (days since 1970-01-01), or null when undated. */
  day: number | null;
  /** Content words (light stemming) as sorted 32-bit hashes, with their sublinear weights, L2-normalised. */
  terms: Uint32Array;
  weights: Float64Array;
  /** Names ('n:…') and numbers ('#…') the text mentions, as sorted 32-bit hashes. */
  entities: Uint32Array;
}

const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each either even ever every few for from further had has have having he her here hers
  herself him himself his how however i if in into is it its itself just last like made make many may me might more most much
  must my myself new next no nor not now of off on once one only or other our ours ourselves out over own per said same say
  says she should since so some still such than that the their theirs them themselves then there these they this those
  through to too two under until up upon us very was we were what when where whether which while who whom whose why will with
  within without would yet you your yours yourself also among according including told added while week year years day days
  monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
  january february march april may june july august september october november december`.split(/\s+/),
);

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (yyyy-mm-dd…), or null. */
export function dayNumber(date: string | null | undefined): number | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  return Number.isNaN(t) ? null : Math.round(t / DAY_MS);
}

/** A light stem: lower case, possessive and plural endings off. */
function stem(w: string): string {
  let s = w.toLowerCase();
  if (s.includes("'") || s.includes('’')) s = s.replace(/['’]s$/, '').replace(/['’]/g, '');
  if (s.length > 4 && s.endsWith('ies')) s = s.slice(0, -3) + 'y';
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us')) s = s.slice(0, -1);
  return s;
}

const WORD_RE = /[\p{L}\p{M}][\p{L}\p{M}'’-]*|\d[\d,.]*\d|\d/gu;
const UPPER_RE = /^\p{Lu}/u;
/** Characters that end a sentence (or a heading line) for the purpose of spotting names. */
const BREAKS = new Set([...'.!?:;\n"“”|'].map((c) => c.charCodeAt(0)));

/**
 * A spelling key for a name word, so that transliterations meet (Zelensky/Zelenski, Donbass/Dunbas,
 * Kiev/Kyiv): the first letter, then the consonants, y and w counted as vowels, repeats collapsed.
 */
export function nameKey(word: string): string {
  const w = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  let out = w[0] ?? '';
  for (let i = 1; i < w.length; i++) {
    const c = w[i]!;
    if (!/[a-z]/.test(c) || 'aeiouyw'.includes(c) || out.endsWith(c)) continue;
    out += c;
  }
  return out;
}

/** The signature of an article: what the grouping compares. */
export function signature(doc: GroupDoc): Signature {
  const text = doc.title && !doc.text.includes(doc.title) ? `${doc.title}\n${doc.text}` : doc.text;
  const counts = new Map<string, number>();
  const entities = new Set<string>();
  const lowerSeen = new Set<string>();
  const capitalised: string[] = [];
  let atSentenceStart = true;
  let n = 0;
  let last = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m && n < MAX_WORDS; m = WORD_RE.exec(text)) {
    for (let i = last; i < m.index; i++) if (BREAKS.has(text.charCodeAt(i))) atSentenceStart = true;
    last = m.index + m[0].length;
    const raw = m[0];
    n++;
    if (/^\d/.test(raw)) {
      atSentenceStart = false;
      const num = raw.replace(/,(?=\d{3}\b)/g, '');
      if (/^\d+$/.test(num)) {
        const v = Number(num);
        // Numbers from 10 up, not years: head counts, sums, tallies.
        if (v >= 10 && !(num.length === 4 && v >= 1900 && v <= 2100)) entities.add(`#${v}`);
      }
      continue;
    }
    const s = stem(raw);
    if (UPPER_RE.test(raw)) {
      // A capitalised word that opens a sentence is not known to be a name.
      if (!atSentenceStart) capitalised.push(s);
    } else lowerSeen.add(s);
    atSentenceStart = false;
    if (s.length < 3 || STOP.has(s)) continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  // Name words: capitalised inside a sentence, and never written in lower case in the text
  // (which leaves out titles and common words: "President", "Ministry", "Agreement").
  for (const s of capitalised) {
    if (s.length > 2 && !STOP.has(s) && !lowerSeen.has(s)) entities.add(`n:${nameKey(s)}`);
  }
  // Hashes (FNV-1a) sorted, so that two signatures compare in one merge pass.
  const weighted = new Map<number, number>();
  for (const [w, c] of counts) {
    const h = fnv(w);
    weighted.set(h, (weighted.get(h) ?? 0) + 1 + Math.log(c));
  }
  const terms = Uint32Array.from(weighted.keys()).sort();
  const weights = new Float64Array(terms.length);
  let norm = 0;
  terms.forEach((h, i) => {
    weights[i] = weighted.get(h)!;
    norm += weights[i]! * weights[i]!;
  });
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
  return { day: dayNumber(doc.date), terms, weights, entities: Uint32Array.from(new Set([...entities].map(fnv))).sort() };
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Cosine of two normalised term vectors (sorted hashes and their weights). */
function cosine(a: Signature, b: Signature): number {
  let dot = 0;
  for (let i = 0, j = 0; i < a.terms.length && j < b.terms.length; ) {
    const x = a.terms[i]!;
    const y = b.terms[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return dot;
}

/** Shared names and numbers: |A ∩ B| / √(|A|·|B|), each side counted as at least 4 (a few shared names prove little). */
function entityOverlap(a: Uint32Array, b: Uint32Array): number {
  if (!a.length || !b.length) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / Math.sqrt(Math.max(4, a.length) * Math.max(4, b.length));
}

export interface Likeness {
  text: number;
  entities: number;
  score: number;
}

/** How alike two articles are (0…1). */
export function likeness(a: Signature, b: Signature): Likeness {
  const text = cosine(a, b);
  const entities = entityOverlap(a.entities, b.entities);
  return { text, entities, score: TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * entities };
}

/** May these two be grouped, by their dates (undated: yes, by text alone)? */
export function inWindow(a: Signature, b: Signature, days = WINDOW_DAYS): boolean {
  return a.day === null || b.day === null || Math.abs(a.day - b.day) <= days;
}

/** A grouped article the grouping may attach others to. */
export interface Grouped {
  story: string;
  sig: Signature;
}

/**
 * The story a new article belongs to among the grouped ones: that of its most alike article within
 * the date window, when alike enough and the story is not full (size: members per story). Null: a new story.
 */
export function bestStory(
  sig: Signature,
  grouped: Iterable<Grouped>,
  size: (story: string) => number = () => 0,
): { story: string; likeness: Likeness } | null {
  let best: { story: string; likeness: Likeness } | null = null;
  for (const g of grouped) {
    if (!inWindow(sig, g.sig)) continue;
    const l = likeness(sig, g.sig);
    if (l.score < THRESHOLD || (best && l.score <= best.likeness.score)) continue;
    if (size(g.story) >= MAX_AUTO_MEMBERS) continue;
    best = { story: g.story, likeness: l };
  }
  return best;
}

/** A key for an automatically made story: auto-<date or "undated">-<8 hex of the slug>. */
export function autoKey(slug: string, date: string | null): string {
  const day = date && /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : 'undated';
  return `auto-${day}-${crypto.createHash('sha256').update(slug, 'utf8').digest('hex').slice(0, 8)}`;
}

/**
 * Group articles from scratch (pure): in date order (undated last), each joins the best story among
 * those before it, or starts one. Returns the group index of each input article.
 */
export function groupAll(docs: readonly GroupDoc[]): number[] {
  const order = docs.map((_, i) => i).sort((i, j) => (dayNumber(docs[i]!.date) ?? Infinity) - (dayNumber(docs[j]!.date) ?? Infinity) || i - j);
  const out: number[] = new Array(docs.length);
  const grouped: Grouped[] = [];
  const sizes = new Map<string, number>();
  let next = 0;
  for (const i of order) {
    const sig = signature(docs[i]!);
    const best = bestStory(sig, grouped, (s) => sizes.get(s) ?? 0);
    const story = best ? best.story : String(next++);
    grouped.push({ story, sig });
    sizes.set(story, (sizes.get(story) ?? 0) + 1);
    out[i] = Number(story);
  }
  return out;
}
