// facts: what each rewrite of a story states (counts, exchange formulas, dates, names, quotes) and
// where rewrites of the same story contradict each other.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { alignStory, extractFacts, type Fact, type StoryArticle } from '../server/core/facts/index.ts';
import type { Finding } from '../server/core/types.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function expectSpans(text: string, facts: readonly Fact[]): void {
  for (const f of facts) expect(text.slice(f.start, f.end), `${f.type} ${f.key}`).toBe(f.text);
}

const of = (text: string, type: Fact['type'], opts?: { date?: string | null; title?: string | null }): Fact[] => {
  const facts = extractFacts(text, opts);
  expectSpans(text, facts);
  return facts.filter((f) => f.type === type);
};
const pick = ({ text, key, value, scope }: Fact) => ({ text, key, value, scope: scope ?? null });

describe('extractFacts: counts', () => {
  it.each([
    ['Russia released 390 Ukrainian prisoners on Friday.', '390 Ukrainian prisoners', 'prisoner', '390', null],
    ['The sides exchanged 1,000 prisoners.', '1,000 prisoners', 'prisoner', '1000', null],
    ['The sides swapped 1.000 people from each side.', '1.000 people from each side', 'person', '1000', 'each'],
    ['Kyiv freed thirty-five soldiers.', 'thirty-five soldiers', 'soldier', '35', null],
    ['They freed two hundred and fifty civilians.', 'two hundred and fifty civilians', 'civilian', '250', null],
    ['Russia and Ukraine have released a total of 390 prisoners together.', 'a total of 390 prisoners', 'prisoner', '390', 'total'],
    ['They released 390 prisoners in total on Friday.', '390 prisoners in total', 'prisoner', '390', 'total'],
    ['Both sides freed 390 detainees altogether.', '390 detainees altogether', 'prisoner', '390', 'total'],
    ['The sides freed 84 prisoners each.', '84 prisoners each', 'prisoner', '84', 'each'],
    ['The sides handed over 84 captives apiece.', '84 captives apiece', 'prisoner', '84', 'each'],
    ['They swapped 95 POWs per side.', '95 POWs per side', 'prisoner', '95', 'each'],
    ['Under the deal, each side released 35 detained citizens of the other side.', '35 detained citizens', 'citizen', '35', 'each'],
    ['The number included 270 prisoners of war and no one else.', '270 prisoners of war', 'prisoner', '270', null],
    ['Russia returned 24 Ukrainian naval servicemen.', '24 Ukrainian naval servicemen', 'soldier', '24', null],
    ['The war has displaced 2.5 million people.', '2.5 million people', 'person', '2500000', null],
    ['Russia freed 11 Ukrainians accused of spying.', '11 Ukrainians', 'ukrainian', '11', null],
  ])('%s', (text, span, key, value, scope) => {
    expect(of(text, 'count').map(pick)).toEqual([{ text: span, key, value, scope }]);
  });

  it.each([
    ['The prisoner exchange used the "35 for 35" method.', '35 for 35', '35-35', 'prisoner'],
    ['It was a 35-for-35 swap of prisoners.', '35-for-35', '35-35', 'prisoner'],
    ['The first part of the 1,000-for-1,000 deal has been implemented.', '1,000-for-1,000', '1000-1000', 'person'],
    ['They agreed a 35 x 35 prisoner exchange.', '35 x 35', '35-35', 'prisoner'],
    ['The thirty-five for thirty-five prisoner swap is done.', 'thirty-five for thirty-five', '35-35', 'prisoner'],
    ['It was an uneven exchange: 84 for 86 soldiers.', '84 for 86', '84-86', 'soldier'],
  ])('exchange formula in %s', (text, span, value, key) => {
    const ex = of(text, 'exchange');
    expect(ex.map(pick)).toEqual([{ text: span, key, value, scope: value.split('-')[0] === value.split('-')[1] ? 'each' : null }]);
    expect(of(text, 'count')).toEqual([]);
  });

  it.each([
    ['a year', 'The treaty was signed in 2015 by both sides.'],
    ['a year before a noun', 'Since 2022 prisoners have been held in camps.'],
    ['percentages', 'Turnout reached 35% while 12 percent of voters and 8 per cent of members abstained.'],
    ['an age', 'A man aged 35 was detained; 40-year-old soldiers and soldiers 50 years old too.'],
    ['money', 'The deal is worth $300 million; he paid €500 and 700 dollars for 20 UAH coins.'],
    ['a code', 'COVID-19 patients and Su-34 pilots were moved.'],
    ['times', 'The exchange began at 10:30 and ended at 11 a.m. local time.'],
    ['a phone number', 'Families can call +380 44 123 4567 for news.'],
    ['ordinals', 'The 7th brigade soldiers and the 3rd battalion held the line.'],
    ['durations and compound adjectives', 'After five years and a 90-minute meeting, a 30-day ceasefire was agreed.'],
    ['numbers counting nothing', 'The score was 3 to 1 and page 12 said so.'],
    ['dates', 'On September 7 prisoners were freed, and 7 September 2019 too.'],
  ])('no count in %s', (_what, text) => {
    expect(of(text, 'count')).toEqual([]);
    expect(of(text, 'exchange')).toEqual([]);
  });

  it('marks counts in the headline, skipping furniture before it', () => {
    const text = 'Flash News\n\nUkraine and Russia exchange 800 prisoners\n\nUkraine and Russia exchanged 390 prisoners from each side.';
    const counts = of(text, 'count');
    expect(counts.map((f) => [f.text, f.inHeadline])).toEqual([
      ['800 prisoners', true],
      ['390 prisoners from each side', false],
    ]);
  });

  it('takes the headline from the title when one is given', () => {
    const text = 'World | News\nSwap of 84 prisoners completed\nThe sides swapped 84 prisoners.';
    const counts = of(text, 'count', { title: 'Swap of 84 prisoners completed' });
    expect(counts.map((f) => f.inHeadline)).toEqual([true, false]);
  });

  it('finds no headline when the text starts with its body', () => {
    const text = 'Russia and Ukraine exchanged 390 prisoners from each side.\nThey agreed to swap 1,000 prisoners from each side.';
    expect(of(text, 'count').map((f) => f.inHeadline)).toEqual([false, false]);
    expect(all(alignStory([art('x', text)]).findings)).toEqual([]);
  });

  it('a headline count without a noun: "390 freed"', () => {
    const text = 'War’s largest prisoner exchange, 390 freed\n\nRussia and Ukraine released a total of 390 prisoners.';
    expect(of(text, 'count').map((f) => [f.text, f.key, f.value, f.inHeadline])).toEqual([
      ['390', 'prisoner', '390', true],
      ['a total of 390 prisoners', 'prisoner', '390', false],
    ]);
  });
});

describe('extractFacts: dates', () => {
  const d = (text: string, date: string | null = '2019-09-09') => of(text, 'date', { date }).map((f) => [f.text, f.value, f.key]);
  it.each([
    ['On September 7, Moscow and Kiev exchanged prisoners.', [['September 7', '2019-09-07', 'exchange']]],
    ['The prisoners were released on 7 September.', [['7 September', '2019-09-07', 'exchange']]],
    ['The swap happened on Sept. 7, 2019, in Kyiv.', [['Sept. 7, 2019', '2019-09-07', 'exchange']]],
    ['Exchanged: 2019-09-07.', [['2019-09-07', '2019-09-07', 'exchange']]],
    ['The prisoners were freed on 07.09.2019.', [['07.09.2019', '2019-09-07', 'exchange']]],
    ['It began with the invasion of Ukraine in February 2022.', [['February 2022', '2022-02', 'attack']]],
    ['The prisoners were released yesterday.', [['yesterday', '2019-09-08', 'exchange']]],
    ['The prisoners were released on Saturday.', [['Saturday', '2019-09-07', 'exchange']]],
    ['More prisoners will be released on Wednesday.', [['Wednesday', '2019-09-11', 'exchange']]],
    ['The sailors were detained on November 25 last year.', [['November 25', '2018-11-25', 'capture']]],
    ['On July 7, according to an agreement reached in Minsk, each side released 35 citizens.', [['July 7', '2019-07-07', 'exchange']]],
    ['Previously, on September 5, Putin said the exchange was a step forward.', [['September 5', '2019-09-05', 'statement']]],
    ['Putin and Zelensky had a telephone conversation on the 7th.', [['the 7th', '2019-09-07', 'call']]],
    ['The leaders met at a summit on September 3.', [['September 3', '2019-09-03', 'talks']]],
  ])('%s', (text, expected) => {
    expect(d(text)).toEqual(expected);
  });

  it('takes the year from the article date, across a new year', () => {
    expect(d('The prisoners were released on December 28.', '2020-01-03')).toEqual([['December 28', '2019-12-28', 'exchange']]);
  });

  it('reads "May 24 and 25" as two dates', () => {
    expect(d('The exchange is expected to continue on May 24 and 25.', '2025-05-23')).toEqual([
      ['May 24', '2025-05-24', 'exchange'],
      ['25', '2025-05-25', 'exchange'],
    ]);
  });

  it('without an article date keeps the month and day, and leaves relative dates unresolved', () => {
    expect(d('Prisoners were released on September 7 and more on Friday.', null)).toEqual([
      ['September 7', '--09-07', 'exchange'],
      ['Friday', 'friday', 'exchange'],
    ]);
  });

  it('ignores "Today" in a name and "May" the verb', () => {
    expect(d('Russia Today said so. Today Russia television agreed. May the swap go well.')).toEqual([]);
  });
});

describe('extractFacts: people, places, quotes', () => {
  const text =
    'Russian President Vladimir Putin met Ukrainian President Volodymyr Zelensky in Istanbul. ' +
    '“We are returning our people home,” Zelensky said in the Kursk region.';
  const facts = extractFacts(text);
  it('strips titles and finds surnames of full names', () => {
    expectSpans(text, facts);
    expect(facts.filter((f) => f.type === 'person').map((f) => [f.text, f.key, f.value])).toEqual([
      ['Vladimir Putin', 'putin', 'Vladimir Putin'],
      ['Volodymyr Zelensky', 'zelenski', 'Volodymyr Zelensky'],
      ['Zelensky', 'zelenski', 'Volodymyr Zelensky'],
    ]);
  });
  it('finds places after prepositions and before "region"', () => {
    expect(facts.filter((f) => f.type === 'place').map((f) => f.text)).toEqual(['Istanbul', 'Kursk']);
  });
  it('keys a quote by its speaker', () => {
    expect(facts.filter((f) => f.type === 'quote').map((f) => [f.text, f.key, f.value])).toEqual([
      ['We are returning our people home,', 'zelenski', 'we are returning our people home'],
    ]);
  });
});

const art = (slug: string, text: string, date: string | null = '2025-05-23'): StoryArticle => ({ slug, text, date });
const all = (m: Map<string, Finding[]>): [string, Finding][] => [...m].flatMap(([s, fs]) => fs.map((f) => [s, f] as [string, Finding]));

describe('alignStory', () => {
  it('reports "a total of N" against "N from each side", on both sides', () => {
    const a = art('a', 'Russia and Ukraine released a total of 390 prisoners on Friday.');
    const b = art('b', 'Russia and Ukraine exchanged 390 prisoners from each side on Friday.');
    const { findings, rows } = alignStory([a, b]);
    const fa = findings.get('a')!;
    const fb = findings.get('b')!;
    expect(fa).toHaveLength(1);
    expect(fb).toHaveLength(1);
    expect(fa[0]).toMatchObject({
      detector: 'facts', kind: 'fact-mismatch', severity: 'error', text: 'a total of 390 prisoners', suggestion: null, concept: null,
      related: { article: 'b', text: '390 prisoners from each side' },
    });
    expect(fa[0]!.message).toMatch(/a total of 390 prisoners.*390 prisoners from each side.*780 in total.* in b/);
    expect(fb[0]).toMatchObject({ text: '390 prisoners from each side', related: { article: 'a', text: 'a total of 390 prisoners' } });
    expect(rows.find((r) => r.type === 'count' && r.key === 'prisoner')!.agree).toBe(false);
  });

  it('treats "N for N" as N from each side', () => {
    const { findings } = alignStory([
      art('a', 'The prisoner swap followed the "35 for 35" formula.'),
      art('b', 'A total of 35 prisoners were exchanged.'),
    ]);
    expect(findings.get('a')!.map((f) => f.text)).toEqual(['35 for 35']);
    expect(findings.get('b')!.map((f) => f.text)).toEqual(['A total of 35 prisoners']);
  });

  it('reports two different per-side figures', () => {
    const { findings } = alignStory([
      art('a', 'Each side released 35 prisoners on Saturday.'),
      art('b', 'Each side released 53 detainees on Saturday.'),
    ]);
    expect(all(findings).map(([s, f]) => [s, f.text, f.related!.text, f.severity])).toEqual([
      ['a', '35 prisoners', '53 detainees', 'error'],
      ['b', '53 detainees', '35 prisoners', 'error'],
    ]);
  });

  it('stays quiet on different quantities: a deal of 1,000 against 390 released on the first day', () => {
    const quiet = [
      [art('a', 'Russia and Ukraine agreed to exchange 1,000 prisoners.'), art('b', 'Russia and Ukraine released 390 prisoners on Friday.')],
      [
        art('a', 'Russia and Ukraine agreed to exchange 1,000 prisoners from each side. On Friday 390 prisoners were released.'),
        art('b', 'The sides released 390 prisoners from each side on Friday, the first stage of a 1,000-for-1,000 deal.'),
      ],
      [art('a', 'The exchange of 1,000 people from each side would be the largest.'), art('b', 'On Friday 390 people from each side were exchanged.')],
      [art('a', 'Russia freed 270 soldiers and 120 civilians.'), art('b', 'Ukraine freed 300 soldiers in total.')],
      // One side's intake is not the total of an exchange.
      [art('a', 'Ukraine received a total of 35 prisoners.'), art('b', 'The prisoner swap followed the "35 for 35" formula.')],
      // Two days of one exchange.
      [art('a', 'Each side released 390 prisoners on May 23.'), art('b', 'Each side released 307 prisoners on May 24.')],
    ];
    for (const story of quiet) expect(all(alignStory(story).findings)).toEqual([]);
  });

  it('checks the headline against the body, even for a single article', () => {
    const text = 'Ukraine and Russia exchange 800 prisoners\n\nUkraine and Russia exchanged 390 prisoners from each side on Friday.';
    const { findings } = alignStory([art('x', text)]);
    const [f] = findings.get('x')!;
    expect(findings.get('x')).toHaveLength(1);
    expect(f).toMatchObject({ text: '800 prisoners', severity: 'warning', related: { article: 'x', text: '390 prisoners from each side' } });
    expect(text.slice(f!.related!.start, f!.related!.end)).toBe('390 prisoners from each side');
    expect(f!.message).toMatch(/headline says 800.*390 prisoners from each side.*780 in total/);
  });

  it.each([
    ['the double of a per-side figure', 'Russia and Ukraine swap 780 prisoners\n\nThey exchanged 390 prisoners from each side.'],
    ['a number the body repeats', 'Russia and Ukraine swap 800 prisoners\n\nIn all, 800 prisoners were freed; 390 prisoners from each side on day one.'],
    ['a sum of two body counts', 'Ukraine gets back 390 people\n\nKyiv received 270 soldiers and 120 civilians, 390 prisoners each side said.'],
    ['a body without any per-side or total figure', 'Russia and Ukraine swap 800 prisoners\n\nThey exchanged 390 soldiers.'],
    ['an approximate headline', 'Russia and Ukraine swap nearly 800 prisoners\n\nThey exchanged 390 prisoners from each side.'],
    ['a per-side headline', 'Russia and Ukraine swap 100 prisoners each\n\nThey exchanged a total of 200 prisoners.'],
    ['another event', 'Russian strike kills 14 people\n\nAt least 12 people were killed. Separately, 390 prisoners from each side were exchanged.'],
  ])('no headline finding for %s', (_what, text) => {
    expect(all(alignStory([art('x', text)]).findings)).toEqual([]);
  });

  it('reports the same event dated differently', () => {
    const { findings } = alignStory([
      art('a', 'On September 7, Russia and Ukraine exchanged 35 prisoners each.', '2019-09-07'),
      art('b', 'On July 7, Russia and Ukraine exchanged 35 prisoners each.', '2019-09-07'),
    ]);
    expect(all(findings).map(([s, f]) => [s, f.text, f.related!.article, f.related!.text])).toEqual([
      ['a', 'September 7', 'b', 'July 7'],
      ['b', 'July 7', 'a', 'September 7'],
    ]);
    expect(findings.get('b')![0]!.message).toBe('“July 7” (2019-07-07) here, but “September 7” (2019-09-07) in a for the same exchange');
  });

  it.each([
    ['a weekday that agrees', 'The exchange took place on Friday.', '2025-05-24', 'The exchange took place on May 23.'],
    ['a weekday a day off', 'The prisoners were released on Friday.', '2025-05-24', 'The prisoners were released on May 24.'],
    ['different events', 'The sailors were detained on November 25.', '2019-09-07', 'The sailors were released on September 7.'],
    ['talks against an exchange', 'Talks were held in Minsk on September 5.', '2019-09-07', 'Prisoners were exchanged on September 7.'],
    ['an earlier event', 'The last swap took place on June 26.', '2025-07-04', 'Prisoners were swapped on July 4.'],
    ['an article that dates the event twice', 'Prisoners were released on May 23 and on May 24.', '2025-05-24', 'Prisoners were released on May 25.'],
  ])('no date finding for %s', (_what, textA, dateA, textB) => {
    expect(all(alignStory([art('a', textA, dateA), art('b', textB, dateA)]).findings)).toEqual([]);
  });

  it('copes with nothing', () => {
    expect(extractFacts('')).toEqual([]);
    expect(alignStory([])).toEqual({ rows: [], findings: new Map() });
    expect(alignStory([art('a', '')]).findings).toEqual(new Map([['a', []]]));
  });

  it('returns rows aligned by key, with an entry in findings for every article', () => {
    const { rows, findings } = alignStory([
      art('a', 'Russian President Vladimir Putin said 35 prisoners were freed on September 7.', '2019-09-07'),
      art('b', 'Putin said on September 7 that Vladimir Putin approved it.', '2019-09-07'),
    ]);
    expect([...findings.keys()]).toEqual(['a', 'b']);
    const putin = rows.find((r) => r.type === 'person' && r.key === 'putin')!;
    expect(Object.keys(putin.cells)).toEqual(['a', 'b']);
    expect(putin.agree).toBe(true);
  });
});

describe('alignStory on the demo corpus', () => {
  interface Meta { file: string; date: string; story: string; title: string }
  const meta = (YAML.parse(fs.readFileSync(path.join(ROOT, 'corpus', 'articles.yaml'), 'utf8')) as { articles: Meta[] }).articles;
  const stories = new Map<string, StoryArticle[]>();
  for (const m of meta) {
    const text = fs.readFileSync(path.join(ROOT, 'corpus', 'articles', m.file), 'utf8');
    const list = stories.get(m.story) ?? [];
    list.push({ slug: m.file.replace(/\.txt$/, ''), text, date: m.date, title: m.title });
    stories.set(m.story, list);
  }
  const texts = new Map([...stories.values()].flat().map((a) => [a.slug, a.text]));
  const storyOf = new Map([...stories].flatMap(([k, arts]) => arts.map((a) => [a.slug, k] as [string, string])));
  const found: [string, Finding][] = [...stories.values()].flatMap((arts) => all(alignStory(arts).findings));
  const find = (slug: string, text: RegExp) => found.filter(([s, f]) => s === slug && text.test(f.text)).map(([, f]) => f);

  it('extracts facts whose spans slice the text exactly', () => {
    for (const a of [...stories.values()].flat()) expectSpans(a.text, extractFacts(a.text, { date: a.date, title: a.title }));
  });

  it('001 dates the exchange July 7 where 000 says September 7', () => {
    const [f] = find('001_00dde55bb2c9393b', /^July 7$/);
    expect(f).toBeDefined();
    expect(f!.related).toMatchObject({ article: '000_e741d46e1a66ee76', text: 'September 7' });
    expect(f!.message).toContain('000_e741d46e1a66ee76');
  });

  it('003 "a total of 390" against 004 "390 … from each side", both ways', () => {
    const [f3] = find('003_30904ec8ac950bac', /total of 390/);
    expect(f3!.related).toMatchObject({ article: '004_5708cb1ee7797cb2', text: expect.stringMatching(/^390 .*from each side$/) });
    const [f4] = find('004_5708cb1ee7797cb2', /^390 .*from each side$/).filter((f) => f.related!.article === '003_30904ec8ac950bac');
    expect(f4!.related!.text).toMatch(/total of 390/);
  });

  it('004 headline "800" against its body', () => {
    const [f] = find('004_5708cb1ee7797cb2', /800/);
    expect(f!.related).toMatchObject({ article: '004_5708cb1ee7797cb2', text: expect.stringMatching(/^390 .*from each side$/) });
    expect(f!.message).toMatch(/800.*390.*780 in total/);
  });

  it('links only within a story, with exact offsets, and raises nothing else', () => {
    for (const [slug, f] of found) {
      expect(texts.get(slug)!.slice(f.start, f.end)).toBe(f.text);
      expect(storyOf.get(f.related!.article)).toBe(storyOf.get(slug));
      expect(texts.get(f.related!.article)!.slice(f.related!.start, f.related!.end)).toBe(f.related!.text);
    }
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(found.length).toBeLessThanOrEqual(6);
  });
});
