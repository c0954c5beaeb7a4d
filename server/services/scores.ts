// Quality scores of articles, MQM-style (the weights and the formula: core/score.ts).
//
// The issues of an article are its anchored annotations: reviewers' own, and the findings they
// accepted (accepting a finding creates an annotation, so a finding is never counted apart from
// it; open and dismissed findings do not count). Orphaned annotations (their words are gone from
// the text) do not count either. An article is reviewed once it has an annotation or a decision on
// one of its findings; an article nobody reviewed scores 100 but is shown as "not reviewed".
//
// Scores are computed on read: the issues are one GROUP BY over the annotations of the articles
// asked for, and the words of each text are counted once per text (cached in memory by article id,
// revision and content hash), so a page of the queue counts words only for texts it has not seen.
import { MQM_WEIGHTS, PUNCTUATION_CATEGORY, issueWeight, wordCount, type MqmScoreSeverity, type QualityScore } from '../core/score.ts';
import type { ArticleKey, DashboardStore, IssueTally } from '../store/dashboard.ts';

export interface ArticleScore extends QualityScore {
  /** False while nobody annotated the article or decided on one of its findings. */
  reviewed: boolean;
  /** Of counts.minor, how many are punctuation issues (weighing 0.1 each). */
  punctuation: number;
}

/** An article's issues, counted: severity, category and how many. */
export interface IssueCount {
  severity: string;
  category: string;
  n: number;
}

/** The score of a text of `words` words with these issues: the same numbers as core/score.ts qualityScore. */
export function scoreOf(words: number, issues: readonly IssueCount[], reviewed: boolean): ArticleScore {
  const counts = { minor: 0, major: 0, critical: 0 };
  let tenths = 0;
  let punctuation = 0;
  let n = 0;
  for (const i of issues) {
    if (!(i.severity in MQM_WEIGHTS) || i.n <= 0) continue;
    const severity = i.severity as MqmScoreSeverity;
    counts[severity] += i.n;
    n += i.n;
    if (severity === 'minor' && i.category === PUNCTUATION_CATEGORY) punctuation += i.n;
    tenths += Math.round(issueWeight({ severity, category: i.category }) * 10) * i.n;
  }
  const divisor = words === 0 ? (n ? 1 : 0) : words;
  const per1000Tenths = divisor === 0 ? 0 : Math.round((tenths * 1000) / divisor);
  return {
    reviewed,
    words,
    penalty: tenths / 10,
    per1000: per1000Tenths / 10,
    score: Math.max(0, 1000 - per1000Tenths) / 10,
    counts,
    punctuation,
  };
}

/** A colour band for a score (the number is always shown too): the dashboard's buckets 90–100, 80–90, below. */
export function scoreBand(s: Pick<ArticleScore, 'reviewed' | 'score'>): 'none' | 'good' | 'fair' | 'poor' {
  if (!s.reviewed) return 'none';
  return s.score >= 90 ? 'good' : s.score >= 80 ? 'fair' : 'poor';
}

/** How many texts the words cache holds before it is cleared (far more than a large desk has). */
const MAX_CACHED = 200_000;
/** Texts read from the database per statement when counting words. */
const TEXT_BATCH = 100;

const keyOf = (k: ArticleKey) => `${k.revision}:${k.content_hash}`;

function groupIssues(rows: readonly IssueTally[]): Map<number, IssueCount[]> {
  const out = new Map<number, IssueCount[]>();
  for (const r of rows) {
    let list = out.get(r.article_id);
    if (!list) out.set(r.article_id, (list = []));
    list.push(r);
  }
  return out;
}

export class ScoreService {
  private readonly words = new Map<number, { key: string; words: number }>();
  private rankCache: { version: string; json: string } | null = null;

  constructor(readonly store: DashboardStore) {}

  /** The words of these texts: from the cache, the others counted now (and cached). */
  async wordsOf(keys: readonly ArticleKey[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const missing: number[] = [];
    for (const k of keys) {
      const hit = this.words.get(k.id);
      if (hit && hit.key === keyOf(k)) out.set(k.id, hit.words);
      else missing.push(k.id);
    }
    for (let i = 0; i < missing.length; i += TEXT_BATCH) {
      for (const t of await this.store.texts(missing.slice(i, i + TEXT_BATCH))) out.set(t.id, this.remember(t, wordCount(t.text)));
      if (missing.length > TEXT_BATCH) await new Promise((r) => setImmediate(r)); // let requests through between batches
    }
    return out;
  }

  private remember(k: ArticleKey, words: number): number {
    if (this.words.size >= MAX_CACHED) this.words.clear();
    this.words.set(k.id, { key: keyOf(k), words });
    return words;
  }

  /** The scores of these articles (those that exist). */
  async forArticles(ids: readonly number[]): Promise<Map<number, ArticleScore>> {
    if (!ids.length) return new Map();
    const [keys, issues] = await Promise.all([this.store.keys(ids), this.store.issues(ids)]);
    const words = await this.wordsOf(keys);
    const byArticle = groupIssues(issues);
    return new Map(keys.map((k) => [k.id, scoreOf(words.get(k.id) ?? 0, byArticle.get(k.id) ?? [], Boolean(k.reviewed))]));
  }

  /** The score of one article whose current text is at hand. */
  async forArticle(article: ArticleKey & { text: string }): Promise<ArticleScore> {
    const hit = this.words.get(article.id);
    if (!hit || hit.key !== keyOf(article)) this.remember(article, wordCount(article.text));
    const s = (await this.forArticles([article.id])).get(article.id);
    return s ?? scoreOf(wordCount(article.text), [], false);
  }

  /** Scores of every reviewed article (for the score distribution and the queue's sort). */
  async reviewed(keys?: readonly ArticleKey[]): Promise<Map<number, ArticleScore>> {
    const [list, issues] = await Promise.all([keys ? Promise.resolve(keys) : this.store.reviewedKeys(), this.store.issues(null)]);
    const words = await this.wordsOf(list);
    const byArticle = groupIssues(issues);
    return new Map(list.map((k) => [k.id, scoreOf(words.get(k.id) ?? 0, byArticle.get(k.id) ?? [], true)]));
  }

  /**
   * The queue's sort by score, as JSON for store/queue.ts: {"<article id>": per1000} for every
   * reviewed article (penalty per 1,000 words orders articles even where the score is clamped at
   * 0). Articles not in it are not reviewed. Kept until the database changes.
   */
  async rankJson(): Promise<string> {
    const version = await this.store.version();
    if (this.rankCache?.version === version) return this.rankCache.json;
    const rank: Record<string, number> = {};
    for (const [id, s] of await this.reviewed()) rank[id] = s.per1000;
    this.rankCache = { version, json: JSON.stringify(rank) };
    return this.rankCache.json;
  }

  /** Count the words of every text not counted yet (in batches, yielding between them). */
  async warm(): Promise<number> {
    return (await this.wordsOf(await this.store.allKeys())).size;
  }
}
