// People, places and quotes, for display rows. Deliberately cautious: a capitalized pair is a person
// only when it is not made of organization, calendar or place words; a single word is a person only
// after a title ("President Zelenski") or as the surname of a full name found in the same article.
import { isSpace, splitLines } from '../text.ts';
import { COUNTRIES, DEMONYMS, MONTHS, NON_NAME_WORDS, TITLE_WORDS, WEEKDAYS, foldName } from './lexicon.ts';
import { prevWord, wordsIn, type Span, type Word } from './tokens.ts';
import type { RichFact } from './types.ts';

const CAP = /^\p{Lu}[\p{Ll}\p{M}]+(?:[-‑'’]\p{Lu}?[\p{Ll}\p{M}]+)*$/u;
const POSSESSIVE = /['’]s$/;
const PLACE_BEFORE = new Set('in to from near across into outside inside towards toward via around'.split(' '));
const PLACE_AFTER = /^[ \t]+(?:region|oblast|province|city|district|peninsula|strait|square|border|area|county|republic)\b/;
const MULTI_COUNTRIES = ['United States', 'United Kingdom', 'Saudi Arabia', 'South Korea', 'North Korea', 'New Zealand', 'South Africa', 'Sri Lanka', 'United Arab Emirates'];
const SPEECH = /\b(?:said|says|say|wrote|writes|posted|told|tells|added|adds|stated|declared|noted|according to|insisted|stressed)\b/i;

interface Run {
  words: Word[];
  /** End of the run, before a possessive 's. */
  end: number;
}

/** Runs of capitalized words separated by single spaces, within one line, skipping Title Case lines. */
function capitalRuns(text: string): Run[] {
  const runs: Run[] = [];
  for (const line of splitLines(text)) {
    const words = wordsIn(text, line.start, line.end);
    const caps = words.filter((w) => /^\p{Lu}/u.test(w.text)).length;
    if (words.length >= 4 && caps / words.length >= 0.6) continue; // a Title Case headline or menu
    let cur: Word[] = [];
    const flush = (): void => {
      if (cur.length) {
        const last = cur[cur.length - 1]!;
        runs.push({ words: cur, end: POSSESSIVE.test(last.text) ? last.end - 2 : last.end });
      }
      cur = [];
    };
    for (const w of words) {
      const bare = w.text.replace(POSSESSIVE, '');
      const prev = cur[cur.length - 1];
      if (prev && (POSSESSIVE.test(prev.text) || !/^[ \u00a0]$/.test(text.slice(prev.end, w.start)))) flush();
      if (CAP.test(bare) || /^[A-Z]{2,4}$/.test(bare)) cur.push(w);
      else flush();
    }
    flush();
  }
  return runs;
}

const bareLower = (w: Word): string => w.lower.replace(POSSESSIVE, '');
const isCountry = (w: Word): boolean => {
  const b = w.text.replace(POSSESSIVE, '');
  return /^[A-Z]{2,3}$/.test(b) ? /^(?:US|USA|UK)$/.test(b) : COUNTRIES.has(b.toLowerCase());
};
const calendar = (w: Word): boolean => bareLower(w) in MONTHS || bareLower(w) in WEEKDAYS;

export function extractPeople(text: string, headline: readonly Span[]): RichFact[] {
  const found: { start: number; end: number; words: Word[] }[] = [];
  const singles: Run[] = [];
  for (const run of capitalRuns(text)) {
    const ws = run.words;
    let cut = -1;
    for (let i = 0; i < ws.length - 1; i++) if (TITLE_WORDS.has(bareLower(ws[i]!))) cut = i;
    let name = ws.slice(cut + 1);
    let titled = cut >= 0;
    const pw = prevWord(text, ws[0]!.start);
    if (!titled && pw && !/^\p{Lu}/u.test(pw.text) && TITLE_WORDS.has(pw.lower) && !/[,;:.]/.test(text.slice(pw.end, ws[0]!.start))) titled = true;
    while (name.length && (NON_NAME_WORDS.has(bareLower(name[0]!)) || DEMONYMS.has(bareLower(name[0]!)))) (name = name.slice(1)), (titled = false);
    if (!name.length || name.length > 4) continue;
    if (name.some((w) => NON_NAME_WORDS.has(bareLower(w)) || TITLE_WORDS.has(bareLower(w)) || isCountry(w) || calendar(w) || /^[A-Z]{2,}$/.test(w.text))) continue;
    if (name.length >= 2 || titled) found.push({ start: name[0]!.start, end: run.end, words: name });
    else singles.push({ words: name, end: run.end });
  }
  const surnames = new Map<string, string>();
  for (const f of found) {
    const key = foldName(f.words[f.words.length - 1]!.text);
    const full = text.slice(f.start, f.end);
    if (!surnames.has(key) || full.length > surnames.get(key)!.length) surnames.set(key, full);
  }
  for (const s of singles) {
    const key = foldName(s.words[0]!.text);
    if (surnames.has(key)) found.push({ start: s.words[0]!.start, end: s.end, words: s.words });
  }
  return found
    .map((f) => {
      const key = foldName(f.words[f.words.length - 1]!.text);
      return {
        type: 'person' as const, start: f.start, end: f.end, text: text.slice(f.start, f.end), key,
        value: surnames.get(key) ?? text.slice(f.start, f.end), scope: null,
        inHeadline: headline.some((h) => f.start >= h.start && f.end <= h.end),
      };
    })
    .sort((a, b) => a.start - b.start);
}

export function extractPlaces(text: string, headline: readonly Span[], people: readonly Span[]): RichFact[] {
  const out: RichFact[] = [];
  const occupied = new Uint8Array(text.length);
  const occupy = (s: number, e: number): void => void occupied.fill(1, s, e);
  for (const p of people) occupy(p.start, p.end);
  const push = (s: number, e: number): void => {
    if (e <= s || occupied.subarray(s, e).includes(1)) return;
    occupy(s, e);
    const t = text.slice(s, e);
    out.push({ type: 'place', start: s, end: e, text: t, key: foldName(t), value: t, scope: null, inHeadline: headline.some((h) => s >= h.start && e <= h.end) });
  };
  for (const name of MULTI_COUNTRIES) for (const m of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) push(m.index, m.index + name.length);
  for (const run of capitalRuns(text)) {
    const ws = run.words;
    for (const w of ws) if (isCountry(w)) push(w.start, POSSESSIVE.test(w.text) ? w.end - 2 : w.end);
    const name = ws.slice(0, 3);
    if (name.some((w) => NON_NAME_WORDS.has(bareLower(w)) || TITLE_WORDS.has(bareLower(w)) || calendar(w) || isCountry(w))) continue;
    const end = name.length === ws.length ? run.end : name[name.length - 1]!.end;
    const pw = prevWord(text, name[0]!.start);
    const prep = pw && PLACE_BEFORE.has(pw.text) && /^[ \t]+$/.test(text.slice(pw.end, name[0]!.start));
    if ((prep && ws.length <= 3) || PLACE_AFTER.test(text.slice(end, end + 12))) push(name[0]!.start, end);
  }
  return out.sort((a, b) => a.start - b.start);
}

export function extractQuotes(text: string, headline: readonly Span[], people: readonly RichFact[]): RichFact[] {
  const out: RichFact[] = [];
  const spans: { open: number; close: number }[] = [];
  for (const m of text.matchAll(/“([^”\n]+)”|«([^»\n]+)»/g)) spans.push({ open: m.index, close: m.index + m[0].length - 1 });
  for (const line of splitLines(text)) {
    let open = -1;
    for (let i = line.start; i < line.end; i++) {
      if (text[i] !== '"') continue;
      if (open < 0) open = i;
      else spans.push({ open, close: i }), (open = -1);
    }
  }
  spans.sort((a, b) => a.open - b.open);
  const lines = splitLines(text);
  let lastEnd = -1;
  for (const { open, close } of spans) {
    if (open < lastEnd) continue;
    let s = open + 1;
    let e = close;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    const inner = text.slice(s, e);
    if ((inner.match(/[\p{L}\p{N}]+(?:[,.'’‑-][\p{L}\p{N}]+)*/gu) ?? []).length < 4) continue;
    lastEnd = close + 1;
    const words = wordsIn(text, s, e).map((w) => w.lower);
    const line = lines.find((l) => open >= l.start && open <= l.end)!;
    const speaker =
      people.find((p) => p.start > close && p.start - close < 100 && p.end <= line.end && SPEECH.test(text.slice(close, p.end + 12))) ??
      people.findLast((p) => p.end <= open && open - p.end < 100 && p.start >= line.start && SPEECH.test(text.slice(p.start, open)));
    out.push({
      type: 'quote', start: s, end: e, text: inner, key: speaker?.key ?? words.slice(0, 4).join(' '), value: words.join(' '),
      scope: null, inHeadline: headline.some((h) => s >= h.start && e <= h.end),
    });
  }
  return out;
}
