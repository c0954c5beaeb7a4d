// Annotations and decisions on findings through the routes, on a fresh temporary database: create,
// edit and delete (own annotations only), validation in plain words, accepting and dismissing
// findings (here, and always: a glossary exception, editors only), the exports, and re-anchoring on
// a revision. Every write is recorded under the signed-in user (rita the reviewer, eddie the
// editor, ada the admin) and needs the session's CSRF token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, USERS, type Client, type TestRole, type TestServer } from './support/browser.ts';

const GT = '001_00dde55bb2c9393b';
const REANCHOR_V1 = 'Alpha beta gamma. The talks resumed.\nDelta epsilon zeta and more.\n';
const REANCHOR_V2 = 'A new first line was added.\nAlpha beta gamma. The talks resumed.\nDelta and more.\n';

let server: TestServer;
const as: Partial<Record<TestRole, Client>> = {};

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.articles.importMany([{ slug: 'reanchor', text: REANCHOR_V1, title: 'Re-anchoring' }]);
  });
  for (const role of ['reviewer', 'editor', 'admin'] as const) as[role] = await server.as(role);
});

afterAll(async () => {
  await server?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const client = (role: TestRole): Client => as[role]!;
const RITA = USERS.reviewer.username;
const EDDIE = USERS.editor.username;
const ADA = USERS.admin.username;

/** A JSON post as `role` (with its session cookie and CSRF header). */
async function postJson(path: string, body: Json, role: TestRole = 'reviewer'): Promise<{ status: number; body: Json }> {
  const res = await client(role).postJson(path, body);
  return { status: res.status, body: (await res.json()) as Json };
}

/** A form post as `role` (with its session cookie and the _csrf field); redirects not followed. */
async function postForm(path: string, fields: Record<string, string>, role: TestRole = 'reviewer'): Promise<Response> {
  return client(role).postForm(path, fields);
}

async function page(slug: string, role: TestRole = 'reviewer'): Promise<string> {
  const res = await client(role).get(`/articles/${slug}`);
  expect(res.status).toBe(200);
  return res.text();
}

async function getAs(path: string, role: TestRole = 'reviewer'): Promise<Response> {
  return client(role).get(path);
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
  it('creates one from offsets (JSON) under the signed-in user, lets its author edit it, refuses another user (403), then deletes it', async () => {
    const text = (await server.ws.articles.store.bySlug(GT))!.text;
    const start = text.indexOf('historic large-scale');
    const created = await postJson(`/articles/${GT}/annotations`, { start, end: start + 8, category: 'style', severity: 'minor', comment: 'Puffery' }, 'reviewer');
    expect(created.status).toBe(201);
    const a = created.body.annotation;
    expect(a).toMatchObject({ reviewer: RITA, category: 'style', severity: 'minor', exact: 'historic', start, end: start + 8, status: 'anchored', comment: 'Puffery' });
    expect(created.body.url).toBe(`/articles/${GT}#annotation-${a.id}`);

    const edited = await postJson(`/articles/${GT}/annotations/${a.id}/edit`, { category: 'fluency/grammar', severity: 'major', correction: 'landmark', comment: '' }, 'reviewer');
    expect(edited.status).toBe(200);
    expect(edited.body.annotation).toMatchObject({ category: 'fluency/grammar', severity: 'major', correction: 'landmark', comment: null });

    // Another user (even an editor) may not edit or delete it.
    const other = await postJson(`/articles/${GT}/annotations/${a.id}/edit`, { category: 'style', severity: 'minor' }, 'editor');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(`Only ${RITA}, who wrote annotation #${a.id}, may edit it. You are signed in as ${EDDIE}.`);
    const otherDelete = await postForm(`/articles/${GT}/annotations/${a.id}/delete`, {}, 'editor');
    expect(otherDelete.status).toBe(403);
    expect(await otherDelete.text()).toContain(`Only ${RITA}`);

    const html = await page(GT, 'reviewer');
    expect(html).toContain(`id="annotation-${a.id}"`);
    expect(html).toContain(`data-annotation="${a.id}"`);
    expect(html).toContain(`/annotations/${a.id}/delete`);
    expect(html).toContain(`Annotation #${a.id} by ${RITA}`);
    expect(await page(GT, 'editor')).not.toContain(`/annotations/${a.id}/delete`);

    const del = await postForm(`/articles/${GT}/annotations/${a.id}/delete`, {}, 'reviewer');
    expect(del.status).toBe(303);
    expect(del.headers.get('location')).toBe(`/articles/${GT}#review`);
    expect(await page(GT, 'reviewer')).not.toContain(`id="annotation-${a.id}"`);
  });

  it('without JavaScript: the form takes a quote, asks which occurrence when it is ambiguous, and redirects to the annotation', async () => {
    // A "reviewer" field in the body is ignored: the author is always the signed-in user.
    const ambiguous = await postForm(`/articles/${GT}/annotations`, { quote: 'Dunbas', category: 'locale-convention/names', severity: 'major', correction: 'Donbas', reviewer: 'Cleo' }, 'admin');
    expect(ambiguous.status).toBe(422);
    const again = await ambiguous.text();
    expect(again).toMatch(/The quoted text &#34;Dunbas&#34; occurs \d+ times\. Say which one with the occurrence number/);
    expect(again).toContain('role="alert"');
    expect(again).toContain('>Dunbas</textarea>'); // the form comes back as sent
    expect(again).not.toContain('name="reviewer"'); // no "Your name" field any more
    expect(ambiguous.headers.get('set-cookie') ?? '').not.toContain('copydesk_reviewer');

    const res = await postForm(`/articles/${GT}/annotations`, { quote: 'Dunbas', occurrence: '2', category: 'locale-convention/names', severity: 'major', correction: 'Donbas', reviewer: 'Cleo' }, 'admin');
    expect(res.status).toBe(303);
    const m = /#annotation-(\d+)$/.exec(res.headers.get('location') ?? '');
    expect(m).not.toBeNull();
    const text = (await server.ws.articles.store.bySlug(GT))!.text;
    const first = text.indexOf('Dunbas');
    const second = text.indexOf('Dunbas', first + 1);
    const row = await server.ws.annotations.store.byId(Number(m![1]));
    expect(row).toMatchObject({ start: second, end: second + 6, exact: 'Dunbas', reviewer: ADA, correction: 'Donbas' });

    const missing = await postForm(`/articles/${GT}/annotations`, { quote: 'not in the text at all', category: 'style', severity: 'minor' }, 'admin');
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('is not in the article');
  });

  it('refuses a bad category, a bad severity, a span outside the text and a long comment, in plain words (422)', async () => {
    const bad = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'vibes', severity: 'minor' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^"vibes" is not an error category\. Pick one of: Accuracy — mistranslation; .*Source-site residue\.$/);

    const sev = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'style', severity: 'huge' });
    expect(sev.status).toBe(422);
    expect(sev.body.error.message).toBe('"huge" is not a severity. Pick one of: minor, major, critical.');

    const len = (await server.ws.articles.store.bySlug(GT))!.text.length;
    const outside = await postJson(`/articles/${GT}/annotations`, { start: len - 2, end: len + 10, category: 'style', severity: 'minor' });
    expect(outside.status).toBe(422);
    expect(outside.body.error.message).toBe(`The span ${len - 2}–${len + 10} is outside the text, which is ${len} characters long.`);

    const empty = await postJson(`/articles/${GT}/annotations`, { start: 10, end: 10, category: 'style', severity: 'minor' });
    expect(empty.status).toBe(422);

    const long = await postJson(`/articles/${GT}/annotations`, { start: 1, end: 5, category: 'style', severity: 'minor', comment: 'x'.repeat(5001) });
    expect(long.status).toBe(422);
    expect(long.body.error.message).toBe('The comment is 5,001 characters long; it can be at most 5,000.');
  });

  it('refuses a write from nobody (401) and the "Your name" cookie is no way in', async () => {
    const before = (await server.ws.annotations.store.forArticle(await articleId(GT))).length;
    const anonymous = await fetch(`${server.url}/articles/${GT}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie: 'copydesk_reviewer=Ann' },
      body: JSON.stringify({ start: 1, end: 5, category: 'style', severity: 'minor', reviewer: 'Ann' }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Json).error.code).toBe('SIGN_IN_REQUIRED');
    // A page asks for the sign-in, and comes back here afterwards.
    const html = await fetch(`${server.url}/articles/${GT}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(html.status).toBe(303);
    expect(html.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/articles/${GT}`)}`);
    expect((await server.ws.annotations.store.forArticle(await articleId(GT))).length).toBe(before);
  });

  it('answers 404 for an unknown article or annotation, and 403 (CSRF) to a form sent from another site', async () => {
    const unknown = await postJson('/articles/no-such-article/annotations', { start: 0, end: 1, category: 'style', severity: 'minor' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('There is no article "no-such-article"');
    expect((await getAs('/articles/no-such-article/annotations.tsv')).status).toBe(404);
    const gone = await postJson(`/articles/${GT}/annotations/999999/edit`, { category: 'style', severity: 'minor' });
    expect(gone.status).toBe(404);

    const before = (await server.ws.annotations.store.forArticle(await articleId(GT))).length;
    // Another site can make the browser send the session cookie, but it cannot know the CSRF token.
    const cross = await client('reviewer').fetch(`/articles/${GT}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', accept: 'application/json' },
      body: 'quote=Zelenski&category=style&severity=minor',
    });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as Json).error.code).toBe('CSRF');
    // A wrong token is refused the same way, as an HTML page for a form.
    const wrong = await postForm(`/articles/${GT}/annotations`, { quote: 'Zelenski', category: 'style', severity: 'minor', _csrf: 'not-the-token-of-this-session' });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('was not sent from copydesk');
    // JSON without the X-CSRF-Token header too.
    const noHeader = await client('reviewer').fetch(`/articles/${GT}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ quote: 'Zelenski', category: 'style', severity: 'minor' }),
    });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as Json).error.code).toBe('CSRF');
    // Another user's token does not fit this session.
    const otherToken = await postForm(`/articles/${GT}/annotations`, { quote: 'Zelenski', category: 'style', severity: 'minor', _csrf: client('editor').csrf });
    expect(otherToken.status).toBe(403);
    expect((await server.ws.annotations.store.forArticle(await articleId(GT))).length).toBe(before);
  });
});

describe('acting on findings', () => {
  it('accepting a finding makes an annotation with the mapped category, severity and correction', async () => {
    const f = await glossaryFinding(GT, 'Zelenskis');
    const res = await postForm(`/articles/${GT}/findings/accept`, { detector: f.detector, start: String(f.start), end: String(f.end), text: f.text });
    expect(res.status).toBe(303);
    const id = Number(/#annotation-(\d+)$/.exec(res.headers.get('location') ?? '')![1]);
    const row = await server.ws.annotations.store.byId(id);
    expect(row).toMatchObject({ start: f.start, end: f.end, exact: f.text, reviewer: RITA, correction: f.suggestion, status: 'anchored' });
    expect(row!.category).toBe(f.kind === 'russian-form' || f.kind === 'transliteration' ? 'locale-convention/names' : row!.category);
    expect(row!.severity).toBe(f.severity === 'error' ? 'major' : 'minor');
    // Accepting again gives the same annotation.
    const again = await postJson(`/articles/${GT}/findings/accept`, { detector: f.detector, start: f.start, end: f.end, text: f.text });
    expect(again.body.annotation.id).toBe(id);
    const html = await page(GT, 'editor');
    expect(html).toContain(`Accepted by ${RITA} as <a href="#annotation-${id}">annotation #${id}</a>`);

    const stale = await postJson(`/articles/${GT}/findings/accept`, { detector: 'glossary', start: f.start, end: f.end, text: 'something else' });
    expect(stale.status).toBe(404);
    expect(stale.body.error.message).toContain('Reload the page');
  });

  it('dismissing here records the decision, shown with its reason; a reason is required', async () => {
    const f = await glossaryFinding(GT, 'Dunbas');
    const ref = { detector: f.detector, start: String(f.start), end: String(f.end), text: f.text };
    const noReason = await postForm(`/articles/${GT}/findings/dismiss`, { ...ref, reason: '  ', scope: 'here' });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Say why you dismiss this finding');

    const res = await postForm(`/articles/${GT}/findings/dismiss`, { ...ref, reason: 'Spelled so in the quoted headline', scope: 'here' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/articles/${GT}#finding-glossary-${f.start}-${f.end}`);
    const html = await page(GT, 'admin');
    expect(html).toMatch(new RegExp(`id="finding-glossary-${f.start}-${f.end}" class="finding sev-\\w+ decided decided-dismissed"`));
    expect(html).toContain(`Dismissed here by ${RITA}: <span class="reason">Spelled so in the quoted headline</span>`);
    // The finding is still there (here only), its mark greyed.
    expect((await server.ws.articles.store.findings(await articleId(GT))).some((x) => x.start === f.start && x.text === 'Dunbas')).toBe(true);
    expect(html).toMatch(new RegExp(`<mark class="f k-\\S+ sev-\\w+ decided decided-dismissed" data-start="${f.start}"`));
  });

  it('only an editor may dismiss always: a reviewer is refused (403) and is not offered it; nothing changes', async () => {
    const f = await glossaryFinding(GT, 'Zelenski');
    const before = await server.ws.glossary.show(f.concept!);
    const refused = await postJson(`/articles/${GT}/findings/dismiss`, { detector: f.detector, start: f.start, end: f.end, text: f.text, reason: 'Spelling of the source', scope: 'always' }, 'reviewer');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(refused.body.error.message).toContain(`you are signed in as ${RITA} (reviewer)`);
    // The same as a form (no JavaScript).
    const form = await postForm(`/articles/${GT}/findings/dismiss`, { detector: f.detector, start: String(f.start), end: String(f.end), text: f.text, reason: 'Spelling of the source', scope: 'always' }, 'reviewer');
    expect(form.status).toBe(403);
    const after = await server.ws.glossary.show(f.concept!);
    expect(after.history.length).toBe(before.history.length);
    expect(after.concept.variants.find((v) => v.text === 'Zelenski')?.exceptions).toEqual(before.concept.variants.find((v) => v.text === 'Zelenski')?.exceptions);
    expect((await server.ws.articles.store.findings(await articleId(GT))).some((x) => x.start === f.start && x.text === 'Zelenski')).toBe(true);
    // The article page offers "Always in this context" to editors and admins only.
    const always = 'name="scope" value="always"';
    expect(await page(GT, 'reviewer')).not.toContain(always);
    expect(await page(GT, 'editor')).toContain(always);
    expect(await page(GT, 'admin')).toContain(always);
    expect(await page(GT, 'reviewer')).toContain('data-role="reviewer"');
    expect(await page(GT, 'editor')).toContain('data-role="editor"');
  });

  it('an editor dismissing always adds the context as a glossary exception: after the rescan the finding is gone, others stay', async () => {
    const f = await glossaryFinding(GT, 'Zelenski');
    const before = (await server.ws.articles.store.findings(await articleId(GT))).filter((x) => x.text === 'Zelenski').length;
    const r = await postJson(`/articles/${GT}/findings/dismiss`, { detector: f.detector, start: f.start, end: f.end, text: f.text, reason: 'Spelling of the source', scope: 'always' }, 'editor');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ scope: 'always', concept: f.concept });
    expect(r.body.exception).toContain('Zelenski');
    expect(r.body.exception.split(' ').length).toBeGreaterThanOrEqual(3);

    const detail = await server.ws.glossary.show(f.concept!);
    const variant = detail.concept.variants.find((v) => v.text === 'Zelenski');
    expect(variant?.exceptions).toContain(r.body.exception);
    expect(detail.history.at(-1)).toMatchObject({ action: 'update', author: EDDIE });

    const after = await server.ws.articles.store.findings(await articleId(GT));
    expect(after.some((x) => x.start === f.start && x.text === 'Zelenski')).toBe(false);
    expect(after.filter((x) => x.text === 'Zelenski').length).toBe(before - 1);

    const notGlossary = (await server.ws.articles.store.findings(await articleId(GT))).find((x) => x.detector !== 'glossary');
    if (notGlossary) {
      const refused = await postJson(`/articles/${GT}/findings/dismiss`, { ...notGlossary, reason: 'x', scope: 'always' }, 'editor');
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('Only glossary findings can be dismissed everywhere');
    }
  });
});

describe('exports', () => {
  it('JSON-LD per article and for the corpus, with a TextQuoteSelector and a TextPositionSelector', async () => {
    const res = await getAs(`/articles/${GT}/annotations.jsonld`);
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

    const corpus = (await (await getAs('/annotations.jsonld')).json()) as Json;
    expect(corpus.total).toBeGreaterThanOrEqual(doc.total);
  });

  it('TSV has the header and a row per annotation', async () => {
    const rows = await server.ws.annotations.store.forArticle(await articleId(GT));
    const res = await getAs(`/articles/${GT}/annotations.tsv`);
    expect(res.headers.get('content-type')).toContain('text/tab-separated-values');
    const lines = (await res.text()).replace(/\n$/, '').split('\n');
    expect(lines[0]).toBe('article\tparagraph\treviewer\tcategory\tseverity\tstart\tend\tspan\tcorrection\tcomment');
    expect(lines.length).toBe(rows.length + 1);
    for (const l of lines.slice(1)) expect(l.split('\t'), l).toHaveLength(10);
    expect(lines.slice(1).every((l) => l.startsWith(`${GT}\t`))).toBe(true);
    expect(lines.slice(1).some((l) => l.split('\t')[2] === RITA)).toBe(true);
    const corpus = (await (await getAs('/annotations.tsv')).text()).trimEnd().split('\n');
    expect(corpus.length).toBeGreaterThanOrEqual(lines.length);
  });

  it('needs a signed-in user too', async () => {
    const res = await fetch(`${server.url}/annotations.tsv`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fannotations.tsv');
    expect(await res.text()).not.toContain('article\tparagraph\treviewer');
    const tool = await fetch(`${server.url}/articles/${GT}/annotations.jsonld`, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(tool.status).toBe(401);
    expect(((await tool.json()) as Json).error.code).toBe('SIGN_IN_REQUIRED');
  });
});

describe('re-anchoring on a new revision', () => {
  it('moves an annotation whose quote moved, orphans one whose quote vanished, and shows the badge', async () => {
    const moved = await postJson('/articles/reanchor/annotations', { start: REANCHOR_V1.indexOf('gamma'), end: REANCHOR_V1.indexOf('gamma') + 5, category: 'style', severity: 'minor' }, 'admin');
    const lost = await postJson('/articles/reanchor/annotations', { quote: 'epsilon zeta', category: 'fluency/spelling', severity: 'major' }, 'admin');
    expect(moved.status).toBe(201);
    expect(lost.status).toBe(201);

    const summary = await server.ws.articles.importMany([{ slug: 'reanchor', text: REANCHOR_V2, title: 'Re-anchoring' }]);
    expect(summary.revised).toBe(1);

    const m = (await server.ws.annotations.store.byId(moved.body.annotation.id))!;
    expect(m).toMatchObject({ status: 'anchored', start: REANCHOR_V2.indexOf('gamma'), end: REANCHOR_V2.indexOf('gamma') + 5, revision: 2, reviewer: ADA });
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
