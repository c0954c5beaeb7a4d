// consistency: one concept spelled two acceptable ways in one article.
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';

const glossary = compileGlossary(
  validateGlossary({
    concepts: [
      {
        id: 'volodymyr-zelensky', canonical: 'Volodymyr Zelensky', type: 'person', accepted: ['Zelensky'],
        variants: [
          { text: 'Zelenskyy', kind: 'house-style' },
          { text: 'Zelenskiy', kind: 'house-style' },
          { text: 'Vladimir Zelensky', kind: 'russian-form' },
        ],
      },
    ],
  }),
);
const run = (text: string) => scanText(text, glossary, { detectors: ['consistency'] });

describe('consistency: flags', () => {
  it('the minority spelling when two house spellings meet', () => {
    const fs = run('Zelenskyy spoke. Later Zelenskiy left. Zelenskyy returned.');
    expect(fs.map((f) => [f.text, f.suggestion, f.severity])).toEqual([['Zelenskiy', 'Zelenskyy', 'info']]);
  });
  it('a house spelling against the canonical family', () => {
    const fs = run('Volodymyr Zelensky spoke. Zelensky left. Zelenskyy returned.');
    expect(fs.map((f) => f.text)).toEqual(['Zelenskyy']);
  });
});

describe('consistency: leaves alone', () => {
  it.each([
    ['full name and surname', 'Volodymyr Zelensky spoke. President Zelensky left.'],
    ['one house spelling throughout', 'Zelenskyy spoke. Zelenskyy left.'],
    ['artefact variants (the glossary detector reports those)', 'Vladimir Zelensky spoke. Zelensky left.'],
  ])('%s', (_what, text) => expect(run(text)).toEqual([]));
});
