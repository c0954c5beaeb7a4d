// furniture: page furniture scraped together with the article. Phrases come from the glossary's
// `furniture` entries (corpus/glossary/furniture.yaml); the header rules (fused site name, repeated
// headline, labels above the headline), image markup and agency tags are structural.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../../server/core/glossary/compile.ts';
import { validateGlossary } from '../../server/core/glossary/schema.ts';
import { scanText } from '../../server/core/scan.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../../server/glossary/files.ts';
import { requiredLiterals, splitFusedSuffix } from '../../server/core/detectors/furniture.ts';

const glossary = compileGlossary(loadGlossaryData());
const run = (text: string) => scanText(text, glossary, { detectors: ['furniture'] });
const texts = (text: string) => run(text).map((f) => f.text);

/** A body paragraph: ends in sentence punctuation with 8+ words, so the lines above it are the header. */
const BODY = 'Russia and Ukraine exchanged hundreds of prisoners on Friday, officials in both countries said.';
const BODY2 = 'The swap was the largest since the start of the full-scale invasion, the ministry said in a statement.';
/** An article: the given header lines, then two body paragraphs, then the given footer lines. */
const article = (header: string[], footer: string[] = []) => [...header, '', BODY, '', BODY2, ...footer].join('\n');

const seed = (name: string) =>
  fs.readFileSync(path.join(PROJECT_ROOT, 'corpus', 'articles', fs.readdirSync(path.join(PROJECT_ROOT, 'corpus', 'articles')).find((f) => f.startsWith(name))!), 'utf8');

describe('furniture: the seed articles', () => {
  it.each([
    ['000', ['![]() |', 'Photo: TASS |']],
    ['001', []],
    [
      '002',
      [
        ' | World | london-news-net.preview-domain.com',
        'Russia and Ukraine Facilitate Latest Prisoner Exchange Amid Ongoing Conflict',
        'Russia and Ukraine Facilitate Latest Prisoner Exchange Amid Ongoing Conflict',
        'Related posts',
        "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More",
      ],
    ],
    ['003', ['Leave a Reply', 'Your email address will not be published. Required fields are marked *']],
    [
      '004',
      ['Flash News', 'Bota', 'Istanbul Agreement, Ukraine and Russia exchange 800 prisoners', '/REL', 'Latest news'],
    ],
  ])('seed %s: exactly %j', (name, expected) => {
    const text = seed(name);
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual(expected);
    for (const f of found) {
      expect(text.slice(f.start, f.end)).toBe(f.text);
      expect(f).toMatchObject({ detector: 'furniture', kind: 'boilerplate', severity: 'warning', concept: null });
      expect(f.message).toMatch(/^Page furniture: /);
    }
  });

  it('002: the first copy of the headline (fused with the site name) is not a repeat; the two later copies are', () => {
    const text = seed('002');
    const copies = run(text).filter((f) => f.message.includes('repeated'));
    expect(copies).toHaveLength(2);
    expect(copies.every((f) => f.start > text.indexOf('\n'))).toBe(true);
  });

  it('004: only the second copy of the headline is flagged', () => {
    const text = seed('004');
    const headline = 'Istanbul Agreement, Ukraine and Russia exchange 800 prisoners';
    const copies = run(text).filter((f) => f.text === headline);
    expect(copies.map((f) => f.start)).toEqual([text.lastIndexOf(headline)]);
  });
});

describe('furniture: whole lines from the glossary (case, bullets and trailing ":" / "»" / "…" tolerated)', () => {
  it.each([
    // related / latest / popular lists
    'Related posts', 'Related Articles', 'RELATED NEWS', 'Latest news', 'Latest posts', 'Most read', 'Most popular',
    'Trending now', 'Recommended for you', 'You may also like', 'You might also like', 'Top stories', 'More stories',
    'Read more', 'Read more »', 'Related posts:', '» Related posts', '- Latest news', 'Editor’s picks', "Don't miss",
    // share, print and e-mail bars
    'Share this:', 'Share this article', 'Tweet', 'Print', 'Email', 'E-mail', 'WhatsApp', 'Telegram', 'Facebook',
    'Copy link', 'Share', '• Tweet',
    // comment forms
    'Leave a Reply', 'Leave a comment', 'Leave a Reply Cancel reply', 'Post Comment', 'Cancel reply', 'Comments',
    'Comments (12)', '3 comments', 'Comment *', 'Name *', 'Email *', 'Comments are closed.',
    // navigation and chrome
    'Back to top', 'Scroll to top', 'Skip to content', 'Post navigation', 'Previous article', 'Next article',
    'Previous post', 'Next post', 'Loading…', 'Loading...', 'Menu', 'Search', 'Privacy policy', 'Terms of use',
    // advertising, newsletters, metadata
    'Advertisement', 'ADVERTISEMENT', 'Sponsored', 'Sponsored content', 'Subscribe', 'Newsletter', 'Tags', 'Filed under',
    'All rights reserved.', 'Breaking news', 'Listen to this article', 'Listen to article', 'Live updates', 'Getty Images',
    'Accept all cookies', 'Cookie settings', 'Manage consent', 'Your privacy choices',
    // the same furniture in the source language
    'Tin liên quan', 'Lajme të ngjashme', 'Читайте также', 'Baca juga', 'Lea también', 'Lire aussi', '相关新闻',
    'Noticias relacionadas', 'Lesen Sie auch', 'Leggi anche', 'İlgili Haberler', 'Czytaj także',
  ])('%j', (line) => {
    expect(texts(article([], ['', line]))).toEqual([line.trim()]);
  });
});

describe('furniture: lines that start with a furniture phrase (the whole line is flagged)', () => {
  it.each([
    ['cookie banner', 'This website uses cookies to improve your experience. Accept'],
    ['cookie banner', 'We use cookies to personalise content and ads, and to analyse our traffic.'],
    ['cookie banner', 'This site uses cookies. By continuing to browse the site you are agreeing to our use of cookies.'],
    ['cookie banner', 'By continuing to browse this site you agree to our use of cookies.'],
    ['cookie banner ending in its buttons', 'Cookies help us deliver our services and improve your experience Accept Reject all'],
    ['GDPR notice', 'We value your privacy'],
    ['GDPR notice', 'We and our partners store and/or access information on a device, such as cookies.'],
    ['GDPR notice', 'Under the GDPR we need your consent to process your personal data Agree'],
    ['comment form', 'Your email address will not be published. Required fields are marked *'],
    ['comment form', 'Required fields are marked *'],
    ['comment form', 'Save my name, email, and website in this browser for the next time I comment.'],
    ['comment form', 'Notify me of follow-up comments by email.'],
    ['comment form', 'You must be logged in to post a comment.'],
    ['comment form', 'This site uses Akismet to reduce spam. Learn how your comment data is processed.'],
    ['link to another story', 'Read more: Ukraine says Russia launched 400 drones overnight'],
    ['link to another story', 'READ MORE: Kremlin rejects ceasefire offer'],
    ['link to another story', 'Read also: Zelensky meets Erdogan in Ankara'],
    ['link to another story', 'Also read: Prisoner swap delayed'],
    ['link to another story', 'See also: Timeline of the war'],
    ['link to another story', 'Related: Who are the prisoners?'],
    ['link to another story', 'Next post: Russia says talks will continue'],
    ['link to another story', 'More from World'],
    ['share button', 'Share on Facebook'],
    ['share button', 'Click to share on Twitter (Opens in new window)'],
    ['share button', 'Click to print (Opens in new window)'],
    ['share bar', 'Share Tweet Email'],
    ['share bar', 'Facebook | Twitter | WhatsApp | Telegram'],
    ['"click here" link', 'Click here to read the full statement'],
    ['newsletter box', 'Subscribe to our newsletter'],
    ['newsletter box', 'Sign up for our daily briefing'],
    ['newsletter box', 'Sign up to the Europe Express newsletter'],
    ['social box', 'Follow us on Telegram'],
    ['social box', 'Follow Kyiv Independent on Google News'],
    ['app promotion', 'Download our app'],
    ['app promotion', 'Get the BBC News app'],
    ['tag list', 'Tags: Russia, Ukraine, prisoner exchange'],
    ['tag list', 'Topics: War in Ukraine'],
    ['category list', 'Filed under: World'],
    ['category list', 'Posted in World News'],
    ['post metadata', 'Posted on May 23, 2025 by admin'],
    ['copyright', '© 2025 Reuters. All rights reserved.'],
    ['copyright', 'Copyright 2025 The Associated Press. All rights reserved.'],
    ['copyright', 'Copyright © 2024 Nghe An Newspaper'],
    ['copyright', 'Kyiv Post, all rights reserved'],
    ['reading time', 'Reading time: 3 min'],
    ['reading time', '4 min read'],
    ['audio player', 'Listen to this article (5 min)'],
    ['breadcrumb', 'Home » World » Europe'],
    ['breadcrumb', 'Home / News / Politics'],
    ['caption label', 'Image caption, Prisoners returned to Ukraine on Friday'],
    ['photo credit', 'Image source, Getty Images'],
    ['photo credit', 'Photo: Reuters'],
    ['image placeholder', '[Image: Ukrainian soldiers after the exchange]'],
    ['source-language link', 'Baca juga: Rusia dan Ukraina tukar tahanan'],
    ['source-language link', 'Читайте также: Зеленский о переговорах'],
    ['source-language link', 'Lexo edhe: Ukraina dhe Rusia shkëmbejnë të burgosur'],
    ['source-language link', 'Xem thêm: Nga và Ukraine trao đổi tù binh'],
    ['source-language editor line', '责任编辑：王明'],
  ])('%s: %j', (_what, line) => {
    expect(texts(article([], ['', line]))).toEqual([line]);
  });

  it('patterns see the line without its leading whitespace', () => {
    expect(texts(article([], ['', '   Posted in World News', '\tReading time: 3 min']))).toEqual(['Posted in World News', 'Reading time: 3 min']);
  });

  it('time stamps are reported as info, as the glossary entry says', () => {
    const found = run(article(['Prisoners swapped in Istanbul deal', 'Updated: 23 May 2025, 14:30']));
    expect(found.map((f) => [f.text, f.severity])).toEqual([['Updated: 23 May 2025, 14:30', 'info']]);
  });
});

describe('furniture: the headline fused with a site or section name', () => {
  it.each([
    ['pipes', 'Prisoner swap completed in Istanbul | World | example-news.com', ' | World | example-news.com'],
    ['pipe, site name only', 'Prisoner swap completed in Istanbul | The Kyiv Post', ' | The Kyiv Post'],
    ['double colons', 'Prisoner swap completed in Istanbul :: Europe :: Daily Site', ' :: Europe :: Daily Site'],
    ['guillemets', 'Prisoner swap completed in Istanbul » World', ' » World'],
    ['en dash before a name', 'Prisoner swap completed in Istanbul – Kyiv Post', ' – Kyiv Post'],
    ['em dash before a name', 'Prisoner swap completed in Istanbul — Al Jazeera', ' — Al Jazeera'],
    ['single dash before a domain', 'Prisoner swap completed in Istanbul - kyivpost.com', ' - kyivpost.com'],
    ['repeated single dashes', 'Prisoner swap completed in Istanbul - World - Kyiv Post', ' - World - Kyiv Post'],
    ['a dash inside the headline, pipe suffix', 'Ukraine war – prisoner swap completed in Istanbul | Europe', ' | Europe'],
  ])('%s: %j', (_what, headline, suffix) => {
    const found = run(article([headline]));
    expect(found.map((f) => f.text)).toEqual([suffix]);
    expect(found[0]!.message).toMatch(/fused to the headline/);
  });

  it.each([
    ['a dash between clauses', 'Zelensky hails swap - "a step towards peace"'],
    ['a single dash before a short name', 'Prisoner swap completed in Istanbul - Kyiv Post'],
    ['an en dash before a lower-case clause', 'Russia and Ukraine swap prisoners – and more are to come'],
    ['an en dash in a short headline', 'Kyiv – Russia talks resume in Istanbul'],
    ['a short first part', 'Ukraine war | Live'],
    ['a colon', 'War in Ukraine: the long road to a prisoner exchange'],
    ['a long tail', 'Talks resumed | Russia and Ukraine agreed to swap all their wounded prisoners next week'],
  ])('not for %s: %j', (_what, headline) => {
    expect(texts(article([headline]))).toEqual([]);
  });

  it('splitFusedSuffix returns the headline and where the suffix starts', () => {
    expect(splitFusedSuffix('Prisoner swap completed in Istanbul | World | example.com', 10)).toEqual({
      base: 'Prisoner swap completed in Istanbul',
      suffixStart: 10 + 'Prisoner swap completed in Istanbul'.length,
    });
    expect(splitFusedSuffix('No separator at all in this headline')).toBeNull();
  });
});

describe('furniture: the headline repeated', () => {
  const H = 'Prisoner swap completed in Istanbul after weeks of talks';
  it.each([
    ['right below', [H, H], [H]],
    ['three times', [H, '', H, '', H], [H, H]],
    ['in another case and with a full stop', [H, H.toUpperCase() + '.'], [H.toUpperCase() + '.']],
    ['fused with the site name the first time', [`${H} | World | example.com`, H], [' | World | example.com', H]],
    ['with typographic quotes', ['Zelensky: “We are bringing our people home” after swap', 'Zelensky: "We are bringing our people home" after swap'], ['Zelensky: "We are bringing our people home" after swap']],
  ])('%s', (_what, header, expected) => {
    expect(texts(article(header))).toEqual(expected);
  });

  it('a copy after the body (scraped from a related-links box) is flagged too', () => {
    expect(texts(article([H], ['', H]))).toEqual([H]);
  });

  it('is not flagged when the lines merely start alike', () => {
    expect(texts(article([H, `${H}, officials said on Friday in Kyiv and Moscow`]))).toEqual([]);
  });
});

describe('furniture: labels above the headline', () => {
  const H = 'Prisoner swap completed in Istanbul after weeks of talks';
  it.each([
    ['a site name', ['Flash News', H], ['Flash News']],
    ['a site name and a section', ['Flash News', '', 'Bota', '', H], ['Flash News', 'Bota']],
    ['a kicker in capitals', ['EXCLUSIVE', H], ['EXCLUSIVE']],
    ['a section name', ['World Europe', H], ['World Europe']],
  ])('%s', (_what, header, expected) => {
    expect(texts(article(header))).toEqual(expected);
    expect(run(article(header)).every((f) => f.message === 'Page furniture: site name or section label above the headline')).toBe(true);
  });

  it.each([
    ['a byline below the headline', [H, 'By Jane Smith']],
    ['a byline above the headline', ['By Jane Smith', H]],
    ['a date above the headline', ['23 May 2025', H]],
    ['a short sentence-case headline above a stand-first', ['Prisoners swapped', 'Both sides freed 390 people in the first stage of a three-day swap']],
    ['a one-line headline', [H]],
  ])('not %s', (_what, header) => {
    expect(texts(article(header))).toEqual([]);
  });
});

describe('furniture: images, credits and agency tags', () => {
  it.each([
    ['an empty markdown image with table residue', '![]() |', '![]() |'],
    ['a markdown image', '![Zelensky at the podium](https://example.com/a.jpg)', '![Zelensky at the podium](https://example.com/a.jpg)'],
    ['two images in a table row', '| ![](a.jpg) | ![](b.jpg) |', '| ![](a.jpg) | ![](b.jpg) |'],
    ['table residue', '|---|---|', '|---|---|'],
    ['an HTML image tag', 'Soldiers return home <img src="x.jpg" alt="">', '<img src="x.jpg" alt="">'],
    ['a photo credit at the end of a caption', 'President Zelensky (center) witnesses the exchange. Photo: TASS |', 'Photo: TASS |'],
    ['a credit with an agency pair', 'Zelensky in Kyiv. Photo: AFP/Getty Images', 'Photo: AFP/Getty Images'],
    ['a Vietnamese credit', 'Tổng thống Zelensky. Ảnh: TTXVN', 'Ảnh: TTXVN'],
    ['"Photo by"', 'Zelensky greets the soldiers. Photo by Ukrainian Presidential Press Service', 'Photo by Ukrainian Presidential Press Service'],
    ['an image source', 'The released soldiers in Chernihiv. Image source: Reuters', 'Image source: Reuters'],
    ['an inline credit', 'Released soldiers arrive in Chernihiv (Photo: Reuters) after the swap.', '(Photo: Reuters)'],
    ['a video credit', 'Soldiers hug their families. Video: Ukrainian Defence Ministry', 'Video: Ukrainian Defence Ministry'],
    ['an agency tag', 'Russia and Ukraine have carried out several exchanges since the start of the occupation./REL', '/REL'],
    ['an agency tag with a closing slash', 'The talks ended without agreement. /ANSA/', '/ANSA/'],
    ['an agency tag after a quote', 'He said it was "a good day."/AFP', '/AFP'],
  ])('%s', (_what, line, expected) => {
    const text = article([], ['', line]);
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual([expected]);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(expected);
  });
});

describe('furniture: leaves ordinary prose alone', () => {
  it.each([
    ['a normal article', article(['Prisoner swap completed in Istanbul after weeks of talks'])],
    ['a headline with a dash', article(['Russia-Ukraine war: 390 prisoners freed - officials'])],
    ['a headline with a colon', article(['Zelensky: we will bring everyone home'])],
    ['prose about cookies', article([], ['', 'Cookies are a tradition in Kyiv, where bakers said they would accept orders again.'])],
    ['prose about cookie rules', article([], ['', 'The EU requires websites to ask before they use cookies, and regulators fined two firms.'])],
    ['prose with "reply"', article([], ['', 'The ministry did not reply to a request for comment.'])],
    ['a sentence starting with "Print"', article([], ['', 'Print media is dying, the report said.'])],
    ['"Print media is dying" as a line', article([], ['', 'Print media is dying'])],
    ['a sentence starting with "Share"', article([], ['', 'Share prices fell 3% on Friday after the announcement.'])],
    ['a sentence starting with "Posted"', article([], ['', 'Posted by the ministry on Telegram, the video shows soldiers hugging.'])],
    ['a sentence starting with "Published"', article([], ['', 'Published in 2019, the report found that most prisoners were civilians.'])],
    ['a sentence starting with "Follow"', article([], ['', 'Follow-up talks are planned for June, the Kremlin said.'])],
    ['a sentence starting with "Home"', article([], ['', 'Home to 40,000 people, the town was shelled on Friday.'])],
    ['a sentence with "Source:" ending in a full stop', article([], ['', 'The figures were disputed. Source: the ministry said more would follow.'])],
    ['a photo described in prose', article([], ['', 'The photo: a soldier hugging his mother, was shared widely.'])],
    ['a slash between capitals in prose', article([], ['', 'Talks between the US/UK and the EU ended.'])],
    ['a line ending in capitals', article([], ['', 'The swap was mediated by the UAE'])],
    ['a copyright law story', article([], ['', 'Copyright law in Ukraine was changed in 2023.'])],
    ['Telegram in prose', article([], ['', 'Zelensky posted on Telegram.'])],
  ])('%s', (_what, text) => {
    expect(texts(text)).toEqual([]);
  });

  it('a text without a body paragraph gets no header rules', () => {
    expect(texts('Flash News\nPrisoner swap completed in Istanbul\nPrisoner swap completed in Istanbul')).toEqual([]);
  });
});

describe('furniture: phrases live in the glossary data', () => {
  const custom = compileGlossary(
    validateGlossary({
      concepts: [],
      furniture: [
        { id: 'weiter', line: 'Weiterlesen', message: 'Page furniture: German "read more" link' },
        { id: 'promo', starts: 'Get 50% off', severity: 'info' },
        { id: 'badge', pattern: '(?:^|\\s)(?<span>\\[(?:paywall|premium)\\])\\s*$' },
        { id: 'cookie', pattern: '^[^\\n]*\\bbiscuits\\b[^\\n]*\\bok\\s*$' },
      ],
    }),
  );
  const scan = (text: string) => scanText(text, custom, { detectors: ['furniture'] });

  it.each([
    ['a line entry (the whole line, colon included)', 'Weiterlesen:', 'Weiterlesen:', 'Page furniture: German "read more" link', 'warning'],
    ['a starts entry with its severity', 'Get 50% off your first month!', 'Get 50% off your first month!', 'Page furniture: "Get 50% off…" scraped with the article', 'info'],
    ['a pattern entry narrowed by its span group', 'Sanctions widened against Moscow [premium]', '[premium]', 'Page furniture scraped with the article', 'warning'],
    ['a pattern entry that scans the line', 'This site uses biscuits to work ok', 'This site uses biscuits to work ok', 'Page furniture scraped with the article', 'warning'],
  ])('%s', (_what, line, expected, message, severity) => {
    const found = scan(article([], ['', line]));
    expect(found.map((f) => [f.text, f.message, f.severity])).toEqual([[expected, message, severity]]);
  });

  it('without the entries, the same lines are not furniture; the structural rules still apply', () => {
    const bare = compileGlossary(validateGlossary({ concepts: [] }));
    const text = article(['Prisoner swap completed in Istanbul | World | example.com'], ['', 'Related posts', 'Leave a Reply']);
    expect(scanText(text, bare, { detectors: ['furniture'] }).map((f) => f.text)).toEqual([' | World | example.com']);
  });

  it('compiles its tables once per glossary', () => {
    run(article(['Prisoner swap completed in Istanbul']));
    const tables = glossary.cache('furniture', () => {
      throw new Error('rebuilt');
    });
    expect(tables).toBeTruthy();
  });

  it('finds the literal a pattern cannot match without (its cheap pre-filter)', () => {
    expect(requiredLiterals('^(?=[^\\n]{0,600}$)[^\\n]*\\bcookies?\\b[^\\n]*$')).toEqual(['cookie']);
    expect(requiredLiterals('\\bGDPR\\b|General Data Protection')).toEqual(['GDPR', 'General Data Protection']);
    expect(requiredLiterals('<img\\b[^>]*>')).toEqual(['<img']);
    expect(requiredLiterals('^[a-z]+$')).toBeNull();
  });
});

describe('furniture: findings', () => {
  it('are block findings: a span finding inside a furniture line is kept', () => {
    const text = article(['Prisoner swap completed in Istanbul'], ['', 'Read more: Ukraines new foreign minister speaks']);
    const all = scanText(text, glossary);
    expect(all.some((f) => f.detector === 'furniture' && f.text.startsWith('Read more:'))).toBe(true);
  });

  it('are not nested: a line flagged whole hides nothing else of its own', () => {
    const found = run(article([], ['', 'Read more: Zelensky in Kyiv (Photo: Reuters)']));
    expect(found.map((f) => f.text)).toEqual(['Read more: Zelensky in Kyiv (Photo: Reuters)']);
  });

  it('keep exact offsets with CRLF line breaks and astral characters', () => {
    const text = '𝒳 Prisoner swap completed in Istanbul | World | example.com\r\n\r\n' + BODY + '\r\nRelated posts\r\n![]() |\r\n';
    const found = run(text);
    expect(found.map((f) => f.text)).toEqual([' | World | example.com', 'Related posts', '![]() |']);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});

describe('furniture: a byline fused with its time stamp', () => {
  it('is flagged at info', () => {
    const g = compileGlossary(loadGlossaryData());
    const text = 'Headline about the talks in Kyiv today\nBy Staff Reporter | Published: 12 March 2024, 10:15 AM\nThe talks resumed on Tuesday, officials said in a statement.';
    const fs = scanText(text, g, { detectors: ['furniture'] });
    expect(fs.map((f) => [f.text, f.severity])).toEqual([['By Staff Reporter | Published: 12 March 2024, 10:15 AM', 'info']]);
  });
});
