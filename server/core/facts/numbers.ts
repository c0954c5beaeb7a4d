// Numbers and what they count: "390 Ukrainian prisoners", "a total of 390 prisoners", "thirty-five
// soldiers", "1.000 people from each side", "35 for 35". Only a number followed by a countable noun
// (or an exchange formula) becomes a fact; years, dates, times, ages, percentages, money, ordinals,
// phone numbers and codes like COVID-19 are skipped.
import { isWordAt } from '../text.ts';
import {
  APPROX_BEFORE, IRREGULAR_PLURALS, MONTHS, PEOPLE_PARTICIPLES, PLAN_WORDS, STOP_WORDS, UNIT_WORDS,
  canonical, isHumanKey, singular,
} from './lexicon.ts';
import { nextWord, prevWord, spanAt, wordsIn, type Span, type Word } from './tokens.ts';
import type { RichFact } from './types.ts';

export interface Num extends Span {
  value: number;
  /** Spelled out ("thirty-five"). */
  words: boolean;
}

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9 };
const MULTIPLIERS: Record<string, number> = { thousand: 1e3, million: 1e6, mln: 1e6, billion: 1e9, bn: 1e9 };

/** "1,000" and "1.000" (thousands), "2.5" (decimal), "390"; null for anything else ("1.2.3"). */
export function parseDigits(raw: string): number | null {
  const seps = raw.match(/[,.\u00a0\u202f]/g) ?? [];
  const parts = raw.split(/[,.\u00a0\u202f]/);
  if (seps.length === 0) return Number(raw);
  const same = seps.every((s) => s === seps[0]);
  if (same && parts[0]!.length <= 3 && parts[0] !== '0' && parts.slice(1).every((p) => p.length === 3)) return Number(parts.join(''));
  if (seps.length === 1 && (seps[0] === '.' || seps[0] === ',')) return Number(`${parts[0]}.${parts[1]}`);
  return null;
}

/** Parse a run of number words starting at words[i]. */
function parseWordNumber(text: string, words: readonly Word[], i: number): { value: number; last: number } | null {
  let total = 0;
  let current = 0;
  let last: 'start' | 'small' | 'ten' | 'hundred' | 'scale' = 'start';
  let lastIdx = -1;
  let any = false;
  for (let k = i; k < words.length; k++) {
    const w = words[k]!;
    if (k > i && !/^[ \t\u00a0]+$/.test(text.slice(words[k - 1]!.end, w.start))) break;
    const l = w.lower;
    if (l === 'and' || l === 'a') {
      if (l === 'and' && last !== 'hundred' && last !== 'scale') break;
      if (l === 'a' && k !== i) break;
      const nx = words[k + 1];
      if (!nx || !(nx.lower in (l === 'a' ? { hundred: 1, ...SCALES } : { ...SMALL, ...TENS }))) break;
      continue;
    }
    const atoms = l.split(/[-‑]/);
    if (!atoms.every((a) => a in SMALL || a in TENS || a === 'hundred' || a in SCALES)) break;
    if (last === 'start' && !(atoms[0]! in SMALL || atoms[0]! in TENS) && !(k > i && words[k - 1]!.lower === 'a')) break; // "million" alone
    let ok = true;
    const save = { total, current, last };
    for (const a of atoms) {
      if (a in SMALL) {
        if (last === 'small' || (last === 'ten' && SMALL[a]! >= 10) || (last === 'ten' && SMALL[a] === 0)) ok = false;
        else (current += SMALL[a]!), (last = 'small');
      } else if (a in TENS) {
        if (last === 'small' || last === 'ten') ok = false;
        else (current += TENS[a]!), (last = 'ten');
      } else if (a === 'hundred') {
        if (last === 'hundred' || last === 'ten') ok = false;
        else (current = (current || 1) * 100), (last = 'hundred');
      } else {
        total += (current || 1) * SCALES[a]!;
        current = 0;
        last = 'scale';
      }
      if (!ok) break;
    }
    if (!ok) {
      ({ total, current, last } = save);
      break;
    }
    any = true;
    lastIdx = k;
  }
  return any ? { value: total + current, last: lastIdx } : null;
}

/** Every number of the text, digits or words, with a following multiplier ("2.5 million") folded in. */
export function findNumbers(text: string): Num[] {
  const out: Num[] = [];
  for (const m of text.matchAll(/\d+(?:[,.\u00a0\u202f]\d+)*/g)) {
    let value = parseDigits(m[0]);
    if (value === null) continue;
    let end = m.index + m[0].length;
    const mw = nextWord(text, end);
    if (mw && mw.lower in MULTIPLIERS) {
      value *= MULTIPLIERS[mw.lower]!;
      end = mw.end;
    }
    out.push({ start: m.index, end, value: Math.round(value * 1000) / 1000, words: false });
  }
  const words = wordsIn(text, 0, text.length);
  for (let i = 0; i < words.length; i++) {
    const p = parseWordNumber(text, words, i);
    if (!p) continue;
    const w0 = words[i]!;
    const atom = w0.lower.split(/[-‑]/);
    if (atom.length > 1 && !atom.every((a) => a in SMALL || a in TENS)) continue;
    out.push({ start: w0.start, end: words[p.last]!.end, value: p.value, words: true });
    i = p.last;
  }
  return out.sort((a, b) => a.start - b.start);
}

const YEAR_BEFORE = new Set('in since of by until till from before after during year early late mid the spring summer autumn fall winter'.split(' '));
const CURRENCY_BEFORE = /(?:[$€£¥₴₽₹]|\b(?:usd|eur|uah|rub|gbp|us\$|rs\.?))\s*$/i;

/** True when the number is not a head count whatever follows: a year, age, time, code, money, range… */
function isNoise(text: string, n: Num, exchangeTail: boolean): boolean {
  const before = text.slice(Math.max(0, n.start - 12), n.start);
  const after = text.slice(n.end, n.end + 12);
  if (CURRENCY_BEFORE.test(before) || /(?:[+#№]\s*|\d[:/.])$/.test(before)) return true;
  if (!n.words) {
    if (isWordAt(text, n.start - 1)) return true;
    if (/[-‑–]$/.test(before) && isWordAt(text, n.start - 2) && !/(?:for|x)\s*[-‑–]$/i.test(before)) return true;
    if (/\d[ \t]+$/.test(before) || /^[ \t]+\d/.test(after)) return true; // phone numbers, digit groups
    if (/^\p{L}/u.test(after) && !/^[x×]\s*\d/i.test(after)) return true; // 7th, 10pm, 1990s
    if (n.end - n.start === 4 && n.value >= 1800 && n.value <= 2100) {
      const pw = prevWord(text, n.start);
      if (!pw || YEAR_BEFORE.has(pw.lower) || pw.lower in MONTHS) return true;
    }
  }
  if (/^\s*(?:%|‰|per\s*cent|percent)/i.test(after)) return true;
  if (/^:\d/.test(after) || /^[-‑–/]\d/.test(after)) return true; // times, ranges, dates
  if (/^[-‑–]\p{L}/u.test(after) && !exchangeTail) return true; // 30-day, 35-year-old
  if (/^\s+years?[ -]old\b/i.test(after)) return true;
  const pw = prevWord(text, n.start);
  if (pw && (pw.lower === 'aged' || pw.lower === 'age' || pw.lower === 'ages')) return true;
  return Number.isInteger(n.value) === false;
}

const NOT_NOUNS = new Set(
  'always perhaps towards afterwards besides whereas various numerous previous its has was does goes this thus across less unless news series species politics means whereas'.split(' '),
);

function isCountNoun(w: Word): boolean {
  const l = w.lower;
  if (l in IRREGULAR_PLURALS || (l.endsWith('men') && l.length > 4)) return true;
  if (!/s$/.test(l) || l.length < 4 || NOT_NOUNS.has(l) || STOP_WORDS.has(l) || UNIT_WORDS.has(l)) return false;
  if (/\p{Lu}/u.test(w.text[0]!)) return /(?:ans|is|ese)$/.test(l) || /^[A-Z]+s$/.test(w.text); // Ukrainians, Israelis, POWs
  return !/(?:ss|us|is|ous)$/.test(l);
}

function lemmaOf(noun: Word, before: Word | null, text: string): { key: string; end: number } {
  let lemma = singular(noun.lower.replace(/[-‑]/g, ' '));
  let end = noun.end;
  if (before && before.lower === 'service' && /^(?:members|men|personnel)$/.test(noun.lower)) lemma = 'service member';
  if (before && before.lower === 'military' && noun.lower === 'personnel') lemma = 'military personnel';
  const tail = /^\s+of\s+war\b/i.exec(text.slice(end, end + 10));
  if (lemma === 'prisoner' && tail) {
    lemma = 'prisoner of war';
    end += tail[0].length;
  }
  return { key: canonical(lemma), end };
}

/** The nearest word of the sentence naming people, as a key ('prisoner' from "prisoner swap"). */
export function humanKeyNear(text: string, sentence: Span, at: number): string | null {
  let best: { key: string; d: number } | null = null;
  for (const w of wordsIn(text, sentence.start, sentence.end)) {
    const key = canonical(singular(w.lower));
    if (!isHumanKey(key) || key === 'member' || key === 'crew') continue;
    const d = Math.abs(w.start - at);
    if (!best || d < best.d) best = { key, d };
  }
  return best?.key ?? null;
}

const EACH_AFTER =
  /^[ \t]+(?:apiece|per (?:side|country|party)|(?:from|on|for|by) (?:each|either) (?:side|country|party)|from each|each(?=[ \t]*(?:[,.;:)!?\r\n]|$)|[ \t]+(?:on|in|at|from|by|to|after|during|with|under|and|but|as|since|last|this|over|before)\b))\b/i;
const TOTAL_AFTER = /^[ \t]+(?:in total|in all|altogether|combined|overall|total)\b/i;
const TOTAL_BEFORE = /(?:\ba[ \t]+)?\b(?:total|combined)[ \t]+(?:of[ \t]+)?$/i;
/** "each side released 35 …", "each of the two sides handed over 35 …". */
const EACH_CLAUSE_BEFORE =
  /\beach[ \t]+(?:side|country|party|of the (?:two[ \t]+)?(?:sides|countries|parties))[ \t]+(?:(?:has|have|had|then|also|reportedly|will|would|is|was|to|be|been|over)[ \t]+){0,3}(?:releas|free|return|hand|exchang|swap|sen[dt]|receiv|gave|give|transferr?|repatriat|got|get)[\p{L}]*[ \t]+(?:over[ \t]+|back[ \t]+)?$/iu;
const EXCHANGE_CONTEXT = /exchang|swap|trade|prisoner|captive|detainee|releas|formula|basis|format|method|scheme|deal|\bpow/i;
const EXCHANGE_VERB_BEFORE = /\b(?:exchang\w*|swap\w*|free\w*|releas\w*|return\w*|trad\w*)\s+(?:[\p{L}-]+\s+){0,2}$/iu;

export interface CountContext {
  sentences: readonly Span[];
  headline: readonly Span[];
  /** Spans already taken (dates): numbers inside are not counts. */
  exclude: readonly Span[];
}

/** Counts and exchange formulas of a text. */
export function extractCounts(text: string, ctx: CountContext): RichFact[] {
  const nums = findNumbers(text).filter((n) => !ctx.exclude.some((s) => n.start < s.end && s.start < n.end));
  const out: RichFact[] = [];
  const used = new Set<Num>();
  const byStart = new Map(nums.map((n) => [n.start, n]));
  for (const n of nums) {
    if (used.has(n)) continue;
    const sentence = spanAt(ctx.sentences, n.start) ?? { start: n.start, end: n.end };
    const inHead = ctx.headline.some((h) => n.start >= h.start && n.end <= h.end);
    const planned = PLAN_WORDS.test(text.slice(Math.max(sentence.start, n.start - 60), n.start)) || PLAN_WORDS.test(text.slice(n.end, Math.min(sentence.end, n.end + 40)));
    // Exchange formula: "35 for 35", "35-for-35", "1,000-for-1,000", "35 x 35".
    const link = /^[ \t]*([-‑–])?[ \t]*(for|x|×)[ \t]*([-‑–])?[ \t]*/i.exec(text.slice(n.end, n.end + 12));
    const second = link ? byStart.get(n.end + link[0].length) : undefined;
    if (link && second && Number.isInteger(n.value) && Number.isInteger(second.value) && n.value >= 1 && n.words === second.words) {
      const hyphenated = !!(link[1] && link[3]);
      if ((hyphenated || EXCHANGE_CONTEXT.test(text.slice(sentence.start, sentence.end))) && !isNoise(text, n, true) && !isNoise(text, second, false)) {
        used.add(second);
        let key: string | null = null;
        let w = nextWord(text, second.end);
        for (let k = 0; w && k < 3 && !key; k++, w = nextWord(text, w.end)) {
          const c = canonical(singular(w.lower));
          if (isHumanKey(c)) key = c;
        }
        key ??= humanKeyNear(text, sentence, n.start) ?? 'person';
        out.push({
          type: 'exchange', start: n.start, end: second.end, text: text.slice(n.start, second.end), key,
          value: `${n.value}-${second.value}`, scope: n.value === second.value ? 'each' : null,
          inHeadline: inHead, num: n.value, num2: second.value, human: true, planned,
        });
        continue;
      }
    }
    if (n.value < 2 || isNoise(text, n, false)) continue;
    const approx = APPROX_BEFORE.test(text.slice(Math.max(sentence.start, n.start - 20), n.start));
    // The counted noun: up to four adjectives, then a plural noun ("390 Ukrainian prisoners").
    let noun: Word | null = null;
    let before: Word | null = null;
    let w = nextWord(text, n.end);
    if (w && w.lower === 'of') {
      const det = nextWord(text, w.end);
      w = det && /^(?:the|these|those)$/.test(det.lower) ? nextWord(text, det.end) : null;
    }
    for (let k = 0; w && k <= 4; k++) {
      if (k === 0 && UNIT_WORDS.has(w.lower)) break;
      if (isCountNoun(w)) {
        noun = w;
        break;
      }
      if (STOP_WORDS.has(w.lower) || UNIT_WORDS.has(w.lower) || /^\p{N}/u.test(w.lower) || k === 4) break;
      if (k === 0 && (w.lower === 'and' || w.lower === 'or')) break;
      before = w;
      w = nextWord(text, w.end);
    }
    let start = n.start;
    let end = n.end;
    let key: string;
    if (noun) {
      const l = lemmaOf(noun, before, text);
      key = l.key;
      end = l.end;
    } else {
      const first = nextWord(text, n.end);
      const implied =
        (first && PEOPLE_PARTICIPLES.has(first.lower)) ||
        EACH_AFTER.test(text.slice(n.end, n.end + 30)) ||
        (inHead && EXCHANGE_VERB_BEFORE.test(text.slice(Math.max(sentence.start, n.start - 40), n.start)) && !first);
      if (!implied) continue;
      key = humanKeyNear(text, sentence, n.start) ?? 'person';
    }
    let scope: 'each' | 'total' | null = null;
    const tailEach = EACH_AFTER.exec(text.slice(end, end + 30));
    const tailTotal = TOTAL_AFTER.exec(text.slice(end, end + 20));
    const headBefore = text.slice(Math.max(sentence.start, start - 20), start);
    const headTotal = TOTAL_BEFORE.exec(headBefore);
    if (tailEach) {
      scope = 'each';
      end += tailEach[0].length;
    } else if (tailTotal) {
      scope = 'total';
      end += tailTotal[0].length;
    } else if (headTotal) {
      scope = 'total';
      start -= headTotal[0].length;
      while (/\s/.test(text[start]!)) start++;
    } else if (EACH_CLAUSE_BEFORE.test(text.slice(Math.max(sentence.start, start - 60), start))) {
      scope = 'each';
    }
    out.push({
      type: 'count', start, end, text: text.slice(start, end), key, value: String(n.value), scope,
      inHeadline: inHead, num: n.value, approx, human: isHumanKey(key) || (!!noun && /^\p{Lu}/u.test(noun.text)), planned,
    });
  }
  return out;
}
