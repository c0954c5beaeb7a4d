// near-miss: unseen spellings of known names, found on transliteration keys; correct names that
// merely look alike stay clean.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { translitKey } from '../../server/core/glossary/keys.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../../server/glossary/files.ts';

const small = compileGlossary(
  validateGlossary({
    concepts: [
      { id: 'donbas', canonical: 'Donbas', type: 'place' },
      { id: 'luhansk', canonical: 'Luhansk', type: 'place' },
      { id: 'petro-poroshenko', canonical: 'Petro Poroshenko', type: 'person' },
      { id: 'vadym-prystaiko', canonical: 'Vadym Prystaiko', type: 'person' },
      { id: 'volodymyr-zelensky', canonical: 'Volodymyr Zelensky', type: 'person' },
      { id: 'margarita-simonyan', canonical: 'Margarita Simonyan', type: 'person' },
      { id: 'kharkiv', canonical: 'Kharkiv', type: 'place' },
      { id: 'australia', canonical: 'Australia', type: 'place' },
    ],
  }),
);
const run = (text: string) => scanText(text, small, { detectors: ['near-miss'] });

describe('transliteration keys', () => {
  it.each([
    ['Kiev', 'Kyiv'],
    ['Dunbas', 'Donbas'],
    ['Lugansk', 'Luhansk'],
    ['Poloshenko', 'Poroshenko'],
    ['Pristaiko', 'Prystaiko'],
    ['Zelenski', 'Zelenskyy'],
    ['Simonian', 'Simonyan'],
    ['Zaporozhzhia', 'Zaporizhzhia'],
  ])('%s and %s share a key', (a, b) => expect(translitKey(a)).toBe(translitKey(b)));
  it.each([
    ['Zelenko', 'Zelensky'],
    ['Austria', 'Australia'],
  ])('%s and %s do not', (a, b) => expect(translitKey(a)).not.toBe(translitKey(b)));
});

describe('near-miss: flags', () => {
  it.each([
    ['Dunbas', 'fighting in the Dunbas region', 'Donbas'],
    ['Lugansk', 'between Donetsk and Lugansk.', 'Luhansk'],
    ['Poloshenko', 'under Poloshenko the talks stalled', 'Poroshenko'],
    ['Poloshenkos', 'during Poloshenkos reign', "Poroshenko's"],
    ['Pristaiko', 'foreign minister Pristaiko said', 'Prystaiko'],
    ['Zelenski', 'President Zelenski said', 'Zelensky'],
    ['Simonian', 'editor-in-chief Simonian said', 'Simonyan'],
    ['Kharkov', 'shelling of Kharkov continued', 'Kharkiv'],
  ])('%s in %j', (word, text, suggestion) => {
    const fs = run(text);
    expect(fs.map((f) => [f.text, f.suggestion])).toEqual([[word, suggestion]]);
    expect(fs[0]).toMatchObject({ kind: 'name-variant', severity: 'warning' });
  });
});

describe('near-miss: leaves alone', () => {
  it.each([
    ['the correct names', 'Poroshenko met Zelensky in Donbas and Luhansk.'],
    ['a similar but different surname', 'Analyst Zelenko said'],
    ['a different country', 'Austria and Australia'],
    ['a name whose key collides but whose spelling is far', 'Ashtralia'],
    ['short capitalised words', 'Kiev Kyiv Riga'],
    ['acronyms', 'DUNBAS POLOSHENKO'],
    ['lower-case words', 'the dunbas'],
    ['ordinary capitalised words', 'Previously, Meanwhile, However, Ukrainian, Russian'],
  ])('%s: %j', (_what, text) => expect(run(text)).toEqual([]));
});

describe('with canonical forms only, on the demo corpus', () => {
  // The starter glossary with every variant and accepted form removed.
  let all: { text: string; file: string }[] = [];
  beforeAll(() => {
    const data = loadGlossaryData();
    const canonicalOnly = compileGlossary({
      ...data,
      concepts: data.concepts.map((c) => ({ id: c.id, canonical: c.canonical, type: c.type })),
    });
    const dir = path.join(PROJECT_ROOT, 'corpus', 'articles');
    all = fs.readdirSync(dir).flatMap((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return scanText(text, canonicalOnly, { detectors: ['near-miss'] }).map((x) => ({ ...x, file: f }));
    });
  });
  it.each(['Dunbas', 'Poloshenkos', 'Pristaiko', 'Lugansk'])('flags %s', (w) => {
    expect(all.some((f) => f.text === w)).toBe(true);
  });
  it('flags none of the correct names', () => {
    const correct = ['Zelensky', 'Putin', 'Merkel', 'Yermak', 'Donetsk', 'Crimea', 'Kursk', 'Belarus', 'Istanbul', 'Trump', 'Navalny', 'Liu', 'Yupeng', 'TASS'];
    expect(all.filter((f) => correct.includes(f.text))).toEqual([]);
  });
});

describe('near-miss with the starter glossary: correct words that merely look like known names', () => {
  let starter: ReturnType<typeof compileGlossary>;
  beforeAll(() => {
    starter = compileGlossary(loadGlossaryData());
  });
  it.each([
    ['demonyms', 'Moldovan, Georgian, Armenian, Azerbaijani, Lithuanian, Estonian and Hungarian officials met.'],
    ['an English word like an agency name', 'Writers and editors met.'],
    ['a surname like a capital city', 'Joseph Stalin and Nikita Khrushchev'],
    ['one surname like another', 'Andriy Shevchenko coached the team.'],
    ['a short surname like another', 'Prime Minister Kristen Michal spoke.'],
    ['leaders not in the glossary', 'Maia Sandu, Irakli Kobakhidze, Nikol Pashinyan, Ilham Aliyev and Kassym-Jomart Tokayev'],
  ])('%s', (_what, text) => {
    expect(scanText(text, starter, { detectors: ['near-miss'] })).toEqual([]);
  });
});
