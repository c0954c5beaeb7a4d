// Stories: grouping rewrites of one event (pure, and in the database), fact findings across a
// story (stored, offsets exact, never across stories), recomputed on import, merge and split; the
// story pages and the article page's story line; who may merge and split.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../server/corpus.ts';
import { PROJECT_ROOT } from '../server/glossary/files.ts';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { contentHash } from '../server/services/articles.ts';
import { Db } from '../server/store/db.ts';
import { MIGRATIONS } from '../server/store/migrations.ts';
import { autoKey, groupAll, likeness, nameKey, signature, THRESHOLD, type GroupDoc } from '../server/services/stories-group.ts';
import { clientFor, startServer, type Client, type TestServer } from './support/browser.ts';

const S35 = '2019-09-prisoner-exchange-35-for-35';
const S1000 = '2025-05-prisoner-exchange-1000-for-1000';
const SJULY = '2025-07-prisoner-exchange';
const A000 = '000_e741d46e1a66ee76';
const A001 = '001_00dde55bb2c9393b';
const A002 = '002_a97892f4b89e12de';
const A003 = '003_30904ec8ac950bac';
const A004 = '004_5708cb1ee7797cb2';

interface Row {
  story: string;
  slug: string;
  story_of_article: string;
  start: number;
  end: number;
  text: string;
  article_text: string;
  related_slug: string | null;
  related_story: string | null;
  related_start: number | null;
  related_end: number | null;
  related_text: string | null;
  related_article_text: string | null;
  kind: string;
  detector: string;
}

async function factRows(ws: Workspace): Promise<Row[]> {
  return ws.db.all<Row>(
    `SELECT f.story, a.slug, a.story AS story_of_article, f.start, f.end, f.text, a.text AS article_text, f.kind, f.detector,
       r.slug AS related_slug, r.story AS related_story, f.related_start, f.related_end, f.related_text, r.text AS related_article_text
     FROM story_findings f JOIN articles a ON a.id = f.article_id LEFT JOIN articles r ON r.id = f.related_article_id
     ORDER BY a.slug, f.start`,
  );
}

const brief = (rows: Row[]) => rows.map((r) => `${r.slug}@${r.start}:${r.text} -> ${r.related_slug}@${r.related_start}:${r.related_text}`).sort();

function expectConsistent(rows: Row[]): void {
  for (const r of rows) {
    expect(r.kind).toBe('fact-mismatch');
    expect(r.detector).toBe('facts');
    expect(r.story_of_article).toBe(r.story);
    expect(r.article_text.slice(r.start, r.end)).toBe(r.text);
    expect(r.related_slug).not.toBeNull();
    expect(r.related_story).toBe(r.story);
    expect(r.related_article_text!.slice(r.related_start!, r.related_end!)).toBe(r.related_text);
  }
}

async function partition(ws: Workspace): Promise<string[][]> {
  const rows = await ws.db.all<{ slug: string; story: string }>('SELECT slug, story FROM articles ORDER BY slug');
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(r.story, [...(groups.get(r.story) ?? []), r.slug]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

// --------------------------------------------------------------------------------------- pure grouping

const QUAKE_A: GroupDoc = {
  date: '2024-03-11',
  title: 'Earthquake in eastern Turkey kills 57, hundreds injured',
  text: `Earthquake in eastern Turkey kills 57, hundreds injured\n\nA magnitude 6.1 earthquake struck the province of Malatya in eastern Turkey early on Monday, killing at least 57 people and injuring 412, the disaster agency AFAD said.\n\nRescue teams were searching the rubble of 38 collapsed buildings in the town of Yesilyurt. Interior Minister Ali Yerlikaya said 1,200 rescuers had been sent to the region.\n\nPresident Recep Tayyip Erdogan offered his condolences and promised that the state would rebuild every damaged home within a year.`,
};
const QUAKE_B: GroupDoc = {
  date: '2024-03-12',
  title: 'Turkey quake death toll rises to 57',
  text: `Turkey quake death toll rises to 57\n\nThe death toll from Monday's earthquake in Malatya province has risen to 57, Turkish officials said, while 412 people were treated in hospitals.\n\nAccording to AFAD, the tremor measured 6.1 and destroyed 38 buildings, most of them in Yesilyurt. Minister Yerlikaya told reporters that 1,200 rescue workers were at work through the night.\n\nErdogan, speaking in Ankara, said the government would cover the cost of rebuilding.`,
};
const QUAKE_JAPAN: GroupDoc = {
  date: '2024-03-11',
  title: 'Strong earthquake shakes northern Japan, no tsunami warning',
  text: `Strong earthquake shakes northern Japan, no tsunami warning\n\nA magnitude 5.8 earthquake shook Aomori prefecture in northern Japan on Monday evening, the Japan Meteorological Agency said. No tsunami warning was issued.\n\nThree people suffered minor injuries in Hachinohe, where shelves fell in a supermarket. East Japan Railway briefly halted Tohoku Shinkansen services to inspect the tracks.\n\nChief Cabinet Secretary Yoshimasa Hayashi told reporters the government was gathering information on the damage.`,
};
const ELECTION: GroupDoc = {
  date: '2024-03-10',
  title: 'Portugal votes in snap election as far right gains',
  text: `Portugal votes in snap election as far right gains\n\nVoters in Portugal went to the polls on Sunday in a snap parliamentary election called after Prime Minister Antonio Costa resigned over a corruption inquiry.\n\nExit polls put the centre-right Democratic Alliance led by Luis Montenegro narrowly ahead of the Socialists of Pedro Nuno Santos, with the far-right Chega party of Andre Ventura winning around 18 percent of the vote.\n\nTurnout was estimated at 66 percent, the highest in decades.`,
};

describe('grouping (pure)', () => {
  it('two rewrites of one event are alike; different events, even of the same kind on the same day, are not', () => {
    const score = (a: GroupDoc, b: GroupDoc) => likeness(signature(a), signature(b)).score;
    expect(score(QUAKE_A, QUAKE_B)).toBeGreaterThan(THRESHOLD + 0.1);
    for (const [a, b] of [[QUAKE_A, QUAKE_JAPAN], [QUAKE_B, QUAKE_JAPAN], [QUAKE_A, ELECTION], [QUAKE_JAPAN, ELECTION]] as const) {
      expect(score(a, b)).toBeLessThan(THRESHOLD - 0.1);
    }
    const g = groupAll([QUAKE_A, ELECTION, QUAKE_JAPAN, QUAKE_B]);
    expect(g[0]).toBe(g[3]);
    expect(new Set(g).size).toBe(3);
  });

  it('the date window: the same text ten days later is another story; undated, it is compared by its text alone', () => {
    const later = { ...QUAKE_B, date: '2024-03-22' };
    const undated = { ...QUAKE_B, date: null };
    const g1 = groupAll([QUAKE_A, later]);
    expect(g1[0]).not.toBe(g1[1]);
    const g2 = groupAll([QUAKE_A, undated]);
    expect(g2[0]).toBe(g2[1]);
  });

  it('names meet across transliterations; story keys for automatic stories', () => {
    expect(nameKey('Zelensky')).toBe(nameKey('Zelenski'));
    expect(nameKey('Donbass')).toBe(nameKey('Dunbas'));
    expect(nameKey('Kiev')).toBe(nameKey('Kyiv'));
    expect(nameKey('Putin')).not.toBe(nameKey('Trump'));
    expect(autoKey('x', '2025-05-23')).toMatch(/^auto-2025-05-23-[0-9a-f]{8}$/);
    expect(autoKey('x', null)).toMatch(/^auto-undated-[0-9a-f]{8}$/);
  });

  it('the demo corpus without its story keys falls into its stories (000+001, 003+004, 002 alone)', () => {
    const corpus = loadCorpus(path.join(PROJECT_ROOT, 'corpus'));
    const groups = groupAll(corpus.map((a) => ({ date: a.date, title: a.title, text: a.text })));
    const byStory = new Map<string, Set<number>>();
    corpus.forEach((a, i) => byStory.set(a.story!, (byStory.get(a.story!) ?? new Set()).add(groups[i]!)));
    for (const s of byStory.values()) expect(s.size).toBe(1);
    expect(new Set(groups).size).toBe(byStory.size);
  });
});

// --------------------------------------------------------------------------------------- in the database

describe('stories in the database', () => {
  let server: TestServer;
  let rita: Client;
  beforeAll(async () => {
    server = await startServer();
    rita = await server.as('reviewer');
  });
  afterAll(async () => server?.close());

  it('the demo corpus: stories made, fact findings stored with exact offsets, never across stories', async () => {
    const ws = server.ws;
    const stories = await ws.db.all<{ key: string; origin: string; facts_at: string | null }>('SELECT key, origin, facts_at FROM stories ORDER BY key');
    expect(stories.map((s) => s.key)).toEqual([S35, S1000, SJULY].sort());
    for (const s of stories) expect([s.origin, s.facts_at !== null]).toEqual(['corpus', true]);
    const rows = await factRows(ws);
    expectConsistent(rows);
    const b = brief(rows);
    expect(b).toContain(`${A001}@278:July 7 -> ${A000}@${rows.find((r) => r.slug === A001)!.related_start}:September 7`);
    expect(b.some((x) => x.startsWith(`${A003}@`) && /a total of 390/.test(x) && x.includes(`-> ${A004}@`) && /390 people from each side/.test(x))).toBe(true);
    const headline = rows.find((r) => r.slug === A004 && r.related_slug === A004);
    expect(headline?.text).toMatch(/^800/);
    expect(headline!.start).toBeLessThan(headline!.related_start!);
    expect(headline!.related_text).toMatch(/390 .*each side/);
  });

  it('the story pages: list, one story with its aligned facts and a highlighted disagreement, 404 for none', async () => {
    const list = await rita.get('/stories');
    expect(list.status).toBe(200);
    const html = await list.text();
    for (const k of [S35, S1000, SJULY]) expect(html).toContain(`href="/stories/${k}"`);
    expect(html).toContain('/static/stories.css');
    const page = await rita.get(`/stories/${S1000}`);
    expect(page.status).toBe(200);
    const s = await page.text();
    expect(s).toMatch(/<tr class="disagree">/);
    expect(s).toMatch(/<td class="mismatch">/);
    expect(s).toContain(`href="/articles/${A003}?with=${A004}#finding-facts-`);
    expect(s).toContain(`action="/stories/${S1000}/merge"`);
    expect(s).toContain(`action="/stories/${S1000}/split"`);
    expect(s).not.toMatch(/<script>|style="/);
    expect((await rita.get('/stories/no-such-story')).status).toBe(404);
  });

  it('the article page: its story, and its fact findings with a link to the other article side by side', async () => {
    const r = await rita.get(`/articles/${A001}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain(`Story: <a href="/stories/${S35}">`);
    expect(html).toContain(`href="/articles/${A001}?with=${A000}#finding-facts-278-284"`);
    expect(html).toContain('id="finding-facts-278-284"');
    expect(html).toMatch(/<mark class="f k-fact-mismatch[^"]*" data-start="278" data-end="284"/);
    const side = await rita.get(`/articles/${A003}?with=${A004}`);
    expect(await side.text()).toMatch(/Facts in disagreement/);
  });

  it('a fact finding can be dismissed through the ordinary decision route', async () => {
    const r = await rita.postForm(`/articles/${A001}/findings/dismiss`, { detector: 'facts', start: '278', end: '284', text: 'July 7', reason: 'checked: a typo in the source' });
    expect(r.status).toBe(303);
    const d = await server.ws.db.get<{ decision: string; detector: string }>("SELECT decision, detector FROM finding_decisions WHERE detector = 'facts'");
    expect(d).toEqual({ decision: 'dismissed', detector: 'facts' });
  });

  it('only a signed-in user with the form token may merge or split', async () => {
    const anon = clientFor(server.url, '', '', '');
    const r = await anon.postForm(`/stories/${S1000}/merge`, { from: SJULY });
    expect([401, 403]).toContain(r.status);
    const noToken = await rita.postForm(`/stories/${S1000}/merge`, { from: SJULY, _csrf: 'wrong' });
    expect(noToken.status).toBe(403);
    expect(await partition(server.ws)).toEqual([[A000, A001], [A002], [A003, A004]]);
  });

  it('merge then split: articles move and are locked, findings recomputed, the audit log records who', async () => {
    const ws = server.ws;
    const before = brief(await factRows(ws));
    const m = await rita.postForm(`/stories/${S1000}/merge`, { from: SJULY });
    expect(m.status).toBe(303);
    expect(m.headers.get('location')).toBe(`/stories/${S1000}`);
    expect(await partition(ws)).toEqual([[A000, A001], [A002, A003, A004]]);
    expect(await ws.db.get('SELECT key FROM stories WHERE key = ?', [SJULY])).toBeUndefined();
    expect(await ws.db.get('SELECT story_locked FROM articles WHERE slug = ?', [A002])).toEqual({ story_locked: 1 });
    expectConsistent(await factRows(ws));
    expect((await rita.get(`/stories/${S1000}`)).status).toBe(200);

    const s = await rita.postForm(`/stories/${S1000}/split`, { slug: A002 });
    expect(s.status).toBe(303);
    const key = decodeURIComponent(s.headers.get('location')!.replace('/stories/', ''));
    expect(key).toMatch(/^manual-2025-07-04-[0-9a-f]{8}$/);
    expect(await ws.db.get('SELECT story, story_locked FROM articles WHERE slug = ?', [A002])).toEqual({ story: key, story_locked: 1 });
    expect(await ws.db.get('SELECT origin FROM stories WHERE key = ?', [key])).toEqual({ origin: 'manual' });
    expect(brief(await factRows(ws))).toEqual(before);
    expectConsistent(await factRows(ws));

    // Automatic grouping never moves a locked article, and an import naming another story does not either.
    await ws.stories.regroup();
    expect(await ws.db.get('SELECT story FROM articles WHERE slug = ?', [A002])).toEqual({ story: key });
    const a002 = (await ws.db.get<{ text: string }>('SELECT text FROM articles WHERE slug = ?', [A002]))!;
    await ws.articles.importMany([{ slug: A002, text: a002.text + '\nUpdated.', story: SJULY, date: '2025-07-04' }]);
    expect(await ws.db.get('SELECT story, revision FROM articles WHERE slug = ?', [A002])).toEqual({ story: key, revision: 2 });

    const audit = await ws.db.all<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE action LIKE 'POST /stories/%'");
    expect(audit.map((a) => a.actor)).toEqual(['rita', 'rita']);
    expect((await rita.postForm(`/stories/${key}/split`, { slug: A002 })).status).toBe(422);
    expect((await rita.postForm(`/stories/${S1000}/merge`, { from: S1000 })).status).toBe(422);
  });

  it('importing an article into a story recomputes its fact findings; a revision recomputes them again', async () => {
    const ws = server.ws;
    const text = 'Ukraine and Russia swap prisoners\n\nUkraine and Russia released a total of 780 prisoners on Friday, officials said. The swap continues on Saturday.\n';
    await ws.articles.importMany([{ slug: 'extra-swap', text, date: '2025-05-23', story: S1000 }]);
    let rows = (await factRows(ws)).filter((r) => r.slug === 'extra-swap' || r.related_slug === 'extra-swap');
    expect(rows.length).toBeGreaterThan(0);
    expectConsistent(rows);
    expect(rows.some((r) => r.slug === 'extra-swap' && r.text.includes('780'))).toBe(true);
    await ws.articles.importMany([{ slug: 'extra-swap', text: text.replace('a total of 780 prisoners', 'prisoners'), date: '2025-05-23', story: S1000 }]);
    rows = (await factRows(ws)).filter((r) => r.slug === 'extra-swap' || r.related_slug === 'extra-swap');
    expect(rows.filter((r) => r.text.includes('780'))).toEqual([]);
    expectConsistent(await factRows(ws));
  });
});

describe('grouping in the database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.close());

  it('the demo corpus with its story keys taken away is regrouped into the same stories', async () => {
    const ws = server.ws;
    await ws.db.run('UPDATE articles SET story = NULL');
    await ws.db.run('DELETE FROM stories');
    const r = await ws.stories.regroup();
    expect(r).toEqual({ grouped: 5, stories: 3 });
    expect(await partition(ws)).toEqual([[A000, A001], [A002], [A003, A004]]);
    const origins = await ws.db.all<{ origin: string }>('SELECT DISTINCT origin FROM stories');
    expect(origins).toEqual([{ origin: 'auto' }]);
    const rows = await factRows(ws);
    expectConsistent(rows);
    expect(rows.some((x) => x.slug === A001 && x.text === 'July 7' && x.related_slug === A000)).toBe(true);
  });

  it('an article imported without a key joins the story it belongs to, or starts one', async () => {
    const ws = server.ws;
    const a004 = (await ws.db.get<{ text: string; story: string }>('SELECT text, story FROM articles WHERE slug = ?', [A004]))!;
    await ws.articles.importMany([
      { slug: 'keyless-rewrite', text: a004.text.replace('Flash News', 'Breaking'), date: '2025-05-24' },
      { slug: 'keyless-quake', text: QUAKE_A.text, date: QUAKE_A.date },
      { slug: 'keyless-quake-2', text: QUAKE_B.text, date: QUAKE_B.date },
      { slug: 'keyless-election', text: ELECTION.text, date: ELECTION.date },
    ]);
    const story = async (slug: string) => (await ws.db.get<{ story: string }>('SELECT story FROM articles WHERE slug = ?', [slug]))!.story;
    expect(await story('keyless-rewrite')).toBe(a004.story);
    expect(await story('keyless-quake')).toMatch(/^auto-2024-03-11-/);
    expect(await story('keyless-quake-2')).toBe(await story('keyless-quake'));
    expect(await story('keyless-election')).not.toBe(await story('keyless-quake'));
    expect(await ws.db.get('SELECT origin, title FROM stories WHERE key = ?', [await story('keyless-quake')])).toEqual({ origin: 'auto', title: QUAKE_A.title });
    expectConsistent(await factRows(ws));
  });
});

describe('a large import', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.close());

  it('leaves the facts of its stories for later (SYNC_LIMIT), computed when a page needs them or by refreshStale', async () => {
    const ws = server.ws;
    const items = [];
    for (let k = 0; k < 4; k++) {
      for (let i = 0; i < 32; i++) {
        const says = i % 2 ? 'Russia and Ukraine have released a total of 30 prisoners together.' : 'Zelensky said that 30 people from each side have been exchanged.';
        items.push({ slug: `bulk-${k}-${i}`, story: `bulk-${k}`, date: '2023-01-10', text: `Prisoners freed\n\n${says}\n` });
      }
    }
    await ws.articles.importMany(items);
    const stale = async () => (await ws.db.all<{ key: string }>('SELECT key FROM stories WHERE facts_at IS NULL ORDER BY key')).map((r) => r.key);
    expect(await stale()).toEqual(['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3']);
    const rita = await server.as('reviewer');
    expect((await rita.get('/stories/bulk-0')).status).toBe(200);
    expect(await stale()).toEqual(['bulk-1', 'bulk-2', 'bulk-3']);
    expect((await rita.get('/articles/bulk-1-0')).status).toBe(200);
    expect(await stale()).toEqual(['bulk-2', 'bulk-3']);
    expect(await ws.stories.refreshStale()).toBe(2);
    expect(await stale()).toEqual([]);
    const rows = await factRows(ws);
    expectConsistent(rows);
    expect(new Set(rows.filter((r) => r.story.startsWith('bulk-')).map((r) => r.story)).size).toBe(4);
  });
});

describe('a database from before stories', () => {
  it('migration 6 makes a story of each key; at start, articles without one are grouped and the facts computed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-stories-'));
    const file = path.join(dir, 'old.db');
    try {
      const db = await Db.open(file);
      await db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
      for (const m of MIGRATIONS.filter((x) => x.version < 6)) {
        await db.exec(m.sql);
        await db.run('INSERT INTO schema_migrations(version, name) VALUES (?, ?)', [m.version, m.name]);
      }
      const corpus = loadCorpus(path.join(PROJECT_ROOT, 'corpus'));
      for (const a of corpus) {
        const slug = a.file.replace(/\.txt$/, '');
        // 002 was stored without a key: it is grouped at start (alone: nothing else is dated near it).
        const story = slug === A002 ? null : a.story;
        await db.run('INSERT INTO articles (slug, title, outlet, date, story, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          slug, a.title, a.outlet, a.date, story, a.text, contentHash(a.text),
        ]);
      }
      await db.close();
      const ws = await openWorkspace(loadConfig({ COPYDESK_DB: file }));
      try {
        const stories = await ws.db.all<{ key: string; origin: string; title: string }>('SELECT key, origin, title FROM stories ORDER BY key');
        expect(stories.filter((s) => s.origin === 'corpus').map((s) => s.key)).toEqual([S35, S1000]);
        expect(stories.find((s) => s.key === S35)!.title).toBe(corpus[1]!.title); // the earliest article's headline
        const auto = stories.filter((s) => s.origin === 'auto');
        expect(auto).toHaveLength(1);
        expect(auto[0]!.key).toMatch(/^auto-2025-07-04-/);
        expect(await ws.db.get('SELECT COUNT(*) AS n FROM stories WHERE facts_at IS NULL')).toEqual({ n: 0 });
        const rows = await factRows(ws);
        expectConsistent(rows);
        expect(rows).toHaveLength(4);
      } finally {
        await ws.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
