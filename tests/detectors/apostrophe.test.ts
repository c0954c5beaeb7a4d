// apostrophe: possessives and contractions that lost their apostrophe.
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';

const glossary = compileGlossary(
  validateGlossary({
    concepts: [
      { id: 'russia', canonical: 'Russia', type: 'place', accepted: ['Russian Federation'] },
      { id: 'ukraine', canonical: 'Ukraine', type: 'place' },
      { id: 'austria', canonical: 'Austria', type: 'place' },
      { id: 'alexei-navalny', canonical: 'Alexei Navalny', type: 'person', accepted: ['Navalny'] },
      { id: 'united-states', canonical: 'United States', type: 'place', accepted: ['America'] },
    ],
    notPossessive: ['Americas'],
  }),
);
const run = (text: string) => scanText(text, glossary, { detectors: ['apostrophe'] });

describe('apostrophe: flags', () => {
  it.each([
    ['Russias', 'endangering Russias national security', "Russia's"],
    ['Ukraines', 'Ukraines new foreign minister', "Ukraine's"],
    ['Austrias', 'Austrias Controversial Deportations', "Austria's"],
    ['Navalnys', 'for Supporting Navalnys Anti-Corruption Work', "Navalny's"],
    ['Russia s', 'Russia s army advanced', "Russia's"],
    ['Kremlin s', 'the Kremlin s position', "Kremlin's"],
    ['doesn t', 'It doesn t matter', "doesn't"],
    ['don t', 'We don t know', "don't"],
    ['can t', 'they can t leave', "can't"],
    ['won t', 'Russia won t stop', "won't"],
    ['it s', 'he said it s over', "it's"],
    ['we re', 'we re returning', "we're"],
    ['doesn?t', 'It doesn?t matter', "doesn't"],
  ])('%s in %j', (word, text, suggestion) => {
    const fs = run(text);
    expect(fs.map((f) => [f.text, f.suggestion])).toEqual([[word, suggestion]]);
    expect(fs[0]).toMatchObject({ kind: 'dropped-apostrophe', severity: 'warning' });
  });
});

describe('apostrophe: leaves alone', () => {
  it.each([
    ['correct possessives', "Russia's army and Ukraine’s aim"],
    ['a plural listed as not possessive', 'the Americas'],
    ['words that merely end in s', 'Texas, Paris and Athens'],
    ['an unknown name ending in s', 'Zayakins'],
    ['a lower-case word', 'two russias'],
    ['contraction-like letters across words', 'Kuwait spends; I make; we reckon'],
    ['normal prose', 'It does not matter; they cannot leave; it is over.'],
    ['a question mark before a word', 'Why? So what.'],
  ])('%s: %j', (_what, text) => {
    expect(run(text)).toEqual([]);
  });
});
