// untranslated: text left in another language — other scripts, foreign section labels from the
// glossary (`labels`), short Vietnamese lines, and longer lines franc reads as another language.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../../server/glossary/files.ts';

const glossary = compileGlossary(loadGlossaryData());
const run = (text: string, originLanguage?: string) =>
  scanText(text, glossary, { detectors: ['untranslated'], ...(originLanguage ? { originLanguage } : {}) });
const texts = (text: string) => run(text).map((f) => f.text);

const BODY = 'Russia and Ukraine exchanged hundreds of prisoners on Friday, officials in both countries said.';
const articlesDir = path.join(PROJECT_ROOT, 'corpus', 'articles');
const seedFiles = fs.readdirSync(articlesDir).filter((f) => f.endsWith('.txt')).sort();

describe('untranslated: the seed articles', () => {
  it.each(seedFiles.map((f) => [f, f.startsWith('004') ? ['Bota'] : []] as const))('%s: exactly %j', (file, expected) => {
    const text = fs.readFileSync(path.join(articlesDir, file), 'utf8');
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual(expected);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it('004: "Bota" is an Albanian section label meaning World', () => {
    const text = fs.readFileSync(path.join(articlesDir, seedFiles.find((f) => f.startsWith('004'))!), 'utf8');
    const [f] = run(text);
    expect(f).toMatchObject({
      detector: 'untranslated',
      kind: 'untranslated',
      severity: 'warning',
      text: 'Bota',
      suggestion: 'World',
      concept: null,
      message: 'Untranslated section label "Bota" (Albanian for "World")',
    });
    expect(f!.start).toBe(text.indexOf('Bota'));
  });
});

describe('untranslated: runs of another script', () => {
  it.each([
    ['Cyrillic in a sentence', 'The talks, known as «переговоры в Стамбуле», resumed.', 'переговоры в Стамбуле', /Cyrillic script/],
    ['a long Russian line, with franc’s guess', 'Зеленский заявил о новом обмене пленными между Россией и Украиной', 'Зеленский заявил о новом обмене пленными между Россией и Украиной', /Russian text \(Cyrillic script\)/],
    ['Ukrainian', 'The banner read Слава Україні! on the bridge.', 'Слава Україні', /Cyrillic script/],
    ['Chinese characters', 'The sign read 和平 in large letters.', '和平', /Chinese text \(Han script\)/],
    ['a Chinese sentence with its punctuation', '俄乌双方交换战俘，这是自冲突爆发以来规模最大的一次。', '俄乌双方交换战俘，这是自冲突爆发以来规模最大的一次', /Chinese/],
    ['Japanese kana', 'Tokyo called it a ひどい decision.', 'ひどい', /Japanese/],
    ['Japanese kana and kanji', 'The headline was 捕虜交換が行われた in Tokyo.', '捕虜交換が行われた', /Japanese/],
    ['Korean', 'Seoul said 남북 대화 would resume.', '남북 대화', /Korean text \(Hangul script\)/],
    ['Greek', 'The square, Μεγάλη Πλατεία, was empty.', 'Μεγάλη Πλατεία', /Greek/],
    ['Arabic', 'He wrote مرحبا بكم on the wall.', 'مرحبا بكم', /Arabic script/],
    ['Hebrew', 'The placard said שלום עכשיו outside.', 'שלום עכשיו', /Hebrew/],
    ['Bengali', 'Dhaka called it আমাদের দেশ in a statement.', 'আমাদের দেশ', /Bengali/],
    ['Devanagari', 'The minister said यह भी पढ़ें twice.', 'यह भी पढ़ें', /Devanagari script/],
    ['Thai', 'Bangkok said ข่าว was wrong.', 'ข่าว', /Thai/],
    ['Georgian', 'Tbilisi said საქართველო would vote.', 'საქართველო', /Georgian/],
    ['Armenian', 'Yerevan said Հայաստան would vote.', 'Հայաստան', /Armenian/],
    ['a Cyrillic look-alike letter inside a Latin word', 'Кyiv is spelled with a Cyrillic K here.', 'К', /look-alike/],
    ['an astral Han character', 'The name 𠀋 was on the list.', '𠀋', /Chinese/],
  ])('%s', (_what, text, expected, message) => {
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual([expected]);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]).toMatchObject({ kind: 'untranslated', severity: 'warning' });
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(expected);
  });

  it('two scripts in one line are two findings', () => {
    expect(texts('He wrote مرحبا on the wall and שלום on the door.')).toEqual(['مرحبا', 'שלום']);
  });

  it('runs do not join across lines', () => {
    expect(texts('Привет\nмир')).toEqual(['Привет', 'мир']);
  });
});

describe('untranslated: section labels from the glossary', () => {
  it.each([
    ['Albanian, alone on a line', 'Bota', 'Bota', 'Untranslated section label "Bota" (Albanian for "World")', 'World'],
    ['Albanian, in capitals with a colon', 'BOTA:', 'BOTA', 'Untranslated section label "BOTA" (Albanian for "World")', 'World'],
    ['Vietnamese', 'Thế giới', 'Thế giới', 'Untranslated section label "Thế giới" (Vietnamese for "World")', 'World'],
    ['Vietnamese, title case', 'Thời Sự', 'Thời Sự', 'Untranslated section label "Thời Sự" (Vietnamese for "Current affairs")', 'Current affairs'],
    ['Indonesian', 'Internasional', 'Internasional', 'Untranslated section label "Internasional" (Indonesian for "International")', 'International'],
    ['German', 'Ausland', 'Ausland', 'Untranslated section label "Ausland" (German for "World (foreign news)")', 'World (foreign news)'],
    ['Italian', 'Esteri', 'Esteri', 'Untranslated section label "Esteri" (Italian for "World (foreign news)")', 'World (foreign news)'],
    ['Turkish', 'Gündem', 'Gündem', 'Untranslated section label "Gündem" (Turkish for "Current affairs")', 'Current affairs'],
    ['Romanian', 'Externe', 'Externe', 'Untranslated section label "Externe" (Romanian for "World (foreign news)")', 'World (foreign news)'],
    ['Croatian', 'Vijesti', 'Vijesti', 'Untranslated section label "Vijesti" (Croatian for "News")', 'News'],
    ['Polish', 'Świat', 'Świat', 'Untranslated section label "Świat" (Polish for "World")', 'World'],
    ['Czech', 'Zprávy', 'Zprávy', 'Untranslated section label "Zprávy" (Czech for "News")', 'News'],
    ['Tagalog', 'Balita', 'Balita', 'Untranslated section label "Balita" (Tagalog for "News")', 'News'],
    ['French', 'Actualités', 'Actualités', 'Untranslated section label "Actualités" (French for "News")', 'News'],
    ['a label shared by several languages', 'Mundo', 'Mundo', 'Untranslated section label "Mundo" (Spanish, Portuguese or Tagalog for "World")', 'World'],
  ])('%s: %j', (_what, line, expected, message, suggestion) => {
    const found = run(`${line}\n\n${BODY}`);
    expect(found.map((f) => [f.text, f.message, f.suggestion])).toEqual([[expected, message, suggestion]]);
  });

  it('names the declared origin language when a label is shared', () => {
    const [f] = run(`Mundo\n\n${BODY}`, 'por');
    expect(f!.message).toBe('Untranslated section label "Mundo" (Portuguese for "World")');
  });

  it.each([
    ['a breadcrumb', 'Home › Bota › Evropë', ['Bota']],
    ['a fused title line', 'Istanbul Agreement, Ukraine and Russia exchange 800 prisoners | Bota | example.al', ['Bota']],
    ['a slash breadcrumb', 'Lajme / Bota', ['Lajme', 'Bota']],
    ['a dash-separated title', 'Rusia dhe Ukraina – Dünya – Haberler', ['Dünya', 'Haberler']],
  ])('as a segment of %s', (_what, line, expected) => {
    const text = `${line}\n\n${BODY}`;
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual(expected);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it.each([
    ['a label word inside running prose', 'Albanian outlets call the world section Bota, a reader said.'],
    ['a label word as part of a longer line', 'Bota Sot reported the exchange'],
    ['a lower-case word', 'bota'],
    ['a label inside a URL', 'https://example.al/bota/lajme'],
    ['English section names', 'World | Europe | Politics'],
    ['a breadcrumb segment that merely contains a label', 'Home › Bota e sotme'],
  ])('not %s', (_what, line) => {
    expect(texts(`${line}\n\n${BODY}`)).toEqual([]);
  });

  it('labels live in the glossary data', () => {
    const custom = compileGlossary(validateGlossary({ concepts: [], labels: [{ text: 'Uutiset', lang: 'fin', meaning: 'News' }] }));
    const found = scanText(`Uutiset\n\nBota\n\n${BODY}`, custom, { detectors: ['untranslated'] });
    expect(found.map((f) => [f.text, f.message])).toEqual([['Uutiset', 'Untranslated section label "Uutiset" (Finnish for "News")']]);
  });
});

describe('untranslated: short Vietnamese lines', () => {
  it.each([
    ['a related-news heading not in the label list', 'Tin nổi bật'],
    ['a section name', 'Xã hội'],
    ['a short phrase', 'Bạn đọc viết'],
  ])('%s: %j', (_what, line) => {
    const found = run(`${line}\n\n${BODY}`);
    expect(found.map((f) => [f.text, f.message])).toEqual([[line, 'Untranslated Vietnamese text left in the English version']]);
  });

  it.each([
    ['a Vietnamese name on its own line', 'Nguyễn Văn An'],
    ['Vietnamese names in English prose', 'Prime Minister Phạm Minh Chính met Nguyễn Phú Trọng in Hà Nội on Friday.'],
    ['South Slavic đ', 'Građani'],
  ])('not %s', (_what, line) => {
    expect(texts(`${line}\n\n${BODY}`)).toEqual([]);
  });
});

describe('untranslated: lines in another Latin-script language', () => {
  it.each([
    ['Albanian', 'Rusia dhe Ukraina shkëmbejnë 800 të burgosur pas marrëveshjes së Stambollit', /Albanian/],
    ['German', 'Die Regierung hat am Freitag neue Sanktionen gegen Russland beschlossen.', /German/],
    ['Indonesian', 'Rusia dan Ukraina melakukan pertukaran tahanan terbesar sejak perang dimulai.', /Indonesian/],
    ['Polish', 'Wojna w Ukrainie: Rosja i Ukraina wymieniły jeńców w sobotę po negocjacjach.', /Polish/],
    ['French', 'Le président ukrainien a déclaré que l’échange se poursuivrait ce week-end.', /French/],
    ['Spanish (franc hesitates with Portuguese)', 'El presidente ucraniano dijo que el intercambio continuará el fin de semana.', /Spanish/],
    ['Vietnamese', 'Nga và Ukraine đã tiến hành trao đổi tù nhân lớn nhất từ trước đến nay.', /Vietnamese/],
  ])('%s', (_what, line, language) => {
    const text = `${BODY}\n\n${line}\n\n${BODY}`;
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual([line]);
    expect(found[0]!.message).toMatch(language);
    expect(found[0]!.message).toMatch(/not English$/);
  });
});

describe('untranslated: leaves English alone', () => {
  it.each([
    ['proper names in English prose', 'Liu Yupeng reported from Kursk; Zayakin was taken to Belarus, then Istanbul, and Independence Square filled.'],
    ['Latin names with diacritics', 'Erdoğan met officials in Tiranë and Chișinău while Đoković watched in Niš.'],
    ['a Title Case headline without function words', 'Zelensky Hails Prisoner Swap, Vows More Exchanges Soon'],
    ['a list of tags', 'Tags: Russia, Ukraine, prisoner exchange, Zelensky, Putin, Istanbul talks'],
    ['a lower-case keyword list', 'prisoner swap, ceasefire talks, drone strikes, energy infrastructure'],
    ['a terse English line', 'Kremlin spokesman Dmitry Peskov declined comment; Kyiv officials likewise silent.'],
    ['a headline fused with a domain', 'Russia and Ukraine Facilitate Latest Prisoner Exchange Amid Ongoing Conflict | World | london-news-net.preview-domain.com'],
    ['single Greek letters used as symbols', 'The β-blocker trial reported a 5 Ω resistance and π rounding.'],
    ['typographic punctuation', 'He said: “It’s over — we’re done…” – and left.'],
    ['English section names alone', 'World'],
    ['a foreign word in English prose', 'The Albanian word for world is bota, she said.'],
  ])('%s', (_what, line) => {
    expect(texts(`${line}\n\n${BODY}`)).toEqual([]);
  });
});

describe('untranslated: findings', () => {
  it('keep exact offsets after astral characters and CRLF', () => {
    const text = '𝒳𝒳\r\nBota\r\n\r\nHe said привет.\r\n';
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual(['Bota', 'привет']);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it('compiles the label table once per glossary', () => {
    run(`Bota\n\n${BODY}`);
    expect(glossary.cache('untranslated-labels', () => {
      throw new Error('rebuilt');
    })).toBeTruthy();
  });
});
