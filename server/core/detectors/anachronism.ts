// anachronism: a person's title that contradicts the article's date. Needs ScanOptions.date (ISO
// yyyy-mm-dd; without it there are no findings) and the `roles` of the glossary's people (offices
// with date ranges). Two patterns, found just before a person mention:
//   1. "Former US President Donald Trump" when, on the article's date, the person held that title
//      (the date strictly inside one of its ranges): "former"/"ex-" contradicts the date. error.
//   2. "President Poroshenko" with no former/then/late/-elect… while the date is outside every
//      range of that title: warning, suggesting "former President Poroshenko" (no suggestion when
//      the person had not yet taken office).
// Titles are compared by their title words only ("US President", "President of the United States"
// and "American President" all read as {president}; "Foreign Minister" = "Minister of Foreign
// Affairs of Ukraine"; "Vice President" is not "President"). Country qualifiers are skipped, not
// checked. A title the person never held is not reported (that is not a date question). Boundary
// days (the first and last day of a range) never produce a finding. Pattern 2 stays quiet inside
// quotation marks and when its sentence names a year within the person's term (historical context).
// The span runs from "former" (or the qualifiers/title) through the name, or through the title only
// when the name itself is a glossary variant, so the glossary detector's finding on it stays visible.
// Names and offices live in the glossary; only generic English title and modifier words live here.
import type { CompiledGlossary } from '../glossary/compile.ts';
import { UPPER } from '../text.ts';
import type { Detector, Finding } from '../types.ts';

/** Words that make up office titles; with synonyms folded ("premier" = prime minister). */
const TITLE_WORDS = new Set([
  'president', 'vice', 'prime', 'minister', 'premier', 'chancellor', 'secretary', 'general', 'pope', 'director',
  'representative', 'high', 'acting', 'deputy', 'foreign', 'affairs', 'defence', 'defense', 'interior', 'finance',
  'state', 'king', 'queen', 'prince', 'crown', 'emperor', 'governor', 'mayor', 'speaker', 'chairman', 'chairwoman',
  'chairperson', 'chair', 'commissioner', 'ambassador', 'senator', 'commander', 'chief', 'patriarch',
]);
/** Title words that can carry a title on their own (a run without one is not a title). */
const HEAD_WORDS = new Set([
  'president', 'minister', 'premier', 'chancellor', 'secretary', 'pope', 'director', 'representative', 'king',
  'queen', 'prince', 'emperor', 'governor', 'mayor', 'speaker', 'chairman', 'chairwoman', 'chairperson', 'chair',
  'commissioner', 'ambassador', 'senator', 'commander', 'patriarch',
]);
const SYNONYMS: Record<string, string[]> = { premier: ['prime', 'minister'], defense: ['defence'], affairs: [] };
/** "former" and its kin: the title is past. */
const FORMER = new Set(['former', 'ex', 'erstwhile', 'onetime', 'previous']);
/** Other words that place the title in time: then-, late, outgoing, -elect… (pattern 2 stays quiet). */
const TIME_WORDS = new Set([
  ...FORMER, 'then', 'late', 'outgoing', 'incoming', 'elect', 'designate', 'future', 'ousted', 'deposed', 'toppled',
  'exiled', 'fugitive', 'deceased', 'assassinated', 'slain', 'interim', 'caretaker', 'would',
]);
/** Capitalised words that start sentences or name days and months: never a country qualifier. */
const STOP = new Set([
  'the', 'a', 'an', 'on', 'in', 'at', 'by', 'for', 'from', 'to', 'with', 'and', 'but', 'or', 'as', 'when', 'while',
  'after', 'before', 'since', 'now', 'today', 'yesterday', 'tomorrow', 'meanwhile', 'earlier', 'later', 'also',
  'however', 'both', 'that', 'this', 'these', 'those', 'it', 'he', 'she', 'they', 'we', 'i', 'his', 'her', 'their',
  'our', 'its', 'said', 'says', 'if', 'so', 'yet', 'why', 'how', 'what', 'who', 'where', 'then', 'there', 'here',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'of',
]);
const NAME_SUFFIX = /^[\s,]+(?:Jr|Sr|II|III|IV)\b/;
const OPENERS = '“"‘\'«([„';
const CLOSERS = /[,;:.!?)\]”"’»…—–]$/u;
const ACRONYM = /^(?:\p{L}\.)+$/u;

interface Role { title: string; from: string; to: string | null; sig: string }
interface Piece { start: number; end: number; text: string; lower: string; hyphenBefore: boolean; opener: boolean }

function signature(words: readonly string[]): string {
  const out = new Set<string>();
  for (const w of words) {
    const l = w.toLowerCase();
    if (!TITLE_WORDS.has(l)) continue;
    for (const s of SYNONYMS[l] ?? [l]) out.add(s);
  }
  return [...out].sort().join(' ');
}

/** The title words of an office: "Minister of Foreign Affairs of Ukraine" -> "foreign minister". */
export function roleSignature(title: string): string {
  let t = title.trim();
  for (;;) {
    const m = /^(.*) of (.+)$/su.exec(t);
    if (!m) break;
    const tail = m[2]!.split(/[\s-]+/).filter((w) => !/^(the|and|for)$/i.test(w));
    if (tail.every((w) => TITLE_WORDS.has(w.toLowerCase()))) break;
    t = m[1]!;
  }
  return signature(t.split(/[\s\u2010\u2011-]+/u));
}

function peopleRoles(g: CompiledGlossary): Map<number, Role[]> {
  const map = new Map<number, Role[]>();
  g.concepts.forEach((c, i) => {
    if (c.type !== 'person' || !c.roles?.length) return;
    map.set(i, c.roles.map((r) => ({ title: r.title, from: r.from, to: r.to ?? null, sig: roleSignature(r.title) })));
  });
  return map;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);

/**
 * Whitespace-separated words before `pos`, nearest first, split at hyphens into pieces. Stops at a
 * blank line, at a word ending a clause (comma, full stop…) and after a word opening a quote.
 */
function piecesBefore(text: string, pos: number, maxTokens = 9): Piece[] {
  const out: Piece[] = [];
  let p = pos;
  for (let n = 0; n < maxTokens; n++) {
    let newlines = 0;
    let q = p;
    while (q > 0 && isSpace(text[q - 1])) if (text[--q] === '\n') newlines++;
    if (q === p || q === 0 || newlines > 1) break;
    let s = q;
    while (s > 0 && !isSpace(text[s - 1])) s--;
    let raw = text.slice(s, q);
    let start = s;
    let opener = false;
    while (raw && OPENERS.includes(raw[0]!)) {
      raw = raw.slice(1);
      start++;
      opener = true;
    }
    if (!raw || (CLOSERS.test(raw) && !ACRONYM.test(raw))) break;
    const parts = raw.split(/([\u2010\u2011-])/u);
    const toks: Piece[] = [];
    let off = start;
    for (let i = 0; i < parts.length; i++) {
      const t = parts[i]!;
      if (i % 2 === 0 && t) toks.push({ start: off, end: off + t.length, text: t, lower: t.toLowerCase(), hyphenBefore: i > 0, opener: false });
      off += t.length;
    }
    if (!toks.length) break;
    toks[0]!.opener = opener;
    out.push(...toks.reverse());
    if (opener) break;
    p = s;
  }
  return out;
}

const isTitleWord = (x: Piece | undefined) => !!x && TITLE_WORDS.has(x.lower);
function isQualifier(x: Piece): boolean {
  if (STOP.has(x.lower) || TIME_WORDS.has(x.lower) || TITLE_WORDS.has(x.lower)) return false;
  return ACRONYM.test(x.text) || (UPPER[x.text.charCodeAt(0)] === 1 && /^[\p{L}\p{M}.]+(?:['’]s?)?$/u.test(x.text));
}

interface TitleParse {
  title: Piece[];
  /** Start and end of the title phrase, jurisdiction ("of Ukraine") included. */
  titleStart: number;
  titleEnd: number;
  qualifiers: Piece[];
  mods: Piece[];
}

/** [time words and qualifiers] TITLE [of JURISDICTION], read backwards from a person mention. */
function parseTitle(pieces: Piece[]): TitleParse | null {
  let i = 0;
  // "President of (the) United States <Name>"
  let k = 0;
  while (k < pieces.length && k < 5 && (isQualifier(pieces[k]!) || pieces[k]!.lower === 'the' || isTitleWord(pieces[k]))) k++;
  if (k > 0 && pieces[k]?.lower === 'of' && isTitleWord(pieces[k + 1]) && pieces.slice(0, k).some((x) => !isTitleWord(x) && x.lower !== 'the')) {
    i = k + 1;
  }
  const title: Piece[] = [];
  const mods: Piece[] = [];
  for (; i < pieces.length; i++) {
    const x = pieces[i]!;
    if (isTitleWord(x)) title.push(x);
    else if (x.lower === 'of' && title.length && isTitleWord(pieces[i + 1])) continue;
    else if (x.hyphenBefore && !title.length && TIME_WORDS.has(x.lower)) mods.push(x); // President-elect
    else break;
    if (x.opener) {
      i = pieces.length;
      break;
    }
  }
  if (!title.some((x) => HEAD_WORDS.has(x.lower))) return null;
  const qualifiers: Piece[] = [];
  for (let n = 0; i < pieces.length && n < 5; i++, n++) {
    const x = pieces[i]!;
    if (TIME_WORDS.has(x.lower)) mods.push(x);
    else if (isQualifier(x)) {
      if (mods.length) break; // "Ukraine's former President": only what follows "former" is part of the title
      qualifiers.push(x);
    } else break;
    if (x.opener) break;
  }
  return { title, titleStart: title[title.length - 1]!.start, titleEnd: pieces[0]!.end, qualifiers, mods };
}

function rangeText(r: Role): string {
  return r.to ? `${r.from} to ${r.to}` : `from ${r.from}`;
}

function atSentenceStart(text: string, pos: number): boolean {
  let i = pos;
  while (i > 0 && (isSpace(text[i - 1]) || OPENERS.includes(text[i - 1]!))) {
    if (text[i - 1] === '\n') return true;
    i--;
  }
  return i === 0 || /[.!?]/.test(text[i - 1]!);
}

/** True when `pos` is inside a quotation opened earlier on its line (paragraph). */
function insideQuotes(text: string, pos: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', pos - 1) + 1, pos);
  const count = (re: RegExp) => (line.match(re) ?? []).length;
  return count(/“/g) > count(/”/g) || count(/«/g) > count(/»/g) || count(/"/g) % 2 === 1;
}

/** The sentence around [start, end): split at . ! ? followed by space, except after initials ("U.S."). */
function sentenceAround(text: string, start: number, end: number): string {
  const boundary = (i: number) => /[.!?]/.test(text[i]!) && (i + 1 >= text.length || /\s/.test(text[i + 1]!)) && !/(?:^|[^\p{L}])\p{L}$/u.test(text.slice(Math.max(0, i - 2), i));
  let s = start;
  while (s > 0 && text[s - 1] !== '\n' && !boundary(s - 1)) s--;
  let e = end;
  while (e < text.length && text[e] !== '\n' && !boundary(e)) e++;
  return text.slice(s, e);
}

/** A year in the sentence within one of the ranges: the sentence is about that time. */
function yearInTerm(sentence: string, roles: readonly Role[], date: string): boolean {
  for (const m of sentence.matchAll(/(?<![\p{L}\p{N}])(1[89]\d\d|20\d\d)(?![\p{L}\p{N}])/gu)) {
    const y = m[1]!;
    if (roles.some((r) => r.from.slice(0, 4) <= y && y <= (r.to ?? date).slice(0, 4))) return true;
  }
  return false;
}

export const anachronismDetector: Detector = {
  id: 'anachronism',
  description:
    'A title that contradicts the article date: "former President X" while X was in office (error), or "President X" after (or before) X held that office (warning). Needs the article date and glossary roles.',
  // Above apostrophe/untranslated/near-miss, below the glossary detector; the span avoids glossary names.
  priority: 55,
  scope: 'span',
  detect(ctx) {
    const date = /^\d{4}-\d{2}-\d{2}/.exec(ctx.options.date ?? '')?.[0];
    if (!date) return [];
    const { text, glossary: g } = ctx;
    const people = g.cache('anachronism-roles', peopleRoles);
    if (!people.size) return [];
    const out: Finding[] = [];
    for (const m of ctx.mentions()) {
      const form = g.forms[m.form]!;
      const roles = people.get(form.concept);
      if (!roles) continue;
      if (NAME_SUFFIX.test(text.slice(m.end, m.end + 6))) continue; // "Donald Trump Jr."
      const t = parseTitle(piecesBefore(text, m.start));
      if (!t) continue;
      const sig = signature(t.title.map((x) => x.text));
      const matching = roles.filter((r) => r.sig === sig);
      if (!matching.length) continue; // a title this person never held: not a date question
      const concept = g.concepts[form.concept]!;
      const nameIsFlagged = form.role === 'variant' || m.droppedApostrophe;
      const end = nameIsFlagged ? t.titleEnd : m.end;
      const former = t.mods.filter((x) => FORMER.has(x.lower));
      if (former.length) {
        if (former.length !== t.mods.length) continue; // "former then-…": unclear
        const held = matching.find((r) => r.from < date && (r.to === null || date < r.to));
        if (!held) continue;
        const mod = former[former.length - 1]!;
        const start = mod.start;
        let restStart = mod.end;
        while (restStart < end && (isSpace(text[restStart]) || /[\u2010\u2011-]/u.test(text[restStart]!))) restStart++;
        let suggestion = text.slice(restStart, end);
        if (UPPER[text.charCodeAt(start)] === 1) suggestion = suggestion.charAt(0).toUpperCase() + suggestion.slice(1);
        const word = mod.lower === 'ex' ? 'ex-' : mod.lower;
        out.push({
          detector: 'anachronism',
          kind: 'anachronism',
          severity: 'error',
          start,
          end,
          text: text.slice(start, end),
          suggestion,
          concept: concept.id,
          message: `On ${date} ${concept.canonical} was ${held.title} (${held.to ? `${held.from} to ${held.to}` : `since ${held.from}`}); “${word}” contradicts the article's date.`,
        });
        continue;
      }
      if (t.mods.length) continue; // then-, late, -elect, outgoing…: the writer placed it in time
      if (!matching.every((r) => date < r.from || (r.to !== null && date > r.to))) continue;
      if (insideQuotes(text, m.start)) continue;
      if (yearInTerm(sentenceAround(text, m.start, m.end), matching, date)) continue;
      const start = t.qualifiers.length ? t.qualifiers[t.qualifiers.length - 1]!.start : t.titleStart;
      const span = text.slice(start, end);
      const before = matching.every((r) => date < r.from);
      const role = matching[0]!;
      const suggestion = before ? null : `${atSentenceStart(text, start) ? 'Former' : 'former'} ${span}`;
      const message = before
        ? `${concept.canonical} was not yet ${role.title} on ${date} (in office ${matching.map(rangeText).join(' and ')}); the title does not fit the article's date.`
        : `${concept.canonical} was not ${role.title} on ${date} (in office ${matching.map(rangeText).join(' and ')}); write “${suggestion}”.`;
      out.push({
        detector: 'anachronism',
        kind: 'anachronism',
        severity: 'warning',
        start,
        end,
        text: span,
        suggestion,
        concept: concept.id,
        message,
      });
    }
    return out;
  },
};
