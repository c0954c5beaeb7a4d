// The review queue (filters, sorts, search, pagination, hostile parameters) and the "add articles"
// page (paste, uploads, validation), through HTTP against the app on a loopback port, signed in as
// rita the reviewer (session cookie; the CSRF token on every post).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportItem } from '../server/services/articles.ts';
import { boundaryOf, MultipartError, parseMultipart } from '../server/web/multipart.ts';
import { startServer, USERS, type Client, type TestServer } from './support/browser.ts';

let server: TestServer;
let rita: Client;
const DEMO = 5;
const EXTRA = 56;

/** 56 articles: "Queue test NN", two outlets, two languages, one a day from 2020-01-01; every third says "Kiev". */
function extraArticles(): ImportItem[] {
  const items: ImportItem[] = [];
  for (let i = 0; i < EXTRA - 1; i++) {
    const n = String(i).padStart(2, '0');
    const kiev = i % 3 === 0;
    items.push({
      slug: `queue-test-${n}`,
      title: `Queue test ${n}${i % 2 ? ' — zebra' : ' — aardvark'}`,
      outlet: i % 2 ? 'Beta Times' : 'Alpha Daily',
      origin_lang: i % 4 < 2 ? 'ukr' : 'rus',
      date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10),
      text: `Queue test ${n}\n\nTalks ${kiev ? 'in Kiev' : 'in the capital'} went on. ${i === 7 ? 'The marmalade clause was signed.' : ''}\n`,
    });
  }
  items.push({ slug: 'percent-title', title: 'Growth of 100% in 2024_Q1', outlet: 'Gamma_Wire', origin_lang: 'eng', date: '2026-01-01', text: 'Growth of 100% in 2024.\n' });
  return items;
}

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany(extraArticles());
  });
  rita = await server.as('reviewer');
});

afterAll(async () => {
  await server?.close();
});

const get = (path: string) => rita.get(path, { headers: { accept: 'text/html' } });
async function page(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

interface Row {
  slug: string;
  title: string;
  outlet: string;
  origin: string;
  date: string;
  errors: number;
  warnings: number;
  kinds: string;
  status: string;
  reviewer: string;
}

/** The queue table's rows. */
function rows(html: string): Row[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const tr = m[1]!;
    const cells = [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!);
    const link = /<a href="\/articles\/([^"]+)">([\s\S]*?)<\/a>/.exec(cells[0]!)!;
    return {
      slug: decodeURIComponent(link[1]!),
      title: unescape(link[2]!),
      outlet: unescape(cells[1]!.trim()),
      origin: /<span class="lang"[^>]*>([^<]*)</.exec(cells[2]!)![1]!,
      date: cells[3]!.trim(),
      errors: Number(/sev-error" title="errors">(\d+)/.exec(cells[4]!)![1]),
      warnings: Number(/sev-warning" title="warnings">(\d+)/.exec(cells[4]!)![1]),
      kinds: unescape(cells[4]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')),
      status: cells[5]!.replace(/<[^>]+>/g, '').trim(),
      reviewer: unescape(cells[6]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
    };
  });
}

/** hrefs of the pager's links, by text. */
function pagerLinks(html: string): Record<string, string> {
  const nav = /<nav class="pager"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  const out: Record<string, string> = {};
  for (const m of nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)) out[m[2]!.replace(/[«»‹›]/g, '').trim()] = unescape(m[1]!);
  return out;
}

const titleKey = (s: string) => s.toLowerCase();
const count = async () => (await server.ws.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles'))!.n;

describe('the queue', () => {
  it('lists the articles, newest first, 50 a page, with an "Add articles" link', async () => {
    const html = await page('/');
    expect(html).toContain(`${DEMO + EXTRA} articles`);
    expect(html).toMatch(/<a class="button add-articles" href="\/articles\/new">Add articles<\/a>/);
    const r = rows(html);
    expect(r).toHaveLength(50);
    const dates = r.map((x) => x.date).filter((d) => d !== '—');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(r[0]!.slug).toBe('percent-title');
    // Open findings by severity and kind; status and reviewer columns.
    const kiev = r.find((x) => x.slug === 'queue-test-54')!;
    expect(kiev.kinds).toContain('Russian form');
    expect(kiev.status).toBe('New');
    expect(kiev.reviewer).toBe('—');
    expect(html).toContain('href="/static/queue.css"');
  });

  it('sorts by date ascending', async () => {
    const r = rows(await page('/?sort=date&dir=asc'));
    expect(r[0]!.date).toBe('2019-09-07');
    const dates = r.map((x) => x.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('sorts by title both ways', async () => {
    const asc = rows(await page('/?sort=title&dir=asc'));
    expect(asc.map((x) => titleKey(x.title))).toEqual(asc.map((x) => titleKey(x.title)).sort());
    const desc = rows(await page('/?sort=title&dir=desc&q=queue+test'));
    expect(desc[0]!.title).toBe('Queue test 54 — aardvark');
    expect(desc.map((x) => titleKey(x.title))).toEqual(desc.map((x) => titleKey(x.title)).sort().reverse());
  });

  it('sorts by outlet', async () => {
    const r = rows(await page('/?sort=outlet'));
    const outlets = r.map((x) => x.outlet.toLowerCase());
    expect(outlets).toEqual([...outlets].sort());
    expect(r[0]!.outlet).toBe("Albanian outlet (section 'Bota')");
    expect(r[1]!.outlet).toBe('Alpha Daily');
    const desc = rows(await page('/?sort=outlet&dir=desc'));
    expect(desc[0]!.outlet).toBe('unknown South Asian outlet (WordPress)');
  });

  it('sorts by open errors and by open warnings', async () => {
    const e = rows(await page('/?sort=errors'));
    expect(e.map((x) => x.errors)).toEqual(e.map((x) => x.errors).sort((a, b) => b - a));
    expect(e[0]!.errors).toBeGreaterThan(0);
    const ea = rows(await page('/?sort=errors&dir=asc'));
    expect(ea.map((x) => x.errors)).toEqual(ea.map((x) => x.errors).sort((a, b) => a - b));
    const w = rows(await page('/?sort=warnings&dir=desc'));
    expect(w.map((x) => x.warnings)).toEqual(w.map((x) => x.warnings).sort((a, b) => b - a));
    expect(w[0]!.warnings).toBeGreaterThan(0);
  });

  it('falls back to the date sort for an unknown sort, and says so', async () => {
    const html = await page('/?sort=popularity');
    expect(html).toContain('cannot be sorted by “popularity”');
    expect(rows(html).map((x) => x.slug)).toEqual(rows(await page('/')).map((x) => x.slug));
  });

  it('filters by origin language, outlet, kind of finding and status', async () => {
    const ukr = rows(await page('/?lang=ukr'));
    expect(ukr.length).toBe(28);
    expect(ukr.every((x) => x.origin === 'ukr')).toBe(true);
    const beta = rows(await page('/?outlet=Beta+Times'));
    expect(beta.length).toBe(27);
    expect(beta.every((x) => x.outlet === 'Beta Times')).toBe(true);
    const russian = rows(await page('/?kind=russian-form&q=queue+test'));
    expect(russian.map((x) => x.slug).sort()).toEqual(
      Array.from({ length: 19 }, (_, k) => `queue-test-${String(k * 3).padStart(2, '0')}`).sort(),
    );
    expect(russian.every((x) => x.kinds.includes('Russian form'))).toBe(true);
    const both = rows(await page('/?kind=russian-form&lang=rus&outlet=Alpha+Daily&q=queue'));
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((x) => x.origin === 'rus' && x.outlet === 'Alpha Daily' && x.kinds.includes('Russian form'))).toBe(true);
    expect(rows(await page('/?kind=anachronism&q=queue'))).toHaveLength(0);
    expect(rows(await page('/?status=new')).length).toBe(50);
  });

  it('shows an article as in review, with its last reviewer, once it has an annotation', async () => {
    const db = server.ws.db;
    const hasTable = await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'annotations'");
    if (!hasTable) return; // before the annotations migration every article is new
    const a = (await db.get<{ id: number; revision: number }>("SELECT id, revision FROM articles WHERE slug = 'queue-test-10'"))!;
    await db.run(
      `INSERT INTO annotations (article_id, revision, reviewer, category, severity, start, end, exact) VALUES (?, ?, 'Olena <Editor>', 'style', 'minor', 0, 5, 'Queue')`,
      [a.id, a.revision],
    );
    const html = await page('/?status=in-review');
    const r = rows(html);
    expect(r.map((x) => x.slug)).toEqual(['queue-test-10']);
    expect(r[0]!.status).toBe('In review');
    expect(r[0]!.reviewer).toMatch(/^Olena <Editor> \d{4}-\d{2}-\d{2}$/);
    expect(html).toContain('Olena &lt;Editor&gt;');
    expect(rows(await page('/?status=new&q=queue+test+10')).length).toBe(0);
    await db.run('DELETE FROM annotations WHERE article_id = ?', [a.id]);
  });

  it('shows the signed-in user as the last reviewer once they annotate', async () => {
    const res = await rita.postJson('/articles/queue-test-20/annotations', { quote: 'Talks', category: 'style', severity: 'minor' });
    expect(res.status).toBe(201);
    const { annotation } = (await res.json()) as { annotation: { id: number } };
    const r = rows(await page('/?status=in-review&q=queue+test+20'));
    expect(r.map((x) => x.slug)).toEqual(['queue-test-20']);
    expect(r[0]!.reviewer).toMatch(new RegExp(`^${USERS.reviewer.username} \\d{4}-\\d{2}-\\d{2}$`));
    expect((await rita.postForm(`/articles/queue-test-20/annotations/${annotation.id}/delete`, {})).status).toBe(303);
    expect(rows(await page('/?status=in-review&q=queue+test+20'))).toHaveLength(0);
  });

  it('needs a signed-in user: the queue redirects to the sign-in form, and back after it', async () => {
    const res = await fetch(server.url + '/?q=zebra', { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2F%3Fq%3Dzebra');
    const login = await fetch(server.url + res.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="next" value="/?q=zebra"');
    // Signed in, the header names the user and their role.
    const html = await page('/');
    expect(html).toContain(`title="Your account and API tokens">${USERS.reviewer.username}</a> <span class="role">reviewer</span>`);
  });

  it('searches titles and outlets, with % and _ taken literally, and article texts on request', async () => {
    expect(rows(await page('/?q=zebra')).every((x) => x.title.includes('zebra'))).toBe(true);
    expect(rows(await page('/?q=zebra')).length).toBe(27);
    expect(rows(await page('/?q=GAMMA_wire')).map((x) => x.slug)).toEqual(['percent-title']);
    expect(rows(await page('/?q=100%25')).map((x) => x.slug)).toEqual(['percent-title']);
    expect(rows(await page('/?q=%25')).map((x) => x.slug)).toEqual(['percent-title']);
    expect(rows(await page('/?q=_')).map((x) => x.slug)).toEqual(['percent-title']);
    expect(rows(await page('/?q=marmalade'))).toHaveLength(0);
    expect(rows(await page('/?q=marmalade&body=1')).map((x) => x.slug)).toEqual(['queue-test-07']);
  });

  it('keeps filters and sort in the pagination links', async () => {
    const html = await page('/?q=queue+test&sort=title&dir=asc&kind=');
    const first = rows(html);
    expect(first).toHaveLength(50);
    expect(html).toContain('55 articles match');
    const links = pagerLinks(html);
    expect(links.Next).toBe('/?q=queue+test&sort=title&dir=asc&page=2');
    const html2 = await page(links.Next!);
    const second = rows(html2);
    expect(second).toHaveLength(5);
    expect(titleKey(second[0]!.title) > titleKey(first[49]!.title)).toBe(true);
    const back = pagerLinks(html2);
    expect(back.Previous).toBe('/?q=queue+test&sort=title&dir=asc');
    expect(back.First).toBe('/?q=queue+test&sort=title&dir=asc');
    // Sorting links keep the filters too, and start again at page 1.
    expect(html2).toContain('href="/?q=queue+test&amp;sort=title&amp;dir=desc"');
    // The filter form shows the current choices.
    expect(html2).toMatch(/<option value="title" selected>/);
    expect(html2).toMatch(/name="q" value="queue test"/);
  });

  it('shows the last page for a page past the end', async () => {
    const html = await page('/?page=99');
    expect(html).toContain('There is no page 99');
    expect(rows(html)).toHaveLength((DEMO + EXTRA) % 50);
  });

  it('answers 200 to SQL injection attempts in every parameter, and nothing happens to the data', async () => {
    const before = await count();
    const attacks = [
      "'; DROP TABLE articles; --",
      "x' OR '1'='1",
      '1; DELETE FROM findings',
      'date; DROP TABLE articles',
      "russian-form' OR 1=1 --",
      '%',
      '\\',
      '" onmouseover="alert(1)',
    ];
    for (const a of attacks) {
      for (const p of ['q', 'sort', 'dir', 'lang', 'outlet', 'kind', 'status', 'page', 'added', 'body']) {
        const res = await get(`/?${p}=${encodeURIComponent(a)}&body=1`);
        expect(res.status, `${p}=${a}`).toBe(200);
        const html = await res.text();
        expect(html).not.toContain('" onmouseover="alert(1)');
      }
    }
    expect(await count()).toBe(before);
    expect((await server.ws.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings'))!.n).toBeGreaterThan(0);
    expect(await page('/')).toContain(`${before} articles`);
  });
});

// ---------------------------------------------------------------------------------- add articles

function form(fields: Record<string, string>, files: { name: string; data: string | Uint8Array<ArrayBuffer>; type?: string }[] = []): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append('files', new Blob([f.data], { type: f.type ?? 'text/plain' }), f.name);
  return fd;
}

/**
 * Post the "add articles" form as rita: a multipart form carries the CSRF token in the query (as the
 * page's form does: the body is read only after the check), a url-encoded one in its _csrf field.
 */
const post = (body: FormData | URLSearchParams, headers: Record<string, string> = {}, csrf = true) => {
  if (body instanceof URLSearchParams && csrf) body.set('_csrf', rita.csrf);
  const path = body instanceof FormData && csrf ? `/articles?_csrf=${encodeURIComponent(rita.csrf)}` : '/articles';
  return rita.fetch(path, { method: 'POST', body, headers: { accept: 'text/html', ...headers } });
};

describe('adding articles', () => {
  it('shows the form', async () => {
    const html = await page('/articles/new');
    expect(html).toContain(`<form class="add-form" method="post" action="/articles?_csrf=${encodeURIComponent(rita.csrf)}" enctype="multipart/form-data"`);
    for (const name of ['text', 'files', 'title', 'outlet', 'origin_lang', 'date', 'url', 'story']) expect(html).toContain(`name="${name}"`);
    expect(html).toContain('<option value="ukr">Ukrainian</option>');
  });

  it('adds a pasted text, scans it at once and redirects to its page (303)', async () => {
    const before = await count();
    const res = await post(
      form({ text: 'Talks in Kiev resume\r\n\r\nDelegations met in Kiev on Monday.\r\n', outlet: 'Paste Post', origin_lang: 'UKR', date: '2025-03-04', url: '', story: 'kiev-talks', title: '' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/articles\/talks-in-kiev-resume-[0-9a-f]{12}$/);
    expect(await count()).toBe(before + 1);
    const article = (await server.ws.articles.store.bySlug(location.slice('/articles/'.length)))!;
    expect(article).toMatchObject({ title: 'Talks in Kiev resume', outlet: 'Paste Post', origin_lang: 'ukr', date: '2025-03-04', url: null, story: 'kiev-talks' });
    expect(article.text).toBe('Talks in Kiev resume\n\nDelegations met in Kiev on Monday.\n');
    const findings = await server.ws.articles.store.findings(article.id);
    expect(findings.filter((f) => f.text === 'Kiev' && f.kind === 'russian-form')).toHaveLength(2);
    const html = await page(location);
    expect(html).toContain('Talks in Kiev resume');
    expect(html).toMatch(/<mark[^>]*class="[^"]*\bf\b[^"]*k-russian-form/);
    expect(html).toContain('Kyiv');
    // The same form sent twice (a double click) gives the same article, not a second one.
    const again = await post(
      form({ text: 'Talks in Kiev resume\r\n\r\nDelegations met in Kiev on Monday.\r\n', outlet: 'Paste Post', origin_lang: 'UKR', date: '2025-03-04', url: '', story: 'kiev-talks', title: '' }),
    );
    expect(again.headers.get('location')).toBe(location);
    expect(await count()).toBe(before + 1);
  });

  it('accepts a url-encoded form too, with a title of its own', async () => {
    const res = await post(new URLSearchParams({ text: 'First line\nIn Kiev today.', title: 'Given title' }));
    expect(res.status).toBe(303);
    const slug = res.headers.get('location')!.replace('/articles/', '');
    expect(slug).toMatch(/^given-title-[0-9a-f]{12}$/);
    expect((await server.ws.articles.store.bySlug(slug))!.title).toBe('Given title');
  });

  it('re-renders the form with 422 and plain words for invalid input, storing nothing', async () => {
    const before = await count();
    const cases: [Record<string, string>, RegExp][] = [
      [{ text: '   \r\n  ' }, /nothing to add: paste the article’s text/],
      [{ text: 'Some text', date: '2025-13-45' }, /“2025-13-45” is not a date\. Write it as year-month-day/],
      [{ text: 'Some text', date: '4 May 2025' }, /is not a date/],
      [{ text: 'Some text', origin_lang: 'uk' }, /“uk” is not a language code\. Use the three-letter ISO 639-3 code/],
      [{ text: 'Some text', origin_lang: 'ukr1' }, /is not a language code/],
      [{ text: 'Some text', url: 'javascript:alert(1)' }, /must be a full address starting with http/],
    ];
    for (const [fields, message] of cases) {
      const res = await post(form(fields));
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).toContain('role="alert"');
      // What was typed is kept.
      if (fields.text?.trim()) expect(html).toContain(`>\n${fields.text}</textarea>`);
    }
    // Several problems at once are all listed.
    const res = await post(form({ text: '', date: 'yesterday', origin_lang: 'english' }));
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(html).toContain('3 things to fix before anything is added');
    expect(html).toContain('aria-invalid="true" aria-describedby="af-date-error"');
    expect(await count()).toBe(before);
  });

  it('adds two uploaded files and shows them in the queue', async () => {
    const before = await count();
    const res = await post(
      form({ outlet: 'Upload Wire', origin_lang: 'rus', date: '2025-06-01', text: '' }, [
        { name: 'first.txt', data: 'Prisoner swap in Kiev\n\nBody of the first file.\n' },
        { name: 'second.md', data: '# Second report from Kyiv\n\nBody of the second file.\n', type: 'text/markdown' },
      ]),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/\?added=/);
    expect(await count()).toBe(before + 2);
    const html = await page(location);
    const r = rows(html);
    expect(r.map((x) => x.title).sort()).toEqual(['Prisoner swap in Kiev', 'Second report from Kyiv']);
    expect(r.every((x) => x.outlet === 'Upload Wire' && x.origin === 'rus' && x.date === '2025-06-01')).toBe(true);
    expect(html).toContain('Showing the 2 articles just added');
    const stored = (await server.ws.articles.store.bySlug(r.find((x) => x.title.startsWith('Second'))!.slug))!;
    expect(stored.text).toBe('# Second report from Kyiv\n\nBody of the second file.\n');
  });

  it('refuses binary, non-UTF-8, oversized and non-text uploads with 422, storing nothing', async () => {
    const before = await count();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const cp1251 = new Uint8Array([0xca, 0xe8, 0xe5, 0xe2, 0x20, 0xf1, 0xf2, 0xee, 0xeb, 0xe8, 0xf6, 0xe0]); // "Киев столица"
    const cases: [{ name: string; data: string | Uint8Array<ArrayBuffer> }[], RegExp][] = [
      [[{ name: 'photo.txt', data: png }], /“photo\.txt” is not a text file: it holds binary data/],
      [[{ name: 'kiev.txt', data: cp1251 }], /“kiev\.txt” is not UTF-8 text/],
      [[{ name: 'big.txt', data: 'x'.repeat(5 * 1024 * 1024 + 1) }], /“big\.txt” is 5\.0 MB; a file can be at most 5\.0 MB/],
      [[{ name: 'report.pdf', data: 'Kiev' }], /“report\.pdf” is not a \.txt or \.md file/],
      [[{ name: 'empty.txt', data: '\n\n' }], /“empty\.txt” is empty/],
      // One bad file among good ones: nothing at all is added.
      [[{ name: 'good.txt', data: 'Good text in Kiev' }, { name: 'bad.txt', data: png }], /“bad\.txt” is not a text file/],
    ];
    for (const [files, message] of cases) {
      const res = await post(form({ text: '' }, files));
      expect(res.status, files.map((f) => f.name).join()).toBe(422);
      expect(await res.text()).toMatch(message);
    }
    expect(await count()).toBe(before);
  });

  it('refuses a body that is not a form (415), a form posted from another site (403 CSRF) and one from nobody (401)', async () => {
    const before = await count();
    const json = await rita.postJson('/articles', { text: 'Kiev' }, { headers: { accept: 'text/html' } });
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('Send this form as a web form');
    const plain = await rita.fetch('/articles', { method: 'POST', body: 'Kiev', headers: { 'content-type': 'text/plain', 'x-csrf-token': rita.csrf } });
    expect(plain.status).toBe(415);
    // Another site can make the browser send the session cookie, but not the CSRF token.
    const cross = await post(form({ text: 'Kiev' }), { origin: 'https://evil.example' }, false);
    expect(cross.status).toBe(403);
    expect(await cross.text()).toContain('was not sent from copydesk');
    const crossJson = await post(form({ text: 'Kiev' }), { origin: 'https://evil.example', accept: 'application/json' }, false);
    expect(((await crossJson.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    const wrong = await rita.fetch('/articles?_csrf=not-the-token', { method: 'POST', body: form({ text: 'Kiev' }), headers: { accept: 'text/html' } });
    expect(wrong.status).toBe(403);
    const crossForm = await post(new URLSearchParams({ text: 'Kiev' }), {}, false);
    expect(crossForm.status).toBe(403);
    const anonymous = await fetch(server.url + '/articles', { method: 'POST', body: form({ text: 'Kiev' }), redirect: 'manual', headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    const broken = await rita.fetch(`/articles?_csrf=${encodeURIComponent(rita.csrf)}`, {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nKiev',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('could not be read');
    const huge = await post(form({ text: '' }, [{ name: 'huge.txt', data: 'x'.repeat(11 * 1024 * 1024) }]));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('That is too much to send at once: at most 10 MB');
    expect(await count()).toBe(before);
  });

  it('has a useful 404 page for an unknown article, linking back to the queue', async () => {
    const res = await get('/articles/no-such-article');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('There is no article');
    expect(html).toMatch(/<a href="\/"[^>]*>Back to the review queue<\/a>/);
  });
});

describe('multipart parser', () => {
  it('reads fields and files, with quoted boundaries, a preamble and RFC 5987 file names', () => {
    expect(boundaryOf('multipart/form-data; boundary="a b;c"')).toBe('a b;c');
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
    const body = Buffer.from(
      'preamble\r\n--a b;c\r\nContent-Disposition: form-data; name="text"\r\n\r\nline 1\r\n--a b;c in the text\r\n' +
        '--a b;c\r\nContent-Disposition: form-data; name="files"; filename="C:\\\\Users\\\\x\\\\old.txt"; filename*=UTF-8\'\'%D0%9A%D0%B8%D1%97%D0%B2.txt\r\nContent-Type: text/plain\r\n\r\n\u0000\xff\r\n' +
        '--a b;c\r\nContent-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n' +
        '--a b;c--\r\nepilogue',
      'latin1',
    );
    const parts = parseMultipart(body, 'a b;c');
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatchObject({ name: 'text', filename: null });
    expect(parts[0]!.data.toString('latin1')).toBe('line 1\r\n--a b;c in the text');
    expect(parts[1]).toMatchObject({ name: 'files', filename: 'Київ.txt', contentType: 'text/plain' });
    expect([...parts[1]!.data]).toEqual([0, 0xff]);
    expect(parts[2]).toMatchObject({ filename: '' });
    expect(parts[2]!.data.length).toBe(0);
  });

  it('throws on malformed bodies', () => {
    expect(() => parseMultipart(Buffer.from('nothing here'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nno end'), 'b')).toThrow(/cut off/);
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--'), 'b')).toThrow(/no field name/);
    const many = '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n'.repeat(5) + '--b--';
    expect(() => parseMultipart(Buffer.from(many), 'b', { maxParts: 4 })).toThrow(/more than 4 parts/);
  });
});
