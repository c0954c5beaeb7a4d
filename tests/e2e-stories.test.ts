// A story in a real browser, signed in as rita the reviewer: the rewrites side by side, the aligned
// facts with the disagreement highlighted, and a click through to the article at the finding, shown
// side by side with the other rewrite. No console errors, nothing blocked by the CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startServer, type TestServer } from './support/browser.ts';

const KEY = '2025-05-prisoner-exchange-1000-for-1000';
const A003 = '003_30904ec8ac950bac';
const A004 = '004_5708cb1ee7797cb2';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await server.signIn(context, 'reviewer');
  page = await context.newPage();
  // (The browser asks for /favicon.ico, which copydesk does not have: not a problem of these pages.)
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('a story', () => {
  it('shows its rewrites side by side and the facts they disagree on, highlighted', async () => {
    const res = await page.goto(`${server.url}/stories/${KEY}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/390 freed/);
    await expect(page.locator('.st-columns .st-col').count()).resolves.toBe(2);
    const table = page.locator('table.facts');
    await expect(table.isVisible()).resolves.toBe(true);
    await expect(table.locator('thead th').count()).resolves.toBe(3);
    const bad = table.locator('td.mismatch');
    expect(await bad.count()).toBeGreaterThanOrEqual(2);
    // The highlight is visible: the cell's background is not the table's.
    const bg = await bad.first().evaluate((el) => getComputedStyle(el).backgroundColor);
    const plain = await table.locator('tr.agree td').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).not.toBe(plain);
    await expect(bad.first().textContent()).resolves.toMatch(/390/);
    await expect(page.locator('.st-columns mark.k-fact-mismatch').count()).resolves.toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: screenshotPath('story'), fullPage: true });
  });

  it('a disagreeing cell leads to the article at the finding, side by side with the other rewrite', async () => {
    const link = page.locator(`table.facts td.mismatch a.mismatch[href^="/articles/${A003}"]`).first();
    await expect(link.count()).resolves.toBe(1);
    await Promise.all([page.waitForURL(new RegExp(`/articles/${A003}\\?with=${A004}#finding-facts-`)), link.click()]);
    const hash = new URL(page.url()).hash.slice(1);
    const item = page.locator(`li#${hash}`);
    await expect(item.count()).resolves.toBe(1);
    await expect(item.locator('.badge').textContent()).resolves.toBe('Fact mismatch');
    await expect(page.locator('section[aria-label="Another rewrite"] h2').textContent()).resolves.toMatch(/Albanian outlet/);
    await expect(page.locator('.story-line a').getAttribute('href')).resolves.toBe(`/stories/${KEY}`);
    await page.locator('.story-line a').click();
    await page.waitForURL(`${server.url}/stories/${KEY}`);
    expect(problems).toEqual([]);
  });
});
