// The stories issue's acceptance on the demo corpus, as a fresh database stores it: the three fact
// disagreements and the date-aware role, each reported where a reviewer sees it, and no fact finding
// that links articles of different stories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';

const S000 = '000_e741d46e1a66ee76';
const S001 = '001_00dde55bb2c9393b';
const S003 = '003_30904ec8ac950bac';
const S004 = '004_5708cb1ee7797cb2';

interface FactRow {
  slug: string;
  story: string;
  article_story: string;
  text: string;
  start: number;
  end: number;
  message: string;
  related_slug: string | null;
  related_story: string | null;
  related_text: string | null;
  related_start: number | null;
  related_end: number | null;
}

let dir: string;
let ws: Workspace;
let facts: FactRow[];
const texts = new Map<string, string>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-acceptance-'));
  ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(dir, 'a.db') }));
  for (const a of await ws.db.all<{ slug: string; text: string }>('SELECT slug, text FROM articles')) texts.set(a.slug, a.text);
  facts = await ws.db.all<FactRow>(
    `SELECT a.slug, f.story, a.story AS article_story, f.text, f.start, f.end, f.message,
            r.slug AS related_slug, r.story AS related_story, f.related_text, f.related_start, f.related_end
       FROM story_findings f JOIN articles a ON a.id = f.article_id LEFT JOIN articles r ON r.id = f.related_article_id
      WHERE f.kind = 'fact-mismatch'`,
  );
});

afterAll(async () => {
  await ws?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function factAt(slug: string, text: RegExp): FactRow {
  const f = facts.find((x) => x.slug === slug && text.test(x.text));
  expect(f, `a fact-mismatch finding on ${slug} matching ${text}`).toBeDefined();
  return f!;
}

describe('fact disagreements across the rewrites of a story (demo corpus)', () => {
  it('001 "July 7" against 000 "September 7"', () => {
    const f = factAt(S001, /^July 7$/);
    expect(f.related_slug).toBe(S000);
    expect(f.related_text).toBe('September 7');
    expect(f.message).toMatch(/September 7/);
  });

  it('003 "a total of 390" against 004 "390 … from each side" (both ways)', () => {
    const f = factAt(S003, /^a total of 390/);
    expect(f.related_slug).toBe(S004);
    expect(f.related_text).toMatch(/^390 .*from each side$/);
    const back = factAt(S004, /^390 .*from each side$/);
    expect(back.related_slug).toBe(S003);
  });

  it('004\'s headline "800" against its body\'s 390 a side', () => {
    const f = factAt(S004, /^800\b/);
    expect(f.related_slug).toBe(S004);
    const body = texts.get(S004)!.indexOf('Russia and Ukraine have begun');
    expect(body).toBeGreaterThan(0);
    expect(f.start).toBeLessThan(body); // in the headline, above the first paragraph of the body
    expect(f.related_text).toMatch(/^390 .*from each side$/);
    expect(f.message).toMatch(/headline/i);
  });

  it('no fact finding links articles of different stories, and every span slices its text', () => {
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(f.story).toBe(f.article_story);
      if (f.related_slug !== null) expect(f.related_story, `${f.slug} → ${f.related_slug}`).toBe(f.article_story);
      expect(texts.get(f.slug)!.slice(f.start, f.end)).toBe(f.text);
      if (f.related_slug !== null) expect(texts.get(f.related_slug)!.slice(f.related_start!, f.related_end!)).toBe(f.related_text);
    }
  });
});

describe('date-aware roles (demo corpus)', () => {
  it('"Former US President Donald Trump" in a May 2025 article is an anachronism', async () => {
    const rows = await ws.db.all<{ text: string; severity: string; message: string; suggestion: string | null; start: number; end: number }>(
      `SELECT f.text, f.severity, f.message, f.suggestion, f.start, f.end FROM findings f JOIN articles a ON a.id = f.article_id
        WHERE a.slug = ? AND f.kind = 'anachronism'`,
      [S003],
    );
    expect(rows.map((r) => r.text)).toEqual(['Former US President Donald Trump']);
    expect(rows[0]!.message).toMatch(/2025-05-23/);
    expect(rows[0]!.suggestion).toBe('US President Donald Trump');
    expect(texts.get(S003)!.slice(rows[0]!.start, rows[0]!.end)).toBe(rows[0]!.text);
  });

  it('no other demo article has an anachronism ("US President Donald Trump" in 004 is right in May 2025)', async () => {
    const rows = await ws.db.all<{ slug: string; text: string }>(
      `SELECT a.slug, f.text FROM findings f JOIN articles a ON a.id = f.article_id WHERE f.kind = 'anachronism' AND a.slug <> ?`,
      [S003],
    );
    expect(rows).toEqual([]);
  });
});

describe('the queue counts story comparisons with the other findings', () => {
  it('filtering by kind fact-mismatch lists exactly the articles that have one, with their count', async () => {
    const page = await ws.queue.page({ kind: 'fact-mismatch', sort: 'date', dir: 'desc', limit: 50, offset: 0 });
    const expected = new Map<string, number>();
    for (const f of facts) expected.set(f.slug, (expected.get(f.slug) ?? 0) + 1);
    expect(page.rows.map((r) => r.slug).sort()).toEqual([...expected.keys()].sort());
    for (const r of page.rows) expect(r.kinds.find((k) => k.kind === 'fact-mismatch')?.n).toBe(expected.get(r.slug));
  });
});
