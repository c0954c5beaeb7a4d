// The dashboard in a real browser: five SVG charts drawn, their tables holding the numbers this
// test counts itself from the database, the CSV links answering, no console errors and no CSP
// violations (no inline style anywhere). Saves tests/artifacts/dashboard.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { qualityScore, wordCount, type MqmScoreSeverity } from '../server/core/score.ts';
import { launchBrowser, screenshotPath, startServer, type TestServer } from './support/browser.ts';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([
      { slug: 'e2e-dash-1', title: 'Dashboard one', outlet: 'Kyiv Wire', origin_lang: 'ukr', date: '2030-05-01', text: 'Talks in Kiev resumed, Zelenski said in Kiev on Monday.\n' },
      { slug: 'e2e-dash-2', title: 'Dashboard two', outlet: 'Kyiv Wire', origin_lang: 'rus', date: '2030-05-02', text: 'Officials in Kharkov and Kiev met for the second time in a week of talks.\n' },
    ]);
    // Review work, straight through the services.
    for (const slug of ['e2e-dash-1', '001_00dde55bb2c9393b', '000_e741d46e1a66ee76']) {
      const a = (await ws.articles.store.bySlug(slug))!;
      const [f1, f2] = await ws.articles.store.findings(a.id);
      await ws.annotations.accept(slug, f1!, 'rita');
      if (f2) await ws.annotations.dismiss(slug, f2, 'quoted as said', 'here', 'rita');
    }
    await ws.annotations.create('e2e-dash-2', { quote: 'second time', category: 'accuracy/omission', severity: 'critical' }, 'rita');
    await ws.annotations.create('003_30904ec8ac950bac', { start: 0, end: 6, category: 'fluency/punctuation', severity: 'minor' }, 'rita');
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await server.signIn(context, 'reviewer');
  page = await context.newPage();
  page.on('console', (m) => {
    if (/\/favicon\.ico$/.test(m.location().url)) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** The test's own count, from the database. */
async function count() {
  const db = server.ws.db;
  const articles = await db.all<{ id: number; outlet: string | null; text: string }>('SELECT id, outlet, text FROM articles');
  const story = (await db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'story_findings'")) ? ' UNION ALL SELECT article_id, detector, start, end, text FROM story_findings' : '';
  const findings = await db.all<{ article_id: number; detector: string; start: number; end: number; text: string }>(`SELECT article_id, detector, start, end, text FROM findings${story}`);
  const decisions = await db.all<{ article_id: number; detector: string; start: number; end: number; text: string; decision: string }>('SELECT * FROM finding_decisions ORDER BY id');
  const key = (x: { article_id: number; detector: string; start: number; end: number; text: string }) => [x.article_id, x.detector, x.start, x.end, x.text].join('\u0000');
  const latest = new Map(decisions.map((d) => [key(d), d.decision]));
  const annotations = await db.all<{ article_id: number; severity: MqmScoreSeverity; category: string; status: string }>('SELECT article_id, severity, category, status FROM annotations');
  const reviewed = new Set([...annotations, ...decisions].map((x) => x.article_id));
  const state = (f: (typeof findings)[number]) => latest.get(key(f)) ?? 'undecided';
  const outlet = new Map(articles.map((a) => [a.id, a.outlet]));
  const kyiv = { words: 0, findings: 0 };
  for (const a of articles.filter((x) => x.outlet === 'Kyiv Wire')) kyiv.words += wordCount(a.text);
  kyiv.findings = findings.filter((f) => outlet.get(f.article_id) === 'Kyiv Wire' && state(f) !== 'dismissed').length;
  const buckets = Array<number>(10).fill(0);
  for (const a of articles.filter((x) => reviewed.has(x.id))) {
    const s = qualityScore(a.text, annotations.filter((n) => n.article_id === a.id && n.status === 'anchored')).score;
    buckets[Math.min(9, Math.floor(s / 10))]!++;
  }
  return {
    outlets: new Set(articles.map((a) => a.outlet)).size,
    progress: [reviewed.size, articles.length - reviewed.size, ...['accepted', 'dismissed', 'undecided'].map((s) => findings.filter((f) => state(f) === s).length)],
    distribution: [...buckets, articles.length - reviewed.size],
    kyiv,
  };
}

const cells = async (chart: string, col: number) =>
  (await page.locator(`table[data-chart="${chart}"] tbody tr`).evaluateAll((trs, c) => trs.map((tr) => tr.children[c]?.textContent?.trim() ?? ''), col)).map((s) =>
    Number(s.replace(/,/g, '')),
  );

describe('the dashboard in Chromium', () => {
  it('draws the five charts, and their tables hold the numbers counted from the database', async () => {
    const res = await page.goto(server.url + '/dashboard');
    expect(res?.status()).toBe(200);
    const charts = page.locator('svg.chart');
    await expect(charts.count()).resolves.toBe(5);
    for (let i = 0; i < 5; i++) {
      await expect(charts.nth(i).isVisible()).resolves.toBe(true);
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(80);
    }
    // Bars are painted with the colours of the stylesheet (classes, not attributes).
    const fill = await page.locator('#score-distribution rect.bar').first().evaluate((el) => getComputedStyle(el).fill);
    expect(fill).not.toBe('rgb(0, 0, 0)');

    const want = await count();
    expect(want.progress[0]).toBe(5);
    await expect(page.locator('#rate-by-outlet g.row').count()).resolves.toBe(want.outlets);
    await expect(page.locator('#score-distribution g.col').count()).resolves.toBe(11);
    expect(await cells('review-progress', 2)).toEqual(want.progress);
    expect(await cells('score-distribution', 1)).toEqual(want.distribution);
    const kyivRow = page.locator('table[data-chart="rate-by-outlet"] tbody tr', { hasText: 'Kyiv Wire' });
    const kyiv = (await kyivRow.locator('td').allTextContents()).map((s) => Number(s.replace(/,/g, '')));
    expect(kyiv).toEqual([2, want.kyiv.words, want.kyiv.findings, Math.round((want.kyiv.findings * 10_000) / want.kyiv.words) / 10]);

    // A table opens under its chart.
    await page.locator('#review-progress summary').click();
    await expect(page.locator('table[data-chart="review-progress"]').isVisible()).resolves.toBe(true);
    await page.locator('#review-progress summary').click();
    await page.screenshot({ path: screenshotPath('dashboard'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('offers each chart as CSV with the same numbers, and filters by outlet', async () => {
    const href = await page.locator('#review-progress a', { hasText: 'CSV' }).getAttribute('href');
    const text = await page.evaluate(async (u) => (await fetch(u)).text(), href!);
    expect(text.trimEnd().split('\r\n').slice(1).map((l) => Number(l.split(',')[2]))).toEqual((await count()).progress);

    await page.selectOption('#df-outlet', 'Kyiv Wire');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/outlet=Kyiv\+Wire/);
    await expect(page.locator('#rate-by-outlet g.row').count()).resolves.toBe(1);
    expect(await cells('review-progress', 2).then((c) => c.slice(0, 2))).toEqual([2, 0]);
    expect(problems).toEqual([]);
  });
});
