// The glossary detector: exact, whole-word, Unicode-aware matching of every variant, with
// possessives, dropped apostrophes, case rules and context exceptions.
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';

const glossary = compileGlossary(
  validateGlossary({
    concepts: [
      { id: 'kyiv', canonical: 'Kyiv', type: 'place', variants: [{ text: 'Kiev', kind: 'russian-form', exceptions: ['chicken Kiev'] }] },
      { id: 'tirana', canonical: 'Tirana', type: 'place', variants: [{ text: 'Tiran', kind: 'misspelling' }] },
      {
        id: 'volodymyr-zelensky', canonical: 'Volodymyr Zelensky', type: 'person', accepted: ['Zelensky'],
        variants: [
          { text: 'Vladimir Zelensky', kind: 'russian-form' },
          { text: 'Zelenski', kind: 'transliteration', suggestion: 'Zelensky' },
          { text: 'Zelenskyy', kind: 'house-style', styles: ['kyiv-independent'] },
        ],
      },
      { id: 'tass', canonical: 'TASS', type: 'outlet', variants: [{ text: 'Tass', kind: 'misspelling', case: 'sensitive' }] },
      { id: 'odesa', canonical: 'Odesa', type: 'place', variants: [{ text: 'Odessa', kind: 'russian-form', exceptions: ['Odessa, Texas'] }] },
      { id: 'full-scale-invasion', canonical: 'full-scale invasion', type: 'term', variants: [{ text: 'full-scale occupation', kind: 'mistranslation' }] },
      { id: 'rt', canonical: 'RT', type: 'outlet', variants: [{ text: 'Today Russia', kind: 'literal-translation' }] },
    ],
  }),
);

const run = (text: string) => scanText(text, glossary, { detectors: ['glossary'] });

describe('glossary detector: flags', () => {
  it.each([
    ['Kiev', 'Talks in Kiev resumed.', 'Kyiv'],
    ['KIEV', 'KIEV (Reuters) - Talks resumed.', 'Kyiv'],
    ['Kiev', "Kiev's mayor spoke.", 'Kyiv'],
    ['Kiev', 'Kiev’s mayor spoke.', 'Kyiv'],
    ['Kiev', 'the Kiev-based analyst', 'Kyiv'],
    ['Vladimir Zelensky', 'President Vladimir Zelensky said', 'Volodymyr Zelensky'],
    ['Vladimir\nZelensky', 'President Vladimir\nZelensky said', 'Volodymyr Zelensky'],
    ['Zelenski', 'Zelenski said', 'Zelensky'],
    ['Zelenskis', 'during Zelenskis visit', "Zelensky's"],
    ['Tass', 'according to Tass News Agency', 'TASS'],
    ['full-scale occupation', 'since the full-scale occupation began', 'full-scale invasion'],
    ['full‑scale occupation'.replace('‑', '-'), 'since the full-scale  occupation began'.replace('  ', ' '), 'full-scale invasion'],
    ['Today Russia', 'Today Russia television', 'RT'],
    ['Tiran', 'Tiran was mentioned', 'Tirana'],
  ])('%s in %j', (expected, text, suggestion) => {
    const fs = run(text);
    expect(fs.map((f) => f.text)).toEqual([expected]);
    expect(fs[0]!.suggestion).toBe(suggestion);
    expect(text.slice(fs[0]!.start, fs[0]!.end)).toBe(expected);
  });

  it('reports a house-style spelling at info only', () => {
    const [f] = run('Zelenskyy said');
    expect(f).toMatchObject({ text: 'Zelenskyy', severity: 'info', kind: 'house-style', suggestion: 'Volodymyr Zelensky' });
  });
});

describe('glossary detector: leaves alone', () => {
  it.each([
    ['a canonical form', 'Talks in Kyiv resumed.'],
    ['a word containing the variant', 'Kievan Rus was a medieval state.'],
    ['a Unicode word containing the variant', 'Tiranë is the capital.'],
    ['a letter-prefixed variant', 'ÖKiev'],
    ['an exception phrase', 'He ordered chicken Kiev.'],
    ['an exception phrase across spaces', 'He ordered chicken  Kiev.'],
    ['an exception with punctuation', 'Odessa, Texas, is an oil town.'],
    ['a case-sensitive variant in its correct case', 'TASS reported.'],
    ['another person with the same first name', 'Vladimir Putin said'],
    ['an accepted short form', 'President Zelensky said'],
    ['a variant plus a longer suffix', 'Zelenskiyans'],
    ['a lower-case dropped-s form (not a name)', 'the kievs'],
  ])('%s: %j', (_what, text) => {
    expect(run(text).filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('house style setting', () => {
  const styled = compileGlossary(glossary.data, { houseStyle: 'kyiv-independent' });
  it('makes the styled spelling correct and the canonical an info note', () => {
    expect(scanText('Zelenskyy said', styled, { detectors: ['glossary'] })).toEqual([]);
    const [f] = scanText('Volodymyr Zelensky said', styled, { detectors: ['glossary'] });
    expect(f).toMatchObject({ severity: 'info', suggestion: 'Zelenskyy' });
  });
  it('changes the glossary version', () => {
    expect(styled.version).not.toBe(glossary.version);
  });
});

describe('exceptions and acronyms', () => {
  const g = compileGlossary(
    validateGlossary({
      concepts: [
        { id: 'kyiv', canonical: 'Kyiv', type: 'place', variants: [{ text: 'Kiev', kind: 'russian-form', exceptions: ['chicken Kiev', 'Kiev cake'] }] },
        { id: 'united-states', canonical: 'United States', type: 'place', accepted: ['US'] },
        { id: 'ukraine', canonical: 'Ukraine', type: 'place', variants: [{ text: 'the Ukraine', kind: 'misspelling', exceptions: ['the Ukraine war'] }] },
      ],
    }),
  );
  it.each([
    ['words after the variant', 'She baked a Kiev cake.', []],
    ['words after a multi-word variant', 'since the Ukraine war began', []],
    ['the variant without the exception words', 'She visited Kiev.', ['Kiev']],
    ['the variant followed by a longer word', 'She baked Kiev cakes.', ['Kiev']],
  ])('%s', (_what, text, expected) => {
    expect(scanText(text, g, { detectors: ['glossary'] }).map((f) => f.text)).toEqual(expected);
  });
  it('matches a correct acronym only in capitals', () => {
    expect(g.matcher.scan('let us go to the US').map((m) => g.forms[m.form]!.text)).toEqual(['US']);
  });
});

describe('multi-word variants with a dropped apostrophe', () => {
  it.each([
    ['Vladimir Zelenskys', "Volodymyr Zelensky's"],
    ['Today Russias', "RT's"],
  ])('%s', (form, suggestion) => {
    const fs = scanText(`during ${form} visit`, glossary, { detectors: ['glossary'] });
    expect(fs.map((f) => [f.text, f.suggestion])).toEqual([[form, suggestion]]);
  });
});
