// Reviewer annotations: MQM-style categories and severities, and their two exchange formats — W3C
// Web Annotation JSON-LD (TextQuoteSelector + TextPositionSelector) and an MQM-style TSV. Pure.
import { LineIndex } from './text.ts';

export const MQM_CATEGORIES = [
  { id: 'accuracy/mistranslation', label: 'Accuracy — mistranslation' },
  { id: 'accuracy/omission', label: 'Accuracy — omission' },
  { id: 'accuracy/addition', label: 'Accuracy — addition' },
  { id: 'accuracy/untranslated', label: 'Accuracy — untranslated' },
  { id: 'fluency/spelling', label: 'Fluency — spelling' },
  { id: 'fluency/punctuation', label: 'Fluency — punctuation' },
  { id: 'fluency/grammar', label: 'Fluency — grammar' },
  { id: 'terminology', label: 'Terminology' },
  { id: 'style', label: 'Style' },
  { id: 'locale-convention/names', label: 'Locale convention — names' },
  { id: 'source-site-residue', label: 'Source-site residue' },
] as const;
export type MqmCategory = (typeof MQM_CATEGORIES)[number]['id'];
export const MQM_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type MqmSeverity = (typeof MQM_SEVERITIES)[number];

export function isMqmCategory(s: unknown): s is MqmCategory {
  return MQM_CATEGORIES.some((c) => c.id === s);
}
export function isMqmSeverity(s: unknown): s is MqmSeverity {
  return (MQM_SEVERITIES as readonly unknown[]).includes(s);
}

export interface Annotation {
  id: number;
  article: string;
  reviewer: string;
  category: MqmCategory;
  severity: MqmSeverity;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  correction: string | null;
  comment: string | null;
  /** 'orphaned' when a revision of the text removed the quoted span. */
  status: 'anchored' | 'orphaned';
  created: string;
  modified: string;
}

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

/** One annotation as a W3C Web Annotation. */
export function toWebAnnotation(a: Annotation): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextualBody', purpose: 'classifying', value: a.category },
    { type: 'TextualBody', purpose: 'assessing', value: a.severity },
  ];
  if (a.correction) body.push({ type: 'TextualBody', purpose: 'editing', value: a.correction });
  if (a.comment) body.push({ type: 'TextualBody', purpose: 'commenting', value: a.comment });
  return {
    '@context': ANNO_CONTEXT,
    id: `urn:copydesk:annotation:${a.id}`,
    type: 'Annotation',
    motivation: a.correction ? 'editing' : 'assessing',
    creator: { type: 'Person', name: a.reviewer },
    created: a.created,
    modified: a.modified,
    body,
    target: {
      source: `urn:copydesk:article:${encodeURIComponent(a.article)}`,
      selector: [
        { type: 'TextQuoteSelector', exact: a.exact, prefix: a.prefix, suffix: a.suffix },
        { type: 'TextPositionSelector', start: a.start, end: a.end },
      ],
    },
    ...(a.status === 'orphaned' ? { 'copydesk:orphaned': true } : {}),
  };
}

/**
 * A collection of annotations (one article, or the corpus) as a JSON-LD document. `extra` adds
 * properties to the collection (the article's quality score: 'copydesk:score').
 */
export function toWebAnnotationCollection(label: string, annotations: readonly Annotation[], extra: Record<string, unknown> = {}): string {
  return (
    JSON.stringify(
      {
        '@context': ANNO_CONTEXT,
        type: 'AnnotationCollection',
        label,
        total: annotations.length,
        ...extra,
        first: { type: 'AnnotationPage', items: annotations.map((a) => ({ ...toWebAnnotation(a), '@context': undefined })) },
      },
      null,
      2,
    ) + '\n'
  );
}

const TSV_HEADER = ['article', 'paragraph', 'reviewer', 'category', 'severity', 'start', 'end', 'span', 'correction', 'comment'];

/** Tabs and line breaks inside a TSV field are escaped as \t, \n, \r, and backslashes as \\. */
function tsvField(s: string | number | null): string {
  return String(s ?? '').replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * MQM-style TSV: one row per annotation, paragraph = 1-based line of the span's start in the
 * article text. `texts` maps article slug -> text (for paragraph numbers).
 */
export function toMqmTsv(annotations: readonly Annotation[], texts: ReadonlyMap<string, string>): string {
  const indexes = new Map<string, LineIndex>();
  const rows = [TSV_HEADER.join('\t')];
  for (const a of annotations) {
    const text = texts.get(a.article);
    let para: number | string = '';
    if (text !== undefined && a.status === 'anchored') {
      let idx = indexes.get(a.article);
      if (!idx) indexes.set(a.article, (idx = new LineIndex(text)));
      para = idx.position(a.start).line;
    }
    rows.push([a.article, para, a.reviewer, a.category, a.severity, a.start, a.end, a.exact, a.correction, a.comment].map(tsvField).join('\t'));
  }
  return rows.join('\n') + '\n';
}
