// Dates and what they date. Absolute dates ("September 7", "7 September 2019", "Sept. 7, 2019",
// "2019-09-07", "07.09.2019", "February 2022") take a missing year from the article's date;
// relative ones ("yesterday", "on Friday", "on the 7th") are resolved against it. Each date gets the
// event it dates ('exchange', 'talks', 'statement'…) from the words of its clause.
import { MONTHS, TRIGGERS, WEEKDAYS } from './lexicon.ts';
import { nextWord, prevWord, spanAt, wordsIn, type Span } from './tokens.ts';
import type { RichFact } from './types.ts';

const DAY_MS = 86_400_000;
const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)';
const ORD = '(?:st|nd|rd|th)?';

export function parseIsoDate(s: string | null | undefined): Date | null {
  const m = s ? /^(\d{4})-(\d{2})-(\d{2})/.exec(s) : null;
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return Number.isNaN(d.getTime()) ? null : d;
}

export const isoOf = (d: Date): string => d.toISOString().slice(0, 10);
const pad = (n: number): string => String(n).padStart(2, '0');

function validDay(y: number | null, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y ?? 2000, m, 0)).getUTCDate(); // 2000: leap, allows Feb 29
  return d <= days;
}

/** Day difference b - a of two ISO values (partial '--mm-dd' compared within one year). */
export function dayDiff(a: string, b: string): number {
  const da = parseIsoDate(a.startsWith('--') ? `2000${a.slice(1)}` : a);
  const db = parseIsoDate(b.startsWith('--') ? `2000${b.slice(1)}` : b);
  if (!da || !db) return NaN;
  if (a.startsWith('--') || b.startsWith('--')) {
    const ma = da.getUTCMonth() * 31 + da.getUTCDate();
    const mb = db.getUTCMonth() * 31 + db.getUTCDate();
    return mb - ma;
  }
  return Math.round((db.getTime() - da.getTime()) / DAY_MS);
}

const FUTURE = /\b(?:will|shall|expected|scheduled|planned|set to|due to|upcoming|to be held|is to|are to|would|next)\b/i;
const EARLIER = /\b(?:previous|previously|earlier|last|prior|former|preceding|past)\b/i;
const INTRO = new Set('according in under following after amid as citing during despite with within per besides for by at from on'.split(' '));

/** Offset where the clause of `at` begins: the sentence start, or just inside an opening quote. */
function clauseStart(text: string, sentence: Span, at: number): number {
  let open = -1;
  for (let i = sentence.start; i < at; i++) {
    const c = text[i];
    if (c === '“' || c === '«') open = i;
    else if (c === '”' || c === '»') open = -1;
    else if (c === '"') {
      const prev = i === sentence.start ? ' ' : text[i - 1]!;
      const next = text[i + 1] ?? ' ';
      if (/[\s:(\[]/.test(prev) && !/\s/.test(next)) open = i;
      else open = -1;
    }
  }
  return open >= 0 ? open + 1 : sentence.start;
}

/** The event a date at [s, e) refers to. */
export function eventKey(text: string, sentence: Span, s: number, e: number): string {
  const from = clauseStart(text, sentence, s);
  const before = wordsIn(text, from, s);
  const after = wordsIn(text, e, sentence.end);
  const trig = (w: { lower: string }): string | undefined => TRIGGERS.get(w.lower);
  if (/^['’]s\b/.test(text.slice(e, e + 3))) {
    for (const w of after.slice(1, 3)) if (trig(w)) return trig(w)!; // "Friday's exchange"
  }
  if (before.length <= 3 && !before.some(trig)) {
    // "On July 7, according to …, each side released …": the main clause after the date.
    let skipping = false;
    let lastComma = e;
    for (const w of after) {
      const gap = text.slice(lastComma, w.start);
      if (gap.includes(',') || w === after[0]) {
        skipping = INTRO.has(w.lower);
        lastComma = w.start;
      }
      if (!skipping && trig(w)) return trig(w)!;
    }
  } else {
    for (let k = before.length - 1; k >= Math.max(0, before.length - 12); k--) if (trig(before[k]!)) return trig(before[k]!)!;
  }
  for (const w of after) if (trig(w)) return trig(w)!;
  return 'date';
}

interface RawDate extends Span {
  value: string;
  precision: 'day' | 'month' | null;
  relative: 'weekday' | 'day' | 'ordinal' | null;
  weekday?: number;
}

export interface DateContext {
  sentences: readonly Span[];
  headline: readonly Span[];
  date?: string | null;
}

/** Dates of a text. */
export function extractDates(text: string, ctx: DateContext): RichFact[] {
  const art = parseIsoDate(ctx.date);
  const raws: RawDate[] = [];
  const free = (s: number, e: number): boolean => !raws.some((r) => s < r.end && r.start < e);
  const add = (r: RawDate): void => {
    if (free(r.start, r.end)) raws.push(r);
  };
  const withYear = (m: number, d: number, y: number | null, end: number): string | null => {
    if (y === null && art) {
      y = art.getUTCFullYear();
      const tail = text.slice(end, end + 16);
      if (/^,?\s+last year\b/i.test(tail)) y--;
      else if (/^,?\s+next year\b/i.test(tail)) y++;
      else {
        const diff = (Date.UTC(y, m - 1, d) - art.getTime()) / DAY_MS;
        if (diff > 92) y--;
        else if (diff < -275) y++;
      }
    }
    if (!validDay(y, m, d)) return null;
    return y === null ? `--${pad(m)}-${pad(d)}` : `${y}-${pad(m)}-${pad(d)}`;
  };
  const absolute = (start: number, end: number, m: number, d: number, y: number | null): void => {
    const value = withYear(m, d, y, end);
    if (value) add({ start, end, value, precision: 'day', relative: null });
  };
  for (const m of text.matchAll(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g)) absolute(m.index, m.index + m[0].length, +m[2]!, +m[3]!, +m[1]!);
  for (const m of text.matchAll(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g)) absolute(m.index, m.index + m[0].length, +m[2]!, +m[1]!, +m[3]!);
  const md = new RegExp(`\\b${MONTH_RE}\\.?[ \\t]+(\\d{1,2})${ORD}\\b(?:,?[ \\t]+(\\d{4})\\b)?(?![,.]\\d)`, 'g');
  for (const m of text.matchAll(md)) {
    const month = MONTHS[m[1]!.toLowerCase()]!;
    const year = m[3] ? +m[3] : null;
    const end = m.index + m[0].length;
    absolute(m.index, end, month, +m[2]!, year);
    const more = /^[ \t]+(?:and|or|to|-|–)[ \t]+(\d{1,2})(?!\d|[,.]\d|[ \t]+[A-Z])\b/.exec(text.slice(end, end + 12)); // "May 24 and 25"
    if (more && +more[1]! > +m[2]!) {
      const s2 = end + more[0].length - more[1]!.length;
      absolute(s2, s2 + more[1]!.length, month, +more[1]!, year);
    }
  }
  const dm = new RegExp(`\\b(\\d{1,2})${ORD}[ \\t]+(?:of[ \\t]+)?${MONTH_RE}\\b\\.?(?:,?[ \\t]+(\\d{4})\\b)?`, 'g');
  for (const m of text.matchAll(dm)) {
    const end = m.index + m[0].length - (m[0].endsWith('.') && !m[3] ? 1 : 0);
    absolute(m.index, end, MONTHS[m[2]!.toLowerCase()]!, +m[1]!, m[3] ? +m[3] : null);
  }
  for (const m of text.matchAll(new RegExp(`\\b${MONTH_RE}[ \\t]+(\\d{4})\\b`, 'g'))) {
    const y = +m[2]!;
    if (y >= 1800 && y <= 2100) add({ start: m.index, end: m.index + m[0].length, value: `${y}-${pad(MONTHS[m[1]!.toLowerCase()]!)}`, precision: 'month', relative: null });
  }
  // Relative dates need the article's date; without it they are kept unresolved (value: the word).
  const shift = (days: number): string | null => (art ? isoOf(new Date(art.getTime() + days * DAY_MS)) : null);
  for (const m of text.matchAll(/\b[Oo]n the (\d{1,2})(?:st|nd|rd|th)\b(?![ \t]+(?!of\b|and\b|in\b|at\b|when\b|the\b|a\b|as\b|after\b|before\b|with\b)\p{L})/gu)) {
    const day = +m[1]!;
    const start = m.index + 3;
    let value: string | null = null;
    if (art) {
      let y = art.getUTCFullYear();
      let mo = art.getUTCMonth() + 1;
      if (day > art.getUTCDate()) (mo = mo === 1 ? 12 : mo - 1), (y = mo === 12 ? y - 1 : y);
      if (validDay(y, mo, day)) value = `${y}-${pad(mo)}-${pad(day)}`;
    }
    if (art && !value) continue;
    add({ start, end: m.index + m[0].length, value: value ?? m[0].slice(3).toLowerCase(), precision: value ? 'day' : null, relative: 'ordinal' });
  }
  for (const m of text.matchAll(/\b(yesterday|today|tomorrow)\b/gi)) {
    if (/^\p{Lu}/u.test(m[0])) {
      // A name rather than a day: "USA Today", "Russia Today", "Today Russia television".
      const pw = prevWord(text, m.index);
      const nw = nextWord(text, m.index + m[0].length);
      if ((pw && /^\p{Lu}/u.test(pw.text)) || (nw && /^\p{Lu}/u.test(nw.text))) continue;
    }
    const w = m[1]!.toLowerCase();
    const value = shift(w === 'yesterday' ? -1 : w === 'tomorrow' ? 1 : 0);
    add({ start: m.index, end: m.index + m[0].length, value: value ?? w, precision: value ? 'day' : null, relative: 'day' });
  }
  const wdRe = new RegExp(`\\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s\\b)\\b(?!,?[ \\t]+(?:${MONTH_RE}[ \\t]+\\d|\\d{1,2}${ORD}[ \\t]+(?:of[ \\t]+)?${MONTH_RE}))`, 'g');
  for (const m of text.matchAll(wdRe)) {
    const wd = WEEKDAYS[m[1]!.toLowerCase()]!;
    const sentence = spanAt(ctx.sentences, m.index) ?? { start: 0, end: text.length };
    const prefix = text.slice(Math.max(sentence.start, m.index - 60), m.index);
    const qual = /\b(last|next|this|coming|past)[ \t]+$/i.exec(prefix)?.[1]?.toLowerCase();
    const lastWords = wordsIn(text, Math.max(sentence.start, m.index - 60), m.index).slice(-8).map((w) => w.lower).join(' ');
    let value: string | null = null;
    if (art) {
      const today = art.getUTCDay();
      const back = (today - wd + 7) % 7; // 0..6 days back
      const fwd = (wd - today + 7) % 7;
      let days: number;
      if (qual === 'last' || qual === 'past') days = -(back || 7);
      else if (qual === 'next' || qual === 'coming') days = fwd || 7;
      else if (qual === 'this') days = back <= fwd ? -back : fwd;
      else days = FUTURE.test(lastWords) ? fwd : -back;
      value = shift(days);
    }
    add({ start: m.index, end: m.index + m[1]!.length, value: value ?? m[1]!.toLowerCase(), precision: value ? 'day' : null, relative: 'weekday', weekday: wd });
  }
  raws.sort((a, b) => a.start - b.start);
  return raws.map((r) => {
    const sentence = spanAt(ctx.sentences, r.start) ?? { start: r.start, end: r.end };
    const lead = wordsIn(text, Math.max(sentence.start, r.start - 50), r.start).slice(-6);
    // "the last swap, on June 26", "Previously, on September 5" — but not "Prior to Friday's exchange" or "last Friday".
    const earlier = lead.some((w, i) => EARLIER.test(w.lower) && lead[i + 1]?.lower !== 'to' && !(r.relative === 'weekday' && i === lead.length - 1));
    return {
      type: 'date' as const, start: r.start, end: r.end, text: text.slice(r.start, r.end),
      key: eventKey(text, sentence, r.start, r.end), value: r.value, scope: null,
      inHeadline: ctx.headline.some((h) => r.start >= h.start && r.end <= h.end),
      precision: r.precision, relative: r.relative, weekday: r.weekday, earlier,
    };
  });
}
