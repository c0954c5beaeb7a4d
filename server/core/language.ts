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

const ENGLISH_FUNCTION_WORDS = new Set(
  ('the of and to in a is that for on with as was by said at from it be has have are were an this ' +
    'which or but not his her their its they he she we after will would been who also had more than ' +
    'about into over two new one all')
    .split(' '),
);

/** Share of words (2+ letters, lower-cased) that are English function words. */
export function englishRatio(text: string): number {
  const words = text.toLowerCase().match(/\p{L}[\p{L}']*/gu);
  if (!words || !words.length) return 0;
  let hits = 0;
  for (const w of words) if (ENGLISH_FUNCTION_WORDS.has(w)) hits++;
  return hits / words.length;
}

const only = PLAUSIBLE_LANGUAGES;

/**
 * The language of a text as ISO 639-3, or 'und' when there is too little to tell. Looks at a sample
 * of up to 2,000 characters from the start of the text.
 */
export function detectLanguage(text: string, sampleSize = 2000): string {
  const sample = text.slice(0, sampleSize);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 10) return 'und';
  if (englishRatio(sample) >= 0.2) return 'eng';
  const lang = franc(sample, { only, minLength: 10 });
  // franc reports Albanian as Tosk ('als'); the desk's code for Albanian is 'sqi'.
  return lang === 'als' ? 'sqi' : lang === 'zlm' ? 'msa' : lang;
}

/** franc on a shorter span, restricted to the plausible languages; 'und' when unsure. */
export function guessLanguage(span: string, candidates: readonly string[] = only): string {
  const lang = franc(span, { only: candidates as string[], minLength: 10 });
  return lang === 'als' ? 'sqi' : lang;
}
