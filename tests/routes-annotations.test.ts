// Annotations and decisions on findings through the routes, on a fresh temporary database: create,
// edit and delete (own annotations only), validation in plain words, accepting and dismissing
// findings (here, and always: a glossary exception), the exports, and re-anchoring on a revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/browser.ts';

const GT = '001_00dde55bb2c9393b';
const REANCHOR_V1 = 'Alpha beta gamma. The talks resumed.\nDelta epsilon zeta and more.\n';
const REANCHOR_V2 = 'A new first line was added.\nAlpha beta gamma. The talks resumed.\nDelta and more.\n';

let server: TestServer;

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([{ slug: 'reanchor', text: REANCHOR_V1, title: 'Re-anchoring' }]);
  });
});

afterAll(async () => {
  await server?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function postJson(path: string, body: Json, reviewer?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(reviewer ? { cookie: `copydesk_reviewer=${encodeURIComponent(reviewer)}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function postForm(path: string, fields: Record<string, string>, reviewer?: string): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(reviewer ? { cookie: `copydesk_reviewer=${encodeURIComponent(reviewer)}` } : {}) },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function page(slug: string, reviewer?: string): Promise<string> {
  const res = await fetch(`${server.url}/articles/${slug}`, { headers: reviewer ? { cookie: `copydesk_reviewer=${encodeURIComponent(reviewer)}` } : {} });
  expect(res.status).toBe(200);
  return res.text();
}

async function articleId(slug: string): Promise<number> {
  return (await server.ws.articles.store.bySlug(slug))!.id;
}

async function glossaryFinding(slug: string, text: string) {
  const all = await server.ws.articles.store.findings(await articleId(slug));
  const f = all.find((x) => x.detector === 'glossary' && x.text === text);
  expect(f, `a glossary finding "${text}"`).toBeDefined();
  return f!;
}

describe('creating, editing and deleting annotations', () => {
  it('creates one from offsets (JSON), lets its author edit it, refuses another reviewer (403), then deletes it', async () => {
    const text = (await server.ws.articles.store.bySlug(GT))!.text;
    const start = text.indexOf('historic large-scale');
    const created = await postJson(`/articles/${GT}/annotations`, { start, end: start + 8, category: 'style', severity: 'minor', comment: 'Puffery' }, 'Ann');
    expect(created.status).toBe(201);
    const a = created.body.annotation;
    expect(a).toMatchObject({ reviewer: 'Ann', category: 'style', severity: 'minor', exact: 'historic', start, end: start + 8, status: 'anchored', comment: 'Puffery' });
    expect(created.body.url).toBe(`/articles/${GT}#annotation-${a.id}`);

    const edited = await postJson(`/articles/${GT}/annotations/${a.id}/edit`, { category: 'fluency/grammar', severity: 'major', correction: 'landmark', comment: '' }, 'Ann');
    expect(edited.status).toBe(200);
    expect(edited.body.annotation).toMatchObject({ category: 'fluency/grammar', severity: 'major', correction: 'landmark', comment: null });

    const other = await postJson(`/articles/${GT}/annotations/${a.id}/edit`, { category: 'style', severity: 'minor' }, 'Bob');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(`Only Ann, who wrote annotation #${a.id}, may edit it. You are signed as Bob.`);
    const otherDelete = await postForm(`/articles/${GT}/annotations/${a.id}/delete`, {}, 'Bob');
    expect(otherDelete.status).toBe(403);
    expect(await otherDelete.text()).toContain('Only Ann');

    const html = await page(GT, 'Ann');
    expect(html).toContain(`id="annotation-${a.id}"`);
    expect(html).toContain(`data-annotation="${a.id}"`);
    expect(html).toContain(`/annotations/${a.id}/delete`);
    expect(await page(GT, 'Bob')).not.toContain(`/annotations/${a.id}/delete`);

    const del = await postForm(`/articles/${GT}/annotations/${a.id}/delete`, {}, 'Ann');
    expect(del.status).toBe(303);
    expect(del.headers.get('location')).toBe(`/articles/${GT}#review`);
    expect(await page(GT, 'Ann')).not.toContain(`id="annotation-${a.id}"`);
  });

  it('without JavaScript: the form takes a quote, asks which occurrence when it is ambiguous, and redirects to the annotation', async () => {
    const ambiguous = await postForm(`/articles/${GT}/annotations`, { quote: 'Dunbas', category: 'locale-convention/names', severity: 'major', correction: 'Donbas', reviewer: 'Cleo' });
    expect(ambiguous.status).toBe(422);
    const again = await ambiguous.text();
    expect(again).toMatch(/The quoted text &#34;Dunbas&#34; occurs \d+ times\. Say which one with the occurrence number/);
    expect(again).toContain('role="alert"');
    expect(again).toContain('>Dunbas</textarea>'); // the form comes back as sent
    expect(ambiguous.headers.get('set-cookie')).toContain('copydesk_reviewer=Cleo');

    const res = await postForm(`/articles/${GT}/annotations`, { quote: 'Dunbas', occurrence: '2', category: 'locale-convention/names', severity: 'major', correction: 'Donbas' }, 'Cleo');
    expect(res.status).toBe(303);
    const m = /#annotation-(\d+)$/.exec(res.headers.get('location') ?? '');
    expect(m).not.toBeNull();
    const text = (await server.ws.articles.store.bySlug(GT))!.text;
    const first = text.indexOf('Dunbas');
    const second = text.indexOf('Dunbas', first + 1);
    const row = await server.ws.annotations.store.byId(Number(m![1]));
    expect(row).toMatchObject({ start: second, end: second + 6, exact: 'Dunbas', reviewer: 'Cleo', correction: 'Donbas' });

    const missing = await postForm(`/articles/${GT}/annotations`, { quote: 'not in the text at all', category: 'style', severity: 'minor' }, 'Cleo');
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('is not in the article');
  });

  it('refuses a bad category, a bad severity, a span outside the text, a long comment and a missing name, in plain words (422)', async () => {
    const bad = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'vibes', severity: 'minor' }, 'Ann');
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^"vibes" is not an error category\. Pick one of: Accuracy — mistranslation; .*Source-site residue\.$/);

    const sev = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'style', severity: 'huge' }, 'Ann');
    expect(sev.status).toBe(422);
    expect(sev.body.error.message).toBe('"huge" is not a severity. Pick one of: minor, major, critical.');

    const len = (await server.ws.articles.store.bySlug(GT))!.text.length;
    const outside = await postJson(`/articles/${GT}/annotations`, { start: len - 2, end: len + 10, category: 'style', severity: 'minor' }, 'Ann');
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toBe(`The span ${len - 2}–${len + 10} is outside the text, which is ${len} characters long.`);

    const empty = await postJson(`/articles/${GT}/annotations`, { start: 10, end: 10, category: 'style', severity: 'minor' }, 'Ann');
    expect(empty.status).toBe(422);

    const long = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'style', severity: 'minor', comment: 'x'.repeat(5001) }, 'Ann');
    expect(long.status).toBe(422);
    expect(long.body.error.message).toBe('The comment is 5,001 characters long; it can be at most 5,000.');

    const anonymous = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'style', severity: 'minor' });
    expect(anonymous.status).toBe(422);
    expect(anonymous.body.error.message).toContain('Enter your name');
  });

  it('answers 404 for an unknown article or annotation, and 403 to a form sent from another site', async () => {
    const unknown = await postJson('/articles/no-such-article/annotations', { start: 0, end: 1, category: 'style', severity: 'minor' }, 'Ann');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('There is no article "no-such-article"');
    expect((await fetch(`${server.url}/articles/no-such-article/annotations.tsv`)).status).toBe(404);
    const gone = await postJson(`/articles/${GT}/annotations/999999/edit`, { category: 'style', severity: 'minor' }, 'Ann');
    expect(gone.status).toBe(404);

    const res = await fetch(`${server.url}/articles/${GT}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: 'copydesk_reviewer=Ann' },
      body: 'quote=Zelenski&category=style&severity=minor',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });
});

describe('acting on findings', () => {
  it('accepting a finding makes an annotation with the mapped category, severity and correction', async () => {
    const f = await glossaryFinding(GT, 'Zelenskis');
    const res = await postForm(`/articles/${GT}/findings/accept`, { detector: f.detector, start: String(f.start), end: String(f.end), text: f.text }, 'Dan');
    expect(res.status).toBe(303);
    const id = Number(/#annotation-(\d+)$/.exec(res.headers.get('location') ?? '')![1]);
    const row = await server.ws.annotations.store.byId(id);
    expect(row).toMatchObject({ start: f.start, end: f.end, exact: f.text, reviewer: 'Dan', correction: f.suggestion, status: 'anchored' });
    expect(row!.category).toBe(f.kind === 'russian-form' || f.kind === 'transliteration' ? 'locale-convention/names' : row!.category);
    expect(row!.severity).toBe(f.severity === 'error' ? 'major' : 'minor');
    // Accepting again gives the same annotation.
    const again = await postJson(`/articles/${GT}/findings/accept`, { detector: f.detector, start: f.start, end: f.end, text: f.text }, 'Dan');
    expect(again.body.annotation.id).toBe(id);
    const html = await page(GT, 'Dan');
    expect(html).toContain(`Accepted by Dan as <a href="#annotation-${id}">annotation #${id}</a>`);

    const stale = await postJson(`/articles/${GT}/findings/accept`, { detector: 'glossary', start: f.start, end: f.end, text: 'something else' }, 'Dan');
    expect(stale.status).toBe(404);
    expect(stale.body.error.message).toContain('Reload the page');
  });

  it('dismissing here records the decision, shown with its reason; a reason is required', async () => {
    const f = await glossaryFinding(GT, 'Dunbas');
    const ref = { detector: f.detector, start: String(f.start), end: String(f.end), text: f.text };
    const noReason = await postForm(`/articles/${GT}/findings/dismiss`, { ...ref, reason: '  ', scope: 'here' }, 'Eve');
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Say why you dismiss this finding');

    const res = await postForm(`/articles/${GT}/findings/dismiss`, { ...ref, reason: 'Spelled so in the quoted headline', scope: 'here' }, 'Eve');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/articles/${GT}#finding-glossary-${f.start}-${f.end}`);
    const html = await page(GT);
    expect(html).toMatch(new RegExp(`id="finding-glossary-${f.start}-${f.end}" class="finding sev-\\w+ decided decided-dismissed"`));
    expect(html).toContain('Dismissed here by Eve: <span class="reason">Spelled so in the quoted headline</span>');
    // The finding is still there (here only), its mark greyed.
    expect((await server.ws.articles.store.findings(await articleId(GT))).some((x) => x.start === f.start && x.text === 'Dunbas')).toBe(true);
    expect(html).toMatch(new RegExp(`<mark class="f k-\\S+ sev-\\w+ decided decided-dismissed" data-start="${f.start}"`));
  });

  it('dismissing always adds the context as a glossary exception: after the rescan the finding is gone, others stay', async () => {
    const f = await glossaryFinding(GT, 'Zelenski');
    const before = (await server.ws.articles.store.findings(await articleId(GT))).filter((x) => x.text === 'Zelenski').length;
    const r = await postJson(`/articles/${GT}/findings/dismiss`, { detector: f.detector, start: f.start, end: f.end, text: f.text, reason: 'Spelling of the source', scope: 'always' }, 'Fay');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ scope: 'always', concept: f.concept });
    expect(r.body.exception).toContain('Zelenski');
    expect(r.body.exception.split(' ').length).toBeGreaterThanOrEqual(3);

    const detail = await server.ws.glossary.show(f.concept!);
    const variant = detail.concept.variants.find((v) => v.text === 'Zelenski');
    expect(variant?.exceptions).toContain(r.body.exception);
    expect(detail.history.at(-1)).toMatchObject({ action: 'update', author: 'Fay' });

    const after = await server.ws.articles.store.findings(await articleId(GT));
    expect(after.some((x) => x.start === f.start && x.text === 'Zelenski')).toBe(false);
    expect(after.filter((x) => x.text === 'Zelenski').length).toBe(before - 1);

    const notGlossary = (await server.ws.articles.store.findings(await articleId(GT))).find((x) => x.detector !== 'glossary');
    if (notGlossary) {
      const refused = await postJson(`/articles/${GT}/findings/dismiss`, { ...notGlossary, reason: 'x', scope: 'always' }, 'Fay');
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('Only glossary findings can be dismissed everywhere');
    }
  });
});

describe('exports', () => {
  it('JSON-LD per article and for the corpus, with a TextQuoteSelector and a TextPositionSelector', async () => {
    const res = await fetch(`${server.url}/articles/${GT}/annotations.jsonld`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    const doc = (await res.json()) as Json;
    expect(doc.type).toBe('AnnotationCollection');
    expect(doc.total).toBeGreaterThanOrEqual(2);
    const item = doc.first.items[0];
    expect(item.type).toBe('Annotation');
    const types = item.target.selector.map((s: Json) => s.type);
    expect(types).toEqual(['TextQuoteSelector', 'TextPositionSelector']);
    expect(item.target.selector[0].exact).toBe((await server.ws.articles.store.bySlug(GT))!.text.slice(item.target.selector[1].start, item.target.selector[1].end));

    const corpus = (await (await fetch(`${server.url}/annotations.jsonld`)).json()) as Json;
    expect(corpus.total).toBeGreaterThanOrEqual(doc.total);
  });

  it('TSV has the header and a row per annotation', async () => {
    const rows = await server.ws.annotations.store.forArticle(await articleId(GT));
    const res = await fetch(`${server.url}/articles/${GT}/annotations.tsv`);
    expect(res.headers.get('content-type')).toContain('text/tab-separated-values');
    const lines = (await res.text()).replace(/\n$/, '').split('\n');
    expect(lines[0]).toBe('article\tparagraph\treviewer\tcategory\tseverity\tstart\tend\tspan\tcorrection\tcomment');
    expect(lines.length).toBe(rows.length + 1);
    for (const l of lines.slice(1)) expect(l.split('\t'), l).toHaveLength(10);
    expect(lines.slice(1).every((l) => l.startsWith(`${GT}\t`))).toBe(true);
    const corpus = (await (await fetch(`${server.url}/annotations.tsv`)).text()).trimEnd().split('\n');
    expect(corpus.length).toBeGreaterThanOrEqual(lines.length);
  });
});

describe('re-anchoring on a new revision', () => {
  it('moves an annotation whose quote moved, orphans one whose quote vanished, and shows the badge', async () => {
    const moved = await postJson('/articles/reanchor/annotations', { start: REANCHOR_V1.indexOf('gamma'), end: REANCHOR_V1.indexOf('gamma') + 5, category: 'style', severity: 'minor' }, 'Gil');
    const lost = await postJson('/articles/reanchor/annotations', { quote: 'epsilon zeta', category: 'fluency/spelling', severity: 'major' }, 'Gil');
    expect(moved.status).toBe(201);
    expect(lost.status).toBe(201);

    const summary = await server.ws.articles.importMany([{ slug: 'reanchor', text: REANCHOR_V2, title: 'Re-anchoring' }]);
    expect(summary.revised).toBe(1);

    const m = (await server.ws.annotations.store.byId(moved.body.annotation.id))!;
    expect(m).toMatchObject({ status: 'anchored', start: REANCHOR_V2.indexOf('gamma'), end: REANCHOR_V2.indexOf('gamma') + 5, revision: 2 });
    const l = (await server.ws.annotations.store.byId(lost.body.annotation.id))!;
    expect(l.status).toBe('orphaned');
    expect(l.orphan_reason).toBe('the quoted text "epsilon zeta" is no longer in the article');

    const html = await page('reanchor');
    expect(html).toContain(`<mark class="a asev-minor" data-start="${m.start}" data-end="${m.end}" data-annotation="${m.id}"`);
    expect(html).toMatch(new RegExp(`id="annotation-${l.id}" class="anno asev-major orphaned"`));
    expect(html).toContain('<span class="badge orphan-badge">Orphaned</span>');
    expect(html).toContain('Not in the current text: the quoted text &#34;epsilon zeta&#34; is no longer in the article.');
    expect(html).not.toMatch(new RegExp(`<mark[^>]*data-annotation="${l.id}"`));
  });
});
