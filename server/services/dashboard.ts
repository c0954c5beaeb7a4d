// The dashboard's numbers: artefact rates by outlet and by origin language, artefact kinds by
// origin language, review progress and the distribution of quality scores; each also as CSV.
//
// Artefacts are the findings of the detectors (and story findings, where that table exists) that
// no reviewer dismissed: open ones and accepted ones. Their rate is artefacts per 1,000 words of
// the articles of the group (core/score.ts counts the words), rounded to one decimal place.
// Review progress counts articles reviewed (an annotation or a decision) or not, and findings by
// the decision in force: accepted, dismissed or undecided. Scores: services/scores.ts.
import type { DashArticle, DashboardFilter, DashboardStore, FindingTally } from '../store/dashboard.ts';
import type { ScoreService } from './scores.ts';

export type { DashboardFilter } from '../store/dashboard.ts';

export const CHARTS = ['rate-by-outlet', 'rate-by-language', 'kinds-by-language', 'review-progress', 'score-distribution'] as const;
export type ChartId = (typeof CHARTS)[number];

export const NO_OUTLET = '(no outlet)';
export const NO_LANGUAGE = '(unknown)';

export interface RateRow {
  /** Outlet name or origin language code (NO_OUTLET, NO_LANGUAGE when the article has none). */
  key: string;
  articles: number;
  words: number;
  /** Artefacts: findings not dismissed. */
  findings: number;
  /** findings × 1000 / words, one decimal place (0 without words). */
  per1000: number;
}

export interface KindsByLanguage {
  languages: string[];
  /** Kinds that occur, most frequent first. */
  kinds: string[];
  /** counts[language][kind]. */
  counts: Record<string, Record<string, number>>;
  byLanguage: Record<string, number>;
  byKind: Record<string, number>;
  total: number;
}

export interface Progress {
  articles: { reviewed: number; notReviewed: number };
  findings: { accepted: number; dismissed: number; undecided: number };
}

export interface Bucket {
  /** '0–10' … '90–100', or 'not reviewed'. */
  label: string;
  /** Scores from `from` up to, not including, `to` (the last bucket includes 100); null for not reviewed. */
  from: number | null;
  to: number | null;
  articles: number;
}

export interface DashboardData {
  filter: DashboardFilter;
  articles: number;
  words: number;
  storyFindings: boolean;
  rateByOutlet: RateRow[];
  rateByLanguage: RateRow[];
  kinds: KindsByLanguage;
  progress: Progress;
  /** Ten buckets of reviewed articles' scores, then the articles not reviewed. */
  distribution: Bucket[];
}

/** findings × 1000 / words, rounded to one decimal place; 0 without words. */
export function per1000(findings: number, words: number): number {
  return words > 0 ? Math.round((findings * 10_000) / words) / 10 : 0;
}

/** The bucket (0..9) of a score from 0 to 100: 10 points each, 100 in the last. */
export function bucketOf(score: number): number {
  return Math.min(9, Math.max(0, Math.floor(score / 10)));
}

/**
 * Round numbers for an axis from 0 to at least `max`: about `count` steps of 1, 2 or 5 × 10^k
 * (whole steps only when `whole`, for counts).
 */
export function niceTicks(max: number, count = 5, whole = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  if (whole) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** Highest rate first, then by name. */
const byRate = (x: RateRow, y: RateRow) => y.per1000 - x.per1000 || x.key.localeCompare(y.key, 'en', { sensitivity: 'base' });

export class DashboardService {
  private cache = new Map<string, DashboardData>();

  constructor(
    private readonly store: DashboardStore,
    private readonly scores: ScoreService,
  ) {}

  facets(): Promise<{ outlets: string[]; languages: string[] }> {
    return this.store.facets();
  }

  /** Every chart's numbers for the articles the filter selects (kept until the database changes). */
  async data(filter: DashboardFilter = {}): Promise<DashboardData> {
    const key = `${await this.store.version()}|${JSON.stringify([filter.from, filter.to, filter.outlet, filter.lang])}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const [articles, findings] = await Promise.all([this.store.articles(filter), this.store.findings(filter)]);
    const words = await this.scores.wordsOf(articles);
    const data = await this.compute(filter, articles, findings, words);
    if (this.cache.size >= 16) this.cache.clear();
    this.cache.set(key, data);
    return data;
  }

  /** Every selected article's score as CSV: one row per article, by slug. */
  async scoresCsv(filter: DashboardFilter = {}): Promise<string> {
    const articles = await this.store.articles(filter);
    const scores = await this.scores.forArticles(articles.map((a) => a.id));
    const head = ['article', 'title', 'outlet', 'origin_language', 'date', 'revision', 'reviewed', 'words', 'penalty', 'per_1000_words', 'score', 'minor', 'major', 'critical', 'minor_punctuation'];
    const rows = articles.flatMap((a) => {
      const s = scores.get(a.id);
      if (!s) return [];
      return [[a.slug, a.title, a.outlet ?? '', a.origin_lang ?? '', a.date ?? '', a.revision, s.reviewed ? 'yes' : 'no', s.words, s.penalty, s.per1000, s.score, s.counts.minor, s.counts.major, s.counts.critical, s.punctuation]];
    });
    return csv([head, ...rows]);
  }

  private async compute(filter: DashboardFilter, articles: DashArticle[], findings: FindingTally[], words: Map<number, number>): Promise<DashboardData> {
    const outletOf = (o: string | null) => o ?? NO_OUTLET;
    const langOf = (l: string | null) => l ?? NO_LANGUAGE;
    const outlets = new Map<string, RateRow>();
    const langs = new Map<string, RateRow>();
    const row = (m: Map<string, RateRow>, key: string) => {
      let r = m.get(key);
      if (!r) m.set(key, (r = { key, articles: 0, words: 0, findings: 0, per1000: 0 }));
      return r;
    };
    let totalWords = 0;
    for (const a of articles) {
      const w = words.get(a.id) ?? 0;
      totalWords += w;
      for (const r of [row(outlets, outletOf(a.outlet)), row(langs, langOf(a.origin_lang))]) {
        r.articles++;
        r.words += w;
      }
    }
    const kinds: KindsByLanguage = { languages: [], kinds: [], counts: {}, byLanguage: {}, byKind: {}, total: 0 };
    const progress: Progress = { articles: { reviewed: 0, notReviewed: 0 }, findings: { accepted: 0, dismissed: 0, undecided: 0 } };
    for (const f of findings) {
      if (f.decision === 'dismissed') {
        progress.findings.dismissed += f.n;
        continue;
      }
      if (f.decision === 'accepted') progress.findings.accepted += f.n;
      else progress.findings.undecided += f.n;
      row(outlets, outletOf(f.outlet)).findings += f.n;
      const lang = langOf(f.origin_lang);
      row(langs, lang).findings += f.n;
      const c = (kinds.counts[lang] ??= {});
      c[f.kind] = (c[f.kind] ?? 0) + f.n;
      kinds.byLanguage[lang] = (kinds.byLanguage[lang] ?? 0) + f.n;
      kinds.byKind[f.kind] = (kinds.byKind[f.kind] ?? 0) + f.n;
      kinds.total += f.n;
    }
    for (const r of [...outlets.values(), ...langs.values()]) r.per1000 = per1000(r.findings, r.words);
    kinds.languages = [...langs.keys()].sort((x, y) => x.localeCompare(y));
    for (const l of kinds.languages) {
      kinds.counts[l] ??= {};
      kinds.byLanguage[l] ??= 0;
    }
    kinds.kinds = Object.keys(kinds.byKind).sort((x, y) => kinds.byKind[y]! - kinds.byKind[x]! || x.localeCompare(y));

    const reviewedKeys = articles.filter((a) => a.reviewed);
    progress.articles.reviewed = reviewedKeys.length;
    progress.articles.notReviewed = articles.length - reviewedKeys.length;
    const scores = await this.scores.reviewed(reviewedKeys);
    const distribution: Bucket[] = Array.from({ length: 10 }, (_, i) => ({ label: `${i * 10}–${i * 10 + 10}`, from: i * 10, to: i * 10 + 10, articles: 0 }));
    for (const s of scores.values()) distribution[bucketOf(s.score)]!.articles++;
    distribution.push({ label: 'not reviewed', from: null, to: null, articles: progress.articles.notReviewed });

    return {
      filter,
      articles: articles.length,
      words: totalWords,
      storyFindings: await this.store.hasStoryFindings(),
      rateByOutlet: [...outlets.values()].sort(byRate),
      rateByLanguage: [...langs.values()].sort(byRate),
      kinds,
      progress,
      distribution,
    };
  }
}

// ------------------------------------------------------------------------------------------- CSV

/** A CSV field: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One chart's numbers as CSV (RFC 4180, CRLF line ends, a header row). */
export function chartCsv(chart: ChartId, d: DashboardData): string {
  switch (chart) {
    case 'rate-by-outlet':
    case 'rate-by-language': {
      const list = chart === 'rate-by-outlet' ? d.rateByOutlet : d.rateByLanguage;
      const head = chart === 'rate-by-outlet' ? 'outlet' : 'origin_language';
      return csv([[head, 'articles', 'words', 'findings', 'findings_per_1000_words'], ...list.map((r) => [r.key, r.articles, r.words, r.findings, r.per1000])]);
    }
    case 'kinds-by-language': {
      const k = d.kinds;
      return csv([
        ['kind', ...k.languages, 'total'],
        ...k.kinds.map((kind) => [kind, ...k.languages.map((l) => k.counts[l]?.[kind] ?? 0), k.byKind[kind] ?? 0]),
        ['total', ...k.languages.map((l) => k.byLanguage[l] ?? 0), k.total],
      ]);
    }
    case 'review-progress': {
      const p = d.progress;
      return csv([
        ['group', 'status', 'count'],
        ['articles', 'reviewed', p.articles.reviewed],
        ['articles', 'not reviewed', p.articles.notReviewed],
        ['findings', 'accepted', p.findings.accepted],
        ['findings', 'dismissed', p.findings.dismissed],
        ['findings', 'undecided', p.findings.undecided],
      ]);
    }
    case 'score-distribution':
      return csv([['score', 'articles'], ...d.distribution.map((b) => [b.label.replace('–', '-'), b.articles])]);
  }
}
