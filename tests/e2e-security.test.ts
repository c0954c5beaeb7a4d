// Stored and reflected XSS in a real browser (Chromium, JavaScript on): script payloads in an
// article's title, outlet and text, an annotation's comment and correction, a glossary concept's
// canonical form and note, and a variant's text and note are shown as text on the article page,
// the concept pages and the glossary list; nothing runs (window.__xss stays undefined, no dialog),
// no markup is injected, the CSP header is on every page and no CSP violation is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response as PwResponse } from 'playwright-core';
import { launchBrowser, screenshotPath, startServer, type TestServer } from './support/browser.ts';

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1">',
  '"><script>window.__xss=1</script>',
  '<a href="javascript:window.__xss=1">click me</a>',
  "'><img src=x onerror=alert(1)>",
];
const SLUG = 'xss-article';
const TITLE = `Breaking ${PAYLOADS[0]} ${PAYLOADS[1]}`;
const OUTLET = `Outlet ${PAYLOADS[2]}`;
const TEXT = `${TITLE}\n\nOfficials in Kiev said ${PAYLOADS[2]} on Monday.\n\nThe statement read ${PAYLOADS[3]} and ${PAYLOADS[4]} and ${PAYLOADS[5]}.\n`;
const COMMENT = `Comment ${PAYLOADS[1]} ${PAYLOADS[4]}`;
const CORRECTION = `Fix ${PAYLOADS[0]}`;
const CANONICAL = `XSS ${PAYLOADS[3]} Concept`;
const CONCEPT_NOTE = `Concept note ${PAYLOADS[0]} ${PAYLOADS[4]}`;
const VARIANT = PAYLOADS[2]!;
const VARIANT_NOTE = `Variant note ${PAYLOADS[1]} ${PAYLOADS[5]}`;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const violations: string[] = [];
const concepts: string[] = [];

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([{ slug: SLUG, title: TITLE, outlet: OUTLET, text: TEXT, story: `story ${PAYLOADS[1]}` }]);
  });
  const rita = await server.as('reviewer');
  const annotated = await rita.postJson(`/articles/${SLUG}/annotations`, { quote: 'Officials', occurrence: 1, category: 'style', severity: 'minor', comment: COMMENT, correction: CORRECTION });
  expect(annotated.status).toBe(201);
  const proposals: Record<string, string>[] = [
    { target: 'new', canonical: CANONICAL, type: 'term', note: CONCEPT_NOTE },
    { target: 'new', canonical: 'XSS variant holder', type: 'term', text: VARIANT, kind: 'literal-translation', note: VARIANT_NOTE },
  ];
  for (const fields of proposals) {
    const res = await rita.postForm('/glossary/propose', fields);
    expect(res.status).toBe(303);
    concepts.push(/^\/glossary\/([^?]+)\?done=proposed$/.exec(res.headers.get('location')!)![1]!);
  }

  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await server.signIn(context, 'editor'); // an editor also sees the decide buttons (variant text in labels and URLs)
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
  });
  // Injected by the browser driver, so not subject to the page's CSP.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<PwResponse> {
  const res = await page.goto(server.url + path);
  expect(res, path).not.toBeNull();
  expect(res!.status(), path).toBe(200);
  const csp = res!.headers()['content-security-policy'] ?? '';
  expect(csp, path).toContain("script-src 'self'");
  expect(csp, path).not.toContain('unsafe-inline');
  // Give injected handlers (onerror of a broken image, onload) their chance to run.
  await page.waitForLoadState('load');
  await page.waitForTimeout(150);
  return res!;
}

/** Nothing ran and no markup got in: no inline scripts, no event-handler attributes, no javascript: links. */
async function clean(path: string): Promise<void> {
  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: unknown }).__xss,
    inlineScripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.src).length,
    handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 120)),
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
    injected: document.querySelectorAll('img[src="x"], svg[onload], script:not([src])').length,
  }));
  expect(state.xss, path).toBeUndefined();
  expect(state.inlineScripts, path).toBe(0);
  expect(state.handlers, path).toEqual([]);
  expect(state.jsLinks, path).toBe(0);
  expect(state.injected, path).toBe(0);
  expect(dialogs, path).toEqual([]);
  expect(violations, path).toEqual([]);
}

/** The page's text, without the labels the highlighter puts before each marked span (".tag"). */
async function visibleText(): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll('.tag').forEach((t) => t.remove());
    return (body.textContent ?? '').replace(/\s+/g, ' ');
  });
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('stored XSS', () => {
  it('the article page shows the title, outlet, text and annotation as text, and runs none of it', async () => {
    await open(`/articles/${SLUG}`);
    await clean('article');
    await expect(page.locator('h1').first().innerText()).resolves.toContain(PAYLOADS[0]);
    const text = await visibleText();
    for (const p of PAYLOADS) expect(text, p).toContain(p);
    expect(text).toContain(squash(TITLE));
    expect(text).toContain(COMMENT);
    await page.screenshot({ path: screenshotPath('security-xss'), fullPage: true });
  });

  it('the concept pages show the canonical form, notes and variant as text', async () => {
    await open(`/glossary/${concepts[0]}`);
    await clean('concept with payload canonical');
    await expect(page.locator('h1').first().innerText()).resolves.toBe(CANONICAL);
    expect(await visibleText()).toContain(CONCEPT_NOTE);

    await open(`/glossary/${concepts[1]}`);
    await clean('concept with payload variant');
    const text = await visibleText();
    expect(text).toContain(VARIANT);
    expect(text).toContain(VARIANT_NOTE);
  });

  it('the glossary list and the queue show them as text', async () => {
    await open('/glossary?q=XSS');
    await clean('glossary list');
    const list = await visibleText();
    expect(list).toContain(CANONICAL);
    expect(list).toContain('XSS variant holder');

    await open(`/?q=${encodeURIComponent('Breaking')}`);
    await clean('queue');
    expect(await visibleText()).toContain(squash(TITLE));
  });

  it('the annotation exports are not HTML', async () => {
    const res = await page.request.get(`${server.url}/articles/${SLUG}/annotations.tsv`);
    expect(res.headers()['content-type']).toMatch(/^text\/tab-separated-values/);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
  });
});

describe('reflected XSS', () => {
  it.each([
    ['the proposal form', `/glossary/propose?text=${encodeURIComponent(PAYLOADS[3]!)}&canonical=${encodeURIComponent(PAYLOADS[1]!)}&note=${encodeURIComponent(PAYLOADS[0]!)}`],
    ['the queue notes', `/?sort=${encodeURIComponent(PAYLOADS[3]!)}&lang=${encodeURIComponent(PAYLOADS[1]!)}&q=${encodeURIComponent(PAYLOADS[2]!)}`],
    ['the glossary search', `/glossary?q=${encodeURIComponent(PAYLOADS[3]!)}`],
    ['the audit filter', `/audit?actor=${encodeURIComponent(PAYLOADS[3]!)}`],
  ])('%s echoes the payload as text', async (_what, path) => {
    const res = await page.goto(server.url + path);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForTimeout(150);
    await clean(path);
  });

  it('the sign-in form does not reflect a hostile next', async () => {
    const anon = await browser.newContext();
    const p = await anon.newPage();
    const seen: string[] = [];
    p.on('dialog', (d) => {
      seen.push(d.message());
      void d.dismiss();
    });
    await p.goto(`${server.url}/login?next=${encodeURIComponent(`/"><script>window.__xss=1</script>`)}`);
    await p.waitForTimeout(150);
    expect(await p.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await p.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0);
    expect(seen).toEqual([]);
    await anon.close();
  });
});
