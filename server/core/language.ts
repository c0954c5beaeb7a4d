// Language identification. Running prose in English is recognised cheaply by its function words;
// anything else goes to franc, restricted to the languages a desk plausibly meets (franc is fast
// and far more accurate on a short list than across its whole catalogue).
import { franc } from 'franc';

/** Source languages of the rewrites a desk meets, plus English (ISO 639-3). */
export const PLAUSIBLE_LANGUAGES = [
  'eng', 'sqi', 'als', 'vie', 'cmn', 'ben', 'rus', 'ukr', 'bel', 'srp', 'hrv', 'bos', 'bul', 'mkd',
  'pol', 'ces', 'slk', 'ron', 'hun', 'tur', 'deu', 'fra', 'spa', 'por', 'ita', 'nld', 'ind', 'zlm',
  'tgl', 'hin', 'urd', 'arb', 'pes', 'kor', 'jpn', 'tha', 'ell', 'kat', 'hye', 'azj', 'kaz', 'uzn',
];

// English function words, as small integer codes (5 bits a letter) so counting them allocates nothing.
const FUNCTION_WORDS = new Set<number>();
for (const w of ('the of and to in a is that for on with as was by said at from it be has have are were an this ' +
  'which or but not his her their its they he she we after will would been who also had more than about into ' +
  'over two new one all').split(' ')) {
  FUNCTION_WORDS.add(wordCode(w, 0, w.length));
}

function wordCode(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = h * 32 + ((s.charCodeAt(i) | 32) - 96);
  return h;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b);
}

/**
 * Share of the words of text.slice(from, to) that are English function words. Words are runs of
 * letters (ASCII, or any code unit from U+00C0) and apostrophes; only words of at most five ASCII
 * letters can be function words. Allocation-free: it runs on every line of every article.
 */
export function englishRatio(text: string, from = 0, to = text.length): number {
  let words = 0;
  let hits = 0;
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    const ascii = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!ascii && (c < 0xc0 || c === 0xd7 || c === 0xf7)) {
      i++;
      continue;
    }
    const ws = i;
    let plain = ascii;
    i++;
    while (i < to) {
      c = text.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) i++;
      else if (c === 39 || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !isSpace(c) && (c < 0x2000 || c > 0x206f))) {
        plain = false;
        i++;
      } else break;
    }
    words++;
    if (plain && i - ws <= 5 && FUNCTION_WORDS.has(wordCode(text, ws, i))) hits++;
  }
  return words ? hits / words : 0;
}

const only = PLAUSIBLE_LANGUAGES;

/**
 * The language of a text as ISO 639-3, or 'und' when there is too little to tell. Looks at a sample
 * of up to 2,000 characters from the start of the text.
 */
export function detectLanguage(text: string, sampleSize = 2000): string {
  const end = Math.min(text.length, sampleSize);
  if (englishRatio(text, 0, end) >= 0.2) return 'eng';
  const sample = text.slice(0, end);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 10) return 'und';
  const lang = franc(sample, { only, minLength: 10 });
  // franc reports Albanian as Tosk ('als'); the desk's code for Albanian is 'sqi'.
  return lang === 'als' ? 'sqi' : lang === 'zlm' ? 'msa' : lang;
}

/** franc on a shorter span, restricted to the plausible languages; 'und' when unsure. */
export function guessLanguage(span: string, candidates: readonly string[] = only): string {
  const lang = franc(span, { only: candidates as string[], minLength: 10 });
  return lang === 'als' ? 'sqi' : lang;
}
