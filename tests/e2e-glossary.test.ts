// The glossary in a real browser, with JavaScript switched off (every step is a plain link or form):
// signed in as eddie the editor, propose "Kremlin Press Bureau" from the Global Times rewrite,
// approve it, see it flagged in the article, and find it in the CSV export. A reviewer proposes but
// is offered no decisions.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startServer, USERS, type TestServer } from './support/browser.ts';

const SLUG = '001_00dde55bb2c9393b';
const VARIANT = 'Kremlin Press Bureau';
const CANONICAL = 'Kremlin press service';
const EDDIE = USERS.editor.username;
const RITA = USERS.reviewer.username;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, javaScriptEnabled: false, acceptDownloads: true });
  await server.signIn(context, 'editor');
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('propose, approve, detect, export', () => {
  it('runs the acceptance flow from the Global Times rewrite', async () => {
    // The rewrite says "Kremlin Press Bureau"; the glossary does not know it yet.
    const article = await page.goto(`${server.url}/articles/${SLUG}`);
    expect(article?.status()).toBe(200);
    await expect(page.locator('section.pane .text').first().textContent()).resolves.toContain(VARIANT);
    await expect(page.locator('mark.f', { hasText: VARIANT }).count()).resolves.toBe(0);
    await expect(page.locator('header.top .who a').textContent()).resolves.toBe(EDDIE);
    await expect(page.locator('header.top .who .role').textContent()).resolves.toBe('editor');

    const stored = await server.ws.articles.store.bySlug(SLUG);
    const start = stored!.text.indexOf(VARIANT);
    expect(start).toBeGreaterThan(0);
    const end = start + VARIANT.length;

    // The proposal form, prefilled from the selection.
    const form = await page.goto(`${server.url}/glossary/propose?article=${SLUG}&start=${start}&end=${end}&text=${encodeURIComponent(VARIANT)}`);
    expect(form?.status()).toBe(200);
    await expect(page.locator('.kwic mark').textContent()).resolves.toBe(VARIANT);
    await expect(page.getByLabel(/^Variant/).inputValue()).resolves.toBe(VARIANT);
    await page.getByLabel(/^Canonical form/).fill(CANONICAL);
    await page.getByLabel(/^Type/).selectOption('organization');
    await page.getByLabel(/^Kind/).selectOption('literal-translation');
    await page.getByLabel(/^Note/).fill('Literal rendering of the Chinese name of the Kremlin press service.');
    // No "Your name" field: the proposal is recorded under the signed-in user.
    await expect(page.getByLabel(/^Your name/).count()).resolves.toBe(0);
    await expect(page.locator('header.top .who a').textContent()).resolves.toBe(EDDIE);
    await page.screenshot({ path: screenshotPath('glossary-propose'), fullPage: true });
    await page.getByRole('button', { name: 'Propose' }).click();

    // The concept page shows the proposal; approving the concept approves its proposed variant.
    await page.waitForURL(/\/glossary\/kremlin-press-service\?done=proposed$/);
    await expect(page.locator('h1').textContent()).resolves.toBe(CANONICAL);
    const row = page.locator('table.variants tbody tr', { hasText: VARIANT });
    await expect(row.locator('.gstatus').textContent()).resolves.toBe('proposed');
    await expect(row.textContent()).resolves.toMatch(new RegExp(`proposed by\\s+${EDDIE}`));
    // Nobody types a name to decide either: the editor's session says who decides.
    await expect(page.locator('#review input[name="reviewer"]').count()).resolves.toBe(0);
    await page.getByRole('button', { name: /^Approve concept and its 1 proposed variant$/ }).click();
    await page.waitForURL(/\/glossary\/kremlin-press-service\?done=approved$/);
    await expect(page.locator('.flash.ok').textContent()).resolves.toContain('Approved.');
    await expect(page.locator('table.variants tbody tr', { hasText: VARIANT }).locator('.gstatus').textContent()).resolves.toBe('approved');
    await expect(page.locator('#history').textContent()).resolves.toMatch(new RegExp(`${EDDIE}\\s+approved\\s+the concept`));
    // The article's findings were recomputed: the concept now occurs in the Global Times rewrite.
    await expect(page.locator(`#occurrences a[href="/articles/${SLUG}"]`).count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath('glossary-concept'), fullPage: true });

    // The article now flags the literal translation with the canonical form as suggestion.
    await page.goto(`${server.url}/articles/${SLUG}`);
    const mark = page.locator('mark.f', { hasText: VARIANT }).first();
    await expect(mark.isVisible()).resolves.toBe(true);
    await expect(mark.getAttribute('class')).resolves.toContain('k-literal-translation');
    const finding = page.locator('.findings li', { hasText: VARIANT }).first();
    await expect(finding.textContent()).resolves.toContain(CANONICAL);

    // The glossary list, then the CSV export with the new variant's row.
    await page.goto(`${server.url}/glossary?q=kremlin`);
    await expect(page.locator('table.g-table a.canon', { hasText: CANONICAL }).count()).resolves.toBe(1);
    await page.goto(`${server.url}/glossary`);
    await page.screenshot({ path: screenshotPath('glossary-list'), fullPage: false });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.g-export a[data-format="csv"]').click()]);
    expect(download.suggestedFilename()).toBe('copydesk-glossary.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const line = csv.split(/\r?\n/).find((l) => l.includes(VARIANT));
    expect(line).toBeDefined();
    expect(line).toContain('kremlin-press-service');
    expect(line).toContain(CANONICAL);
    expect(line).toContain('literal-translation');
    expect(line).toContain('approved');

    expect(problems).toEqual([]);
  });

  it('shows a plain-words problem next to the field when the canonical form is missing', async () => {
    await page.goto(`${server.url}/glossary/propose`);
    await page.getByLabel(/^Variant/).fill('Moscow Kremlin Press Office');
    await page.getByLabel(/^Kind/).selectOption('literal-translation');
    await page.getByRole('button', { name: 'Propose' }).click();
    await expect(page.locator('#problems').textContent()).resolves.toContain('things need fixing');
    await expect(page.locator('#err-canonical').textContent()).resolves.toContain('Write the correct form');
    await expect(page.locator('#err-reviewer').count()).resolves.toBe(0);
    await expect(page.getByLabel(/^Variant/).inputValue()).resolves.toBe('Moscow Kremlin Press Office');
  });

  it('a reviewer proposes a variant, but is offered no approve, reject or edit', async () => {
    const seen = problems.length; // the 422 of the form above is expected
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, javaScriptEnabled: false });
    try {
      await server.signIn(ctx, 'reviewer');
      const p = await ctx.newPage();
      await p.goto(`${server.url}/glossary/propose?concept=kremlin-press-service`);
      await expect(p.locator('header.top .who a').textContent()).resolves.toBe(RITA);
      await expect(p.locator('header.top .who .role').textContent()).resolves.toBe('reviewer');
      await p.getByLabel(/^Variant/).fill('Kremlin Press Office');
      await p.getByLabel(/^Kind/).selectOption('literal-translation');
      await Promise.all([p.waitForURL(/\/glossary\/kremlin-press-service\?done=proposed$/), p.getByRole('button', { name: 'Propose' }).click()]);
      const row = p.locator('table.variants tbody tr', { hasText: 'Kremlin Press Office' });
      await expect(row.locator('.gstatus').textContent()).resolves.toBe('proposed');
      await expect(row.textContent()).resolves.toMatch(new RegExp(`proposed by\\s+${RITA}`));
      await expect(p.getByRole('button', { name: /^(Approve|Reject|Deprecate)/ }).count()).resolves.toBe(0);
      await expect(p.locator('#edit form').count()).resolves.toBe(0);
      await expect(p.locator('#edit').textContent()).resolves.toContain('Editors approve, reject and edit glossary entries.');
      await p.screenshot({ path: screenshotPath('glossary-concept-reviewer'), fullPage: true });
      // The editor sees the proposal with its buttons.
      await page.goto(`${server.url}/glossary/kremlin-press-service`);
      await expect(page.getByRole('button', { name: 'Reject variant Kremlin Press Office' }).count()).resolves.toBe(1);
    } finally {
      await ctx.close();
    }
    expect(problems.slice(seen)).toEqual([]);
  });
});

describe('proposing from a selection, with the keyboard (JavaScript on)', () => {
  it('selecting "Kremlin Press Bureau" and pressing g opens the proposal prefilled with its exact offsets', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      await server.signIn(ctx, 'reviewer');
      const p = await ctx.newPage();
      await p.goto(`${server.url}/articles/${SLUG}`);
      await expect(p.locator('header.top .who a').textContent()).resolves.toBe(RITA);
      const stored = await server.ws.articles.store.bySlug(SLUG);
      const start = stored!.text.indexOf(VARIANT);
      await p.evaluate((variant) => {
        // Select the words in the rewrite pane, as a reviewer would with the mouse.
        const pane = document.querySelector('section.pane .text')!;
        const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const at = n.textContent!.indexOf(variant);
          if (at < 0) continue;
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + variant.length);
          window.getSelection()!.removeAllRanges();
          window.getSelection()!.addRange(r);
          return;
        }
        throw new Error('variant not on the page');
      }, VARIANT);
      await Promise.all([p.waitForURL(/\/glossary\/propose\?/), p.keyboard.press('g')]);
      const q = new URL(p.url()).searchParams;
      expect(Object.fromEntries(q)).toMatchObject({ article: SLUG, start: String(start), end: String(start + VARIANT.length), text: VARIANT });
      await expect(p.getByLabel(/^Variant/).inputValue()).resolves.toBe(VARIANT);
    } finally {
      await ctx.close();
    }
  });
});
