// Reading in a real browser, signed in as rita the reviewer: the queue, an article with its findings
// highlighted in place, and article text that holds HTML shown as text with no script running.
// Signed out, every page leads to the sign-in form, which leads back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contentHash } from '../server/services/articles.ts';
import { launchBrowser, screenshotPath, startServer, USERS, type TestServer } from './support/browser.ts';

const HOSTILE = `Kiev talks <script>window.__pwned = 1</script> resumed
<img src=x onerror="window.__pwned = 2"> Leave a Reply
"><svg onload="window.__pwned=3"> and <b>bold</b> &amp; done`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importCorpusArticle({
      file: 'hostile.txt', title: '<script>window.__pwned = 4</script> Hostile', outlet: '<i>Outlet</i>', origin_lang: 'eng',
      date: '2025-01-01', url: null, story: null, source_file: null, text: HOSTILE, source_text: null,
    });
    expect(contentHash(HOSTILE)).toHaveLength(64);
  });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await server.signIn(context, 'reviewer');
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('review queue', () => {
  it('lists the demo articles with their findings by severity', async () => {
    const res = await page.goto(server.url + '/');
    expect(res?.status()).toBe(200);
    await expect(page.locator('table.queue tbody tr').count()).resolves.toBe(6);
    await expect(page.getByRole('link', { name: /Russian and Ukrainian presidents exchanged prisoners/ }).count()).resolves.toBe(1);
    // The header names the signed-in user and their role, with a way to sign out.
    await expect(page.locator('header.top .who a').textContent()).resolves.toBe(USERS.reviewer.username);
    await expect(page.locator('header.top .who .role').textContent()).resolves.toBe('reviewer');
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('queue'), fullPage: true });
  });
});

describe('signed out', () => {
  it('an article page leads to the sign-in form, and back to the article after signing in', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await ctx.newPage();
      const res = await p.goto(server.url + '/articles/003_30904ec8ac950bac');
      expect(res?.status()).toBe(200);
      expect(new URL(p.url()).pathname).toBe('/login');
      await expect(p.locator('header.top .who').count()).resolves.toBe(0);
      await p.getByLabel('User name').fill(USERS.editor.username);
      await p.getByLabel('Password').fill(USERS.editor.password);
      await Promise.all([p.waitForURL(/\/articles\/003_30904ec8ac950bac$/), p.getByRole('button', { name: 'Sign in' }).click()]);
      await expect(p.locator('header.top .who a').textContent()).resolves.toBe(USERS.editor.username);
      await expect(p.locator('header.top .who .role').textContent()).resolves.toBe('editor');
      await expect(p.locator('section.pane').count()).resolves.toBe(2);
      // Signing out ends the session: the article asks for the sign-in again.
      await Promise.all([p.waitForURL(/\/login$/), p.getByRole('button', { name: 'Sign out' }).click()]);
      await p.goto(server.url + '/articles/003_30904ec8ac950bac');
      expect(new URL(p.url()).pathname).toBe('/login');
    } finally {
      await ctx.close();
    }
  });
});

describe('article page', () => {
  it('highlights "Dunbas" in the Global Times rewrite with the suggestion Donbas', async () => {
    await page.goto(server.url + '/');
    await page.getByRole('link', { name: /Russian and Ukrainian presidents exchanged prisoners/ }).click();
    const mark = page.locator('mark.f', { hasText: 'Dunbas' }).first();
    await expect(mark.isVisible()).resolves.toBe(true);
    const li = page.locator('.findings li', { hasText: 'Dunbas' }).first();
    await expect(li.textContent()).resolves.toContain('Donbas');
    await page.screenshot({ path: screenshotPath('article'), fullPage: true });
  });

  it('opens the two May 2025 rewrites of the 1,000-for-1,000 exchange side by side', async () => {
    await page.goto(server.url + '/articles/003_30904ec8ac950bac');
    const panes = page.locator('section.pane');
    await expect(panes.count()).resolves.toBe(2);
    await expect(panes.nth(1).textContent()).resolves.toContain('Istanbul Agreement, Ukraine and Russia exchange 800 prisoners');
  });
});

describe('article text is data, never HTML', () => {
  it('shows markup as text and runs no script; the CSP header is present', async () => {
    const res = await page.goto(server.url + '/articles/hostile');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const text = await page.locator('section.pane .text').textContent();
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('<img src=x onerror="window.__pwned = 2">');
    await expect(page.locator('section.pane .text script, section.pane .text img, section.pane .text svg, section.pane .text b').count()).resolves.toBe(0);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('<script>');
  });
});
