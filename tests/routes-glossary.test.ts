// The glossary pages over HTTP, against the real app on a fresh seeded database: the list, export in
// every format, a concept page, decisions and edits (stale versions, forbidden transitions, editors
// only) and the "propose glossary entry" form (anyone signed in). Every change is recorded under the
// signed-in user: rita the reviewer, eddie the editor, ada the admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOSSARY_FORMATS } from '../server/core/glossary/formats/index.ts';
import { startServer, USERS, type Client, type TestRole, type TestServer } from './support/browser.ts';

const SLUG = '001_00dde55bb2c9393b';
const RITA = USERS.reviewer.username;
const EDDIE = USERS.editor.username;
const ADA = USERS.admin.username;
let server: TestServer;
const as: Partial<Record<TestRole, Client>> = {};

beforeAll(async () => {
  server = await startServer();
  for (const role of ['reviewer', 'editor', 'admin'] as const) as[role] = await server.as(role);
});
afterAll(async () => {
  await server?.close();
});

/** A page as `role` (a reviewer unless said). */
async function get(path: string, headers: Record<string, string> = {}, role: TestRole = 'reviewer') {
  const res = await as[role]!.get(path, { headers });
  return { res, body: await res.text() };
}

/** A form post as `role` (an editor unless said), with the session's CSRF token. */
async function post(path: string, fields: Record<string, string>, role: TestRole = 'editor', headers: Record<string, string> = {}) {
  const res = await as[role]!.postForm(path, fields, { headers });
  return { res, body: await res.text() };
}

/** The concept version a page's forms carry. */
function formVersion(html: string): number {
  const m = /name="version" value="(\d+)"/.exec(html);
  if (!m) throw new Error('no version field on the page');
  return Number(m[1]);
}

/** Text content, roughly: tags dropped, the entities EJS writes decoded. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function offsetOf(slug: string, needle: string): Promise<number> {
  const a = await server.ws.articles.store.bySlug(slug);
  const i = a!.text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe('pages', () => {
  it('every glossary page answers 200 with HTML', async () => {
    const start = await offsetOf(SLUG, 'Kremlin Press Bureau');
    const paths = [
      '/glossary',
      '/glossary?q=kyiv',
      '/glossary?status=approved&type=place',
      '/glossary?status=proposed',
      '/glossary?page=2',
      '/glossary/kyiv',
      '/glossary/propose',
      '/glossary/propose?concept=kyiv',
      `/glossary/propose?article=${SLUG}&start=${start}&end=${start + 20}&text=Kremlin%20Press%20Bureau`,
    ];
    for (const p of paths) {
      const { res, body } = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type'), p).toMatch(/^text\/html/);
      expect(body, p).toContain('href="/static/glossary.css"');
      expect(body, p).toContain('<a href="/glossary"');
    }
  });

  it('lists concepts with counts per status, searches and filters, 50 a page', async () => {
    const all = await get('/glossary');
    const counts = await server.ws.glossary.list();
    expect(text(all.body)).toContain(`All ${counts.length}`);
    expect(text(all.body)).toContain(`Approved ${counts.filter((c) => c.status === 'approved').length}`);
    expect(all.body.match(/<tr class="row-/g)?.length).toBe(50);
    expect(text(all.body)).toMatch(/Page 1 of \d+/);
    const search = await get('/glossary?q=Kiev');
    expect(search.body).toContain('href="/glossary/kyiv"');
    const people = await get('/glossary?type=person&q=Kiev');
    expect(people.body).not.toContain('href="/glossary/kyiv"');
    const none = await get('/glossary?q=zzzz-nothing');
    expect(text(none.body)).toContain('Nothing in the glossary matches “zzzz-nothing”');
  });

  it('links an export for every format', async () => {
    const { body } = await get('/glossary');
    for (const f of GLOSSARY_FORMATS) expect(body).toContain(`href="/glossary/export.${f.extension}?format=${f.id}"`);
  });

  it('shows a concept: canonical, variants, history and occurrences across articles', async () => {
    const { body } = await get('/glossary/kyiv');
    const t = text(body);
    expect(t).toContain('Kyiv');
    expect(t).toContain('Kiev');
    expect(t).toMatch(/starter glossary loaded from the starter glossary/);
    expect(body).toContain(`href="/articles/${SLUG}"`);
    expect(formVersion(body)).toBe(1);
  });

  it('answers an unknown concept with 404 and a useful sentence', async () => {
    const { res, body } = await get('/glossary/no-such-concept');
    expect(res.status).toBe(404);
    expect(text(body)).toContain('There is no concept “no-such-concept” in the glossary');
    expect(text(body)).toContain('search the glossary');
  });
});

describe('export', () => {
  it.each(GLOSSARY_FORMATS.map((f) => [f.id, f]))('%s downloads with its media type and file name', async (_id, f) => {
    for (const path of [`/glossary/export?format=${f.id}`, `/glossary/export.${f.extension}?format=${f.id}`]) {
      const { res, body } = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(f.mediaType);
      expect(res.headers.get('content-disposition'), path).toBe(`attachment; filename="copydesk-glossary.${f.extension}"`);
      expect(body.length, path).toBeGreaterThan(100);
    }
  });

  it('names the glossary content: the CSV has the Kyiv row', async () => {
    const { body } = await get('/glossary/export.csv?format=csv');
    expect(body).toMatch(/kyiv,.*Kiev/);
  });

  it('refuses an unknown format with 400 and a plain sentence', async () => {
    const { res, body } = await get('/glossary/export?format=docx');
    expect(res.status).toBe(400);
    expect(text(body)).toContain('There is no export format “docx”. Choose one of csv, json, tbx, tbx2, prh, vale.');
    const json = await get('/glossary/export?format=docx', { accept: 'application/json' });
    expect(JSON.parse(json.body)).toEqual({ error: { code: 'UNKNOWN_FORMAT', message: expect.stringContaining('docx') } });
    const none = await get('/glossary/export');
    expect(none.res.status).toBe(400);
  });
});

describe('decisions and edits', () => {
  it('refuses a decision made on a stale version with 409, explains and keeps what was sent', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Stale Test Agency', type: 'organization' } }, { text: 'Stale Test Bureau', kind: 'literal-translation' }, 'Alice');
    const page = await get(`/glossary/${r.conceptId}`, {}, 'editor');
    const opened = formVersion(page.body);
    await g.update(r.conceptId, { notes: 'Checked against the agency site.' }, 'Bob', opened);

    const res = await post(`/glossary/${r.conceptId}/decide`, { action: 'approve', variant: 'Stale Test Bureau', version: String(opened) });
    expect(res.res.status).toBe(409);
    const t = text(res.body);
    expect(t).toContain('Someone else changed this entry since you opened it: Bob edited the concept at');
    expect(t).toContain('Your change was not saved; here it is so you can re-apply it:');
    expect(t).toMatch(/Decision approve/);
    expect(t).toMatch(/Variant Stale Test Bureau/);
    expect(t).not.toContain('Your name'); // the author is the signed-in user, not a field
    expect(t).toContain(`you opened version ${opened}; it is now version ${opened + 1}`);
    // A ready form re-applies the decision against the current version, with this session's CSRF token.
    expect(res.body).toMatch(new RegExp(`class="reapply"><input type="hidden" name="_csrf" value="${as.editor!.csrf}">[^]*name="version" value="${opened + 1}"`));
    const after = await g.show(r.conceptId);
    expect(after.concept.variants[0]!.status).toBe('proposed');
  });

  it('refuses a stale edit with 409 and puts the submitted values back into the form', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Edit Race Ministry', type: 'organization' } }, null, 'Alice');
    await g.update(r.conceptId, { canonical: 'Edit Race Ministry of Things' }, 'Bob', 1);
    const res = await post(`/glossary/${r.conceptId}/edit`, { canonical: 'My Edit Race Ministry', type: 'organization', notes: 'my note', version: '1' });
    expect(res.res.status).toBe(409);
    const t = text(res.body);
    expect(t).toContain('Someone else changed this entry since you opened it: Bob edited the concept');
    expect(t).toContain('Canonical form My Edit Race Ministry');
    expect(res.body).toContain('name="canonical" value="My Edit Race Ministry"');
    expect(res.body).toContain('my note</textarea>');
    expect((await g.show(r.conceptId)).concept.canonical).toBe('Edit Race Ministry of Things');
  });

  it('refuses a transition the rules forbid with 422 and the reason', async () => {
    const page = await get('/glossary/kyiv', {}, 'editor');
    const res = await post('/glossary/kyiv/decide', { action: 'approve', version: String(formVersion(page.body)) });
    expect(res.res.status).toBe(422);
    expect(text(res.body)).toContain('Concept "kyiv" is approved; it cannot become approved.');
  });

  it('requires an action and the version the form was opened with (422, plain words)', async () => {
    const bad = await post('/glossary/kyiv/decide', { action: 'delete', version: '1' });
    expect(bad.res.status).toBe(422);
    expect(text(bad.body)).toContain('Choose approve, reject or deprecate.');
    const noVersion = await post('/glossary/kyiv/decide', { action: 'deprecate' });
    expect(noVersion.res.status).toBe(422);
    expect(text(noVersion.body)).toContain('The form did not say which version of the entry it was opened with');
    expect(text(noVersion.body)).not.toContain('Your name');
    expect((await server.ws.glossary.show('kyiv')).concept.status).toBe('approved');
  });

  it('approves a variant (named by the row button in the query) and redirects with ?done; the signed-in editor is the author', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Row Button Council', type: 'organization' } }, { text: 'Row Button Soviet', kind: 'literal-translation' }, 'Alice');
    // A "reviewer" field in the body is ignored.
    const res = await post(`/glossary/${r.conceptId}/decide?variant=${encodeURIComponent('Row Button Soviet')}`, { action: 'reject', version: '1', reviewer: 'Dana' });
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe(`/glossary/${r.conceptId}?done=rejected`);
    expect(res.res.headers.get('set-cookie') ?? '').not.toContain('copydesk_reviewer');
    const page = await get(res.res.headers.get('location')!);
    expect(text(page.body)).toContain('Rejected.');
    expect(text(page.body)).toMatch(new RegExp(`${EDDIE} rejected variant “Row Button Soviet” status ?: proposed → rejected`));
    expect(text(page.body)).not.toMatch(/Dana rejected/);
    expect((await g.show(r.conceptId)).history.at(-1)).toMatchObject({ author: EDDIE });
  });

  it('saves an edit and reports an unchanged one', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Edit Ok Office', type: 'organization' } }, null, 'Alice');
    const ok = await post(`/glossary/${r.conceptId}/edit`, { canonical: 'Edit OK Office', type: 'organization', notes: 'Line one\r\nline two', version: '1' });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe(`/glossary/${r.conceptId}?done=edited`);
    const shown = await g.show(r.conceptId);
    expect(shown.concept.canonical).toBe('Edit OK Office');
    expect(shown.concept.notes).toBe('Line one\nline two');
    expect(shown.history.at(-1)).toMatchObject({ action: 'update', author: EDDIE });
    // An admin may edit too.
    const same = await post(`/glossary/${r.conceptId}/edit`, { canonical: 'Edit OK Office', type: 'organization', notes: 'Line one\nline two', version: '2' }, 'admin');
    expect(same.res.headers.get('location')).toBe(`/glossary/${r.conceptId}?done=unchanged`);
    const empty = await post(`/glossary/${r.conceptId}/edit`, { canonical: ' ', type: 'organization', notes: '', version: '2' });
    expect(empty.res.status).toBe(422);
    expect(text(empty.body)).toContain('Write the canonical form');
  });

  it('refuses a form posted from another site: no CSRF token, 403 CSRF, nothing changed', async () => {
    const cookie = { cookie: as.editor!.cookie, origin: 'https://evil.example' };
    const form = await fetch(`${server.url}/glossary/kyiv/decide`, { method: 'POST', body: new URLSearchParams({ action: 'deprecate', version: '1' }), redirect: 'manual', headers: cookie });
    expect(form.status).toBe(403);
    expect(text(await form.text())).toContain('was not sent from copydesk');
    const json = await fetch(`${server.url}/glossary/kyiv/decide`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'deprecate', version: '1', _csrf: 'guessed' }),
      redirect: 'manual',
      headers: { ...cookie, accept: 'application/json' },
    });
    expect(json.status).toBe(403);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    expect((await server.ws.glossary.show('kyiv')).concept.status).toBe('approved');
  });
});

describe('roles', () => {
  it('a reviewer cannot approve, reject, deprecate or edit (403), and nothing changes', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Role Test Bureau', type: 'organization' } }, { text: 'Role Test Office', kind: 'literal-translation' }, 'Alice');
    const approve = await post(`/glossary/${r.conceptId}/decide`, { action: 'approve', version: '1' }, 'reviewer');
    expect(approve.res.status).toBe(403);
    expect(text(approve.body)).toContain(`This needs the editor role; you are signed in as ${RITA} (reviewer)`);
    const json = await as.reviewer!.postForm(`/glossary/${r.conceptId}/decide?variant=Role%20Test%20Office`, { action: 'reject', version: '1' }, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(403);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const edit = await post(`/glossary/${r.conceptId}/edit`, { canonical: 'Renamed by a reviewer', type: 'organization', notes: '', version: '1' }, 'reviewer');
    expect(edit.res.status).toBe(403);
    const deprecate = await post('/glossary/kyiv/decide', { action: 'deprecate', version: '1' }, 'reviewer');
    expect(deprecate.res.status).toBe(403);
    const after = await g.show(r.conceptId);
    expect(after.concept).toMatchObject({ canonical: 'Role Test Bureau', status: 'proposed' });
    expect(after.concept.variants[0]!.status).toBe('proposed');
    expect(after.history).toHaveLength(1);
    expect((await g.show('kyiv')).concept.status).toBe('approved');
  });

  it('shows a reviewer no decision buttons and no edit form, only the proposal link; an editor gets both', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Role Page Agency', type: 'organization' } }, { text: 'Role Page Bureau', kind: 'literal-translation' }, 'Alice');
    const reviewer = await get(`/glossary/${r.conceptId}`, {}, 'reviewer');
    expect(reviewer.res.status).toBe(200);
    expect(reviewer.body).not.toMatch(/<button[^>]*name="action"/);
    expect(reviewer.body).not.toContain(`action="/glossary/${r.conceptId}/edit"`);
    expect(text(reviewer.body)).toContain('Editors approve, reject and edit glossary entries.');
    expect(reviewer.body).toContain(`href="/glossary/propose?concept=${r.conceptId}"`);
    const editor = await get(`/glossary/${r.conceptId}`, {}, 'editor');
    expect(editor.body).toMatch(/<button class="btn approve" name="action" value="approve">Approve concept and its 1 proposed variant<\/button>/);
    expect(editor.body).toContain(`action="/glossary/${r.conceptId}/edit"`);
    expect(editor.body).toContain(`aria-label="Reject variant Role Page Bureau"`);
  });

  it('an admin can approve too, and is recorded as the author', async () => {
    const g = server.ws.glossary;
    const r = await g.propose({ concept: { canonical: 'Role Admin Agency', type: 'organization' } }, { text: 'Role Admin Bureau', kind: 'literal-translation' }, 'Alice');
    const res = await post(`/glossary/${r.conceptId}/decide`, { action: 'approve', version: '1' }, 'admin');
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe(`/glossary/${r.conceptId}?done=approved`);
    const after = await g.show(r.conceptId);
    expect(after.concept.status).toBe('approved');
    expect(after.concept.variants[0]!.status).toBe('approved');
    expect(after.history.at(-1)).toMatchObject({ author: ADA });
  });

  it('needs a signed-in user: pages redirect to the sign-in, posts are refused', async () => {
    const page = await fetch(`${server.url}/glossary/kyiv`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fglossary%2Fkyiv');
    const anon = await fetch(`${server.url}/glossary/propose`, { method: 'POST', body: new URLSearchParams({ target: 'existing', concept: 'kyiv', text: 'Kyiiv', kind: 'misspelling' }), redirect: 'manual', headers: { accept: 'application/json' } });
    expect(anon.status).toBe(401);
    expect((await server.ws.glossary.show('kyiv')).concept.variants.some((v) => v.text === 'Kyiiv')).toBe(false);
  });
});

describe('propose glossary entry', () => {
  it('prefills the form from the article span; the author is the signed-in user, not a field', async () => {
    const start = await offsetOf(SLUG, 'Kremlin Press Bureau');
    const { body } = await get(`/glossary/propose?article=${SLUG}&start=${start}&end=${start + 20}&text=Kremlin%20Press%20Bureau`, {
      cookie: `${as.reviewer!.cookie}; copydesk_reviewer=${encodeURIComponent('Dana Ortiz')}`,
    });
    expect(body).toContain('name="text" value="Kremlin Press Bureau"');
    expect(body).toContain(`name="start" value="${start}"`);
    expect(body).toContain('<mark>Kremlin Press Bureau</mark>');
    expect(body).not.toContain('name="reviewer"');
    expect(body).not.toContain('Dana Ortiz');
    expect(body).toContain(`title="Your account and API tokens">${RITA}</a>`);
    expect(body).toMatch(/id="target-new" checked/);
    expect(body).toMatch(new RegExp(`<form method="post" action="/glossary/propose" class="propose card"><input type="hidden" name="_csrf" value="${as.reviewer!.csrf}">`));
  });

  it('prefills from a finding: its suggestion as canonical, its concept as the home', async () => {
    const a = await server.ws.articles.store.bySlug(SLUG);
    const f = (await server.ws.articles.store.findings(a!.id)).find((x) => x.concept && x.suggestion)!;
    expect(f).toBeDefined();
    const { body } = await get(`/glossary/propose?article=${SLUG}&start=${f.start}&end=${f.end}`);
    expect(body).toContain(`name="canonical" value="${f.suggestion}"`);
    expect(body).toContain(`name="concept" value="${f.concept}"`);
    expect(body).toMatch(/id="target-existing" checked/);
    expect(body).toContain(`name="text" value="${f.text}"`);
  });

  it('re-renders with 422 and plain words next to the fields when canonical is missing', async () => {
    const res = await post('/glossary/propose', { target: 'new', text: 'Kremlin Press Bureau', kind: 'literal-translation', type: 'organization', canonical: '' }, 'reviewer');
    expect(res.res.status).toBe(422);
    const t = text(res.body);
    expect(t).toContain('Write the correct form of the name or term (the canonical form)');
    expect(t).not.toContain('Your name');
    expect(res.body).toMatch(/id="err-canonical"/);
    expect(res.body).not.toMatch(/id="err-reviewer"/);
    // What was typed stays in the form.
    expect(res.body).toContain('name="text" value="Kremlin Press Bureau"');
  });

  it('explains other problems: unknown concept, missing kind, a variant equal to the canonical', async () => {
    const unknown = await post('/glossary/propose', { target: 'existing', concept: 'no-such', text: 'Foo', kind: 'misspelling' }, 'reviewer');
    expect(unknown.res.status).toBe(422);
    expect(text(unknown.body)).toContain('There is no concept “no-such” in the glossary');
    const nokind = await post('/glossary/propose', { target: 'new', canonical: 'Foo Bar', type: 'term', text: 'Fu Bar' }, 'reviewer');
    expect(text(nokind.body)).toContain('Choose how this form came about');
    const same = await post('/glossary/propose', { target: 'new', canonical: 'Foo Bar', type: 'term', text: 'foo bar', kind: 'misspelling' }, 'reviewer');
    expect(text(same.body)).toContain('The variant is the same as the canonical form');
    const taken = await post('/glossary/propose', { target: 'existing', concept: 'kyiv', text: 'Kiev', kind: 'russian-form' }, 'reviewer');
    expect(taken.res.status).toBe(422);
    expect(text(taken.body)).toMatch(/already in the glossary/);
  });

  it('proposes a new concept with its variant (a reviewer may): 303 to the concept page, which shows the proposal', async () => {
    const start = await offsetOf(SLUG, 'Kremlin Press Bureau');
    const res = await post(
      '/glossary/propose',
      {
        article: SLUG,
        start: String(start),
        end: String(start + 20),
        text: 'Kremlin Press Bureau',
        kind: 'literal-translation',
        severity: '',
        note: 'Literal rendering of the Chinese for the Kremlin press service.',
        target: 'new',
        canonical: 'Kremlin press service',
        type: 'organization',
        concept: '',
        reviewer: 'Dana Ortiz', // ignored: the author is the signed-in user
      },
      'reviewer',
    );
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe('/glossary/kremlin-press-service?done=proposed');
    expect(res.res.headers.get('set-cookie') ?? '').not.toContain('copydesk_reviewer');
    const page = await get('/glossary/kremlin-press-service?done=proposed');
    expect(page.res.status).toBe(200);
    const t = text(page.body);
    expect(t).toContain('Proposed. An editor can approve or reject it below.');
    expect(t).toContain('Kremlin Press Bureau');
    expect(t).toContain('Literal translation');
    expect(t).toContain(`proposed by ${RITA}`);
    expect(t).not.toContain('Dana Ortiz');
    expect(page.body).toContain(`href="/articles/${SLUG}"`);
    expect(t).toContain(`chars ${start}–${start + 20}`);
    const stored = await server.ws.glossary.show('kremlin-press-service');
    expect(stored.concept.variants[0]).toMatchObject({ text: 'Kremlin Press Bureau', status: 'proposed', provenance: { proposedBy: RITA, article: SLUG, start, end: start + 20 } });
  });

  it('keeps the span in the provenance only while the article still holds the variant there', async () => {
    const start = await offsetOf(SLUG, 'Kremlin Press Bureau');
    const res = await post('/glossary/propose', {
      article: SLUG, start: String(start), end: String(start + 20), text: 'Kremlin Press Office', kind: 'literal-translation',
      target: 'new', canonical: 'Kremlin press office test', type: 'organization',
    });
    expect(res.res.status).toBe(303);
    const c = await server.ws.glossary.show('kremlin-press-office-test');
    expect(c.concept.variants[0]!.provenance).toEqual({ proposedBy: EDDIE, article: SLUG });
  });

  it('adds a variant to an existing concept', async () => {
    const res = await post('/glossary/propose', { target: 'existing', concept: 'kyiv', text: 'Kyivv', kind: 'misspelling' }, 'reviewer');
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe('/glossary/kyiv?done=proposed');
    const page = await get('/glossary/kyiv');
    expect(text(page.body)).toMatch(new RegExp(`${RITA} proposed variant “Kyivv”`));
    // "Needs review" lists approved concepts with a proposed variant too; "Proposed" only proposed concepts.
    const review = await get('/glossary?pending=1');
    expect(review.body).toContain('href="/glossary/kyiv"');
    expect(text(review.body)).toMatch(/Needs review \d+/);
    const proposed = await get('/glossary?status=proposed');
    expect(proposed.body).not.toContain('href="/glossary/kyiv"');
  });

  it('shows what was typed as text, never as markup', async () => {
    const res = await post('/glossary/propose', { target: 'new', canonical: '<script>alert(1)</script>', type: 'nonsense', text: '"><img src=x>', kind: 'misspelling' }, 'reviewer');
    expect(res.res.status).toBe(422);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).not.toContain('<img src=x>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
