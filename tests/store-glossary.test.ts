// The shared glossary on real SQLite (':memory:' and temp files): seeding, proposals and decisions,
// history, optimistic concurrency, the import merge, and findings recomputed after a change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entriesFromData, normalizeEntries, type GlossaryEntries } from '../server/core/glossary/model.ts';
import { GlossaryValidationError } from '../server/core/glossary/schema.ts';
import { scanText } from '../server/core/scan.ts';
import { loadCorpus } from '../server/corpus.ts';
import { loadGlossary, loadGlossaryData, PROJECT_ROOT } from '../server/glossary/files.ts';
import { ArticleService } from '../server/services/articles.ts';
import {
  ConflictError,
  GlossaryService,
  InvalidTransitionError,
  NotFoundError,
  formNeedles,
  slugify,
  type GlossaryChange,
} from '../server/services/glossary.ts';
import { ArticleStore } from '../server/store/articles.ts';
import { Db } from '../server/store/db.ts';
import { GlossaryStore } from '../server/store/glossary.ts';
import { migrate } from '../server/store/migrations.ts';

const starter = loadGlossaryData();
const opened: Db[] = [];
const tmpFiles: string[] = [];
let tmpN = 0;

function tmpDb(): string {
  const f = path.join(os.tmpdir(), `copydesk-glossary-${process.pid}-${Date.now()}-${tmpN++}.db`);
  tmpFiles.push(f);
  return f;
}

async function open(file = ':memory:'): Promise<Db> {
  const db = await Db.open(file);
  await migrate(db);
  opened.push(db);
  return db;
}

async function seeded(file = ':memory:', options: ConstructorParameters<typeof GlossaryService>[1] = {}) {
  const db = await open(file);
  const glossary = new GlossaryService(new GlossaryStore(db), options);
  await glossary.seedIfEmpty(starter);
  return { db, glossary };
}

afterAll(async () => {
  for (const db of opened) await db.close().catch(() => undefined);
  for (const f of tmpFiles) for (const x of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(x, { force: true });
});

const VARIANT_KEYS = new Set(['text', 'kind', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'note', 'status', 'provenance']);
/**
 * The starter files contain flow mappings like `{..., note: Also a surname; check context}`, which
 * YAML reads as an extra key "check context" (and a truncated note). The store keeps the known
 * variant fields only, so compare with those.
 */
function knownFields(g: GlossaryEntries): GlossaryEntries {
  return {
    ...g,
    concepts: g.concepts.map((c) => ({
      ...c,
      variants: c.variants.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => VARIANT_KEYS.has(k))) as typeof v),
    })),
  };
}

async function rowCounts(db: Db) {
  return db.get<{ concepts: number; variants: number; history: number; revision: number; extras: string }>(
    `SELECT (SELECT COUNT(*) FROM concepts) AS concepts, (SELECT COUNT(*) FROM variants) AS variants,
            (SELECT COUNT(*) FROM glossary_history) AS history, (SELECT revision FROM glossary_state) AS revision,
            (SELECT group_concat(key || '=' || length(value_json)) FROM glossary_extras) AS extras`,
  );
}

async function expectError<E extends Error>(p: Promise<unknown>, type: new (...a: never[]) => E): Promise<E> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(type);
  return e as E;
}

describe('seeding', () => {
  it.each([':memory:', 'temp file'])('loads the starter glossary as approved into a new database (%s), fast', async (where) => {
    const db = await open(where === ':memory:' ? ':memory:' : tmpDb());
    const glossary = new GlossaryService(new GlossaryStore(db));
    const t0 = performance.now();
    const n = await glossary.seedIfEmpty(starter);
    const ms = performance.now() - t0;
    expect(n).toBe(starter.concepts.length);
    expect(ms).toBeLessThan(2000);
    const variants = starter.concepts.reduce((s, c) => s + (c.variants?.length ?? 0), 0);
    expect(await rowCounts(db)).toMatchObject({ concepts: starter.concepts.length, variants, history: starter.concepts.length, revision: 1 });
    // Seeding again is a no-op.
    expect(await glossary.seedIfEmpty(starter)).toBe(0);
    expect((await rowCounts(db))!.revision).toBe(1);

    // An export of the fresh database equals the starter file's entries (from a cold cache too).
    const expected = knownFields(normalizeEntries(entriesFromData(starter)));
    expect(await glossary.entries()).toStrictEqual(expected);
    const cold = new GlossaryService(new GlossaryStore(db));
    const exported = await cold.entries();
    expect(exported).toStrictEqual(expected);
    for (const c of exported.concepts) {
      expect(c.status).toBe('approved');
      expect(c.provenance).toEqual({ proposedBy: 'starter glossary', decidedBy: 'starter glossary' });
      for (const v of c.variants) expect(v.provenance).toEqual({ proposedBy: 'starter glossary', decidedBy: 'starter glossary' });
    }
  });

  it('compiles to a glossary that finds exactly what the starter files find', async () => {
    const { glossary } = await seeded();
    const fromDb = await glossary.compiled();
    const fromFiles = loadGlossary();
    expect(fromDb.forms.length).toBe(fromFiles.forms.length);
    for (const a of loadCorpus(path.join(PROJECT_ROOT, 'corpus'))) {
      expect(scanText(a.text, fromDb, { date: a.date ?? undefined })).toEqual(scanText(a.text, fromFiles, { date: a.date ?? undefined }));
    }
    // Cached per revision: the same object until the glossary changes.
    expect(await glossary.compiled()).toBe(fromDb);
  });

  it('does not seed a database that already has a glossary', async () => {
    const file = tmpDb();
    await seeded(file);
    const db2 = await open(file);
    expect(await new GlossaryService(new GlossaryStore(db2)).seedIfEmpty(() => {
      throw new Error('must not load the starter files for an existing database');
    })).toBe(0);
  });
});

describe('proposals, decisions and detection', () => {
  async function setup() {
    const changes: GlossaryChange[] = [];
    const rescanned: number[][] = [];
    let articles!: ArticleService;
    const { db, glossary } = await seeded(':memory:', {
      onChange: async (change) => {
        changes.push(change);
        rescanned.push(await glossary.recomputeFindings(articles, change));
      },
    });
    const store = new ArticleStore(db);
    articles = new ArticleService(store, await glossary.compiled());
    const article = (file: string, text: string) =>
      articles.importCorpusArticle({
        file, title: file, outlet: 'Test Wire', origin_lang: 'ukr', date: '2024-05-01', url: null, story: null,
        source_file: null, text, source_text: null,
      });
    const a = await article('glorbanya.txt', 'Officials in Glorbanya said on Tuesday that the bridge would reopen.\n');
    const b = await article('quiet.txt', 'The committee met on Tuesday and adjourned without a vote.\n');
    return { db, glossary, store, articles, a: a.id, b: b.id, changes, rescanned };
  }

  it('propose -> approve: the new variant drives detection and only the articles containing it are rescanned', async () => {
    const { db, glossary, store, a, b, changes, rescanned } = await setup();
    const before = (id: number) => db.get<{ updated_at: string; glossary_version: string }>('SELECT updated_at, glossary_version FROM articles WHERE id = ?', [id]);
    const bRow = await before(b);
    const bFindings = await store.findings(b);
    const text = 'Officials in Glorbanya said on Tuesday that the bridge would reopen.\n';
    const start = text.indexOf('Glorbanya');

    const p = await glossary.propose(
      { concept: { canonical: 'Glorbania', type: 'place', notes: 'A test country.' } },
      { text: 'Glorbanya', kind: 'misspelling' },
      'rita (reviewer)',
      { article: 'glorbanya', start, end: start + 'Glorbanya'.length },
    );
    expect(p).toEqual({ conceptId: 'glorbania', version: 1, created: true, variant: 'Glorbanya' });
    // Proposed entries do not drive detection yet, and nothing is rescanned.
    expect(scanText(text, await glossary.compiled()).some((f) => f.concept === 'glorbania')).toBe(false);
    expect(changes).toHaveLength(0);
    const shown = await glossary.show('glorbania');
    expect(shown.concept).toMatchObject({
      status: 'proposed',
      provenance: { proposedBy: 'rita (reviewer)', article: 'glorbanya', start, end: start + 9 },
      variants: [{ text: 'Glorbanya', status: 'proposed', provenance: { proposedBy: 'rita (reviewer)', article: 'glorbanya' } }],
    });
    expect((await glossary.list({ status: 'proposed' })).map((c) => c.id)).toEqual(['glorbania']);

    const r = await glossary.decide('glorbania', { withVariants: true }, 'approve', 'ed (editor)', 1);
    expect(r.version).toBe(2);
    expect(r.concept).toMatchObject({ status: 'approved', provenance: { decidedBy: 'ed (editor)' }, variants: [{ status: 'approved' }] });

    const compiled = await glossary.compiled();
    const hit = scanText(text, compiled).find((f) => f.concept === 'glorbania');
    expect(hit).toMatchObject({ text: 'Glorbanya', start, suggestion: 'Glorbania', kind: 'misspelling' });

    // The stored findings of the article containing it were recomputed; the other was not touched.
    expect(changes).toHaveLength(1);
    expect(changes[0]!.forms).toEqual(['Glorbania', 'Glorbanya']);
    expect(rescanned).toEqual([[a]]);
    expect((await store.findings(a)).some((f) => f.concept === 'glorbania' && f.text === 'Glorbanya')).toBe(true);
    expect((await before(a))!.glossary_version).toBe(compiled.version);
    expect(await before(b)).toEqual(bRow);
    expect(await store.findings(b)).toEqual(bFindings);

    // Deprecating the concept takes it out of detection again, and rescans the same article.
    await glossary.decide('glorbania', {}, 'deprecate', 'ed (editor)', 2);
    expect(scanText(text, await glossary.compiled()).some((f) => f.concept === 'glorbania')).toBe(false);
    expect(rescanned).toEqual([[a], [a]]);
    expect((await store.findings(a)).some((f) => f.concept === 'glorbania')).toBe(false);
    expect(await store.findings(b)).toEqual(bFindings);
  });

  it('a variant proposed for an existing concept, then approved, is found in text', async () => {
    const { glossary } = await setup();
    const v0 = (await glossary.show('volodymyr-zelensky')).version;
    const p = await glossary.propose({ conceptId: 'volodymyr-zelensky' }, { text: 'Wolodymyr Zelenskyi', kind: 'transliteration' }, 'rita', {});
    expect(p).toMatchObject({ conceptId: 'volodymyr-zelensky', version: v0 + 1, created: false });
    await glossary.decide('volodymyr-zelensky', { variantText: 'Wolodymyr Zelenskyi' }, 'approve', 'ed', v0 + 1);
    const f = scanText('Wolodymyr Zelenskyi spoke.', await glossary.compiled());
    expect(f[0]).toMatchObject({ concept: 'volodymyr-zelensky', text: 'Wolodymyr Zelenskyi', suggestion: 'Volodymyr Zelensky' });
  });

  it('generates unique ids from the canonical form', async () => {
    const { glossary } = await setup();
    expect(slugify('Łódź Voivodeship')).toBe('lodz-voivodeship');
    expect(slugify("Côte d'Ivoire")).toBe('cote-divoire');
    const a = await glossary.propose({ concept: { canonical: 'Volodymyr Zelensky Jr', type: 'person' } }, null, 'rita');
    expect(a.conceptId).toBe('volodymyr-zelensky-jr');
    // The slug of an existing id gets a number.
    await glossary.update('volodymyr-zelensky-jr', { canonical: 'Volodymyr Zelensky Junior' }, 'rita', 1);
    const b = await glossary.propose({ concept: { canonical: 'Volodymyr Zelensky Jr.', type: 'person' } }, null, 'rita');
    expect(b.conceptId).toBe('volodymyr-zelensky-jr-2');
    await expectError(
      glossary.propose({ concept: { id: 'kyiv', canonical: 'Kyiv Two', type: 'place' } }, null, 'rita'),
      GlossaryValidationError,
    );
  });

  it('rejects a proposal that repeats an existing form, writing nothing', async () => {
    const { db, glossary } = await setup();
    const before = await rowCounts(db);
    const e = await expectError(
      glossary.propose({ concept: { canonical: 'Kyiv City', type: 'place' } }, { text: 'Kyiv', kind: 'misspelling' }, 'rita'),
      GlossaryValidationError,
    );
    expect(e.code).toBe('GLOSSARY_INVALID');
    expect(e.message).toContain('"Kyiv"');
    await expectError(glossary.propose({ conceptId: 'kyiv' }, { text: '   ', kind: 'misspelling' }, 'rita'), GlossaryValidationError);
    await expectError(glossary.propose({ conceptId: 'kyiv' }, { text: 'Kyivv', kind: 'misspelling' }, ''), GlossaryValidationError);
    await expectError(glossary.propose({ conceptId: 'no-such-concept' }, { text: 'Zzz', kind: 'misspelling' }, 'rita'), NotFoundError);
    expect(await rowCounts(db)).toEqual(before);
  });
});

describe('status transitions and history', () => {
  it('reject and deprecate follow STATUS_TRANSITIONS; a wrong transition is INVALID_TRANSITION and writes nothing', async () => {
    const { db, glossary } = await seeded();
    await glossary.propose({ conceptId: 'kyiv' }, { text: 'Kyivzz', kind: 'misspelling' }, 'rita', { article: 'x', start: 0, end: 5 });
    let v = (await glossary.show('kyiv')).version;
    const rejected = await glossary.decide('kyiv', { variantText: 'Kyivzz' }, 'reject', 'ed', v);
    expect(rejected.concept.variants.find((x) => x.text === 'Kyivzz')).toMatchObject({
      status: 'rejected',
      provenance: { proposedBy: 'rita', article: 'x', start: 0, end: 5, decidedBy: 'ed' },
    });
    v = rejected.version;
    const detail = await glossary.show('kyiv');
    expect(detail.variants.find((x) => x.text === 'Kyivzz')!.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const counts = await rowCounts(db);
    for (const action of ['approve', 'reject', 'deprecate'] as const) {
      const e = await expectError(glossary.decide('kyiv', { variantText: 'Kyivzz' }, action, 'ed', v), InvalidTransitionError);
      expect(e.code).toBe('INVALID_TRANSITION');
      expect(e.message).toContain('rejected');
    }
    // An approved concept cannot be approved or rejected, only deprecated.
    await expectError(glossary.decide('kyiv', {}, 'approve', 'ed', v), InvalidTransitionError);
    await expectError(glossary.decide('kyiv', {}, 'reject', 'ed', v), InvalidTransitionError);
    expect(await rowCounts(db)).toEqual(counts);
    expect((await glossary.show('kyiv')).version).toBe(v);

    const dep = await glossary.decide('kyiv', {}, 'deprecate', 'ed', v);
    expect(dep.concept.status).toBe('deprecated');
    expect((await glossary.show('kyiv')).decidedAt).not.toBeNull();
    expect(scanText('Protests in Kiev.', await glossary.compiled()).some((f) => f.concept === 'kyiv')).toBe(false);
    await expectError(glossary.decide('kyiv', {}, 'deprecate', 'ed', dep.version), InvalidTransitionError);
    await expectError(glossary.decide('no-such', {}, 'approve', 'ed', 1), NotFoundError);
  });

  it('records before/after and the author of every change', async () => {
    const { glossary } = await seeded();
    const v = (await glossary.show('olena-zelenska')).version;
    const oldNotes = (await glossary.show('olena-zelenska')).concept.notes;
    const r = await glossary.update('olena-zelenska', { notes: 'First lady of Ukraine since 2019.' }, 'mara', v);
    expect(r.version).toBe(v + 1);
    await glossary.decide('olena-zelenska', { variantText: 'Zelenskaya' }, 'deprecate', 'ed', r.version);
    const h = await glossary.history('olena-zelenska');
    expect(h.map((x) => [x.action, x.author])).toEqual([
      ['seed', 'starter glossary'],
      ['update', 'mara'],
      ['deprecate', 'ed'],
    ]);
    expect(h[1]!.before).toMatchObject({ notes: oldNotes });
    expect(h[1]!.after).toMatchObject({ notes: 'First lady of Ukraine since 2019.' });
    expect(h[2]!.variantId).toEqual(expect.any(Number));
    expect(h[2]!.before).toMatchObject({ text: 'Zelenskaya', status: 'approved' });
    expect(h[2]!.after).toMatchObject({ text: 'Zelenskaya', status: 'deprecated', provenance: { decidedBy: 'ed' } });
    expect((await glossary.show('olena-zelenska')).history).toEqual(h);
  });

  it('update edits variants: kept ones keep their status, new ones are proposed, missing ones go', async () => {
    const { glossary } = await seeded();
    const c = await glossary.show('olena-zelenska');
    const variants = c.concept.variants
      .filter((v) => v.text !== 'Yelena Zelenskaya')
      .map(({ status: _s, provenance: _p, ...v }) => (v.text === 'Zelenskaya' ? { ...v, note: 'Russian surname form' } : v));
    variants.push({ text: 'Olena Zelenskaja', kind: 'transliteration' });
    const r = await glossary.update('olena-zelenska', { variants }, 'mara', c.version);
    const byText = new Map(r.concept.variants.map((v) => [v.text, v]));
    expect(byText.has('Yelena Zelenskaya')).toBe(false);
    expect(byText.get('Zelenskaya')).toMatchObject({ status: 'approved', note: 'Russian surname form' });
    expect(byText.get('Olena Zelenskaja')).toMatchObject({ status: 'proposed', provenance: { proposedBy: 'mara' } });
    // What the service returned is what the store holds.
    expect((await new GlossaryService(new GlossaryStore(glossary.store.db)).show('olena-zelenska')).concept).toStrictEqual(r.concept);
    // Validation: a variant equal to another concept's canonical form is refused.
    const e = await expectError(
      glossary.update('olena-zelenska', { variants: [...variants, { text: 'Volodymyr Zelensky', kind: 'misspelling' }] }, 'mara', r.version),
      GlossaryValidationError,
    );
    expect(e.message).toContain('Volodymyr Zelensky');
    await expectError(glossary.update('olena-zelenska', { canonical: '' }, 'mara', r.version), GlossaryValidationError);
    expect((await glossary.show('olena-zelenska')).version).toBe(r.version);
  });
});

describe('optimistic concurrency', () => {
  it('two updates from the same version at once: exactly one wins, the other is a CONFLICT naming who changed it', async () => {
    const { db, glossary } = await seeded();
    const v = (await glossary.show('kyiv')).version;
    const before = await rowCounts(db);
    const results = await Promise.allSettled([
      glossary.update('kyiv', { notes: 'Edited by anna.' }, 'anna', v),
      glossary.update('kyiv', { notes: 'Edited by boris.' }, 'boris', v),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const e = lost[0]!.reason as ConflictError;
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.code).toBe('CONFLICT');
    expect(e.currentVersion).toBe(v + 1);
    expect(e.message).toContain(`version ${v + 1}`);
    const detail = await glossary.show('kyiv');
    const winner = detail.history.at(-1)!.author;
    expect(e.message).toContain(winner);
    expect(detail.concept.notes).toBe(`Edited by ${winner}.`);
    expect(detail.version).toBe(v + 1);
    expect(detail.history.filter((h) => h.action === 'update')).toHaveLength(1);
    expect(await rowCounts(db)).toEqual({ ...before, history: before!.history + 1, revision: before!.revision + 1 });

    // A decision from a stale version is a conflict too, and writes nothing.
    const counts = await rowCounts(db);
    await expectError(glossary.decide('kyiv', {}, 'deprecate', 'carla', v), ConflictError);
    expect(await rowCounts(db)).toEqual(counts);
    expect((await glossary.show('kyiv')).concept.status).toBe('approved');
  });

  it('the same race across two connections to one database file', async () => {
    const file = tmpDb();
    const { glossary: g1 } = await seeded(file);
    const g2 = new GlossaryService(new GlossaryStore(await open(file)));
    const v = (await g1.show('odesa')).version;
    const results = await Promise.allSettled([
      g1.update('odesa', { notes: 'One.' }, 'anna', v),
      g2.update('odesa', { notes: 'Two.' }, 'boris', v),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(lost.reason).toBeInstanceOf(ConflictError);
    const h = (await g2.history('odesa')).filter((x) => x.action === 'update');
    expect(h).toHaveLength(1);
    // Both processes see the same glossary afterwards (caches follow the revision).
    expect(await g1.entries()).toStrictEqual(await g2.entries());
  });

  it('20 parallel writers adding variants to 20 different concepts all succeed', async () => {
    const file = tmpDb();
    const { db, glossary: g1 } = await seeded(file);
    const g2 = new GlossaryService(new GlossaryStore(await open(file)));
    const ids = (await g1.list({ status: 'approved', type: 'person' })).slice(0, 20).map((c) => c.id);
    expect(ids).toHaveLength(20);
    const versions = new Map(await Promise.all(ids.map(async (id) => [id, (await g1.show(id)).version] as const)));
    const before = await rowCounts(db);
    const results = await Promise.all(
      ids.map((id, i) =>
        (i % 2 ? g2 : g1).propose({ conceptId: id }, { text: `Qzx Writer${i}ovych`, kind: 'misspelling' }, `writer ${i}`, {}),
      ),
    );
    expect(results.map((r) => r.conceptId)).toEqual(ids);
    const after = await g1.entries();
    ids.forEach((id, i) => {
      const c = after.concepts.find((x) => x.id === id)!;
      expect(c.variants.find((v) => v.text === `Qzx Writer${i}ovych`)).toMatchObject({ status: 'proposed', provenance: { proposedBy: `writer ${i}` } });
    });
    for (const id of ids) expect((await g1.show(id)).version).toBe(versions.get(id)! + 1);
    expect(await rowCounts(db)).toMatchObject({
      variants: before!.variants + 20,
      history: before!.history + 20,
      revision: before!.revision + 20,
    });
    expect(await g2.entries()).toStrictEqual(after);
  });
});

describe('mergeEntries', () => {
  const person = (id: string, canonical: string, variants: { text: string }[] = []) => ({
    id,
    canonical,
    type: 'person' as const,
    status: 'approved' as const,
    provenance: { proposedBy: 'import', decidedBy: 'import' },
    variants: variants.map((v) => ({ ...v, kind: 'transliteration' as const, status: 'approved' as const })),
  });
  const wrap = (concepts: ReturnType<typeof person>[], extra: Partial<GlossaryEntries> = {}): GlossaryEntries => ({
    name: 'import',
    concepts,
    furniture: [],
    labels: [],
    notPossessive: [],
    ...extra,
  });

  it.each([
    ['a duplicate variant (another concept has it)', [person('new-person', 'Ivan Testenko', [{ text: 'Vladimir Zelensky' }])], ['new-person', 'Vladimir Zelensky']],
    ['a variant twice in one concept', [person('new-person', 'Ivan Testenko', [{ text: 'Ivan Testenka' }, { text: 'Ivan Testenka' }])], ['new-person', 'Ivan Testenka']],
    ["a variant equal to another concept's canonical form", [person('new-person', 'Ivan Testenko', [{ text: 'Volodymyr Zelensky' }])], ['new-person', 'Volodymyr Zelensky']],
    ['an empty canonical form', [person('new-person', 'Ivan Testenko'), person('blank-person', '')], ['blank-person', 'canonical']],
    ['a changed concept breaking a rule', [{ ...person('kyiv', 'Kyiv', [{ text: 'Odesa' }]), type: 'place' } as unknown as ReturnType<typeof person>], ['kyiv', 'Odesa']],
  ])('refuses %s, naming the entry, and writes nothing', async (_what, concepts, names) => {
    const { db, glossary } = await seeded();
    const before = await rowCounts(db);
    const good = person('fine-person', 'Petro Finenko');
    const e = await expectError(glossary.mergeEntries(wrap([good, ...concepts]), 'importer'), GlossaryValidationError);
    expect(e.code).toBe('GLOSSARY_INVALID');
    for (const n of names) expect(e.message).toContain(n);
    expect(await rowCounts(db)).toEqual(before);
    expect((await glossary.list({ q: 'Finenko' })).length).toBe(0);
  });

  it('refuses bad statuses and repeated ids', async () => {
    const { db, glossary } = await seeded();
    const before = await rowCounts(db);
    const bad = { ...person('odd-person', 'Odd Oddenko'), status: 'maybe' } as unknown as ReturnType<typeof person>;
    expect((await expectError(glossary.mergeEntries(wrap([bad]), 'importer'), GlossaryValidationError)).message).toContain('odd-person');
    const twice = [person('twin', 'Twin Oneko'), person('twin', 'Twin Twoko')];
    expect((await expectError(glossary.mergeEntries(wrap(twice), 'importer'), GlossaryValidationError)).message).toContain('twin');
    expect(await rowCounts(db)).toEqual(before);
  });

  it('adds new concepts, versions changed ones, leaves identical ones; the same import twice is a no-op', async () => {
    const { db, glossary } = await seeded();
    const exported = await glossary.entries();
    const kyiv = exported.concepts.find((c) => c.id === 'kyiv')!;
    const kyivVersion = (await glossary.show('kyiv')).version;
    const odesa = exported.concepts.find((c) => c.id === 'odesa')!;
    const incoming = wrap([
      person('ivan-testenko', 'Ivan Testenko', [{ text: 'Iwan Testenko' }]),
      person('petro-finenko', 'Petro Finenko'),
      { ...kyiv, notes: 'Capital of Ukraine (imported note).' } as ReturnType<typeof person>,
      odesa as ReturnType<typeof person>,
    ]);
    const before = await rowCounts(db);
    const r1 = await glossary.mergeEntries(incoming, 'importer');
    expect(r1).toMatchObject({ added: 2, changed: 1, unchanged: 1, replaced: [] });
    const mid = await rowCounts(db);
    expect(mid).toMatchObject({
      concepts: before!.concepts + 2,
      variants: before!.variants + 1,
      history: before!.history + 3,
      revision: before!.revision + 1,
    });
    const k = await glossary.show('kyiv');
    expect(k.version).toBe(kyivVersion + 1);
    expect(k.concept.notes).toBe('Capital of Ukraine (imported note).');
    expect(k.history.at(-1)).toMatchObject({ action: 'import', author: 'importer', before: { notes: kyiv.notes }, after: { notes: 'Capital of Ukraine (imported note).' } });
    expect(scanText('Iwan Testenko said.', await glossary.compiled())[0]).toMatchObject({ concept: 'ivan-testenko' });

    const r2 = await glossary.mergeEntries(incoming, 'importer');
    expect(r2).toMatchObject({ added: 0, changed: 0, unchanged: 4, replaced: [], revision: mid!.revision });
    expect(await rowCounts(db)).toEqual(mid);

    // Re-importing a whole export changes nothing either.
    const all = await glossary.entries();
    expect(await glossary.mergeEntries(all, 'importer')).toMatchObject({ added: 0, changed: 0, unchanged: all.concepts.length });
    expect(await rowCounts(db)).toEqual(mid);
  });

  it('replaces furniture, labels and notPossessive only when the import carries them', async () => {
    const { db, glossary } = await seeded();
    const before = await glossary.entries();
    const r = await glossary.mergeEntries(wrap([], { notPossessive: ['Testlands'] }), 'importer');
    expect(r).toMatchObject({ added: 0, changed: 0, replaced: ['notPossessive'] });
    const after = await glossary.entries();
    expect(after.notPossessive).toEqual(['Testlands']);
    expect(after.furniture).toEqual(before.furniture);
    expect(after.labels).toEqual(before.labels);
    const counts = await rowCounts(db);
    expect(await glossary.mergeEntries(wrap([], { notPossessive: ['Testlands'] }), 'importer')).toMatchObject({ replaced: [] });
    expect(await rowCounts(db)).toEqual(counts);
  });

  it('recomputes every article when furniture changes', async () => {
    const rescans: number[][] = [];
    let articles!: ArticleService;
    const { db, glossary } = await seeded(':memory:', {
      onChange: async (c) => void rescans.push(await glossary.recomputeFindings(articles, c)),
    });
    articles = new ArticleService(new ArticleStore(db), await glossary.compiled());
    const ids: number[] = [];
    for (const [file, text] of [['one.txt', 'Nothing here.\n'], ['two.txt', 'Nor here.\n']]) {
      ids.push((await articles.importCorpusArticle({ file: file!, title: file!, outlet: null, origin_lang: null, date: null, url: null, story: null, source_file: null, text: text!, source_text: null })).id);
    }
    const furniture = [...(await glossary.entries()).furniture, { id: 'test-banner', line: 'Zqx banner line' }];
    await glossary.mergeEntries(wrap([], { furniture }), 'importer');
    expect(rescans).toEqual([ids]);
  });
});

describe('affected articles', () => {
  it('finds articles by forms case-insensitively, with ASCII needles that survive non-ASCII case and spacing', async () => {
    expect(formNeedles(['Vladimir Zelensky', 'ZEŁENSKI', "Kyiv's"])).toEqual(['vladimir', 'enski', 'kyiv']);
    expect(formNeedles(['Київ'])).toBe('all');
    const { db, glossary } = await seeded();
    const articles = new ArticleService(new ArticleStore(db), await glossary.compiled());
    const add = async (file: string, text: string) =>
      (await articles.importCorpusArticle({ file, title: file, outlet: null, origin_lang: null, date: null, url: null, story: null, source_file: null, text, source_text: null })).id;
    const a = await add('a.txt', 'VLADIMIR\nZELENSKY arrived.\n');
    const b = await add('b.txt', 'Nothing to see.\n');
    const before = await glossary.compiled();
    const v = (await glossary.show('volodymyr-zelensky')).version;
    await glossary.decide('volodymyr-zelensky', { variantText: 'Vladimir Zelensky' }, 'deprecate', 'ed', v);
    const after = await glossary.compiled();
    expect(await glossary.affectedArticles(before, after)).toEqual([a]);
    expect(await glossary.affectedArticles(after, after)).toEqual([]);
    expect(b).not.toBe(a);
  });
});
