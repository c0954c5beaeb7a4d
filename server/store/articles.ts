// Articles and their current findings.
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

export interface QueueRow {
  id: number;
  slug: string;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  detected_lang: string | null;
  date: string | null;
  errors: number;
  warnings: number;
  infos: number;
}

export class ArticleStore {
  constructor(private readonly db: Db) {}

  bySlug(slug: string): Promise<ArticleRow | undefined> {
    return this.db.get<ArticleRow>('SELECT * FROM articles WHERE slug = ?', [slug]);
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles').then((r) => r?.n ?? 0);
  }

  /** Insert or update by slug; unchanged text (same hash) is left alone. Returns the id and whether it changed. */
  async upsert(a: NewArticle, findings: Finding[]): Promise<{ id: number; changed: boolean }> {
    return this.db.transaction(async (tx) => {
      const old = await tx.get<{ id: number; content_hash: string; revision: number }>(
        'SELECT id, content_hash, revision FROM articles WHERE slug = ?',
        [a.slug],
      );
      let id: number;
      if (old && old.content_hash === a.content_hash) return { id: old.id, changed: false };
      if (old) {
        id = old.id;
        await tx.run(
          `UPDATE articles SET title=?, outlet=?, origin_lang=?, detected_lang=?, date=?, url=?, story=?, text=?, source_text=?,
             content_hash=?, revision=revision+1, glossary_version=?, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?`,
          [a.title, a.outlet, a.origin_lang, a.detected_lang, a.date, a.url, a.story, a.text, a.source_text, a.content_hash, a.glossary_version, id],
        );
      } else {
        const r = await tx.run(
          `INSERT INTO articles (slug, title, outlet, origin_lang, detected_lang, date, url, story, text, source_text, content_hash, glossary_version)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
          [a.slug, a.title, a.outlet, a.origin_lang, a.detected_lang, a.date, a.url, a.story, a.text, a.source_text, a.content_hash, a.glossary_version],
        );
        id = r.lastID;
      }
      await replaceFindings(tx, id, findings);
      return { id, changed: true };
    });
  }

  byId(id: number): Promise<ArticleRow | undefined> {
    return this.db.get<ArticleRow>('SELECT * FROM articles WHERE id = ?', [id]);
  }

  /**
   * Replace an article's findings after a rescan (glossary change), recording the glossary version
   * they were computed with. Skipped (false) when the text changed since it was read.
   */
  replaceFindings(articleId: number, contentHash: string, findings: Finding[], glossaryVersion: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.run(
        `UPDATE articles SET glossary_version = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND content_hash = ?`,
        [glossaryVersion, articleId, contentHash],
      );
      if (r.changes !== 1) return false;
      await replaceFindings(tx, articleId, findings);
      return true;
    });
  }

  findings(articleId: number): Promise<(Finding & { id: number })[]> {
    return this.db.all('SELECT id, detector, kind, severity, start, end, text, suggestion, concept, message FROM findings WHERE article_id = ? ORDER BY start, end', [articleId]);
  }

  queue(limit = 50, offset = 0): Promise<QueueRow[]> {
    return this.db.all<QueueRow>(
      `SELECT a.id, a.slug, a.title, a.outlet, a.origin_lang, a.detected_lang, a.date,
         COALESCE(SUM(f.severity = 'error'), 0) AS errors,
         COALESCE(SUM(f.severity = 'warning'), 0) AS warnings,
         COALESCE(SUM(f.severity = 'info'), 0) AS infos
       FROM articles a LEFT JOIN findings f ON f.article_id = a.id
       GROUP BY a.id ORDER BY a.date DESC, a.id LIMIT ? OFFSET ?`,
      [limit, offset],
    );
  }

  sameStory(story: string, exceptId: number): Promise<Pick<ArticleRow, 'id' | 'slug' | 'title' | 'outlet'>[]> {
    return this.db.all('SELECT id, slug, title, outlet FROM articles WHERE story = ? AND id != ? ORDER BY date, id', [story, exceptId]);
  }
}

async function replaceFindings(tx: Db, articleId: number, findings: Finding[]): Promise<void> {
  await tx.run('DELETE FROM findings WHERE article_id = ?', [articleId]);
  for (const f of findings) {
    await tx.run(
      'INSERT INTO findings (article_id, detector, kind, severity, start, end, text, suggestion, concept, message) VALUES (?,?,?,?,?,?,?,?,?,?)',
      [articleId, f.detector, f.kind, f.severity as Severity, f.start, f.end, f.text, f.suggestion, f.concept, f.message],
    );
  }
}
