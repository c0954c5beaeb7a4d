// Stories (the rewrites of one event) and their fact findings. The story of an article is
// articles.story; the stories table holds one row per key, and story_findings the disagreements
// found between a story's articles (replaced as a whole whenever the story changes).
import type { Finding, Severity } from '../core/types.ts';
import type { Db } from './db.ts';

export type StoryOrigin = 'corpus' | 'auto' | 'manual';

export interface StoryRow {
  key: string;
  title: string | null;
  origin: StoryOrigin;
  facts_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StorySummary extends StoryRow {
  articles: number;
  first_date: string | null;
  last_date: string | null;
  /** JSON list of the distinct outlets. */
  outlets: string;
  fact_findings: number;
}

/** An article as the story pages and the grouping see it. */
export interface StoryMember {
  id: number;
  slug: string;
  title: string;
  outlet: string | null;
  date: string | null;
  story: string | null;
  story_locked: number;
  text: string;
  content_hash: string;
}

/** A stored fact finding: the finding, and the other side's article (id and slug) and span. */
export interface StoryFinding extends Finding {
  id: number;
  story: string;
  article_id: number;
  slug: string;
  related_article_id: number | null;
  related_slug: string | null;
  related_start: number | null;
  related_end: number | null;
  related_text: string | null;
}

/** One finding to store: on article_id, the other side (if any) on related.article_id. */
export interface NewStoryFinding {
  article_id: number;
  finding: Finding;
  related: { article_id: number; start: number; end: number; text: string } | null;
}

const MEMBER_COLUMNS = 'id, slug, title, outlet, date, story, story_locked, text, content_hash';
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const FINDING_COLUMNS = [
  'story', 'article_id', 'detector', 'kind', 'severity', 'start', 'end', 'text', 'suggestion', 'concept', 'message',
  'related_article_id', 'related_start', 'related_end', 'related_text',
] as const;
/** Rows per INSERT (15 parameters each, well under SQLite's limit). */
const ROWS_PER_INSERT = 500;

const marks = (n: number) => new Array(n).fill('?').join(',');

export class StoryStore {
  constructor(readonly db: Db) {}

  get(key: string, db: Db = this.db): Promise<StoryRow | undefined> {
    return db.get<StoryRow>('SELECT * FROM stories WHERE key = ?', [key]);
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM stories').then((r) => r?.n ?? 0);
  }

  /** Stories with their numbers, the latest events first (a page of them). */
  list(limit: number, offset: number): Promise<StorySummary[]> {
    return this.db.all<StorySummary>(
      `SELECT s.*, COUNT(a.id) AS articles, MIN(a.date) AS first_date, MAX(a.date) AS last_date,
         json_group_array(DISTINCT a.outlet) FILTER (WHERE a.outlet IS NOT NULL) AS outlets,
         (SELECT COUNT(*) FROM story_findings f WHERE f.story = s.key) AS fact_findings
       FROM stories s JOIN articles a ON a.story = s.key
       GROUP BY s.key ORDER BY last_date IS NULL, last_date DESC, s.key LIMIT ? OFFSET ?`,
      [limit, offset],
    );
  }

  /**
   * Other stories with articles dated within `days` of `date` (the nearest first), or, for an
   * undated story, the stories made last; at most limit. For the merge form.
   */
  near(key: string, date: string | null, days: number, limit: number): Promise<StorySummary[]> {
    const head = `SELECT s.*, COUNT(a.id) AS articles, MIN(a.date) AS first_date, MAX(a.date) AS last_date, '[]' AS outlets, 0 AS fact_findings
       FROM stories s JOIN articles a ON a.story = s.key`;
    if (!date) return this.db.all<StorySummary>(`${head} WHERE s.key != ? GROUP BY s.key ORDER BY s.rowid DESC LIMIT ?`, [key, limit]);
    return this.db.all<StorySummary>(
      `${head} WHERE s.key != ? AND s.key IN (SELECT story FROM articles WHERE date BETWEEN date(?, ?) AND date(?, ?) AND story IS NOT NULL)
       GROUP BY s.key ORDER BY ABS(julianday(MIN(a.date)) - julianday(?)), s.key LIMIT ?`,
      [key, date, `-${days} days`, date, `+${days} days`, date, limit],
    );
  }

  /** The articles of a story, earliest first. */
  members(key: string, db: Db = this.db): Promise<StoryMember[]> {
    return db.all<StoryMember>(`SELECT ${MEMBER_COLUMNS} FROM articles WHERE story = ? ORDER BY date IS NULL, date, id`, [key]);
  }

  /** The ids and content hashes of a story's articles, in members() order: what its findings were computed from. */
  async stamp(key: string, db: Db = this.db): Promise<string> {
    const rows = await db.all<{ id: number; content_hash: string }>('SELECT id, content_hash FROM articles WHERE story = ? ORDER BY date IS NULL, date, id', [key]);
    return rows.map((r) => `${r.id}:${r.content_hash}`).join(' ');
  }

  memberCount(key: string, db: Db = this.db): Promise<number> {
    return db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles WHERE story = ?', [key]).then((r) => r?.n ?? 0);
  }

  /** How many articles each of these stories has (stories with none are absent). */
  async sizes(keys: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < keys.length; i += 10_000) {
      const part = keys.slice(i, i + 10_000);
      const rows = await this.db.all<{ story: string; n: number }>(
        `SELECT story, COUNT(*) AS n FROM articles WHERE story IN (${marks(part.length)}) GROUP BY story`,
        [...part],
      );
      for (const r of rows) out.set(r.story, r.n);
    }
    return out;
  }

  byIds(ids: readonly number[]): Promise<StoryMember[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.all<StoryMember>(`SELECT ${MEMBER_COLUMNS} FROM articles WHERE id IN (${marks(ids.length)}) ORDER BY id`, [...ids]);
  }

  bySlug(slug: string, db: Db = this.db): Promise<StoryMember | undefined> {
    return db.get<StoryMember>(`SELECT ${MEMBER_COLUMNS} FROM articles WHERE slug = ?`, [slug]);
  }

  /** Articles in a story dated from..to (inclusive), the latest added first, at most limit. */
  dated(from: string, to: string, limit: number): Promise<StoryMember[]> {
    return this.db.all<StoryMember>(
      `SELECT ${MEMBER_COLUMNS} FROM articles WHERE date BETWEEN ? AND ? AND story IS NOT NULL ORDER BY id DESC LIMIT ?`,
      [from, to, limit],
    );
  }

  /** The articles in a story added last (any date), at most limit. */
  recent(limit: number): Promise<StoryMember[]> {
    return this.db.all<StoryMember>(`SELECT ${MEMBER_COLUMNS} FROM articles WHERE story IS NOT NULL ORDER BY id DESC LIMIT ?`, [limit]);
  }

  /** Ids of the articles in no story, in date order (undated last). */
  storyless(): Promise<number[]> {
    return this.db.all<{ id: number }>('SELECT id FROM articles WHERE story IS NULL ORDER BY date IS NULL, date, id').then((r) => r.map((x) => x.id));
  }

  /** Keys of the stories whose fact findings were never computed. */
  withoutFacts(): Promise<string[]> {
    return this.db.all<{ key: string }>('SELECT key FROM stories WHERE facts_at IS NULL ORDER BY key').then((r) => r.map((x) => x.key));
  }

  /** The stories whose fact findings involve these articles (on either side). */
  async storiesOfFindings(articleIds: readonly number[]): Promise<string[]> {
    const out = new Set<string>();
    for (let i = 0; i < articleIds.length; i += 10_000) {
      const part = articleIds.slice(i, i + 10_000);
      const rows = await this.db.all<{ story: string }>(
        `SELECT DISTINCT story FROM story_findings WHERE article_id IN (${marks(part.length)}) OR related_article_id IN (${marks(part.length)})`,
        [...part, ...part],
      );
      for (const r of rows) out.add(r.story);
    }
    return [...out];
  }

  /** Create the story row unless it exists. */
  async ensure(key: string, title: string | null, origin: StoryOrigin, db: Db = this.db): Promise<void> {
    await db.run('INSERT INTO stories (key, title, origin) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING', [key, title, origin]);
  }

  /** Create the story rows that do not exist yet (one INSERT per 500). */
  async ensureMany(rows: readonly { key: string; title: string | null }[], origin: StoryOrigin, db: Db = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      await db.run(
        `INSERT INTO stories (key, title, origin) VALUES ${new Array(part.length).fill('(?,?,?)').join(',')} ON CONFLICT(key) DO NOTHING`,
        part.flatMap((r) => [r.key, r.title, origin]),
      );
    }
  }

  /** Put these articles in a story, those that are not locked (automatic grouping); returns how many moved. */
  async assignMany(ids: readonly number[], key: string, db: Db = this.db): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 10_000) {
      const part = ids.slice(i, i + 10_000);
      n += (await db.run(`UPDATE articles SET story = ? WHERE story_locked = 0 AND id IN (${marks(part.length)})`, [key, ...part])).changes;
    }
    return n;
  }

  /** Put an article in a story unless it is locked (automatic grouping). */
  async assign(articleId: number, key: string, db: Db = this.db): Promise<boolean> {
    const r = await db.run('UPDATE articles SET story = ? WHERE id = ? AND story_locked = 0', [key, articleId]);
    return r.changes === 1;
  }

  /** Move an article to a story by hand: it is locked there (see migration 6 for the two steps). */
  async moveLocked(articleId: number, key: string, db: Db): Promise<void> {
    await db.run('UPDATE articles SET story_locked = 0 WHERE id = ?', [articleId]);
    await db.run(`UPDATE articles SET story = ?, story_locked = 1, updated_at = ${NOW} WHERE id = ?`, [key, articleId]);
  }

  /** Take unlocked articles out of automatically made stories (before regrouping); returns how many. */
  async clearAutomatic(db: Db = this.db): Promise<number> {
    const r = await db.run("UPDATE articles SET story = NULL WHERE story_locked = 0 AND story IN (SELECT key FROM stories WHERE origin = 'auto')");
    return r.changes;
  }

  /** Delete the story rows (and findings) of these keys that no article belongs to any more. */
  async dropEmpty(keys: readonly string[], db: Db = this.db): Promise<string[]> {
    const gone: string[] = [];
    for (const key of new Set(keys)) {
      if ((await this.memberCount(key, db)) > 0) continue;
      await db.run('DELETE FROM story_findings WHERE story = ?', [key]);
      await db.run('DELETE FROM stories WHERE key = ?', [key]);
      gone.push(key);
    }
    return gone;
  }

  /** Story rows no article belongs to. */
  empty(): Promise<string[]> {
    return this.db
      .all<{ key: string }>('SELECT key FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story = s.key)')
      .then((r) => r.map((x) => x.key));
  }

  /**
   * Replace the fact findings of a story: its old rows, and any rows on or about its current members
   * (left from an earlier story of theirs), go; the new ones are inserted. Inside the caller's transaction.
   */
  async replaceFindings(key: string, memberIds: readonly number[], rows: readonly NewStoryFinding[], db: Db): Promise<void> {
    await db.run('DELETE FROM story_findings WHERE story = ?', [key]);
    for (let i = 0; i < memberIds.length; i += 10_000) {
      const part = memberIds.slice(i, i + 10_000);
      await db.run(`DELETE FROM story_findings WHERE article_id IN (${marks(part.length)}) OR related_article_id IN (${marks(part.length)})`, [...part, ...part]);
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const part = rows.slice(i, i + ROWS_PER_INSERT);
      const params: unknown[] = [];
      for (const { article_id, finding: f, related } of part) {
        params.push(key, article_id, f.detector, f.kind, f.severity as Severity, f.start, f.end, f.text, f.suggestion, f.concept, f.message);
        params.push(related?.article_id ?? null, related?.start ?? null, related?.end ?? null, related?.text ?? null);
      }
      const row = `(${marks(FINDING_COLUMNS.length)})`;
      await db.run(`INSERT INTO story_findings (${FINDING_COLUMNS.join(', ')}) VALUES ${new Array(part.length).fill(row).join(',')}`, params);
    }
    await db.run(`UPDATE stories SET facts_at = ${NOW}, updated_at = ${NOW} WHERE key = ?`, [key]);
  }

  /**
   * Mark stories' fact findings as out of date (recomputed later), and drop the findings on or about
   * these articles (their texts or stories changed, so their spans may not hold any more).
   */
  async markStale(keys: readonly string[], articleIds: readonly number[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < keys.length; i += 10_000) {
        const part = keys.slice(i, i + 10_000);
        await tx.run(`UPDATE stories SET facts_at = NULL WHERE key IN (${marks(part.length)})`, [...part]);
      }
      for (let i = 0; i < articleIds.length; i += 10_000) {
        const part = articleIds.slice(i, i + 10_000);
        await tx.run(`DELETE FROM story_findings WHERE article_id IN (${marks(part.length)}) OR related_article_id IN (${marks(part.length)})`, [...part, ...part]);
      }
    });
  }

  /** Mark one story's fact findings out of date (inside the caller's transaction). */
  async unsetFacts(key: string, db: Db): Promise<void> {
    await db.run('UPDATE stories SET facts_at = NULL WHERE key = ?', [key]);
  }

  /** The fact findings on an article, in text order, with the other side's slug. */
  findingsFor(articleId: number): Promise<StoryFinding[]> {
    return this.db.all<StoryFinding>(
      `SELECT f.*, a.slug AS slug, r.slug AS related_slug FROM story_findings f
       JOIN articles a ON a.id = f.article_id LEFT JOIN articles r ON r.id = f.related_article_id
       WHERE f.article_id = ? ORDER BY f.start, f.end, f.id`,
      [articleId],
    );
  }

  /** The fact findings of a story, by article then text order. */
  findingsOfStory(key: string): Promise<StoryFinding[]> {
    return this.db.all<StoryFinding>(
      `SELECT f.*, a.slug AS slug, r.slug AS related_slug FROM story_findings f
       JOIN articles a ON a.id = f.article_id LEFT JOIN articles r ON r.id = f.related_article_id
       WHERE f.story = ? ORDER BY a.date IS NULL, a.date, a.id, f.start, f.end, f.id`,
      [key],
    );
  }
}
