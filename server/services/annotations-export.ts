// Annotation exports: one article's or all annotations as a W3C Web Annotation collection
// (JSON-LD) or as MQM TSV.
import { toMqmTsv, toWebAnnotationCollection, type Annotation, type MqmCategory, type MqmSeverity } from '../core/annotations.ts';
import type { AnnotationRow, AnnotationStore } from '../store/annotations.ts';
import type { ArticleRow, ArticleStore } from '../store/articles.ts';

/** The annotations of `article` (all annotations when none) as JSON-LD. */
export async function exportJsonLd(store: AnnotationStore, article?: ArticleRow): Promise<string> {
  if (article) {
    const rows = await store.forArticle(article.id);
    return toWebAnnotationCollection(`Annotations of ${article.title}`, rows.map((r) => toAnnotation(r, article.slug)));
  }
  const rows = await store.all();
  return toWebAnnotationCollection('copydesk annotations', rows.map((r) => toAnnotation(r, r.slug)));
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
