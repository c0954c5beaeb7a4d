// untranslated: text left in another language.
//   - runs of letters in another script (Cyrillic, Han, Arabic, ...), joined across spaces and
//     punctuation within the same script; Latin letters with diacritics are never "another script";
//   - section labels from the glossary (`labels`: "Bota" = World, Albanian) standing alone on a
//     line or as a segment of a breadcrumb or fused title line;
//   - short standalone lines with Vietnamese-only diacritics;
//   - longer Latin-script lines with almost no English function words that franc places in
//     another language.
// Cost on English prose: one table-driven pass over the characters (no regex), a per-line
// allocation-free count of English function words, and franc only on the rare lines that fail it.
import type { Detector, Finding, ScanContext } from '../types.ts';
import type { CompiledGlossary } from '../glossary/compile.ts';
import type { LabelData } from '../glossary/schema.ts';
import { englishRatio, guessLanguage, PLAUSIBLE_LANGUAGES } from '../language.ts';
import { francAll } from 'franc';
import { isSpace, trimLine, wordCount } from '../text.ts';

const ID = 'untranslated';

/** English names of the languages a desk meets (ISO 639-3), for messages. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  eng: 'English', sqi: 'Albanian', als: 'Albanian', vie: 'Vietnamese', cmn: 'Chinese', zho: 'Chinese', ben: 'Bengali',
  rus: 'Russian', ukr: 'Ukrainian', bel: 'Belarusian', srp: 'Serbian', hrv: 'Croatian', bos: 'Bosnian', hbs: 'Serbo-Croatian',
  bul: 'Bulgarian', mkd: 'Macedonian', pol: 'Polish', ces: 'Czech', slk: 'Slovak', slv: 'Slovenian', ron: 'Romanian',
  hun: 'Hungarian', tur: 'Turkish', deu: 'German', fra: 'French', spa: 'Spanish', por: 'Portuguese', ita: 'Italian',
  nld: 'Dutch', ind: 'Indonesian', zlm: 'Malay', msa: 'Malay', tgl: 'Tagalog', fil: 'Filipino', hin: 'Hindi', urd: 'Urdu',
  arb: 'Arabic', ara: 'Arabic', pes: 'Persian', fas: 'Persian', kor: 'Korean', jpn: 'Japanese', tha: 'Thai', ell: 'Greek',
  kat: 'Georgian', hye: 'Armenian', azj: 'Azerbaijani', aze: 'Azerbaijani', kaz: 'Kazakh', uzn: 'Uzbek', uzb: 'Uzbek',
  heb: 'Hebrew', mar: 'Marathi', nep: 'Nepali', lit: 'Lithuanian', lav: 'Latvian', est: 'Estonian', fin: 'Finnish',
  swe: 'Swedish', nor: 'Norwegian', nob: 'Norwegian', dan: 'Danish', cat: 'Catalan', kmr: 'Kurdish', tam: 'Tamil',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}

// ── scripts ───────────────────────────────────────────────────────────────────────────────────

interface ScriptInfo {
  /** Unicode script property values making up this group. */
  readonly props: readonly string[];
  readonly name: string;
  /** franc candidates when the script is shared by several languages; else the one language. */
  readonly langs: readonly string[];
  /** Fewest letters worth reporting (single Greek letters are symbols in English text). */
  readonly minLetters: number;
}

const SCRIPTS: readonly ScriptInfo[] = [
  { props: ['Han', 'Hiragana', 'Katakana'], name: 'Han', langs: ['cmn'], minLetters: 1 },
  { props: ['Hangul'], name: 'Hangul', langs: ['kor'], minLetters: 1 },
  { props: ['Cyrillic'], name: 'Cyrillic', langs: ['rus', 'ukr', 'bel', 'srp', 'bul', 'mkd', 'kaz'], minLetters: 1 },
  { props: ['Greek'], name: 'Greek', langs: ['ell'], minLetters: 2 },
  { props: ['Arabic'], name: 'Arabic', langs: ['arb', 'pes', 'urd'], minLetters: 1 },
  { props: ['Hebrew'], name: 'Hebrew', langs: ['heb'], minLetters: 1 },
  { props: ['Bengali'], name: 'Bengali', langs: ['ben'], minLetters: 1 },
  { props: ['Devanagari'], name: 'Devanagari', langs: ['hin', 'mar', 'nep'], minLetters: 1 },
  { props: ['Thai'], name: 'Thai', langs: ['tha'], minLetters: 1 },
  { props: ['Georgian'], name: 'Georgian', langs: ['kat'], minLetters: 1 },
  { props: ['Armenian'], name: 'Armenian', langs: ['hye'], minLetters: 1 },
  { props: ['Tamil'], name: 'Tamil', langs: ['tam'], minLetters: 1 },
  { props: ['Gurmukhi'], name: 'Gurmukhi', langs: ['pan'], minLetters: 1 },
  { props: ['Gujarati'], name: 'Gujarati', langs: ['guj'], minLetters: 1 },
  { props: ['Sinhala'], name: 'Sinhala', langs: ['sin'], minLetters: 1 },
  { props: ['Khmer'], name: 'Khmer', langs: ['khm'], minLetters: 1 },
  { props: ['Myanmar'], name: 'Myanmar', langs: ['mya'], minLetters: 1 },
  { props: ['Ethiopic'], name: 'Ethiopic', langs: ['amh'], minLetters: 1 },
];
const CJK = 0;

/**
 * Per UTF-16 code unit: 0 = not a foreign-script letter, 1 + index into SCRIPTS otherwise.
 * JOIN: 1 where a code unit may sit inside a run of one script (spaces, punctuation, digits,
 * combining marks), never a line break or a letter of another script.
 * Built on first use from the Unicode script properties.
 */
let SCRIPT: Uint8Array | null = null;
let JOIN: Uint8Array | null = null;
let MARK: Uint8Array | null = null;
/** Kana in a CJK run make it Japanese. */
let KANA: Uint8Array | null = null;

function buildTables(): void {
  const script = new Uint8Array(0x10000);
  const join = new Uint8Array(0x10000);
  const mark = new Uint8Array(0x10000);
  const kana = new Uint8Array(0x10000);
  // Every BMP code unit once (surrogates and line breaks as a plain newline), classified by a few
  // global regexes: far cheaper than one test per code unit.
  const units: string[] = [];
  for (let c = 0; c < 0x10000; c++) {
    units.push(c === 13 || (c >= 0xd800 && c <= 0xdfff) ? '\n' : String.fromCharCode(c));
  }
  const all = units.join('');
  const set = (re: RegExp, table: Uint8Array, v: number) => {
    for (const m of all.matchAll(re)) if (!table[m.index!]) table[m.index!] = v;
  };
  SCRIPTS.forEach((s, i) => set(new RegExp(`[${s.props.map((p) => `\\p{sc=${p}}`).join('')}]`, 'gu'), script, i + 1));
  // The prolonged sound mark and iteration marks are Common script but belong to Japanese runs.
  for (const c of [0x30fc, 0x3005, 0x3006, 0x30fb]) script[c] = CJK + 1;
  set(/[\p{sc=Hiragana}\p{sc=Katakana}\u30fc]/gu, kana, 1);
  set(/\p{M}/gu, mark, 1);
  set(/[\p{Zs}\t\p{P}\p{S}\p{N}\p{M}]/gu, join, 1);
  for (let c = 0; c < 0x10000; c++) if (script[c]) join[c] = 0;
  SCRIPT = script;
  JOIN = join;
  MARK = mark;
  KANA = kana;
}

/** Script group (1-based) of the code point at i, and its length in code units; 0 when none. */
function scriptAt(text: string, i: number, script: Uint8Array): [number, number] {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return [script[c]!, 1];
  // Astral: CJK extension ideographs (planes 2 and 3) are the only ones that matter here.
  const cp = text.codePointAt(i)!;
  if (cp >= 0x20000 && cp <= 0x3ffff) return [CJK + 1, 2];
  return [0, 2];
}

function isLatinLetterAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

function detectScripts(ctx: ScanContext, out: Finding[]): void {
  const text = ctx.text;
  const n = text.length;
  if (!SCRIPT) buildTables();
  const script = SCRIPT!;
  const join = JOIN!;
  const mark = MARK!;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x370) continue;
    const [s, w] = scriptAt(text, i, script);
    if (!s) {
      if (w === 2) i++;
      continue;
    }
    // Grow the run: letters of script s and marks; spaces, punctuation and digits only when more
    // letters of s follow on the same line.
    const start = i;
    let end = i + w;
    let letters = 1;
    let kana = KANA![c] === 1;
    let j = end;
    while (j < n) {
      const [s2, w2] = scriptAt(text, j, script);
      if (s2 === s) {
        letters++;
        if (KANA![text.charCodeAt(j)]) kana = true;
        j += w2;
        end = j;
        continue;
      }
      const cj = text.charCodeAt(j);
      if (mark[cj] && j === end) {
        j++;
        end = j;
        continue;
      }
      if (!join[cj]) break;
      let k = j;
      while (k < n && join[text.charCodeAt(k)]) k++;
      if (k < n && scriptAt(text, k, script)[0] === s) {
        j = k;
        continue;
      }
      break;
    }
    i = end - 1;
    const info = SCRIPTS[s - 1]!;
    if (letters < info.minLetters) continue;
    const span = text.slice(start, end);
    let scriptName = info.name;
    let lang: string | null = null;
    if (s - 1 === CJK) {
      scriptName = kana ? 'Japanese script' : 'Han';
      lang = kana ? 'jpn' : 'cmn';
    } else if (info.langs.length === 1) lang = info.langs[0]!;
    else if (letters >= 20) {
      const g = guessLanguage(span, info.langs);
      if (g !== 'und') lang = g;
    }
    const written = s - 1 === CJK && kana ? scriptName : `${scriptName} script`;
    const inLatinWord = letters <= 3 && (isLatinLetterAt(text, start - 1) || isLatinLetterAt(text, end));
    const message = inLatinWord
      ? `${scriptName} letter inside a Latin-script word: a look-alike character left from the source text`
      : lang
        ? `Untranslated ${languageName(lang)} text (${written}) left in the English version`
        : `Untranslated text in ${written} left in the English version`;
    out.push(make(text, start, end, message, null));
  }
}

// ── labels, Vietnamese lines, Latin-script lines ──────────────────────────────────────────────

interface LabelTable {
  readonly byKey: ReadonlyMap<string, readonly LabelData[]>;
  readonly maxLength: number;
}

function labelKey(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\s:：.»›>]+$/u, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

export function compileLabels(g: CompiledGlossary): LabelTable {
  const byKey = new Map<string, LabelData[]>();
  let maxLength = 0;
  for (const l of g.data.labels ?? []) {
    const k = labelKey(l.text);
    if (!k) continue;
    const list = byKey.get(k) ?? [];
    if (!list.some((x) => x.lang === l.lang)) list.push(l);
    byKey.set(k, list);
    maxLength = Math.max(maxLength, l.text.length);
  }
  return { byKey, maxLength: maxLength + 4 };
}

const SEGMENT_SEPARATORS = /\s*(?:[|›»/–—>]|\s-\s)\s*/gu;
const HAS_SEPARATOR = /[|›»/–—>]|\s-\s/u;
const SENTENCE_END = /[.!?…](?:["'”’»)\]]*)$/u;
/** Letters only Vietnamese writes (đ/Đ alone is also South Slavic, so it does not count). */
const VIETNAMESE = /[ơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]/u;
/** Letters of scripts other than Latin (the script pass reports those lines). */
const NON_LATIN_LETTER = /[^\P{L}\p{sc=Latin}]/u;
const URLISH = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:[a-z0-9-]+\.)+(?:com|net|org|info|[a-z]{2})\b\S*/giu;

function make(text: string, start: number, end: number, message: string, suggestion: string | null): Finding {
  return { detector: ID, kind: 'untranslated', severity: 'warning', start, end, text: text.slice(start, end), suggestion, concept: null, message };
}

function labelFinding(text: string, start: number, end: number, labels: readonly LabelData[], origin: string | undefined): Finding {
  const preferred = labels.find((l) => l.lang === origin);
  const chosen = preferred ? [preferred] : labels;
  const meaning = chosen[0]!.meaning;
  const names = [...new Set(chosen.filter((l) => l.meaning === meaning).map((l) => languageName(l.lang)))];
  const langs = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]!;
  const word = text.slice(start, end);
  return make(text, start, end, `Untranslated section label "${word}" (${langs} for "${meaning}")`, meaning);
}

/** A label must be written as one: capitalised or all capitals (scripts without case pass). */
function labelCased(s: string): boolean {
  const c = s.charAt(0);
  return c.toLowerCase() === c.toUpperCase() || c === c.toUpperCase();
}

function capitalisedShare(s: string): number {
  const words = s.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  const long = words.filter((w) => w.length >= 2);
  if (!long.length) return 0;
  return long.filter((w) => /^\p{Lu}/u.test(w)).length / long.length;
}

/** franc's reading of a Latin-script line: a language other than English, clearly ahead of English. */
function foreignLanguageOf(s: string): { lang: string; runnerUp: string | null } | null {
  const lang = guessLanguage(s);
  if (lang === 'eng' || lang === 'und') return null;
  const all = francAll(s, { only: PLAUSIBLE_LANGUAGES as string[], minLength: 10 });
  const eng = all.find(([l]) => l === 'eng')?.[1] ?? 0;
  if (eng >= 0.75) return null; // too close to English to call
  const second = all[1];
  const runnerUp = second && second[0] !== 'eng' && second[1] >= 0.9 ? (second[0] === 'als' ? 'sqi' : second[0]) : null;
  return { lang, runnerUp };
}

function detectLines(ctx: ScanContext, out: Finding[]): void {
  const text = ctx.text;
  const labels = ctx.glossary.cache('untranslated-labels', compileLabels);
  const origin = ctx.options.originLanguage;
  const lines = ctx.lines();
  for (const line of lines) {
    const { start, end } = trimLine(text, line);
    const len = end - start;
    if (!len) continue;
    // 1. a label alone on its line
    if (len <= labels.maxLength && labels.byKey.size) {
      const s = text.slice(start, end);
      const hit = labels.byKey.get(labelKey(s));
      if (hit && labelCased(s)) {
        const m = /[\s:：.»›>]+$/u.exec(s);
        out.push(labelFinding(text, start, m ? start + m.index : end, hit, origin));
        continue;
      }
    }
    // 2. a label as a segment of a breadcrumb or a fused title line
    if (labels.byKey.size && len <= 400 && HAS_SEPARATOR.test(line.text)) {
      const s = text.slice(start, end);
      if (!s.includes('://') && (!SENTENCE_END.test(s) || wordCount(s) <= 12)) segmentLabels(text, s, start, labels, origin, out);
    }
    // 3. a short line with Vietnamese-only letters
    if (len <= 80 && VIETNAMESE.test(line.text)) {
      const s = text.slice(start, end).normalize('NFC');
      const wc = wordCount(s);
      if (wc <= 5 && !(wc >= 2 && wc <= 4 && capitalisedShare(s) === 1)) {
        out.push(make(text, start, end, 'Untranslated Vietnamese text left in the English version', null));
        continue;
      }
    }
    // 4. a longer Latin-script line that is not English
    if (len >= 40 && englishRatio(text, start, end) < 0.1) latinLine(text, start, end, out);
  }
}

function segmentLabels(text: string, s: string, offset: number, labels: LabelTable, origin: string | undefined, out: Finding[]): void {
  SEGMENT_SEPARATORS.lastIndex = 0;
  let from = 0;
  const check = (a: number, b: number) => {
    while (a < b && isSpace(s.charCodeAt(a))) a++;
    while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
    if (b - a === 0 || b - a > labels.maxLength) return;
    const seg = s.slice(a, b);
    const hit = labels.byKey.get(labelKey(seg));
    if (hit && labelCased(seg)) out.push(labelFinding(text, offset + a, offset + b, hit, origin));
  };
  for (let m; (m = SEGMENT_SEPARATORS.exec(s)); ) {
    if (m[0].length === 0) {
      SEGMENT_SEPARATORS.lastIndex++;
      continue;
    }
    check(from, m.index);
    from = m.index + m[0].length;
  }
  if (from > 0) check(from, s.length);
}

function latinLine(text: string, start: number, end: number, out: Finding[]): void {
  const s = text.slice(start, end);
  if (NON_LATIN_LETTER.test(s)) return; // other scripts are reported span by span
  const clean = s.replace(URLISH, ' ');
  if (clean.trim().length < 40 || wordCount(clean) < 5) return;
  if (englishRatio(clean) >= 0.08) return;
  if (capitalisedShare(clean) >= 0.6) return; // a title or a list of names
  const f = foreignLanguageOf(clean);
  if (!f) return;
  const name = languageName(f.lang) + (f.runnerUp ? ` (or ${languageName(f.runnerUp)})` : '');
  out.push(make(text, start, end, `Untranslated text: this line reads as ${name}, not English`, null));
}

export const untranslatedDetector: Detector = {
  id: ID,
  description:
    'Text left in another language: other scripts, foreign section labels ("Bota"), Vietnamese or other non-English lines.',
  priority: 40,
  scope: 'span',
  detect(ctx) {
    const out: Finding[] = [];
    detectScripts(ctx, out);
    detectLines(ctx, out);
    return out;
  },
};
