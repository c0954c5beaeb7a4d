// The dashboard's numbers, counted again here straight from the database (with core/score.ts for
// words and scores), against the service, each chart's CSV and the tables on the page; filters;
// CSV that a spreadsheet cannot run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityScore, wordCount, type MqmScoreSeverity } from '../server/core/score.ts';
import { startServer, type Client, type TestServer } from './support/browser.ts';

const HOSTILE_OUTLET = '=HYPERLINK("http://example.invalid","x")';
let server: TestServer;
let rita: Client;

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([
      { slug: 'dash-a1', title: 'Dash A1', outlet: 'Alpha Daily', origin_lang: 'ukr', date: '2030-02-01', text: 'Talks in Kiev resumed. Zelenski spoke in Kiev on Tuesday about the Donbas.\n' },
      { slug: 'dash-a2', title: 'Dash A2', outlet: 'Alpha Daily', origin_lang: 'rus', date: '2030-02-02', text: 'The delegation met in Kharkov and in Kiev for two long days of talks.\n' },
      { slug: 'dash-b1', title: 'Dash B1', outlet: HOSTILE_OUTLET, origin_lang: null, date: null, text: 'A clean text with nothing in it to flag at all.\n' },
      { slug: 'dash-c1', title: 'Dash C1', outlet: null, origin_lang: 'ukr', date: '2030-03-01', text: 'Prisoners returned to Kiev, said Zelenski.\n' },
    ]);
  });
  rita = await server.as('reviewer');
  // Review work: findings accepted and dismissed, annotations of every severity.
  const findingsOf = async (slug: string) => server.ws.articles.store.findings((await server.ws.articles.store.bySlug(slug))!.id);
  const ref = (f: { detector: string; start: number; end: number; text: string }) => ({ detector: f.detector, start: f.start, end: f.end, text: f.text });
  const a1 = await findingsOf('dash-a1');
  expect(a1.length).toBeGreaterThanOrEqual(3);
  expect((await rita.postJson('/articles/dash-a1/findings/accept', ref(a1[0]!))).status).toBe(200);
  expect((await rita.postJson('/articles/dash-a1/findings/dismiss', { ...ref(a1[1]!), reason: 'a quotation' })).status).toBe(200);
  const gt = await findingsOf('001_00dde55bb2c9393b');
  expect((await rita.postJson('/articles/001_00dde55bb2c9393b/findings/dismiss', { ...ref(gt[0]!), reason: 'fine' })).status).toBe(200);
  expect((await rita.postJson('/articles/001_00dde55bb2c9393b/findings/accept', ref(gt[1]!))).status).toBe(200);
  for (const [slug, quote, category, severity] of [
    ['dash-a2', 'delegation', 'accuracy/omission', 'critical'],
    ['dash-a2', 'two long days', 'fluency/punctuation', 'minor'],
    ['dash-b1', 'clean text', 'style', 'major'],
  ] as const) {
    const res = await rita.postJson(`/articles/${slug}/annotations`, { quote, category, severity });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
});

interface Filter {
  from?: string;
  to?: string;
  outlet?: string;
  lang?: string;
}
interface Rate {
  articles: number;
  words: number;
  findings: number;
  per1000: number;
}

/** Every chart's numbers, counted here from the tables (no service code). */
async function expected(f: Filter = {}) {
  const db = server.ws.db;
  const articles = (await db.all<{ id: number; outlet: string | null; origin_lang: string | null; date: string | null; text: string }>('SELECT id, outlet, origin_lang, date, text FROM articles')).filter(
    (a) => (!f.from || (a.date !== null && a.date >= f.from)) && (!f.to || (a.date !== null && a.date <= f.to)) && (!f.outlet || a.outlet === f.outlet) && (!f.lang || a.origin_lang === f.lang),
  );
  const byId = new Map(articles.map((a) => [a.id, a]));
  const hasStory = Boolean(await db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'story_findings'"));
  type F = { article_id: number; detector: string; kind: string; start: number; end: number; text: string };
  const findings = [
    ...(await db.all<F>('SELECT article_id, detector, kind, start, end, text FROM findings')),
    ...(hasStory ? await db.all<F>('SELECT article_id, detector, kind, start, end, text FROM story_findings') : []),
  ].filter((x) => byId.has(x.article_id));
  const decisions = await db.all<F & { decision: string }>('SELECT article_id, detector, start, end, text, decision FROM finding_decisions ORDER BY id');
  const key = (x: Omit<F, 'kind'>) => JSON.stringify([x.article_id, x.detector, x.start, x.end, x.text]);
  const latest = new Map(decisions.map((d) => [key(d), d.decision]));
  const annotations = await db.all<{ article_id: number; severity: string; category: string; status: string }>('SELECT article_id, severity, category, status FROM annotations');

  const outlet = (a: { outlet: string | null }) => a.outlet ?? '(no outlet)';
  const lang = (a: { origin_lang: string | null }) => a.origin_lang ?? '(unknown)';
  const rates = (group: (a: (typeof articles)[number]) => string) => {
    const out: Record<string, Rate> = {};
    for (const a of articles) {
      const r = (out[group(a)] ??= { articles: 0, words: 0, findings: 0, per1000: 0 });
      r.articles++;
      r.words += wordCount(a.text);
    }
    for (const x of findings) if (latest.get(key(x)) !== 'dismissed') out[group(byId.get(x.article_id)!)]!.findings++;
    for (const r of Object.values(out)) r.per1000 = r.words ? Math.round((r.findings * 10_000) / r.words) / 10 : 0;
    return out;
  };
  const kinds: Record<string, Record<string, number>> = {};
  const progress = { accepted: 0, dismissed: 0, undecided: 0 };
  for (const x of findings) {
    const d = latest.get(key(x));
    progress[d === 'accepted' ? 'accepted' : d === 'dismissed' ? 'dismissed' : 'undecided']++;
    if (d === 'dismissed') continue;
    const row = (kinds[x.kind] ??= {});
    const l = lang(byId.get(x.article_id)!);
    row[l] = (row[l] ?? 0) + 1;
  }
  const reviewed = new Set([...annotations.map((a) => a.article_id), ...decisions.map((d) => d.article_id)].filter((id) => byId.has(id)));
  const buckets = Array<number>(10).fill(0);
  for (const id of reviewed) {
    const issues = annotations.filter((a) => a.article_id === id && a.status === 'anchored').map((a) => ({ severity: a.severity as MqmScoreSeverity, category: a.category }));
    const s = qualityScore(byId.get(id)!.text, issues).score;
    buckets[s === 100 ? 9 : Math.floor(s / 10)]!++;
  }
  return {
    articles: articles.length,
    byOutlet: rates(outlet),
    byLanguage: rates(lang),
    kinds,
    reviewed: reviewed.size,
    notReviewed: articles.length - reviewed.size,
    progress,
    distribution: [...buckets, articles.length - reviewed.size],
  };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const cellText = (s: string) => unescape(s.replace(/<[^>]+>/g, '')).trim();
const num = (s: string) => Number(s.replace(/,/g, ''));

/** A dashboard table: its header cells and body rows (cells as text). */
function table(html: string, chart: string): { head: string[]; rows: string[][] } {
  const t = new RegExp(`<table class="data" data-chart="${chart}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const cells = (tr: string) => [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => cellText(m[1]!));
  const head = cells(/<thead>([\s\S]*?)<\/thead>/.exec(t)?.[1] ?? '');
  const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(t)?.[1] ?? '').matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1]!));
  return { head, rows };
}

/** RFC 4180 CSV (quoted fields, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

async function csv(path: string): Promise<string[][]> {
  const res = await rita.get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  return parseCsv(await res.text());
}

async function page(path: string): Promise<string> {
  const res = await rita.get(path, { headers: { accept: 'text/html' } });
  expect(res.status, path).toBe(200);
  return res.text();
}

const rateRecord = (rows: string[][]) => Object.fromEntries(rows.map((r) => [r[0]!, { articles: num(r[1]!), words: num(r[2]!), findings: num(r[3]!), per1000: num(r[4]!) }]));

async function checkAll(f: Filter, qs: string): Promise<void> {
  const want = await expected(f);
  const d = await server.ws.dashboard.data(f);
  const html = await page(`/dashboard${qs}`);

  // 1, 2: artefact rates (service, CSV, table)
  for (const [chart, list, exp] of [
    ['rate-by-outlet', d.rateByOutlet, want.byOutlet],
    ['rate-by-language', d.rateByLanguage, want.byLanguage],
  ] as const) {
    expect(Object.fromEntries(list.map(({ key, ...r }) => [key, r])), chart).toEqual(exp);
    const rows = await csv(`/dashboard/${chart}.csv${qs}`);
    expect(rateRecord(rows.slice(1).map((r) => r.map((c) => (c.startsWith("'=") ? c.slice(1) : c)))), `${chart}.csv`).toEqual(exp);
    expect(rateRecord(table(html, chart).rows), `${chart} table`).toEqual(exp);
  }

  // 3: kinds by origin language
  const kindsCsv = await csv(`/dashboard/kinds-by-language.csv${qs}`);
  const langs = kindsCsv[0]!.slice(1, -1);
  const fromCsv: Record<string, Record<string, number>> = {};
  for (const r of kindsCsv.slice(1, -1)) {
    for (const [i, l] of langs.entries()) if (num(r[i + 1]!)) (fromCsv[r[0]!] ??= {})[l] = num(r[i + 1]!);
  }
  expect(fromCsv).toEqual(want.kinds);
  const kt = table(html, 'kinds-by-language');
  expect(kt.head).toEqual(['Kind', ...langs, 'Total']);
  expect(kt.rows.map((r) => r.slice(1).map(num))).toEqual(kindsCsv.slice(1, -1).map((r) => r.slice(1).map(num)));
  expect(Object.keys(want.kinds).every((k) => d.kinds.kinds.includes(k))).toBe(true);

  // 4: review progress
  const p = [want.reviewed, want.notReviewed, want.progress.accepted, want.progress.dismissed, want.progress.undecided];
  expect([d.progress.articles.reviewed, d.progress.articles.notReviewed, d.progress.findings.accepted, d.progress.findings.dismissed, d.progress.findings.undecided]).toEqual(p);
  expect((await csv(`/dashboard/review-progress.csv${qs}`)).slice(1).map((r) => num(r[2]!))).toEqual(p);
  expect(table(html, 'review-progress').rows.map((r) => num(r[2]!))).toEqual(p);

  // 5: score distribution
  expect(d.distribution.map((b) => b.articles)).toEqual(want.distribution);
  const dist = await csv(`/dashboard/score-distribution.csv${qs}`);
  expect(dist.slice(1).map((r) => r[0])).toEqual(['0-10', '10-20', '20-30', '30-40', '40-50', '50-60', '60-70', '70-80', '80-90', '90-100', 'not reviewed']);
  expect(dist.slice(1).map((r) => num(r[1]!))).toEqual(want.distribution);
  expect(table(html, 'score-distribution').rows.map((r) => num(r[1]!))).toEqual(want.distribution);
}

describe('the dashboard', () => {
  it('has numbers that match a count made from the database, in the service, the CSVs and the tables', async () => {
    const want = await expected();
    expect(want.articles).toBe(9);
    expect(want.reviewed).toBe(4); // dash-a1, dash-a2, dash-b1, the Global Times article
    expect(want.progress.accepted).toBe(2);
    expect(want.progress.dismissed).toBe(2);
    await checkAll({}, '');
  });

  it('applies filters: outlet, origin language and a date range', async () => {
    await checkAll({ outlet: 'Alpha Daily' }, '?outlet=Alpha+Daily');
    await checkAll({ lang: 'ukr' }, '?lang=ukr');
    await checkAll({ from: '2030-01-01', to: '2030-02-28' }, '?from=2030-01-01&to=2030-02-28');
    const want = await expected({ from: '2030-01-01', to: '2030-02-28' });
    expect(want.articles).toBe(2);
  });

  it('draws every chart as SVG with a caption, axis labels, a table and a CSV link', async () => {
    const html = await page('/dashboard');
    for (const chart of ['rate-by-outlet', 'rate-by-language', 'kinds-by-language', 'review-progress', 'score-distribution']) {
      const section = new RegExp(`<section class="chart-card[^"]*" id="${chart}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
      expect(section, chart).toMatch(/<svg class="chart [^"]+"[^>]*role="img"/);
      expect(section).toContain('<figcaption>');
      expect(section.match(/class="axis-label"/g)).toHaveLength(2);
      expect(section).toContain(`<table class="data" data-chart="${chart}">`);
      expect(section).toContain(`href="/dashboard/${chart}.csv"`);
      expect(section).not.toMatch(/\sstyle=/);
    }
    expect(html).toContain('aria-current="page">Dashboard');
  });

  it('keeps the filters in the CSV links, and ignores a malformed filter with a note', async () => {
    const html = await page('/dashboard?outlet=Alpha+Daily&from=2030-01-01&lang=Ukrainian');
    expect(html).toContain('href="/dashboard/rate-by-outlet.csv?from=2030-01-01&amp;outlet=Alpha+Daily"');
    expect(html).toContain('“ukrainian” is not a language code');
  });

  it('writes CSV that a spreadsheet will not run as a formula', async () => {
    const text = await (await rita.get('/dashboard/rate-by-outlet.csv')).text();
    expect(text).toContain(`"'=HYPERLINK(""http://example.invalid"",""x"")"`);
    expect(text.split('\r\n').some((l) => l.startsWith('='))).toBe(false);
  });

  it('answers 404 for a chart it does not have, and asks who you are when signed out', async () => {
    expect((await rita.get('/dashboard/nothing.csv')).status).toBe(404);
    const anon = await fetch(`${server.url}/dashboard`, { redirect: 'manual' });
    expect([302, 303]).toContain(anon.status);
  });
});
