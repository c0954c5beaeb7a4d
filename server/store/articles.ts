// Articles, their revisions and their current findings. Writes go through writeBatch: one
// transaction per batch, with multi-row INSERTs for articles, revisions and findings.
import type { Finding, Severity } from '../core/types.ts';
import type { Db } from './db.ts';

export interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  detected_lang: string | null;
  date: string | null;
  url: string | null;
  story: string | null;
  text: string;
  source_text: string | null;
  content_hash: string;
  revision: number;
  glossary_version: string | null;
}

export type NewArticle = Omit<ArticleRow, 'id' | 'revision'>;

export interface RevisionRow {
  revision: number;
  text: string;
  content_hash: string;
  created_at: string;
}

/**
 * One article to store, with the findings of its text. findings null: the caller found this text
 * stored already and did not scan it; if the stored text differs by the time of the write, the row
 * is not written and comes back 'stale' (to be scanned and written again).
 */
export interface ArticleWrite {
  article: NewArticle;
  findings: readonly Finding[] | null;
}

export type WriteStatus = 'added' | 'revised' | 'unchanged' | 'stale';

export interface WriteOutcome {
  slug: string;
  id: number;
  status: WriteStatus;
  /** The article's current revision after the write. */
  revision: number;
  /** Findings stored for it by this write (0 when unchanged). */
  findings: number;
}

/**
 * Bound parameters per statement. SQLite allows 32,766 (SQLITE_MAX_VARIABLE_NUMBER since 3.32);
 * staying a little under leaves room and keeps each statement's SQL text small.
 */
export const MAX_PARAMS = 30_000;

const ARTICLE_COLUMNS = ['slug', 'title', 'outlet', 'origin_lang', 'detected_lang', 'date', 'url', 'story', 'text', 'source_text', 'content_hash', 'glossary_version'] as const;
const FINDING_COLUMNS = ['article_id', 'detector', 'kind', 'severity', 'start', 'end', 'text', 'suggestion', 'concept', 'message'] as const;
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

const UPSERT_HEAD = `INSERT INTO articles (${ARTICLE_COLUMNS.join(', ')}) VALUES `;
// Rows reach this statement only when the slug is new or its text changed (see writeGroup).
const UPSERT_TAIL = ` ON CONFLICT(slug) DO UPDATE SET
  title = excluded.title, outlet = excluded.outlet, origin_lang = excluded.origin_lang,
  detected_lang = excluded.detected_lang, date = excluded.date, url = excluded.url, story = excluded.story,
  text = excluded.text, source_text = excluded.source_text, content_hash = excluded.content_hash,
  glossary_version = excluded.glossary_version, revision = articles.revision + 1, updated_at = ${NOW}
RETURNING id, slug, revision`;

const placeholderCache = new Map<string, string>();
/** "(?,?,?),(?,?,?)" for `rows` rows of `cols` columns. */
function placeholders(cols: number, rows: number): string {
  const key = `${cols}x${rows}`;
  let s = placeholderCache.get(key);
  if (s === undefined) {
    const row = `(${new Array(cols).fill('?').join(',')})`;
    s = new Array(rows).fill(row).join(',');
    if (placeholderCache.size > 64) placeholderCache.clear();
    placeholderCache.set(key, s);
  }
  return s;
}

/** Split `items` into runs that bind at most MAX_PARAMS parameters at `perItem` each. */
function* chunks<T>(items: readonly T[], perItem: number): Generator<readonly T[]> {
  const size = Math.max(1, Math.floor(MAX_PARAMS / perItem));
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export class ArticleStore {
  constructor(private readonly db: Db) {}

  bySlug(slug: string): Promise<ArticleRow | undefined> {
    return this.db.get<ArticleRow>('SELECT * FROM articles WHERE slug = ?', [slug]);
  }

  byId(id: number): Promise<ArticleRow | undefined> {
    return this.db.get<ArticleRow>('SELECT * FROM articles WHERE id = ?', [id]);
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles').then((r) => r?.n ?? 0);
  }

  /** Every text the article has had, oldest first (the last one is its current text). */
  revisions(articleId: number): Promise<RevisionRow[]> {
    return this.db.all<RevisionRow>(
      'SELECT revision, text, content_hash, created_at FROM article_revisions WHERE article_id = ? ORDER BY revision',
      [articleId],
    );
  }

  /** Current content hash of each of these slugs that is stored (one SELECT per 30,000 slugs). */
  async hashesBySlug(slugs: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(slugs, 1)) {
      const rows = await this.db.all<{ slug: string; content_hash: string }>(
        `SELECT slug, content_hash FROM articles WHERE slug IN (${new Array(part.length).fill('?').join(',')})`,
        part as string[],
      );
      for (const r of rows) out.set(r.slug, r.content_hash);
    }
    return out;
  }

  /** Insert or update by slug; unchanged text (same hash) is left alone. Returns the id and whether it changed. */
  async upsert(a: NewArticle, findings: readonly Finding[]): Promise<{ id: number; changed: boolean }> {
    // (findings is never null here, so the outcome is never 'stale')
    const [r] = await this.writeBatch([{ article: a, findings }]);
    return { id: r!.id, changed: r!.status !== 'unchanged' };
  }

  /**
   * Store a batch of articles in one transaction, in order. By slug: a new slug is added (revision
   * 1); a stored slug with the same content hash is left exactly as it is (metadata, findings and
   * revisions included); a stored slug with another hash gets the new text and metadata as its next
   * revision, the earlier text staying in article_revisions, and its findings replaced. A slug given
   * twice is handled as two writes one after the other. Outcomes come back in input order.
   */
  writeBatch(rows: readonly ArticleWrite[]): Promise<WriteOutcome[]> {
    if (!rows.length) return Promise.resolve([]);
    return this.db.transaction(async (tx) => {
      const out: WriteOutcome[] = new Array(rows.length);
      // Groups of distinct slugs, so that one multi-row statement never touches a row twice.
      let group: number[] = [];
      let seen = new Set<string>();
      for (let i = 0; i < rows.length; i++) {
        const slug = rows[i]!.article.slug;
        if (seen.has(slug)) {
          await writeGroup(tx, rows, group, out);
          group = [];
          seen = new Set();
        }
        seen.add(slug);
        group.push(i);
      }
      await writeGroup(tx, rows, group, out);
      return out;
    });
  }

  /**
   * Replace an article's findings after a rescan (glossary change), recording the glossary version
   * they were computed with. Skipped (false) when the text changed since it was read.
   */
  replaceFindings(articleId: number, contentHash: string, findings: readonly Finding[], glossaryVersion: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE articles SET glossary_version = ?, updated_at = ${NOW} WHERE id = ? AND content_hash = ?`,
        [glossaryVersion, articleId, contentHash],
      );
      if (r.changes !== 1) return false;
      await tx.run('DELETE FROM findings WHERE article_id = ?', [articleId]);
      await insertFindings(tx, [{ id: articleId, findings }]);
      return true;
    });
  }

  findings(articleId: number): Promise<(Finding & { id: number })[]> {
    return this.db.all('SELECT id, detector, kind, severity, start, end, text, suggestion, concept, message FROM findings WHERE article_id = ? ORDER BY start, end', [articleId]);
  }

  sameStory(story: string, exceptId: number): Promise<Pick<ArticleRow, 'id' | 'slug' | 'title' | 'outlet'>[]> {
    return this.db.all('SELECT id, slug, title, outlet FROM articles WHERE story = ? AND id != ? ORDER BY date, id', [story, exceptId]);
  }

  /**
   * Articles whose current findings are about a glossary concept, most findings first (at most
   * `limit`): each with its number of such findings and the distinct texts found (JSON list).
   */
  occurrences(
    conceptId: string,
    limit = 50,
  ): Promise<{ slug: string; title: string; outlet: string | null; date: string | null; findings: number; texts: string }[]> {
    return this.db.all(
      `SELECT a.slug, a.title, a.outlet, a.date, COUNT(*) AS findings, json_group_array(DISTINCT f.text) AS texts
       FROM findings f JOIN articles a ON a.id = f.article_id
       WHERE f.concept = ?
       GROUP BY a.id ORDER BY findings DESC, a.date DESC, a.id LIMIT ?`,
      [conceptId, limit],
    );
  }
}

/** Write rows[idx] (distinct slugs) inside the open transaction, filling out[idx]. */
async function writeGroup(tx: Db, rows: readonly ArticleWrite[], idx: readonly number[], out: WriteOutcome[]): Promise<void> {
  if (!idx.length) return;
  // One SELECT: which slugs are stored, with which text.
  const stored = new Map<string, { id: number; content_hash: string; revision: number }>();
  for (const part of chunks(idx, 1)) {
    const found = await tx.all<{ id: number; slug: string; content_hash: string; revision: number }>(
      `SELECT id, slug, content_hash, revision FROM articles WHERE slug IN (${new Array(part.length).fill('?').join(',')})`,
      part.map((i) => rows[i]!.article.slug),
    );
    for (const r of found) stored.set(r.slug, r);
  }
  const write: number[] = [];
  for (const i of idx) {
    const a = rows[i]!.article;
    const old = stored.get(a.slug);
    if (old && old.content_hash === a.content_hash) {
      out[i] = { slug: a.slug, id: old.id, status: 'unchanged', revision: old.revision, findings: 0 };
    } else if (rows[i]!.findings === null) {
      out[i] = { slug: a.slug, id: old?.id ?? 0, status: 'stale', revision: old?.revision ?? 0, findings: 0 };
    } else write.push(i);
  }
  if (!write.length) return;

  // Articles: new ones inserted, changed ones updated to their next revision.
  const written = new Map<string, { id: number; revision: number }>();
  for (const part of chunks(write, ARTICLE_COLUMNS.length)) {
    const params: unknown[] = [];
    for (const i of part) {
      const a = rows[i]!.article;
      params.push(a.slug, a.title, a.outlet, a.origin_lang, a.detected_lang, a.date, a.url, a.story, a.text, a.source_text, a.content_hash, a.glossary_version);
    }
    const got = await tx.all<{ id: number; slug: string; revision: number }>(
      UPSERT_HEAD + placeholders(ARTICLE_COLUMNS.length, part.length) + UPSERT_TAIL,
      params,
    );
    for (const r of got) written.set(r.slug, r);
  }
  const targets: { id: number; findings: readonly Finding[] }[] = [];
  const revisedIds: number[] = [];
  for (const i of write) {
    const article = rows[i]!.article;
    const findings = rows[i]!.findings!;
    const w = written.get(article.slug);
    if (!w) throw new Error(`the article "${article.slug}" was not written`);
    const revised = stored.has(article.slug);
    if (revised) revisedIds.push(w.id);
    out[i] = { slug: article.slug, id: w.id, status: revised ? 'revised' : 'added', revision: w.revision, findings: findings.length };
    targets.push({ id: w.id, findings });
  }

  // Every revision's text.
  for (const part of chunks(write, 4)) {
    const params: unknown[] = [];
    for (const i of part) {
      const a = rows[i]!.article;
      const w = written.get(a.slug)!;
      params.push(w.id, w.revision, a.text, a.content_hash);
    }
    await tx.run(`INSERT INTO article_revisions (article_id, revision, text, content_hash) VALUES ${placeholders(4, part.length)}`, params);
  }

  // Findings: the revised articles' old ones go, then all new ones in multi-row INSERTs.
  for (const part of chunks(revisedIds, 1)) {
    await tx.run(`DELETE FROM findings WHERE article_id IN (${new Array(part.length).fill('?').join(',')})`, part as number[]);
  }
  await insertFindings(tx, targets);
}

async function insertFindings(tx: Db, targets: readonly { id: number; findings: readonly Finding[] }[]): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMS / FINDING_COLUMNS.length);
  let params: unknown[] = [];
  let n = 0;
  const flush = async () => {
    if (!n) return;
    await tx.run(`INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) VALUES ${placeholders(FINDING_COLUMNS.length, n)}`, params);
    params = [];
    n = 0;
  };
  for (const t of targets) {
    for (const f of t.findings) {
      params.push(t.id, f.detector, f.kind, f.severity as Severity, f.start, f.end, f.text, f.suggestion, f.concept, f.message);
      if (++n === perStatement) await flush();
    }
  }
  await flush();
}
