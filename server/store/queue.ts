// The review queue: the SQL. The ids of one page of articles are found first (filters, an ORDER BY
// from a fixed list, LIMIT/OFFSET, with the total), then for those ids only: their columns, their
// open findings counted by kind and severity in one GROUP BY, and their review activity. Values
// always go in as bound parameters; the only SQL text that varies comes from the constants below.
//
// A finding is open while no decision was recorded on it (finding_decisions, matched on what
// identifies a finding across rescans: article, detector, span and text). An article is 'new' while
// nobody has annotated it or decided on one of its findings, 'in-review' after. Those two tables
// come with a later migration: which of them exist is checked once, when the store is made; a
// database without them has every finding open and every article new.
import type { FindingKind, Severity } from '../core/types.ts';
import { Db } from './db.ts';

export const QUEUE_SORTS = ['date', 'title', 'outlet', 'errors', 'warnings', 'score'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type SortDir = 'asc' | 'desc';
export const QUEUE_STATUSES = ['new', 'in-review'] as const;
export type ReviewStatus = (typeof QUEUE_STATUSES)[number];

/** Every kind of finding the detectors report, in the order the filter lists them. */
export const FINDING_KINDS: readonly FindingKind[] = [
  'russian-form',
  'transliteration',
  'literal-translation',
  'mistranslation',
  'misspelling',
  'house-style',
  'name-variant',
  'dropped-apostrophe',
  'boilerplate',
  'untranslated',
  'inconsistent-naming',
  'fact-mismatch',
  'anachronism',
];

/** The direction a sort starts in when first chosen. */
export const DEFAULT_DIR: Record<QueueSort, SortDir> = { date: 'desc', title: 'asc', outlet: 'asc', errors: 'desc', warnings: 'desc', score: 'asc' };

export interface QueueFilter {
  /** Declared origin language (ISO 639-3). */
  lang?: string;
  outlet?: string;
  /** Articles with at least one open finding of this kind. */
  kind?: FindingKind;
  status?: ReviewStatus;
  /** Words searched (as one phrase, case-insensitively for ASCII) in the title and outlet… */
  q?: string;
  /** …and in the article text too. */
  body?: boolean;
  /** Only these slugs (e.g. the articles just added). */
  slugs?: readonly string[];
}

export interface QueueQuery extends QueueFilter {
  sort: QueueSort;
  dir: SortDir;
  limit: number;
  offset: number;
  /**
   * For the sort by score: JSON {"<article id>": penalty per 1,000 words} of the reviewed articles
   * (services/scores.ts rankJson). Ascending puts the lowest scores first; articles not in it (not
   * reviewed) come last either way. Without it the score sort is the date sort.
   */
  scoreRank?: string;
}

export interface QueueItem {
  id: number;
  slug: string;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  detected_lang: string | null;
  date: string | null;
  /** Open findings by severity. */
  errors: number;
  warnings: number;
  infos: number;
  /** Open findings by kind, most first; each with its worst severity. */
  kinds: { kind: string; n: number; severity: Severity }[];
  status: ReviewStatus;
  /** Who last annotated the article or decided on one of its findings, and when. */
  reviewer: string | null;
  reviewed_at: string | null;
}

export interface QueuePage {
  rows: QueueItem[];
  /** Articles matching the filters (all pages). */
  total: number;
}

export interface QueueFacets {
  languages: { code: string; n: number }[];
  outlets: { name: string; n: number }[];
}

/** Most slugs a `slugs` filter takes. */
export const MAX_SLUG_FILTER = 100;

const SEV_RANK: Record<string, number> = { error: 2, warning: 1, info: 0 };

/** `s` as a LIKE pattern matching it anywhere, with % _ and \ taken literally (ESCAPE '\'). */
export function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Stats {
  facets: QueueFacets;
  /** Findings (open or not) per kind, and in all. */
  kinds: Map<string, number>;
  findings: number;
}

interface ReviewTables {
  annotations: boolean;
  decisions: boolean;
}

/** Which review tables exist, with the columns this store reads. */
async function detectReviewTables(db: Db): Promise<ReviewTables> {
  const has = async (table: string, cols: string[]) => {
    const t = await db.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    if (!t) return false;
    const info = await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table]);
    const names = new Set(info.map((c) => c.name));
    return cols.every((c) => names.has(c));
  };
  return {
    annotations: await has('annotations', ['article_id', 'reviewer', 'updated_at']),
    decisions: await has('finding_decisions', ['article_id', 'detector', 'start', 'end', 'text', 'reviewer', 'created_at']),
  };
}

export class QueueStore {
  private readonly tables: Promise<ReviewTables>;
  private cache: { key: string; value: Stats } | null = null;

  constructor(private readonly db: Db) {
    this.tables = detectReviewTables(db);
    this.tables.catch(() => undefined); // reported by the first query that needs it
  }

  /** One page of the queue and the number of articles matching its filters. */
  async page(q: QueueQuery): Promise<QueuePage> {
    const t = await this.tables;
    const open = openClause(t, 'f');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.lang) {
      where.push('a.origin_lang = ?');
      params.push(q.lang);
    }
    if (q.outlet) {
      where.push('a.outlet = ?');
      params.push(q.outlet);
    }
    if (q.kind) {
      // A rare kind: the articles listed from the kind index (cost grows with its findings). A
      // common one: EXISTS per article, which stops at the first finding of the kind.
      const { kinds, findings } = await this.stats();
      const rare = (kinds.get(q.kind) ?? 0) * 8 < findings;
      // Both tables by name, not through the all_findings view: correlated subqueries over a view
      // of a UNION ALL are not flattened, and would scan it whole for every article.
      where.push(
        rare
          ? `a.id IN (SELECT f.article_id FROM findings f WHERE f.kind = ?${open} UNION ALL SELECT f.article_id FROM story_findings f WHERE f.kind = ?${open})`
          : `(EXISTS (SELECT 1 FROM findings f WHERE f.article_id = a.id AND f.kind = ?${open}) OR EXISTS (SELECT 1 FROM story_findings f WHERE f.article_id = a.id AND f.kind = ?${open}))`,
      );
      params.push(q.kind, q.kind);
    }
    if (q.status) {
      const active = activityClause(t);
      if (q.status === 'new') {
        if (active) where.push(`NOT (${active})`);
      } else where.push(active ?? '0');
    }
    if (q.q) {
      const like = likeContains(q.q);
      const cols = q.body ? ['a.title', 'a.outlet', 'a.text'] : ['a.title', 'a.outlet'];
      where.push(`(${cols.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let i = 0; i < cols.length; i++) params.push(like);
    }
    if (q.slugs) {
      const slugs = q.slugs.slice(0, MAX_SLUG_FILTER);
      where.push(slugs.length ? `a.slug IN (${slugs.map(() => '?').join(',')})` : '0');
      params.push(...slugs);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const ranked = q.sort === 'score' && q.scoreRank !== undefined;
    const orderSql = ranked ? scoreOrder(dir) : orderBy(q.sort, dir, open);
    // The page's ids first: the sorter carries ids only. With filters, the window count gives the
    // total in the same pass (measured: about half the time of a second, separate COUNT); the
    // whole table is counted apart, which SQLite does from the smallest index.
    const count = (): Promise<number> =>
      this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM articles a ${whereSql}`, params).then((r) => r?.n ?? 0);
    const [page, unfilteredTotal] = await Promise.all([
      this.db.all<{ id: number; total?: number }>(
        `${ranked ? SCORE_RANK_CTE : ''}SELECT a.id${where.length ? ', COUNT(*) OVER () AS total' : ''} FROM articles a ${ranked ? SCORE_RANK_JOIN : ''}${whereSql} ${orderSql} LIMIT ? OFFSET ?`,
        [...(ranked ? [q.scoreRank] : []), ...params, q.limit, q.offset],
      ),
      where.length ? Promise.resolve(null) : count(),
    ]);
    const total = unfilteredTotal ?? page[0]?.total ?? (q.offset > 0 ? await count() : 0);
    if (!page.length) return { rows: [], total };

    const idList = page.map((r) => r.id);
    const marks = idList.map(() => '?').join(',');
    const [details, counts, activity] = await Promise.all([
      this.db.all<Pick<QueueItem, 'id' | 'slug' | 'title' | 'outlet' | 'origin_lang' | 'detected_lang' | 'date'>>(
        `SELECT id, slug, title, outlet, origin_lang, detected_lang, date FROM articles WHERE id IN (${marks})`,
        idList,
      ),
      this.db.all<{ article_id: number; kind: string; severity: Severity; n: number }>(
        `SELECT f.article_id, f.kind, f.severity, COUNT(*) AS n FROM all_findings f
         WHERE f.article_id IN (${marks})${open}
         GROUP BY f.article_id, f.kind, f.severity`,
        idList,
      ),
      this.activity(t, idList, marks),
    ]);
    const byId = new Map(details.map((d) => [d.id, d]));
    const ids = idList.map((id) => byId.get(id)).filter((d) => d !== undefined); // (one deleted meanwhile is left out)
    const items = new Map<number, QueueItem>();
    for (const r of ids) {
      items.set(r.id, { ...r, errors: 0, warnings: 0, infos: 0, kinds: [], status: 'new', reviewer: null, reviewed_at: null });
    }
    for (const c of counts) {
      const it = items.get(c.article_id)!;
      if (c.severity === 'error') it.errors += c.n;
      else if (c.severity === 'warning') it.warnings += c.n;
      else it.infos += c.n;
      const k = it.kinds.find((x) => x.kind === c.kind);
      if (!k) it.kinds.push({ kind: c.kind, n: c.n, severity: c.severity });
      else {
        k.n += c.n;
        if (SEV_RANK[c.severity]! > SEV_RANK[k.severity]!) k.severity = c.severity;
      }
    }
    for (const it of items.values()) it.kinds.sort((x, y) => SEV_RANK[y.severity]! - SEV_RANK[x.severity]! || y.n - x.n || (x.kind < y.kind ? -1 : 1));
    for (const a of activity) {
      const it = items.get(a.article_id)!;
      it.status = 'in-review';
      if (it.reviewed_at === null || a.at > it.reviewed_at) {
        it.reviewed_at = a.at;
        it.reviewer = a.reviewer;
      }
    }
    return { rows: [...items.values()], total };
  }

  /** The values the filters offer: declared origin languages and outlets, with how many articles each. */
  async facets(): Promise<QueueFacets> {
    const { languages, outlets } = (await this.stats()).facets;
    return { languages: languages.map((l) => ({ ...l })), outlets: outlets.map((o) => ({ ...o })) };
  }

  /**
   * Facets and findings per kind. Reading them scans every article and the kind index, so they are
   * kept until the database changes: rows changed through this connection (total_changes) or a
   * commit by another connection (data_version).
   */
  private async stats(): Promise<Stats> {
    const v = await this.db.get<{ c: number; v: number }>('SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v');
    const key = `${v?.c}:${v?.v}`;
    if (this.cache?.key === key) return this.cache.value;
    this.cache = { key, value: await this.readStats() };
    return this.cache.value;
  }

  private async readStats(): Promise<Stats> {
    const [rows, kindRows] = await Promise.all([
      this.db.all<{ origin_lang: string | null; outlet: string | null; n: number }>(
        'SELECT origin_lang, outlet, COUNT(*) AS n FROM articles GROUP BY origin_lang, outlet',
      ),
      this.db.all<{ kind: string; n: number }>('SELECT kind, COUNT(*) AS n FROM all_findings GROUP BY kind'),
    ]);
    const langs = new Map<string, number>();
    const outlets = new Map<string, number>();
    for (const r of rows) {
      if (r.origin_lang) langs.set(r.origin_lang, (langs.get(r.origin_lang) ?? 0) + r.n);
      if (r.outlet) outlets.set(r.outlet, (outlets.get(r.outlet) ?? 0) + r.n);
    }
    const byName = <K extends string>(key: K) => (x: Record<K, string>, y: Record<K, string>) =>
      x[key].localeCompare(y[key], 'en', { sensitivity: 'base' });
    return {
      facets: {
        languages: [...langs].map(([code, n]) => ({ code, n })).sort(byName('code')),
        outlets: [...outlets].map(([name, n]) => ({ name, n })).sort(byName('name')),
      },
      kinds: new Map(kindRows.map((r) => [r.kind, r.n])),
      findings: kindRows.reduce((t, r) => t + r.n, 0),
    };
  }

  /** Rows of review activity (annotations, decisions) of these articles: who and when. */
  private async activity(t: ReviewTables, ids: number[], marks: string): Promise<{ article_id: number; reviewer: string; at: string }[]> {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (t.annotations) {
      parts.push(`SELECT article_id, reviewer, updated_at AS at FROM annotations WHERE article_id IN (${marks})`);
      params.push(...ids);
    }
    if (t.decisions) {
      parts.push(`SELECT article_id, reviewer, created_at AS at FROM finding_decisions WHERE article_id IN (${marks})`);
      params.push(...ids);
    }
    if (!parts.length) return [];
    return this.db.all(parts.join(' UNION ALL '), params);
  }
}

/** " AND <the finding f has no decision>", or "" when decisions are not recorded in this database. */
function openClause(t: ReviewTables, f: string): string {
  if (!t.decisions) return '';
  return ` AND NOT EXISTS (SELECT 1 FROM finding_decisions d WHERE d.article_id = ${f}.article_id AND d.detector = ${f}.detector
    AND d.start = ${f}.start AND d.end = ${f}.end AND d.text = ${f}.text)`;
}

/** "<article a has review activity>", or null when this database records none. */
function activityClause(t: ReviewTables): string | null {
  const parts: string[] = [];
  if (t.annotations) parts.push('EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)');
  if (t.decisions) parts.push('EXISTS (SELECT 1 FROM finding_decisions d WHERE d.article_id = a.id)');
  return parts.length ? parts.join(' OR ') : null;
}

/** The score sort: the ranks (JSON, bound first) as a table joined to the articles `a`. */
const SCORE_RANK_CTE = 'WITH score_rank(id, per1000) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(?)) ';
const SCORE_RANK_JOIN = 'LEFT JOIN score_rank sr ON sr.id = a.id ';

/** Lowest score (highest penalty per 1,000 words) first when ascending; not reviewed last either way. */
function scoreOrder(dir: 'ASC' | 'DESC'): string {
  return `ORDER BY sr.per1000 IS NULL, sr.per1000 ${dir === 'ASC' ? 'DESC' : 'ASC'}, a.date IS NULL, a.date DESC, a.id DESC`;
}

/**
 * ORDER BY for a sort from QUEUE_SORTS; articles without the value (no date, no outlet) come last
 * either way. Counts are correlated subqueries over findings(article_id): measured at 10,000
 * articles, as fast as joining counts aggregated over all findings, and much faster once a filter
 * has narrowed the articles down.
 */
function orderBy(sort: QueueSort, dir: 'ASC' | 'DESC', open: string): string {
  const count = (sev: Severity) =>
    `((SELECT COUNT(*) FROM findings f WHERE f.article_id = a.id AND f.severity = '${sev}'${open}) + (SELECT COUNT(*) FROM story_findings f WHERE f.article_id = a.id AND f.severity = '${sev}'${open}))`;
  switch (sort) {
    case 'title':
      return `ORDER BY a.title COLLATE NOCASE ${dir}, a.id ${dir}`;
    case 'outlet':
      return `ORDER BY a.outlet IS NULL, a.outlet COLLATE NOCASE ${dir}, a.date IS NULL, a.date DESC, a.id DESC`;
    case 'errors':
      return `ORDER BY ${count('error')} ${dir}, a.date IS NULL, a.date DESC, a.id DESC`;
    case 'warnings':
      return `ORDER BY ${count('warning')} ${dir}, a.date IS NULL, a.date DESC, a.id DESC`;
    case 'date':
    default:
      return `ORDER BY a.date IS NULL, a.date ${dir}, a.id ${dir}`;
  }
}
