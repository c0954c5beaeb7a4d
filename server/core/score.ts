// The MQM-style quality score of an article. Pure.
//
// Every issue costs penalty points by severity: minor 1, major 5, critical 25 — except a minor
// punctuation issue (category 'fluency/punctuation'), which costs 0.1. The penalty is the sum.
// per1000 is that penalty per 1,000 words of the text: penalty × 1000 / words. A text without
// words scores per1000 0 when it has no issues; with issues its word count is taken as 1.
// The score is 100 − per1000, never below 0.
// Rounding: penalty is exact (a multiple of 0.1, computed in tenths so there is no float drift);
// per1000 is rounded to one decimal place and the score is 100 minus that rounded value, so
// score + per1000 = 100 whenever the score is above 0, and both are ready to display as they are.
// Example: 250 words, 1 major + 2 minor + 1 minor punctuation: penalty 5 + 2 + 0.1 = 7.1,
// per1000 = 7.1 × 1000 / 250 = 28.4, score 71.6.
//
// Words are counted the way a reader counts them, in any script: a run of letters, marks and
// digits is a word, and letters joined by an apostrophe or a hyphen stay one word ("don't",
// "Zelensky's", "full-scale"); digits joined by "." or "," stay one number ("1,000", "3.5"), and
// initials joined by full stops stay one word ("U.S.", "e.g.").
// Chinese characters, kana and other scripts written without spaces count one word per character.

export const MQM_WEIGHTS = { minor: 1, major: 5, critical: 25 } as const;
/** What a minor punctuation issue weighs instead of MQM_WEIGHTS.minor. */
export const MQM_MINOR_PUNCTUATION_WEIGHT = 0.1;
/** The MQM category whose minor issues weigh MQM_MINOR_PUNCTUATION_WEIGHT (see core/annotations.ts). */
export const PUNCTUATION_CATEGORY = 'fluency/punctuation';

export type MqmScoreSeverity = keyof typeof MQM_WEIGHTS;

export interface ScoredIssue {
  severity: MqmScoreSeverity;
  /** MQM category id as in core/annotations.ts ('accuracy/mistranslation', 'fluency/punctuation'…). */
  category: string;
}

export interface QualityScore {
  words: number;
  /** Absolute penalty total (a multiple of 0.1). */
  penalty: number;
  /** Penalty per 1,000 words, rounded to one decimal place. */
  per1000: number;
  /** 0..100: 100 − per1000, clamped at 0. One decimal place. */
  score: number;
  counts: { minor: number; major: number; critical: number };
}

/** Weights in tenths of a point, so sums stay exact. */
const TENTHS = { minor: 10, major: 50, critical: 250 } as const;

function tenthsOf(issue: ScoredIssue): number {
  if (issue.severity === 'minor' && issue.category === PUNCTUATION_CATEGORY) return 1;
  return TENTHS[issue.severity];
}

/** What one issue costs, in points. */
export function issueWeight(issue: ScoredIssue): number {
  return tenthsOf(issue) / 10;
}

// Scripts written without spaces between words: each character counts as a word.
const PER_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const JOINERS = new Set(["'", '’', 'ʼ', '-', '\u2010', '\u2011']);
const NUMBER_JOINERS = new Set(['.', ',']);

/** Count words, Unicode-aware (see the header comment for the rules). */
export function wordCount(text: string): number {
  let n = 0;
  let inWord = false;
  let segment = 0; // letters since the word's start or its last joiner
  const chars = Array.from(text); // code points, so astral characters are one each
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (PER_CHARACTER.test(c)) {
      n++;
      inWord = false;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      if (!inWord) {
        n++;
        segment = 0;
      }
      inWord = true;
      segment++;
      continue;
    }
    if (inWord) {
      const prev = chars[i - 1]!;
      const next = chars[i + 1];
      const joins =
        next !== undefined &&
        ((JOINERS.has(c) && /[\p{L}\p{N}]/u.test(next) && !PER_CHARACTER.test(next)) ||
          (NUMBER_JOINERS.has(c) && /\p{N}/u.test(prev) && /\p{N}/u.test(next)) ||
          (c === '.' && segment === 1 && /\p{L}/u.test(prev) && /\p{L}/u.test(next)));
      segment = 0;
      if (joins) continue; // stay inside the word
    }
    inWord = false;
  }
  return n;
}

/** The quality score of a text with the given issues (see the header comment). */
export function qualityScore(text: string, issues: readonly ScoredIssue[]): QualityScore {
  const counts = { minor: 0, major: 0, critical: 0 };
  let tenths = 0;
  for (const issue of issues) {
    counts[issue.severity]++;
    tenths += tenthsOf(issue);
  }
  const words = wordCount(text);
  const divisor = words === 0 ? (issues.length ? 1 : 0) : words;
  // per1000 in tenths: tenths/10 × 1000/words × 10 = tenths × 1000 / words.
  const per1000Tenths = divisor === 0 ? 0 : Math.round((tenths * 1000) / divisor);
  return {
    words,
    penalty: tenths / 10,
    per1000: per1000Tenths / 10,
    score: Math.max(0, 1000 - per1000Tenths) / 10,
    counts,
  };
}

/**
 * How a detector finding counts in the score: an error is a major issue, a warning a minor one,
 * and an info finding (a house-style note, a consistency hint) is not scored (null).
 */
export function findingSeverityToMqm(sev: 'error' | 'warning' | 'info'): 'minor' | 'major' | 'critical' | null {
  return sev === 'error' ? 'major' : sev === 'warning' ? 'minor' : null;
}
