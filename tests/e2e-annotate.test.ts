// Annotating in a real browser, keyboard first: j focuses a finding, a selection becomes offsets,
// n opens the annotation popover (filled with Tab, typing and Enter), the annotation survives a
// reload (highlight + sidebar); a accepts and d dismisses; ? lists the keys. No console errors and
// no CSP violations along the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, startServer, type TestServer } from './support/browser.ts';

const GT = '/articles/001_00dde55bb2c9393b';

let server: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('console', (m) => {
    // The browser asks for /favicon.ico on its own; there is none.
    if (/\/favicon\.ico$/.test(m.location().url)) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function activeInfo() {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { tag: a?.tagName, finding: a?.dataset.finding ?? null, name: a?.getAttribute('name') ?? null };
  });
}

describe('annotating with the keyboard', () => {
  it('remembers the reviewer name (no-JS form)', async () => {
    await page.goto(server.url + GT);
    await page.fill('#reviewer-name', 'Rita');
    await Promise.all([page.waitForURL(/#review$/), page.press('#reviewer-name', 'Enter')]);
    await expect(page.inputValue('#reviewer-name')).resolves.toBe('Rita');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'copydesk_reviewer')?.value).toBe('Rita');
  });

  it('j focuses the first finding, in the text and in the sidebar', async () => {
    await page.goto(server.url + GT);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    const active = await activeInfo();
    expect(active.tag).toBe('MARK');
    expect(active.finding?.split(' ')).toContain('0');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('0');
    await expect(page.locator('.cd-pop').isVisible()).resolves.toBe(true); // its popover shows message and suggestion
    await expect(page.locator('.cd-pop').textContent()).resolves.toContain('→ Zelensky');
    await page.screenshot({ path: screenshotPath('article-finding-popover') });
    await page.keyboard.press('j');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('1');
    await page.keyboard.press('k');
    await expect(page.locator('#review li.finding.current').getAttribute('data-i')).resolves.toBe('0');
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
    await expect(li.textContent()).resolves.toMatch(/Style[\s\S]*major[\s\S]*historic[\s\S]*→ landmark[\s\S]*Puffery, not news[\s\S]*by Rita/);
    await expect(li.locator('summary', { hasText: 'Edit' }).count()).resolves.toBe(1);
    const row = await server.ws.annotations.store.byId(Number(id));
    expect(row).toMatchObject({ exact: 'historic', start: expected.start, end: expected.end, category: 'style', severity: 'major', reviewer: 'Rita' });
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
    expect((await activeInfo()).name).toBe('reason');
    await page.keyboard.type('Quoted from the source');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await expect(page.locator(`#${second}`).getAttribute('class')).resolves.toContain('decided-dismissed');
    await expect(page.locator(`#${second} .decision`).textContent()).resolves.toContain('Dismissed here by Rita: Quoted from the source');
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
