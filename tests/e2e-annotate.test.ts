// Annotating in a real browser, keyboard first: j focuses a finding, a selection becomes offsets,
// n opens the annotation popover (filled with Tab, typing and Enter), the annotation survives a
// reload (highlight + sidebar); a accepts and d dismisses; ? lists the keys. No console errors and
// no CSP violations along the way. Signed in as rita the reviewer: everything is recorded under her
// name; only an editor (eddie) is offered "always in this context" when dismissing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startServer, USERS, type TestServer } from './support/browser.ts';

const GT = '/articles/001_00dde55bb2c9393b';
const RITA = USERS.reviewer.username;
const EDDIE = USERS.editor.username;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let csrf: string;
const problems: string[] = [];

/** Record console errors and warnings, HTTP errors, CSP violations and page errors of `p`. */
async function watch(p: Page): Promise<void> {
  p.on('console', (m) => {
    // The browser asks for /favicon.ico on its own; there is none.
    if (/\/favicon\.ico$/.test(m.location().url)) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  p.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await p.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  csrf = await server.signIn(context, 'reviewer');
  page = await context.newPage();
  await watch(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function activeInfo(p: Page = page) {
  return p.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { tag: a?.tagName, finding: a?.dataset.finding ?? null, name: a?.getAttribute('name') ?? null };
  });
}

describe('annotating with the keyboard', () => {
  it('the header names the signed-in reviewer; there is no "Your name" field and no name cookie', async () => {
    await page.goto(server.url + GT);
    await expect(page.locator('header.top .who a').textContent()).resolves.toBe(RITA);
    await expect(page.locator('header.top .who .role').textContent()).resolves.toBe('reviewer');
    await expect(page.locator('#reviewer-name, input[name="reviewer"]').count()).resolves.toBe(0);
    // The script sends the session's CSRF token (from the page's meta tag); the no-JS forms carry it too.
    await expect(page.locator('meta[name="csrf-token"]').getAttribute('content')).resolves.toBe(csrf);
    await expect(page.locator('#annotate input[name="_csrf"]').inputValue()).resolves.toBe(csrf);
    expect((await context.cookies()).find((c) => c.name === 'copydesk_reviewer')).toBeUndefined();
    await page.screenshot({ path: screenshotPath('article-signed-in') });
  });

  it('j focuses the first finding, in the text and in the sidebar', async () => {
    await page.goto(server.url + GT);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    const active = await activeInfo();
    expect(active.tag).toBe('MARK');
    expect(active.finding?.split(' ')).toContain('0');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('0');
    // Its popover shows the finding's message and suggestion.
    const first = page.locator('#review li.finding[data-i="0"]');
    await expect(page.locator('.cd-pop').isVisible()).resolves.toBe(true);
    await expect(page.locator('.cd-pop').textContent()).resolves.toContain((await first.getAttribute('data-message'))!);
    const suggestion = await first.getAttribute('data-suggestion');
    if (suggestion) await expect(page.locator('.cd-pop').textContent()).resolves.toContain(`→ ${suggestion}`);
    await page.keyboard.press('j');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('1');
    await page.keyboard.press('k');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('0');
    // Moving on to the first Zelenski finding: its popover suggests Zelensky.
    for (let i = 0; i < 60 && (await page.locator('#review li.finding.current').getAttribute('data-suggestion')) !== 'Zelensky'; i++) await page.keyboard.press('j');
    await expect(page.locator('#review li.finding.current').getAttribute('data-text')).resolves.toMatch(/^Zelensk/);
    await expect(page.locator('.cd-pop').textContent()).resolves.toContain('→ Zelensky');
    await page.screenshot({ path: screenshotPath('article-finding-popover') });
  });

  it('n annotates the selection; the popover is filled with Tab, typing and Enter; the annotation is there after a reload', async () => {
    const expected = await page.evaluate(() => {
      const text = document.getElementById('rewrite-text')!;
      const seg = Array.from(text.querySelectorAll<HTMLElement>('span[data-start]')).find((s) => s.textContent!.includes('historic large-scale'))!;
      const node = seg.firstChild!;
      const at = node.nodeValue!.indexOf('historic large-scale');
      const r = document.createRange();
      r.setStart(node, at);
      r.setEnd(node, at + 'historic'.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(r);
      return { start: Number(seg.dataset.start) + at, end: Number(seg.dataset.start) + at + 8 };
    });
    await page.keyboard.press('n');
    const dialog = page.locator('.cd-dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain(`historic`);
    await expect(dialog.textContent()).resolves.toContain(`(${expected.start}–${expected.end})`);
    expect((await activeInfo()).name).toBe('category');
    await page.screenshot({ path: screenshotPath('article-annotate-popover') });
    await page.keyboard.type('Sty');
    await page.keyboard.press('Tab');
    expect((await activeInfo()).name).toBe('severity');
    await page.keyboard.type('maj');
    await page.keyboard.press('Tab');
    await page.keyboard.type('landmark');
    await page.keyboard.press('Tab');
    expect((await activeInfo()).name).toBe('comment');
    await page.keyboard.type('Puffery, not news');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(page.url()).toMatch(/#annotation-\d+$/);

    await page.reload();
    const id = /#annotation-(\d+)$/.exec(page.url())![1];
    const mark = page.locator(`#rewrite-text mark.a[data-annotation~="${id}"]`);
    await expect(mark.count()).resolves.toBe(1);
    await expect(mark.getAttribute('data-start')).resolves.toBe(String(expected.start));
    await expect(mark.evaluate((m) => Array.from(m.childNodes).filter((n) => n.nodeType === 3).map((n) => n.nodeValue).join(''))).resolves.toBe('historic');
    await expect(mark.getAttribute('data-abbr')).resolves.toBe('✎STY');
    const li = page.locator(`#annotation-${id}`);
    await expect(li.textContent()).resolves.toMatch(/Style[\s\S]*major[\s\S]*historic[\s\S]*→ landmark[\s\S]*Puffery, not news[\s\S]*by rita/);
    await expect(li.locator('summary', { hasText: 'Edit' }).count()).resolves.toBe(1);
    const row = await server.ws.annotations.store.byId(Number(id));
    expect(row).toMatchObject({ exact: 'historic', start: expected.start, end: expected.end, category: 'style', severity: 'major', reviewer: RITA });
    await mark.hover();
    await expect(page.locator('.cd-pop').textContent()).resolves.toContain('✎ Style');
    await page.mouse.move(5, 5);
    await page.screenshot({ path: screenshotPath('article-annotated'), fullPage: false });
  });

  it('a accepts the focused finding and d dismisses the next one with a reason', async () => {
    await page.goto(server.url + GT);
    await page.keyboard.press('j');
    const first = await page.locator('#review li.finding.current').getAttribute('id');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('a')]);
    expect(page.url()).toMatch(/#annotation-\d+$/);
    await expect(page.locator(`#${first}`).getAttribute('class')).resolves.toContain('decided-accepted');

    await page.keyboard.press('j'); // the first open finding now
    const second = await page.locator('#review li.finding.current').getAttribute('id');
    expect(second).not.toBe(first);
    await page.keyboard.press('d');
    await expect(page.locator('.cd-dialog').isVisible()).resolves.toBe(true);
    // A reviewer dismisses here only: "always" (a glossary exception) is for editors.
    await expect(page.locator('.cd-dialog input[name="scope"][value="always"]').count()).resolves.toBe(0);
    expect((await activeInfo()).name).toBe('reason');
    await page.keyboard.type('Quoted from the source');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await expect(page.locator(`#${second}`).getAttribute('class')).resolves.toContain('decided-dismissed');
    await expect(page.locator(`#${second} .decision`).textContent()).resolves.toContain(`Dismissed here by ${RITA}: Quoted from the source`);
  });

  it('only an editor is offered "always in this context", and dismissing so adds a glossary exception', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      await server.signIn(ctx, 'editor');
      const p = await ctx.newPage();
      await watch(p);
      await p.goto(server.url + GT);
      await expect(p.locator('header.top .who a').textContent()).resolves.toBe(EDDIE);
      await expect(p.locator('header.top .who .role').textContent()).resolves.toBe('editor');
      // Move to the first open glossary finding that belongs to a concept.
      await p.locator('body').click({ position: { x: 5, y: 5 } });
      const li = p.locator('#review li.finding.current');
      for (let i = 0; i < 60; i++) {
        await p.keyboard.press('j');
        if ((await li.getAttribute('data-detector')) === 'glossary' && (await li.getAttribute('data-concept'))) break;
      }
      const concept = (await li.getAttribute('data-concept'))!;
      const text = (await li.getAttribute('data-text'))!;
      const id = (await li.getAttribute('id'))!;
      expect(concept).toBeTruthy();
      // Rita's page (a reviewer's) offers no "always" for this finding, in the dialog or the no-JS form.
      await page.goto(server.url + GT);
      await expect(page.locator(`#${id} input[name="scope"][value="always"]`).count()).resolves.toBe(0);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      const currentId = () => page.evaluate(() => document.querySelector('#review li.finding.current')?.id ?? null);
      for (let i = 0; i < 60 && (await currentId()) !== id; i++) await page.keyboard.press('j');
      await expect(page.locator('#review li.finding.current').getAttribute('id')).resolves.toBe(id);
      await page.keyboard.press('d');
      await expect(page.locator('.cd-dialog').isVisible()).resolves.toBe(true);
      await expect(page.locator('.cd-dialog input[name="scope"]').count()).resolves.toBe(1);
      await expect(page.locator('.cd-dialog').textContent()).resolves.not.toContain('Always in this context');
      await page.keyboard.press('Escape');
      await expect(page.locator('.cd-dialog').count()).resolves.toBe(0);
      await expect(p.locator(`#${id} input[name="scope"][value="always"]`).count()).resolves.toBe(1);

      const before = await server.ws.glossary.show(concept);
      await p.keyboard.press('d');
      const dialog = p.locator('.cd-dialog');
      await expect(dialog.isVisible()).resolves.toBe(true);
      await expect(dialog.textContent()).resolves.toContain('Always in this context');
      await p.keyboard.type('House spelling in quotations');
      await dialog.locator('input[name="scope"][value="always"]').check();
      await p.screenshot({ path: screenshotPath('article-dismiss-always') });
      await Promise.all([p.waitForEvent('load'), dialog.getByRole('button', { name: 'Dismiss' }).click()]);
      const after = await server.ws.glossary.show(concept);
      expect(after.history.length).toBe(before.history.length + 1);
      expect(after.history.at(-1)).toMatchObject({ action: 'update', author: EDDIE });
      // The variant found now has the finding's context as an exception (it had none before).
      const exceptions = (c: typeof before) => c.concept.variants.find((v) => v.text === text)?.exceptions ?? [];
      expect(exceptions(before)).toEqual([]);
      expect(exceptions(after)).toHaveLength(1);
      expect(exceptions(after)[0]).toContain(text);
      await expect(p.locator(`#${id}`).count()).resolves.toBe(0); // rescanned: the finding is gone
    } finally {
      await ctx.close();
    }
  });

  it('? shows the keys; Escape closes the overlay; keys are ignored while typing', async () => {
    await page.keyboard.press('?');
    const help = page.locator('.cd-help');
    await expect(help.isVisible()).resolves.toBe(true);
    const listed = await help.locator('dt').allTextContents();
    expect(listed).toEqual(['j', 'k', 'a', 'd', 'n', 'g', '?', 'Esc']);
    await expect(help.textContent()).resolves.toContain('Annotate the selected text');
    await page.screenshot({ path: screenshotPath('article-keys-help') });
    await page.keyboard.press('Escape');
    await expect(help.count()).resolves.toBe(0);

    await page.focus('#annotate textarea[name=quote]');
    await page.keyboard.type('jk?');
    await expect(page.locator('.cd-help').count()).resolves.toBe(0);
    await expect(page.inputValue('#annotate textarea[name=quote]')).resolves.toBe('jk?');
  });

  it('logged no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });

  it('g goes to the glossary proposal form, prefilled from the focused finding', async () => {
    await page.goto(server.url + GT);
    await page.keyboard.press('j');
    const li = page.locator('#review li.finding.current');
    const [start, end, text] = await Promise.all([li.getAttribute('data-start'), li.getAttribute('data-end'), li.getAttribute('data-text')]);
    await Promise.all([page.waitForURL(/\/glossary\/propose\?/), page.keyboard.press('g')]);
    const q = new URL(page.url()).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({ article: '001_00dde55bb2c9393b', start, end, text });
  });
});
