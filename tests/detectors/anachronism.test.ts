// anachronism: a person's title against the article's date, from the glossary's roles.
import { describe, expect, it } from 'vitest';
import { roleSignature } from '../../server/core/detectors/anachronism.ts';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';

const glossary = compileGlossary(
  validateGlossary({
    concepts: [
      {
        id: 'donald-trump', canonical: 'Donald Trump', type: 'person', accepted: ['Trump'],
        roles: [
          { title: 'President of the United States', from: '2017-01-20', to: '2021-01-20' },
          { title: 'President of the United States', from: '2025-01-20' },
        ],
      },
      {
        id: 'joe-biden', canonical: 'Joe Biden', type: 'person', accepted: ['Biden'],
        roles: [
          { title: 'Vice President of the United States', from: '2009-01-20', to: '2017-01-20' },
          { title: 'President of the United States', from: '2021-01-20', to: '2025-01-20' },
        ],
      },
      {
        id: 'petro-poroshenko', canonical: 'Petro Poroshenko', type: 'person', accepted: ['Poroshenko'],
        roles: [{ title: 'President of Ukraine', from: '2014-06-07', to: '2019-05-20' }],
      },
      {
        id: 'volodymyr-zelensky', canonical: 'Volodymyr Zelensky', type: 'person', accepted: ['Zelensky'],
        roles: [{ title: 'President of Ukraine', from: '2019-05-20' }],
        variants: [{ text: 'Vladimir Zelensky', kind: 'russian-form' }],
      },
      {
        id: 'dmytro-kuleba', canonical: 'Dmytro Kuleba', type: 'person', accepted: ['Kuleba'],
        roles: [{ title: 'Minister of Foreign Affairs of Ukraine', from: '2020-03-04', to: '2024-09-05' }],
      },
      { id: 'yulia-tymoshenko', canonical: 'Yulia Tymoshenko', type: 'person', accepted: ['Tymoshenko'] },
      { id: 'united-states', canonical: 'United States', type: 'place', accepted: ['US', 'U.S.', 'America'] },
    ],
  }),
);

const run = (text: string, date?: string) => scanText(text, glossary, { detectors: ['anachronism'], ...(date ? { date } : {}) });

describe('anachronism: flags', () => {
  it('"former" while the person held the title, with a plain-words message', () => {
    const text = 'Former US President Donald Trump congratulated both sides.';
    const fs = run(text, '2025-05-23');
    expect(fs).toEqual([
      {
        detector: 'anachronism',
        kind: 'anachronism',
        severity: 'error',
        start: 0,
        end: 32,
        text: 'Former US President Donald Trump',
        suggestion: 'US President Donald Trump',
        concept: 'donald-trump',
        message: 'On 2025-05-23 Donald Trump was President of the United States (since 2025-01-20); “former” contradicts the article\'s date.',
      },
    ]);
  });

  it.each([
    // [date, text, expected span, suggestion]
    ['2019-03-01', 'He met former President Trump on Friday.', 'former President Trump', 'President Trump'],
    ['2025-06-01', 'Later, ex-President Trump spoke.', 'ex-President Trump', 'President Trump'],
    ['2025-06-01', 'The ex-US President Donald Trump spoke.', 'ex-US President Donald Trump', 'US President Donald Trump'],
    ['2023-04-01', "Ukraine's former President Zelensky spoke.", 'former President Zelensky', 'President Zelensky'],
    ['2023-04-01', 'It was former Ukrainian president Volodymyr Zelensky.', 'former Ukrainian president Volodymyr Zelensky', 'Ukrainian president Volodymyr Zelensky'],
  ])('%s: %j', (date, text, span, suggestion) => {
    const fs = run(text, date);
    expect(fs.map((f) => [f.text, f.suggestion, f.severity])).toEqual([[span, suggestion, 'error']]);
    expect(text.slice(fs[0]!.start, fs[0]!.end)).toBe(span);
  });

  it.each([
    ['2022-03-01', 'President Trump said.', 'President Trump', 'Former President Trump'],
    ['2023-01-10', 'On Monday, Ukrainian President Petro Poroshenko said.', 'Ukrainian President Petro Poroshenko', 'former Ukrainian President Petro Poroshenko'],
    ['2023-01-10', 'They met President of the United States Donald Trump.', 'President of the United States Donald Trump', 'former President of the United States Donald Trump'],
    ['2026-02-01', 'A letter from US President Joe Biden arrived.', 'US President Joe Biden', 'former US President Joe Biden'],
    ['2019-02-01', 'A letter from Vice President Biden arrived.', 'Vice President Biden', 'former Vice President Biden'],
    ['2025-01-01', 'He called Foreign Minister Dmytro Kuleba.', 'Foreign Minister Dmytro Kuleba', 'former Foreign Minister Dmytro Kuleba'],
  ])('%s: %j (a title held before the article date)', (date, text, span, suggestion) => {
    const fs = run(text, date);
    expect(fs.map((f) => [f.text, f.suggestion, f.severity])).toEqual([[span, suggestion, 'warning']]);
    expect(text.slice(fs[0]!.start, fs[0]!.end)).toBe(span);
  });

  it('says plainly which office and when', () => {
    const [f] = run('President Poroshenko said.', '2023-01-10');
    expect(f!.message).toBe(
      'Petro Poroshenko was not President of Ukraine on 2023-01-10 (in office 2014-06-07 to 2019-05-20); write “Former President Poroshenko”.',
    );
  });

  it('a title not yet held: reported, without a suggestion', () => {
    const [f] = run('President Zelensky spoke.', '2018-06-01');
    expect(f).toMatchObject({ text: 'President Zelensky', suggestion: null, severity: 'warning' });
    expect(f!.message).toContain('was not yet President of Ukraine on 2018-06-01');
    // The vice-president is not "President" before his own presidency.
    expect(run('President Biden spoke.', '2015-01-10').map((x) => [x.text, x.suggestion])).toEqual([['President Biden', null]]);
  });

  it('stops before a name the glossary flags, so both findings stay visible', () => {
    const text = 'Former President Vladimir Zelensky spoke.';
    const fs = scanText(text, glossary, { date: '2023-04-01' });
    expect(fs.map((f) => [f.detector, f.text, f.suggestion])).toEqual([
      ['anachronism', 'Former President', 'President'],
      ['glossary', 'Vladimir Zelensky', 'Volodymyr Zelensky'],
    ]);
    for (const f of fs) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it('reports every mention, with exact offsets after astral characters', () => {
    const text = '😀 President Trump met 😀 former President Poroshenko, and President Trump left.';
    const fs = run(text, '2022-03-01');
    expect(fs.map((f) => f.text)).toEqual(['President Trump', 'President Trump']);
    for (const f of fs) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});

describe('anachronism: leaves alone', () => {
  it.each([
    ['no article date', 'Former US President Donald Trump spoke.', undefined],
    ['an unreadable date', 'Former US President Donald Trump spoke.', 'May 2025'],
    ['a title held on the date', 'US President Donald Trump spoke.', '2025-05-23'],
    ['a title held on the date (surname)', 'President Zelensky spoke.', '2023-04-01'],
    ['"former" after the term', 'Former US President Donald Trump spoke.', '2022-03-01'],
    ['"former" after the term (Ukraine)', 'former President Poroshenko spoke.', '2023-01-10'],
    ['"former" of an office left, while in another', 'former Vice President Biden spoke.', '2022-03-01'],
    ['then-President', 'then-President Trump spoke.', '2023-01-10'],
    ['then-US President', 'then-US President Donald Trump spoke.', '2023-01-10'],
    ['then President, unhyphenated', 'the then President Poroshenko spoke.', '2023-01-10'],
    ['President-elect before the term', 'President-elect Trump spoke.', '2024-12-01'],
    ['the late', 'the late President Poroshenko spoke.', '2023-01-10'],
    ['outgoing', 'outgoing President Biden spoke.', '2025-02-01'],
    ['a title never held', 'Prime Minister Poroshenko spoke.', '2023-01-10'],
    ['"President" for a vice-president, about the vice-presidency', 'Vice President Biden spoke.', '2015-01-10'],
    ['a person without roles', 'President Tymoshenko spoke.', '2023-01-10'],
    ['no title', 'Donald Trump spoke.', '2022-03-01'],
    ['a title in the previous sentence', 'He met the President. Trump spoke.', '2022-03-01'],
    ['a word that is not a title', 'Presidential adviser Trump spoke.', '2022-03-01'],
    ['a different person with the surname', 'President Donald Trump Jr. spoke.', '2022-03-01'],
    ['inside a quotation', '“President Poroshenko signed it,” she said.', '2023-01-10'],
    ['a year within the term in the sentence', 'In 2018, President Poroshenko signed the law.', '2023-01-10'],
    ['the first day of a term', 'former President Trump spoke.', '2025-01-20'],
    ['the last day of a term', 'President Trump spoke.', '2021-01-20'],
  ])('%s: %j', (_what, text, date) => {
    expect(run(text, date)).toEqual([]);
  });
});

describe('roleSignature', () => {
  it.each([
    ['President of the United States', 'president'],
    ['Vice President of the United States', 'president vice'],
    ['Minister of Foreign Affairs of Ukraine', 'foreign minister'],
    ['United States Secretary of State', 'secretary state'],
    ['Secretary-General of the United Nations', 'general secretary'],
    ['High Representative of the Union for Foreign Affairs and Security Policy', 'high representative'],
    ['Prime Minister of the United Kingdom', 'minister prime'],
    ['Pope', 'pope'],
  ])('%s -> %s', (title, sig) => expect(roleSignature(title)).toBe(sig));
});
