// The article store on real SQLite (':memory:' and a temp file): exact texts, content hashes,
// revisions (migration 3), detected language, findings, and the batched import path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CompiledGlossary } from '../server/core/glossary/compile.ts';
import { scanText } from '../server/core/scan.ts';
import { loadCorpus } from '../server/corpus.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../server/glossary/files.ts';
import { ArticleService, contentHash, firstLine, type ImportItem } from '../server/services/articles.ts';
import { GlossaryService } from '../server/services/glossary.ts';
import { ArticleStore } from '../server/store/articles.ts';
import { Db } from '../server/store/db.ts';
import { GlossaryStore } from '../server/store/glossary.ts';
import { migrate, MIGRATIONS } from '../server/store/migrations.ts';

const starter = loadGlossaryData();
const opened: Db[] = [];
const tmpFiles: string[] = [];
let compiled: CompiledGlossary;

beforeAll(async () => {
  const db = await Db.open(':memory:');
  opened.push(db);
  await migrate(db);
  const glossary = new GlossaryService(new GlossaryStore(db));
  await glossary.seedIfEmpty(starter);
  compiled = await glossary.compiled();
});

afterAll(async () => {
  for (const db of opened) await db.close().catch(() => undefined);
  for (const f of tmpFiles) for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
});

async function setup(file = ':memory:') {
  const db = await Db.open(file);
  opened.push(db);
  await migrate(db);
  const store = new ArticleStore(db);
  const articles = new ArticleService(store, compiled);
  const counts = () =>
    db.get<{ articles: number; revisions: number; findings: number }>(
      `SELECT (SELECT COUNT(*) FROM articles) AS articles, (SELECT COUNT(*) FROM article_revisions) AS revisions,
              (SELECT COUNT(*) FROM findings) AS findings`,
    ) as Promise<{ articles: number; revisions: number; findings: number }>;
  return { db, store, articles, counts };
}

function tmpDb(): string {
  const f = path.join(os.tmpdir(), `copydesk-articles-${process.pid}-${Date.now()}-${tmpFiles.length}.db`);
  tmpFiles.push(f);
  return f;
}

const corpus = loadCorpus(path.join(PROJECT_ROOT, 'corpus'));

// A BOM, CRLF line ends, trailing spaces and tabs, a blank last line: all kept.
const MESSY = '\ufeffKiev talks resume  \r\n\r\nOfficials in Kiev said on Monday that Vladimir Zelensky would attend.   \r\n\t\r\nThe talks, held in Lugansk, ended late. \r\n \r\n';
const GERMAN =
  'Die Gespräche zwischen den beiden Regierungen wurden am Montag in der Hauptstadt fortgesetzt. ' +
  'Nach Angaben des Ministeriums sollen weitere Gefangene ausgetauscht werden, sobald die Listen geprüft sind.\n';

describe('import keeps the exact text', () => {
  it('stores CRLF, a BOM and trailing white space untouched, in the article and its revision', async () => {
    const { store, articles } = await setup();
    const s = await articles.importMany([{ slug: 'messy', text: MESSY, outlet: 'Test Wire', origin_lang: 'ukr', date: '2024-05-01', url: 'https://example.test/a', story: 'talks', source_text: 'Переговори  \r\n' }]);
    expect(s).toMatchObject({ articles: 1, added: 1, revised: 0, unchanged: 0 });
    const a = (await store.bySlug('messy'))!;
    expect(a.text).toBe(MESSY);
    expect(a.text.length).toBe(MESSY.length);
    expect(a.source_text).toBe('Переговори  \r\n');
    // The title is derived from a trimmed copy (BOM and spaces gone); the text is not.
    expect(a.title).toBe('Kiev talks resume');
    expect(a).toMatchObject({ outlet: 'Test Wire', origin_lang: 'ukr', date: '2024-05-01', url: 'https://example.test/a', story: 'talks', revision: 1 });
    const revs = await store.revisions(a.id);
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ revision: 1, text: MESSY, content_hash: a.content_hash });
  });

  it('survives a real database file: close, reopen, same bytes', async () => {
    const file = tmpDb();
    const first = await setup(file);
    await first.articles.importMany([{ slug: 'messy', text: MESSY }]);
    await first.db.close();
    const again = await setup(file);
    const a = (await again.store.bySlug('messy'))!;
    expect(Buffer.from(a.text, 'utf8').equals(Buffer.from(MESSY, 'utf8'))).toBe(true);
    expect((await again.store.revisions(a.id))[0]!.text).toBe(MESSY);
  });

  it('hashes the exact UTF-8 text with SHA-256, stably', async () => {
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(contentHash(MESSY)).toBe(crypto.createHash('sha256').update(Buffer.from(MESSY, 'utf8')).digest('hex'));
    // Any change, even white space or the BOM, is another text.
    expect(contentHash(MESSY)).not.toBe(contentHash(MESSY.replace(/\r\n/g, '\n')));
    expect(contentHash(MESSY)).not.toBe(contentHash(MESSY.slice(1)));
    const { store, articles } = await setup();
    await articles.importMany([{ slug: 'messy', text: MESSY }]);
    expect((await store.bySlug('messy'))!.content_hash).toBe(contentHash(MESSY));
  });

  it('stores the language detected in the text', async () => {
    const { store, articles } = await setup();
    await articles.importMany([
      { slug: 'en', text: MESSY },
      { slug: 'de', text: GERMAN, origin_lang: 'deu' },
      { slug: 'tiny', text: 'Ok.' },
    ]);
    expect((await store.bySlug('en'))!.detected_lang).toBe('eng');
    expect((await store.bySlug('de'))!.detected_lang).toBe('deu');
    expect((await store.bySlug('tiny'))!.detected_lang).toBe('und');
  });

  it('derives a missing title from the first non-empty line, else the slug', async () => {
    expect(firstLine('\n  \r\n  Headline here  \nbody')).toBe('Headline here');
    expect(firstLine(' \n\t\n')).toBeNull();
    const { store, articles } = await setup();
    await articles.importMany([{ slug: 'blank', text: '\n \n' }, { slug: 'given', text: 'Line one\n', title: 'Given title' }]);
    expect((await store.bySlug('blank'))!.title).toBe('blank');
    expect((await store.bySlug('given'))!.title).toBe('Given title');
  });
});

describe('revisions', () => {
  it('re-importing the same text changes nothing: no new revision, findings and metadata untouched', async () => {
    const { db, store, articles, counts } = await setup();
    await articles.importMany([{ slug: 'messy', text: MESSY, outlet: 'First Outlet' }]);
    const a = (await store.bySlug('messy'))!;
    const row = await db.get('SELECT * FROM articles WHERE id = ?', [a.id]);
    const findings = await store.findings(a.id);
    expect(findings.length).toBeGreaterThan(0);
    const before = await counts();

    const outcomes: string[] = [];
    const s = await articles.importMany([{ slug: 'messy', text: MESSY, outlet: 'Other Outlet', title: 'Other title' }], {
      onResult: (o) => outcomes.push(`${o.slug}:${o.status}:${o.revision}`),
    });
    expect(s).toMatchObject({ articles: 1, added: 0, revised: 0, unchanged: 1, findings: 0 });
    expect(outcomes).toEqual(['messy:unchanged:1']);
    expect(await db.get('SELECT * FROM articles WHERE id = ?', [a.id])).toEqual(row);
    expect(await store.findings(a.id)).toEqual(findings); // same rows, same ids
    expect(await counts()).toEqual(before);
    expect(await articles.importCorpusArticle({ ...corpus[0]!, file: 'messy.txt', text: MESSY })).toEqual({ id: a.id, changed: false });
  });

  it('a changed text is revision 2: both texts kept, the current one on the article, findings recomputed', async () => {
    const { store, articles, counts } = await setup();
    await articles.importMany([{ slug: 'story', text: MESSY, outlet: 'Wire' }]);
    const a1 = (await store.bySlug('story'))!;
    const f1 = await store.findings(a1.id);
    expect(f1.some((f) => f.text === 'Kiev')).toBe(true);

    const text2 = 'Kyiv talks resume\n\nOfficials in Kyiv said that Andrei Yermak and Vladimir Zelensky met in Kiev.\n';
    const s = await articles.importMany([{ slug: 'story', text: text2, outlet: 'Wire (updated)' }]);
    expect(s).toMatchObject({ added: 0, revised: 1, unchanged: 0 });
    const a2 = (await store.bySlug('story'))!;
    expect(a2.id).toBe(a1.id);
    expect(a2).toMatchObject({ revision: 2, text: text2, content_hash: contentHash(text2), outlet: 'Wire (updated)', title: 'Kyiv talks resume' });
    const revs = await store.revisions(a1.id);
    expect(revs.map((r) => [r.revision, r.text, r.content_hash])).toEqual([
      [1, MESSY, contentHash(MESSY)],
      [2, text2, contentHash(text2)],
    ]);
    const f2 = await store.findings(a1.id);
    const expected = scanText(text2, compiled);
    expect(f2.map(({ id: _id, ...f }) => f)).toEqual(expected);
    for (const f of f2) expect(text2.slice(f.start, f.end)).toBe(f.text);
    expect(f2.some((f) => f.text === 'Andrei Yermak')).toBe(true);
    expect(await counts()).toEqual({ articles: 1, revisions: 2, findings: f2.length });

    // Back to the first text: a third revision (the history is kept as it happened).
    await articles.importMany([{ slug: 'story', text: MESSY }]);
    expect((await store.revisions(a1.id)).map((r) => r.revision)).toEqual([1, 2, 3]);
    expect((await store.bySlug('story'))!.text).toBe(MESSY);
  });

  it('a slug given twice in one call is an addition then a revision', async () => {
    const { store, articles } = await setup();
    const s = await articles.importMany([
      { slug: 'twice', text: 'First text about Kiev.\n' },
      { slug: 'other', text: 'Unrelated.\n' },
      { slug: 'twice', text: 'Second text about Kiev and Lugansk.\n' },
      { slug: 'twice', text: 'Second text about Kiev and Lugansk.\n' },
    ]);
    expect(s).toMatchObject({ articles: 4, added: 2, revised: 1, unchanged: 1 });
    const a = (await store.bySlug('twice'))!;
    expect(a.revision).toBe(2);
    expect((await store.revisions(a.id)).map((r) => r.text)).toEqual(['First text about Kiev.\n', 'Second text about Kiev and Lugansk.\n']);
    for (const f of await store.findings(a.id)) expect(a.text.slice(f.start, f.end)).toBe(f.text);
  });

  it('a row skipped as already stored is not written when the stored text changed meanwhile (stale)', async () => {
    const { store, articles } = await setup();
    await articles.importMany([{ slug: 's', text: 'One.\n' }]);
    const a = (await store.bySlug('s'))!;
    const [o] = await store.writeBatch([{ article: { ...a, text: 'Two.\n', content_hash: contentHash('Two.\n') }, findings: null }]);
    expect(o!.status).toBe('stale');
    expect((await store.bySlug('s'))!.text).toBe('One.\n');
  });

  it('migration 3 gives articles stored before it their current text as revision 1', async () => {
    const db = await Db.open(':memory:');
    opened.push(db);
    await db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
      applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
    for (const m of MIGRATIONS.filter((x) => x.version < 3)) {
      await db.exec(m.sql);
      await db.run('INSERT INTO schema_migrations(version, name) VALUES (?, ?)', [m.version, m.name]);
    }
    await db.run(`INSERT INTO articles (slug, title, text, content_hash, revision) VALUES ('old', 'Old', 'Old text\r\n', ?, 4)`, [contentHash('Old text\r\n')]);
    expect(await migrate(db)).toBeGreaterThanOrEqual(3);
    const store = new ArticleStore(db);
    const old = (await store.bySlug('old'))!;
    expect(await store.revisions(old.id)).toMatchObject([{ revision: 4, text: 'Old text\r\n', content_hash: contentHash('Old text\r\n') }]);
    // Revisions go on from there.
    await new ArticleService(store, compiled).importMany([{ slug: 'old', text: 'New text\n' }]);
    expect((await store.revisions(old.id)).map((r) => r.revision)).toEqual([4, 5]);
    // Deleting an article deletes its revisions.
    await db.run('DELETE FROM articles WHERE id = ?', [old.id]);
    expect(await db.get('SELECT COUNT(*) AS n FROM article_revisions')).toEqual({ n: 0 });
  });
});

describe('bulk import', () => {
  /** 1,200 distinct articles from the demo corpus, each with glossary variants of its own. */
  function items(n: number): ImportItem[] {
    const out: ImportItem[] = [];
    for (let i = 0; i < n; i++) {
      const base = corpus[i % corpus.length]!;
      const crlf = i % 7 === 0;
      let text = `${base.text}\nUpdate ${i}: Vladimir Zelensky met officials in Kiev${i % 3 ? ' and Lugansk' : ''}.\n`;
      if (crlf) text = text.replace(/\n/g, '\r\n');
      out.push({ slug: `bulk-${String(i).padStart(4, '0')}`, text, title: `${base.title} (${i})`, origin_lang: base.origin_lang, date: base.date, story: base.story });
    }
    return out;
  }

  it('imports 1,200 articles in batches, with every finding stored at offsets that slice the stored text', async () => {
    const { db, store, articles, counts } = await setup(tmpDb());
    const list = items(1200);
    const spy = vi.spyOn(db, 'transaction');
    let expectedFindings = 0;
    const expected = new Map<string, number>();
    for (const it of list) {
      const n = scanText(it.text, compiled, { date: it.date ?? undefined, originLanguage: it.origin_lang ?? undefined }).length;
      expected.set(it.slug, n);
      expectedFindings += n;
    }
    // Async iterable input, as the CLI gives it.
    async function* gen() {
      for (const it of list) yield it;
    }
    const s = await articles.importMany(gen(), { batchSize: 250 });
    expect(spy).toHaveBeenCalledTimes(Math.ceil(1200 / 250));
    spy.mockRestore();
    expect(s).toMatchObject({ articles: 1200, added: 1200, revised: 0, unchanged: 0, findings: expectedFindings });
    expect(expectedFindings).toBeGreaterThan(1200 * 5);
    expect(await counts()).toEqual({ articles: 1200, revisions: 1200, findings: expectedFindings });

    // Every finding of every article, checked against the stored text.
    const rows = await db.all<{ slug: string; text: string; id: number; revision: number; detected_lang: string }>('SELECT id, slug, text, revision, detected_lang FROM articles');
    const texts = new Map(rows.map((r) => [r.id, r.text]));
    const perArticle = new Map<number, number>();
    const findings = await db.all<{ article_id: number; start: number; end: number; text: string }>('SELECT article_id, start, end, text FROM findings');
    for (const f of findings) {
      expect(texts.get(f.article_id)!.slice(f.start, f.end)).toBe(f.text);
      perArticle.set(f.article_id, (perArticle.get(f.article_id) ?? 0) + 1);
    }
    const bySlug = new Map(list.map((x) => [x.slug, x]));
    for (const r of rows) {
      expect(r.text).toBe(bySlug.get(r.slug)!.text);
      expect(r.revision).toBe(1);
      expect(r.detected_lang).toBe('eng');
      expect(perArticle.get(r.id) ?? 0).toBe(expected.get(r.slug));
    }
    const one = (await store.bySlug('bulk-0007'))!;
    expect(one.text).toContain('\r\n');
    expect(await store.findings(one.id)).toHaveLength(expected.get('bulk-0007')!);

    // Again: nothing written. Then 10 of them changed: 10 revisions, the rest unchanged.
    const again = await articles.importMany(list, { batchSize: 500 });
    expect(again).toMatchObject({ added: 0, revised: 0, unchanged: 1200, findings: 0 });
    expect(await counts()).toEqual({ articles: 1200, revisions: 1200, findings: expectedFindings });
    const changed = list.map((x, i) => (i % 120 === 0 ? { ...x, text: x.text + 'Correction: the talks were in Donbass.\n' } : x));
    const third = await articles.importMany(changed, { batchSize: 300 });
    expect(third).toMatchObject({ added: 0, revised: 10, unchanged: 1190 });
    const c = await counts();
    expect(c.revisions).toBe(1210);
    const r0 = (await store.bySlug('bulk-0000'))!;
    expect(r0.revision).toBe(2);
    expect((await store.revisions(r0.id)).map((r) => r.text)).toEqual([list[0]!.text, changed[0]!.text]);
    const f0 = await store.findings(r0.id);
    expect(f0.some((f) => f.text === 'Donbass')).toBe(true);
    for (const f of f0) expect(r0.text.slice(f.start, f.end)).toBe(f.text);
  });

  it('splits an article with more findings than one statement can bind', async () => {
    const { store, articles } = await setup();
    const text = 'Kiev and Lugansk. '.repeat(2500) + '\n';
    const n = scanText(text, compiled).length;
    expect(n).toBeGreaterThan(3000); // 10 parameters each: more than one INSERT of 30,000
    await articles.importMany([{ slug: 'many', text }]);
    const a = (await store.bySlug('many'))!;
    const f = await store.findings(a.id);
    expect(f).toHaveLength(n);
    for (const x of f) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it('rejects an item without a slug before writing its batch', async () => {
    const { articles, counts } = await setup();
    await expect(articles.importMany([{ slug: 'ok', text: 'x' }, { slug: '', text: 'y' }])).rejects.toThrow(/slug/);
    await expect(articles.importMany([{ slug: 'a\nb', text: 'y' }])).rejects.toThrow(/control/);
    expect((await counts()).articles).toBe(0);
  });
});
