// The MQM-style quality score: weights, per-1,000-word normalisation, clamping and word counting.
import { describe, expect, it } from 'vitest';
import { MQM_CATEGORIES } from '../server/core/annotations.ts';
import {
  MQM_WEIGHTS,
  PUNCTUATION_CATEGORY,
  findingSeverityToMqm,
  issueWeight,
  qualityScore,
  wordCount,
  type ScoredIssue,
} from '../server/core/score.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const major: ScoredIssue = { severity: 'major', category: 'accuracy/mistranslation' };
const minor: ScoredIssue = { severity: 'minor', category: 'fluency/spelling' };
const punct: ScoredIssue = { severity: 'minor', category: 'fluency/punctuation' };
const critical: ScoredIssue = { severity: 'critical', category: 'accuracy/omission' };

describe('qualityScore', () => {
  it('computes the worked example by hand: 250 words, 1 major, 2 minor, 1 minor punctuation', () => {
    const text = words(250);
    expect(wordCount(text)).toBe(250);
    // penalty = 5 (major) + 1 + 1 (minor) + 0.1 (minor punctuation) = 7.1
    // per1000 = 7.1 × 1000 / 250 = 28.4; score = 100 − 28.4 = 71.6
    const s = qualityScore(text, [major, minor, minor, punct]);
    expect(s).toEqual({ words: 250, penalty: 7.1, per1000: 28.4, score: 71.6, counts: { minor: 3, major: 1, critical: 0 } });
  });

  it('scores a clean text 100', () => {
    expect(qualityScore(words(40), [])).toEqual({ words: 40, penalty: 0, per1000: 0, score: 100, counts: { minor: 0, major: 0, critical: 0 } });
  });

  it('clamps at 0 but keeps the penalty and per1000 as they are', () => {
    // 100 words, 5 critical: penalty 125, per1000 1250, score max(0, 100 − 1250) = 0
    const s = qualityScore(words(100), [critical, critical, critical, critical, critical]);
    expect(s).toMatchObject({ penalty: 125, per1000: 1250, score: 0, counts: { critical: 5 } });
  });

  it('handles a text without words', () => {
    expect(qualityScore('', [])).toMatchObject({ words: 0, penalty: 0, per1000: 0, score: 100 });
    // with issues the word count is taken as 1: one minor issue = 1000 per 1,000 words
    expect(qualityScore(' … ', [minor])).toMatchObject({ words: 0, penalty: 1, per1000: 1000, score: 0 });
  });

  it('rounds per1000 to one decimal place and keeps score + per1000 = 100', () => {
    // 3 words, 1 minor: 1000/3 = 333.33… -> 333.3, score 0
    expect(qualityScore(words(3), [minor])).toMatchObject({ per1000: 333.3, score: 0 });
    // 700 words, 1 minor + 1 punctuation: 1.1 × 1000 / 700 = 1.5714… -> 1.6, score 98.4
    const s = qualityScore(words(700), [minor, punct]);
    expect(s).toMatchObject({ penalty: 1.1, per1000: 1.6, score: 98.4 });
    expect(s.score + s.per1000).toBe(100);
  });

  it('sums many small weights without float drift', () => {
    const s = qualityScore(words(1000), Array.from({ length: 30 }, () => punct));
    expect(s.penalty).toBe(3);
    expect(s.score).toBe(97);
  });

  it('a major punctuation issue weighs like any other major issue', () => {
    expect(issueWeight({ severity: 'major', category: 'fluency/punctuation' })).toBe(5);
    expect(issueWeight(punct)).toBe(0.1);
    expect(issueWeight(critical)).toBe(MQM_WEIGHTS.critical);
  });

  it('uses a punctuation category that exists in the annotation categories', () => {
    expect(MQM_CATEGORIES.map((c) => c.id as string)).toContain(PUNCTUATION_CATEGORY);
  });
});

describe('wordCount', () => {
  it.each([
    ['Talks in Kyiv resumed.', 4],
    ['Переговоры в Киеве возобновились.', 4],
    ['Zelensky’s don\'t it\'s', 3],
    ['a full-scale invasion, well‑known', 4],
    ['中文新闻', 4],
    ['東京で会議', 5],
    ['Kyiv 中文 talks', 4],
    ['e\u0301te\u0301 à Tiranë', 3],
    ['1,000 people and 3.5 percent', 5],
    ['the U.S. and e.g. the UK', 6],
    ['  \n\t — … ', 0],
    ['word — word - word', 3],
    ['😀 text 𝒳', 2],
    ['Trump.Zelensky said', 3],
  ])('%j has %i words', (text, n) => expect(wordCount(text)).toBe(n));
});

describe('findingSeverityToMqm', () => {
  it('maps error to major, warning to minor and leaves info unscored', () => {
    expect(findingSeverityToMqm('error')).toBe('major');
    expect(findingSeverityToMqm('warning')).toBe('minor');
    expect(findingSeverityToMqm('info')).toBeNull();
  });
});
