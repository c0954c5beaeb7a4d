// Quality scores of articles: the documented weights computed by hand, accepted findings counted
// once (as the annotation they became), "not reviewed" apart from "reviewed, no issues", and the
// score where it is shown: the queue (column and sort), the article page and the exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityScore, wordCount, type MqmScoreSeverity } from '../server/core/score.ts';
import { scoreOf } from '../server/services/scores.ts';
import { startServer, type Client, type TestServer } from './support/browser.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** 250 words: "Score test opens here" and 246 more. */
const WORDS = ['Score', 'test', 'opens', 'here', ...Array.from({ length: 246 }, (_, i) => `item${i}`)];
const TEXT = `${WORDS.slice(0, 50).join(' ')}.\n\n${WORDS.slice(50).join(' ')}.\n`;
const CLEAN = 'A short clean text of eight words here.\n';
const DISMISSED_ONLY = 'Talks in Kiev went on for a long time today.\n';

let server: TestServer;
let rita: Client;

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([
      { slug: 'score-test', title: 'Score test article', outlet: 'Score Wire', origin_lang: 'ukr', date: '2030-01-01', text: TEXT },
      { slug: 'score-clean', title: 'Score test clean', outlet: 'Score Wire', origin_lang: 'ukr', date: '2030-01-02', text: CLEAN },
      { slug: 'score-dismissed', title: 'Score test dismissed', outlet: 'Score Wire', origin_lang: 'ukr', date: '2030-01-03', text: DISMISSED_ONLY },
    ]);
  });
  rita = await server.as('reviewer');
});

afterAll(async () => {
  await server?.close();
});

async function annotate(slug: string, text: string, word: string, category: string, severity: string): Promise<void> {
  const start = text.indexOf(word);
  const res = await rita.postJson(`/articles/${slug}/annotations`, { start, end: start + word.length, category, severity });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function html(path: string): Promise<string> {
  const res = await rita.get(path, { headers: { accept: 'text/html' } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The queue's score cells (data-score) by article slug. */
function queueScores(page: string): [string, string][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const slug = decodeURIComponent(/href="\/articles\/([^"]+)"/.exec(m[1]!)![1]!);
    return [slug, /data-score="([^"]+)"/.exec(m[1]!)?.[1] ?? ''];
  });
}

describe('the score of an article with 1 major, 2 minor and 1 minor punctuation issue in 250 words', () => {
  beforeAll(async () => {
    expect(wordCount(TEXT)).toBe(250);
    await annotate('score-test', TEXT, 'opens', 'accuracy/mistranslation', 'major');
    await annotate('score-test', TEXT, 'item10', 'fluency/spelling', 'minor');
    await annotate('score-test', TEXT, 'item20', 'style', 'minor');
    await annotate('score-test', TEXT, 'item30', 'fluency/punctuation', 'minor');
  });

  // By hand: penalty = 5 (major) + 1 + 1 (minor) + 0.1 (minor punctuation) = 7.1;
  // per 1,000 words = 7.1 × 1000 / 250 = 28.4; score = 100 − 28.4 = 71.6.
  const HAND = { words: 250, penalty: 7.1, per1000: 28.4, score: 71.6, counts: { minor: 3, major: 1, critical: 0 }, punctuation: 1 };

  it('follows the documented weights', async () => {
    const id = (await server.ws.articles.store.bySlug('score-test'))!.id;
    const s = (await server.ws.scores.forArticles([id])).get(id)!;
    expect(s).toEqual({ reviewed: true, ...HAND });
  });

  it('is shown on the queue', async () => {
    const rows = queueScores(await html('/?q=Score+test'));
    expect(Object.fromEntries(rows)['score-test']).toBe('71.6');
  });

  it('is shown on the article page with its breakdown', async () => {
    const page = await html('/articles/score-test');
    const box = /<div class="score-box"[\s\S]*?<\/dl>/.exec(page)?.[0] ?? '';
    expect(box).toContain('data-score="71.6"');
    expect(box).toMatch(/Score <b>71\.6<\/b>/);
    const dd = (k: string) => /data-k="([a-z0-9]+)">([^<]*)</.exec(box.slice(box.indexOf(`data-k="${k}"`) - 10))?.[2];
    expect(dd('words')).toBe('250');
    expect(dd('penalty')).toBe('7.1');
    expect(dd('per1000')).toBe('28.4');
    const n = (k: string) => new RegExp(`data-n="${k}">(\\d+)<`).exec(box)?.[1];
    expect([n('critical'), n('major'), n('minor'), n('punctuation')]).toEqual(['0', '1', '3', '1']);
  });

  it('is carried by the exports: JSON-LD (the article and the corpus) and scores.csv', async () => {
    const doc = (await (await rita.get('/articles/score-test/annotations.jsonld')).json()) as Json;
    expect(doc['copydesk:score']).toMatchObject({ reviewed: true, score: 71.6, per1000: 28.4, penalty: 7.1, words: 250, counts: { minor: 3, major: 1, critical: 0, minorPunctuation: 1 } });
    expect(doc['copydesk:score'].method).toContain('minor 1, major 5, critical 25, minor punctuation 0.1');
    const corpus = (await (await rita.get('/annotations.jsonld')).json()) as Json;
    expect(corpus['copydesk:scores'].find((s: Json) => s.article === 'score-test')).toMatchObject({ score: 71.6, per1000: 28.4 });

    const res = await rita.get('/scores.csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('article,title,outlet,origin_language,date,revision,reviewed,words,penalty,per_1000_words,score,minor,major,critical,minor_punctuation');
    expect(lines.find((l) => l.startsWith('score-test,'))).toBe('score-test,Score test article,Score Wire,ukr,2030-01-01,1,yes,250,7.1,28.4,71.6,3,1,0,1');
  });

  it('leaves the MQM TSV one row per annotation (the score is in scores.csv)', async () => {
    const lines = (await (await rita.get('/articles/score-test/annotations.tsv')).text()).trimEnd().split('\n');
    expect(lines[0]!.startsWith('article\tparagraph')).toBe(true);
    expect(lines).toHaveLength(5);
  });
});

describe('reviewed or not', () => {
  it('shows an article nobody reviewed as "not reviewed", one reviewed without issues as 100', async () => {
    const f = (await server.ws.articles.store.findings((await server.ws.articles.store.bySlug('score-dismissed'))!.id))[0];
    expect(f, 'a finding on "Kiev"').toBeDefined();
    const res = await rita.postJson('/articles/score-dismissed/findings/dismiss', { detector: f!.detector, start: f!.start, end: f!.end, text: f!.text, reason: 'a quote' });
    expect(res.status).toBe(200);

    const rows = Object.fromEntries(queueScores(await html('/?q=Score+test')));
    expect(rows['score-clean']).toBe('not-reviewed');
    expect(rows['score-dismissed']).toBe('100');
    expect(await html('/articles/score-clean')).toContain('data-score="not-reviewed"');
    const dismissed = await html('/articles/score-dismissed');
    expect(dismissed).toContain('data-score="100"');
    expect(dismissed).toContain('reviewed, no issues');
  });

  it('counts an accepted finding once, as the annotation it became, with the weight of its severity', async () => {
    const slug = '001_00dde55bb2c9393b';
    const article = (await server.ws.articles.store.bySlug(slug))!;
    const before = (await server.ws.scores.forArticles([article.id])).get(article.id)!;
    const f = (await server.ws.articles.store.findings(article.id)).find((x) => x.severity === 'error')!;
    const res = await rita.postJson(`/articles/${slug}/findings/accept`, { detector: f.detector, start: f.start, end: f.end, text: f.text });
    expect(res.status).toBe(200);
    const rows = await server.ws.db.all<{ severity: string; category: string }>("SELECT severity, category FROM annotations WHERE article_id = ? AND status = 'anchored'", [article.id]);
    expect(rows).toHaveLength(1); // the finding's decision is not counted again
    expect(rows[0]!.severity).toBe('major'); // an error becomes a major issue
    const after = (await server.ws.scores.forArticles([article.id])).get(article.id)!;
    expect(before.reviewed).toBe(false);
    const words = wordCount(article.text);
    expect(after).toMatchObject({ reviewed: true, words, penalty: 5, counts: { major: 1, minor: 0, critical: 0 } });
    expect(after.per1000).toBe(Math.round((5 * 1000 * 10) / words) / 10);
  });
});

describe('the queue sorted by score', () => {
  it('puts the lowest scores first (ascending), the highest first (descending), and articles not reviewed last', async () => {
    const asc = queueScores(await html('/?sort=score&dir=asc'));
    const reviewed = asc.filter(([, s]) => s !== 'not-reviewed').map(([, s]) => Number(s));
    expect(reviewed.length).toBeGreaterThanOrEqual(3);
    expect(reviewed).toEqual([...reviewed].sort((a, b) => a - b));
    expect(asc.findIndex(([, s]) => s === 'not-reviewed')).toBe(reviewed.length);
    expect(asc.slice(reviewed.length).every(([, s]) => s === 'not-reviewed')).toBe(true);
    const desc = queueScores(await html('/?sort=score&dir=desc'));
    const rd = desc.filter(([, s]) => s !== 'not-reviewed').map(([, s]) => Number(s));
    expect(rd).toEqual([...rd].sort((a, b) => b - a));
    expect(desc[desc.length - 1]![1]).toBe('not-reviewed');
  });
});

describe('scoreOf', () => {
  it('gives the numbers of core/score.ts qualityScore for the same text and issues', () => {
    const cats = ['fluency/punctuation', 'style', 'accuracy/omission'];
    const sevs: MqmScoreSeverity[] = ['minor', 'major', 'critical'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (const text of [TEXT, CLEAN, '', 'one', 'Це тест, а не «тест».']) {
      for (let round = 0; round < 30; round++) {
        const issues = Array.from({ length: rnd(8) }, () => ({ severity: sevs[rnd(3)]!, category: cats[rnd(3)]! }));
        const ref = qualityScore(text, issues);
        const counted = new Map<string, { severity: string; category: string; n: number }>();
        for (const i of issues) {
          const k = `${i.severity}|${i.category}`;
          counted.set(k, { ...i, n: (counted.get(k)?.n ?? 0) + 1 });
        }
        const mine = scoreOf(wordCount(text), [...counted.values()], true);
        expect({ words: mine.words, penalty: mine.penalty, per1000: mine.per1000, score: mine.score, counts: mine.counts }).toEqual(ref);
      }
    }
  });
});
