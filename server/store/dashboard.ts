// Quality scores and the dashboard: the SQL. Services (services/scores.ts, services/dashboard.ts)
// turn these rows into scores, rates and charts; nothing here knows the weights.
//
// Which optional tables exist is checked once, when the store is made: annotations and
// finding_decisions (migration 4) and story_findings (fact-mismatch findings across the rewrites of
// a story, added later). Without them an article has no issues and no decisions, and artefacts are
// the rows of findings alone.
//
// A finding's decision is the latest one recorded on what identifies it across rescans (article,
// detector, span and text), as in store/queue.ts; decisions are only ever matched that way.
import type { Db } from './db.ts';

/** What identifies the text an article has now (the words cache is keyed by it). */
export interface ArticleKey {
  id: number;
  revision: number;
  content_hash: string;
}

/** An article as the dashboard groups it. */
export interface DashArticle extends ArticleKey {
  slug: string;
  title: string;
  date: string | null;
  outlet: string | null;
  origin_lang: string | null;
  /** 1 when the article has an annotation or a decision on one of its findings. */
  reviewed: number;
}

/** Anchored annotations of one article by severity, punctuation ones apart. */
export interface IssueTally {
  article_id: number;
  severity: string;
  category: string;
  n: number;
}

/** Findings (and story findings) counted by group, kind and the decision in force on them. */
export interface FindingTally {
  outlet: string | null;
  origin_lang: string | null;
  kind: string;
  decision: 'accepted' | 'dismissed' | null;
  n: number;
}

/** Which articles the dashboard looks at: dates are compared as text (yyyy-mm-dd). */
export interface DashboardFilter {
  from?: string;
  to?: string;
  outlet?: string;
  lang?: string;
}

interface Tables {
  annotations: boolean;
  decisions: boolean;
  /** story_findings, and whether it has the columns decisions are matched on. */
  storyFindings: { decisions: boolean } | null;
}

async function detectTables(db: Db): Promise<Tables> {
  const cols = async (table: string): Promise<Set<string> | null> => {
    const t = await db.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    if (!t) return null;
    return new Set((await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])).map((c) => c.name));
  };
  const has = (set: Set<string> | null, names: string[]) => Boolean(set && names.every((n) => set.has(n)));
  const [annotations, decisions, story] = await Promise.all([cols('annotations'), cols('finding_decisions'), cols('story_findings')]);
  const key = ['article_id', 'detector', 'start', 'end', 'text'];
  return {
    annotations: has(annotations, ['article_id', 'severity', 'category', 'status']),
    decisions: has(decisions, [...key, 'decision']),
    storyFindings: has(story, ['article_id', 'kind']) ? { decisions: has(story, key) } : null,
  };
}

/** Most ids bound in one statement (SQLite allows 32,766 parameters). */
const CHUNK = 10_000;

export class DashboardStore {
  private readonly tables: Promise<Tables>;

  constructor(private readonly db: Db) {
    this.tables = detectTables(db);
    this.tables.catch(() => undefined); // reported by the first query that needs it
  }

  /** Whether story findings are counted (the table exists). */
  async hasStoryFindings(): Promise<boolean> {
    return (await this.tables).storyFindings !== null;
  }

  /**
   * A key that changes whenever the database does: rows changed through this connection
   * (total_changes) or a commit by another connection (data_version).
   */
  async version(): Promise<string> {
    const v = await this.db.get<{ c: number; v: number }>('SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v');
    return `${v?.c}:${v?.v}`;
  }

  /** The articles the filter selects, with what the dashboard groups them by. */
  async articles(f: DashboardFilter): Promise<DashArticle[]> {
    const t = await this.tables;
    const { sql, params } = filterSql(f);
    return this.db.all<DashArticle>(
      `SELECT a.id, a.revision, a.content_hash, a.slug, a.title, a.date, a.outlet, a.origin_lang, ${reviewedSql(t)} AS reviewed
       FROM articles a ${sql} ORDER BY a.slug`,
      params,
    );
  }

  /** Keys and review state of these articles (those that exist). */
  async keys(ids: readonly number[]): Promise<(ArticleKey & { reviewed: number })[]> {
    const t = await this.tables;
    return this.chunked(ids, (marks) => `SELECT a.id, a.revision, a.content_hash, ${reviewedSql(t)} AS reviewed FROM articles a WHERE a.id IN (${marks})`);
  }

  /** Keys of every article with an annotation or a decision. */
  async reviewedKeys(): Promise<ArticleKey[]> {
    const t = await this.tables;
    const parts = [t.annotations ? 'SELECT article_id FROM annotations' : '', t.decisions ? 'SELECT article_id FROM finding_decisions' : ''].filter(Boolean);
    if (!parts.length) return [];
    return this.db.all<ArticleKey>(`SELECT a.id, a.revision, a.content_hash FROM articles a WHERE a.id IN (${parts.join(' UNION ')})`);
  }

  /** The current texts of these articles, with their keys. */
  texts(ids: readonly number[]): Promise<(ArticleKey & { text: string })[]> {
    return this.chunked(ids, (marks) => `SELECT id, revision, content_hash, text FROM articles WHERE id IN (${marks})`);
  }

  /** Keys of every article, by id (to warm the words cache). */
  allKeys(): Promise<ArticleKey[]> {
    return this.db.all<ArticleKey>('SELECT id, revision, content_hash FROM articles ORDER BY id');
  }

  /** Anchored annotations of these articles (all articles when ids is null), counted by severity and category. */
  async issues(ids: readonly number[] | null): Promise<IssueTally[]> {
    if (!(await this.tables).annotations) return [];
    const head = `SELECT article_id, severity, category, COUNT(*) AS n FROM annotations WHERE status = 'anchored'`;
    const tail = 'GROUP BY article_id, severity, category';
    if (ids === null) return this.db.all<IssueTally>(`${head} ${tail}`);
    return this.chunked(ids, (marks) => `${head} AND article_id IN (${marks}) ${tail}`);
  }

  /** Findings and story findings of the filtered articles by outlet, origin language, kind and decision. */
  async findings(f: DashboardFilter): Promise<FindingTally[]> {
    const t = await this.tables;
    const { sql, params } = filterSql(f);
    const one = (table: string, withDecisions: boolean) =>
      `SELECT a.outlet, a.origin_lang, x.kind, ${withDecisions ? decisionSql('x') : 'NULL'} AS decision, COUNT(*) AS n
       FROM ${table} x JOIN articles a ON a.id = x.article_id ${sql}
       GROUP BY a.outlet, a.origin_lang, x.kind, decision`;
    const parts = [one('findings', t.decisions)];
    const all = [...params];
    if (t.storyFindings) {
      parts.push(one('story_findings', t.decisions && t.storyFindings.decisions));
      all.push(...params);
    }
    return this.db.all<FindingTally>(parts.join(' UNION ALL '), all);
  }

  /** Outlets and origin languages of all articles (for the filters). */
  async facets(): Promise<{ outlets: string[]; languages: string[] }> {
    const [o, l] = await Promise.all([
      this.db.all<{ v: string }>('SELECT DISTINCT outlet AS v FROM articles WHERE outlet IS NOT NULL ORDER BY outlet COLLATE NOCASE'),
      this.db.all<{ v: string }>('SELECT DISTINCT origin_lang AS v FROM articles WHERE origin_lang IS NOT NULL ORDER BY origin_lang'),
    ]);
    return { outlets: o.map((r) => r.v), languages: l.map((r) => r.v) };
  }

  private async chunked<T>(ids: readonly number[], sql: (marks: string) => string): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      out.push(...(await this.db.all<T>(sql(part.map(() => '?').join(',')), part)));
    }
    return out;
  }
}

/** WHERE for a filter on the articles `a`, with its parameters. */
function filterSql(f: DashboardFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.from) {
    where.push('a.date >= ?');
    params.push(f.from);
  }
  if (f.to) {
    where.push('a.date <= ?');
    params.push(f.to);
  }
  if (f.outlet) {
    where.push('a.outlet = ?');
    params.push(f.outlet);
  }
  if (f.lang) {
    where.push('a.origin_lang = ?');
    params.push(f.lang);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** 1 when article `a` has review activity (an annotation or a decision), else 0. */
function reviewedSql(t: Tables): string {
  const parts: string[] = [];
  if (t.annotations) parts.push('EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)');
  if (t.decisions) parts.push('EXISTS (SELECT 1 FROM finding_decisions d WHERE d.article_id = a.id)');
  return parts.length ? `(${parts.join(' OR ')})` : '0';
}

/** The latest decision recorded on finding `x` ('accepted', 'dismissed'), or NULL. */
function decisionSql(x: string): string {
  return `(SELECT d.decision FROM finding_decisions d WHERE d.article_id = ${x}.article_id AND d.detector = ${x}.detector
    AND d.start = ${x}.start AND d.end = ${x}.end AND d.text = ${x}.text ORDER BY d.id DESC LIMIT 1)`;
}
