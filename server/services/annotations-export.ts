// Annotation exports: one article's or all annotations as a W3C Web Annotation collection
// (JSON-LD) or as MQM TSV. The JSON-LD carries the quality score too (core/score.ts): an article's
// collection has 'copydesk:score'; the corpus collection 'copydesk:scores', one per annotated
// article. (The TSV stays one row per annotation; every article's score is in /scores.csv.)
import { toMqmTsv, toWebAnnotationCollection, type Annotation, type MqmCategory, type MqmSeverity } from '../core/annotations.ts';
import { MQM_MINOR_PUNCTUATION_WEIGHT, MQM_WEIGHTS, PUNCTUATION_CATEGORY, qualityScore, type MqmScoreSeverity } from '../core/score.ts';
import type { AnnotationRow, AnnotationStore } from '../store/annotations.ts';
import { ArticleStore, type ArticleRow } from '../store/articles.ts';

const SCORE_METHOD = `MQM-style: minor ${MQM_WEIGHTS.minor}, major ${MQM_WEIGHTS.major}, critical ${MQM_WEIGHTS.critical}, minor punctuation ${MQM_MINOR_PUNCTUATION_WEIGHT}; penalty per 1,000 words; score = 100 − that, at least 0; anchored annotations only`;

/** The quality score of a text from its annotations, as a JSON-LD property value. */
export function scoreProperty(text: string, rows: readonly AnnotationRow[], reviewed: boolean): Record<string, unknown> {
  const anchored = rows.filter((r) => r.status === 'anchored');
  const s = qualityScore(text, anchored.map((r) => ({ severity: r.severity as MqmScoreSeverity, category: r.category })));
  const punctuation = anchored.filter((r) => r.severity === 'minor' && r.category === PUNCTUATION_CATEGORY).length;
  return { reviewed, score: s.score, per1000: s.per1000, penalty: s.penalty, words: s.words, counts: { ...s.counts, minorPunctuation: punctuation }, method: SCORE_METHOD };
}

/** The annotations of `article` (all annotations when none) as JSON-LD. */
export async function exportJsonLd(store: AnnotationStore, article?: ArticleRow): Promise<string> {
  if (article) {
    const rows = await store.forArticle(article.id);
    const reviewed = rows.length > 0 || (await store.decisions(article.id)).length > 0;
    return toWebAnnotationCollection(`Annotations of ${article.title}`, rows.map((r) => toAnnotation(r, article.slug)), {
      'copydesk:score': scoreProperty(article.text, rows, reviewed),
    });
  }
  const rows = await store.all();
  const articles = new ArticleStore(store.db);
  const scores: Record<string, unknown>[] = [];
  for (const slug of new Set(rows.map((r) => r.slug))) {
    const a = await articles.bySlug(slug);
    if (a) scores.push({ article: slug, ...scoreProperty(a.text, rows.filter((r) => r.slug === slug), true) });
  }
  return toWebAnnotationCollection('copydesk annotations', rows.map((r) => toAnnotation(r, r.slug)), { 'copydesk:scores': scores });
}

/** The annotations of `article` (all annotations when none) as MQM TSV, with the texts they quote. */
export async function exportTsv(store: AnnotationStore, articles: ArticleStore, article?: ArticleRow): Promise<string> {
  if (article) {
    const rows = await store.forArticle(article.id);
    return toMqmTsv(rows.map((r) => toAnnotation(r, article.slug)), new Map([[article.slug, article.text]]));
  }
  const rows = await store.all();
  const texts = new Map<string, string>();
  for (const slug of new Set(rows.map((r) => r.slug))) {
    const a = await articles.bySlug(slug);
    if (a) texts.set(slug, a.text);
  }
  return toMqmTsv(rows.map((r) => toAnnotation(r, r.slug)), texts);
}

function toAnnotation(r: AnnotationRow, slug: string): Annotation {
  return {
    id: r.id,
    article: slug,
    reviewer: r.reviewer,
    category: r.category as MqmCategory,
    severity: r.severity as MqmSeverity,
    start: r.start,
    end: r.end,
    exact: r.exact,
    prefix: r.prefix,
    suffix: r.suffix,
    correction: r.correction,
    comment: r.comment,
    status: r.status,
    created: r.created_at,
    modified: r.updated_at,
  };
}
