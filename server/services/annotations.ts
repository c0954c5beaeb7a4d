// Reviewer annotations and decisions on findings. A reviewer marks a span of an article with an MQM
// category and severity (and maybe a correction and a comment); only they may change or delete it.
// Findings are accepted (which turns them into annotations) or dismissed, here or — for glossary
// findings — always, which adds the context as an exception to the glossary variant. When an
// article gets a new revision its annotations are re-anchored in the new text, or orphaned.
import { anchorOf, reanchor } from '../core/anchor.ts';
import {
  MQM_CATEGORIES,
  MQM_SEVERITIES,
  isMqmCategory,
  isMqmSeverity,
  toMqmTsv,
  toWebAnnotationCollection,
  type Annotation,
  type MqmCategory,
  type MqmSeverity,
} from '../core/annotations.ts';
import { foldText } from '../core/glossary/matcher.ts';
import type { Finding, FindingKind } from '../core/types.ts';
import type { AnnotationRow, AnnotationStore, DecisionRow } from '../store/annotations.ts';
import type { ArticleRow, ArticleStore } from '../store/articles.ts';
import type { GlossaryService } from './glossary.ts';

export const MAX_NOTE_LENGTH = 5000;
export const MAX_REVIEWER_LENGTH = 80;
export const MAX_REASON_LENGTH = 1000;

/** A problem with a request, in plain words, with the HTTP status it maps to. */
export class AnnotationError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AnnotationError';
  }
}

/** The MQM category an accepted finding of each kind becomes. */
export const CATEGORY_OF_KIND: Record<FindingKind, MqmCategory> = {
  'russian-form': 'locale-convention/names',
  transliteration: 'locale-convention/names',
  'name-variant': 'locale-convention/names',
  'literal-translation': 'accuracy/mistranslation',
  mistranslation: 'accuracy/mistranslation',
  untranslated: 'accuracy/untranslated',
  boilerplate: 'source-site-residue',
  'dropped-apostrophe': 'fluency/punctuation',
  misspelling: 'fluency/spelling',
  'house-style': 'style',
  'inconsistent-naming': 'style',
  'fact-mismatch': 'accuracy/mistranslation',
  anachronism: 'terminology',
};

/** Short visible labels (badges), so that a category is never told by colour alone. */
export const CATEGORY_ABBR: Record<MqmCategory, string> = {
  'accuracy/mistranslation': 'MT',
  'accuracy/omission': 'OM',
  'accuracy/addition': 'ADD',
  'accuracy/untranslated': 'UNTR',
  'fluency/spelling': 'SP',
  'fluency/punctuation': 'PUNC',
  'fluency/grammar': 'GR',
  terminology: 'TERM',
  style: 'STY',
  'locale-convention/names': 'NAME',
  'source-site-residue': 'RES',
};

export const KIND_ABBR: Record<string, string> = {
  'russian-form': 'RU',
  transliteration: 'TRL',
  'literal-translation': 'LIT',
  mistranslation: 'MIS',
  misspelling: 'SP',
  'house-style': 'HS',
  'name-variant': 'NAME',
  'dropped-apostrophe': 'APOS',
  boilerplate: 'FURN',
  untranslated: 'UNTR',
  'inconsistent-naming': 'INC',
  'fact-mismatch': 'FACT',
  anachronism: 'ANA',
};

export function categoryLabel(id: string): string {
  return MQM_CATEGORIES.find((c) => c.id === id)?.label ?? id;
}

/** What identifies a finding across rescans (finding row ids do not survive them). */
export interface FindingRef {
  detector: string;
  start: number;
  end: number;
  text: string;
}

export function findingKey(f: FindingRef): string {
  return `${f.detector}:${f.start}:${f.end}:${f.text}`;
}

export interface AnnotationInput {
  /** The span, as UTF-16 offsets into the current text… */
  start?: number;
  end?: number;
  /** …or the quoted text (whitespace may differ), with its occurrence (1-based) when it occurs more than once. */
  quote?: string;
  occurrence?: number;
  category: unknown;
  severity: unknown;
  correction?: unknown;
  comment?: unknown;
}

export interface AnnotationPatch {
  category: unknown;
  severity: unknown;
  correction?: unknown;
  comment?: unknown;
}

/** An annotation as the article page shows it. */
export interface AnnotationView extends AnnotationRow {
  categoryLabel: string;
  abbr: string;
}

/** The decision in force on a finding (the latest one), if any. */
export type FindingDecision = Pick<DecisionRow, 'decision' | 'reason' | 'scope' | 'reviewer' | 'created_at' | 'annotation_id'>;

export function checkReviewer(name: unknown): string {
  const s = typeof name === 'string' ? name.trim() : '';
  if (!s) {
    throw new AnnotationError(422, 'REVIEWER_REQUIRED', 'Enter your name in the "Your name" field first: annotations and decisions are recorded under it.');
  }
  if (s.length > MAX_REVIEWER_LENGTH) throw new AnnotationError(422, 'REVIEWER_INVALID', `Your name can be at most ${MAX_REVIEWER_LENGTH} characters long.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new AnnotationError(422, 'REVIEWER_INVALID', 'Your name cannot contain control characters.');
  return s;
}

function checkCategory(c: unknown): MqmCategory {
  if (isMqmCategory(c)) return c;
  const given = typeof c === 'string' && c ? `"${c}" is not an error category` : 'Choose an error category';
  throw new AnnotationError(422, 'CATEGORY_INVALID', `${given}. Pick one of: ${MQM_CATEGORIES.map((x) => x.label).join('; ')}.`);
}

function checkSeverity(s: unknown): MqmSeverity {
  if (isMqmSeverity(s)) return s;
  const given = typeof s === 'string' && s ? `"${s}" is not a severity` : 'Choose a severity';
  throw new AnnotationError(422, 'SEVERITY_INVALID', `${given}. Pick one of: ${MQM_SEVERITIES.join(', ')}.`);
}

function checkNote(v: unknown, what: 'correction' | 'comment'): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new AnnotationError(422, 'NOTE_INVALID', `The ${what} must be text.`);
  if (v.length > MAX_NOTE_LENGTH) {
    throw new AnnotationError(422, 'NOTE_TOO_LONG', `The ${what} is ${v.length.toLocaleString('en')} characters long; it can be at most 5,000.`);
  }
  return v.trim() ? v : null;
}

/** Whole number from a form or JSON value, or undefined when empty. */
export function intOrUndefined(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new AnnotationError(422, 'NUMBER_INVALID', `The ${what} must be a whole number (got "${String(v)}").`);
  return n;
}

/**
 * Where `quote` occurs in `text`, any run of white space in the quote matching any run in the text.
 * Returns the spans of all occurrences, in order.
 */
export function occurrencesOf(text: string, quote: string): { start: number; end: number }[] {
  const q = quote.trim();
  if (!q) return [];
  const pattern = q
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const re = new RegExp(pattern, 'g');
  const out: { start: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length });
    re.lastIndex = m.index + 1;
  }
  return out;
}

/**
 * A few words of context around text[start, end) on its line: the phrase a glossary exception
 * needs. The words before are dropped when they contain the variant themselves (the exception is
 * split at the first occurrence of the variant).
 */
export function exceptionPhrase(text: string, start: number, end: number, variant: string, words = 2): string {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const nl = text.slice(end).search(/[\r\n]/);
  const lineEnd = nl < 0 ? text.length : end + nl;
  const fv = foldText(variant);
  let before = '';
  for (let n = words; n > 0; n--) {
    const m = new RegExp(`(?:\\S+\\s+){1,${n}}$`).exec(text.slice(lineStart, start));
    if (m && !foldText(m[0]).includes(fv)) {
      before = m[0];
      break;
    }
  }
  const after = new RegExp(`^(?:\\s+\\S+){0,${words}}`).exec(text.slice(end, lineEnd))?.[0] ?? '';
  return (before + text.slice(start, end) + after).replace(/\s+/g, ' ').trim();
}

export class AnnotationService {
  constructor(
    readonly store: AnnotationStore,
    private readonly articles: ArticleStore,
    private readonly glossary?: GlossaryService,
  ) {}

  async article(slug: string): Promise<ArticleRow> {
    const a = await this.articles.bySlug(slug);
    if (!a) throw new AnnotationError(404, 'ARTICLE_NOT_FOUND', `There is no article "${slug}". It may have been removed, or the link is mistyped.`);
    return a;
  }

  async forArticle(articleId: number): Promise<AnnotationView[]> {
    return (await this.store.forArticle(articleId)).map(view);
  }

  /** The decision in force on each of these findings (same order; undefined when none). */
  async decisionsFor(articleId: number, findings: readonly FindingRef[]): Promise<(FindingDecision | undefined)[]> {
    const latest = new Map<string, DecisionRow>();
    for (const d of await this.store.decisions(articleId)) latest.set(findingKey(d), d);
    return findings.map((f) => latest.get(findingKey(f)));
  }

  /** Resolve the span of a new annotation: offsets, or a quote (and its occurrence) found in the text. */
  resolveSpan(text: string, input: Pick<AnnotationInput, 'start' | 'end' | 'quote' | 'occurrence'>): { start: number; end: number } {
    if (input.start !== undefined || input.end !== undefined) {
      const { start, end } = input;
      if (start === undefined || end === undefined) throw new AnnotationError(422, 'SPAN_INVALID', 'Give both the start and the end of the span.');
      if (!(start >= 0 && end <= text.length)) {
        throw new AnnotationError(422, 'SPAN_OUTSIDE', `The span ${start}–${end} is outside the text, which is ${text.length} characters long.`);
      }
      if (!(end > start)) throw new AnnotationError(422, 'SPAN_EMPTY', 'The span is empty: select at least one character.');
      if (!text.slice(start, end).trim()) throw new AnnotationError(422, 'SPAN_BLANK', 'The span holds only white space: select some words.');
      return { start, end };
    }
    const quote = (input.quote ?? '').trim();
    if (!quote) throw new AnnotationError(422, 'QUOTE_REQUIRED', 'Quote the words you want to annotate (copy them from the article).');
    const found = occurrencesOf(text, quote);
    if (!found.length) throw new AnnotationError(422, 'QUOTE_NOT_FOUND', `The quoted text "${short(quote)}" is not in the article. Copy it exactly from the text.`);
    if (found.length > 1 && input.occurrence === undefined) {
      throw new AnnotationError(
        422,
        'QUOTE_AMBIGUOUS',
        `The quoted text "${short(quote)}" occurs ${found.length} times. Say which one with the occurrence number (1 for the first, ${found.length} for the last), or quote a few more words.`,
      );
    }
    const n = input.occurrence ?? 1;
    if (!(n >= 1 && n <= found.length)) {
      throw new AnnotationError(422, 'OCCURRENCE_INVALID', `The quoted text occurs ${found.length === 1 ? 'once' : `${found.length} times`}; the occurrence must be from 1 to ${found.length}.`);
    }
    return found[n - 1]!;
  }

  async create(slug: string, input: AnnotationInput, reviewerName: unknown): Promise<AnnotationView> {
    const reviewer = checkReviewer(reviewerName);
    const article = await this.article(slug);
    const category = checkCategory(input.category);
    const severity = checkSeverity(input.severity);
    const correction = checkNote(input.correction, 'correction');
    const comment = checkNote(input.comment, 'comment');
    const { start, end } = this.resolveSpan(article.text, input);
    const anchor = anchorOf(article.text, start, end);
    const id = await this.store.insert({
      article_id: article.id,
      revision: article.revision,
      reviewer,
      category,
      severity,
      ...anchor,
      correction,
      comment,
      finding_key: null,
    });
    return view((await this.store.byId(id))!);
  }

  private async own(slug: string, id: number, reviewerName: unknown, doing: string): Promise<{ row: AnnotationRow; reviewer: string }> {
    const reviewer = checkReviewer(reviewerName);
    const article = await this.article(slug);
    const row = await this.store.byId(id);
    if (!row || row.article_id !== article.id) throw new AnnotationError(404, 'ANNOTATION_NOT_FOUND', `Annotation #${id} is not on this article; it may have been deleted.`);
    if (row.reviewer !== reviewer) {
      throw new AnnotationError(403, 'NOT_YOURS', `Only ${row.reviewer}, who wrote annotation #${id}, may ${doing} it. You are signed as ${reviewer}.`);
    }
    return { row, reviewer };
  }

  async edit(slug: string, id: number, patch: AnnotationPatch, reviewerName: unknown): Promise<AnnotationView> {
    await this.own(slug, id, reviewerName, 'edit');
    const category = checkCategory(patch.category);
    const severity = checkSeverity(patch.severity);
    const correction = checkNote(patch.correction, 'correction');
    const comment = checkNote(patch.comment, 'comment');
    if (!(await this.store.updateAssessment(id, { category, severity, correction, comment }))) {
      throw new AnnotationError(404, 'ANNOTATION_NOT_FOUND', `Annotation #${id} was deleted meanwhile.`);
    }
    return view((await this.store.byId(id))!);
  }

  async delete(slug: string, id: number, reviewerName: unknown): Promise<void> {
    await this.own(slug, id, reviewerName, 'delete');
    await this.store.delete(id);
  }

  /** The finding the request names, as currently stored for the article; 404 when the findings changed. */
  private async finding(article: ArticleRow, ref: Partial<FindingRef>): Promise<Finding & { id: number }> {
    if (!ref.detector || typeof ref.text !== 'string' || ref.start === undefined || ref.end === undefined) {
      throw new AnnotationError(400, 'FINDING_REQUIRED', 'Say which finding: its detector, start, end and text.');
    }
    const f = (await this.articles.findings(article.id)).find(
      (x) => x.detector === ref.detector && x.start === ref.start && x.end === ref.end && x.text === ref.text,
    );
    if (!f) {
      throw new AnnotationError(
        404,
        'FINDING_NOT_FOUND',
        `There is no finding "${short(ref.text)}" at ${ref.start}–${ref.end} any more: the glossary or the text changed since the page was loaded. Reload the page.`,
      );
    }
    return f;
  }

  /** Accept a finding: it becomes an annotation (and a recorded decision). Accepting twice gives the same annotation. */
  async accept(slug: string, ref: Partial<FindingRef>, reviewerName: unknown): Promise<AnnotationView> {
    const reviewer = checkReviewer(reviewerName);
    const article = await this.article(slug);
    const f = await this.finding(article, ref);
    const [current] = await this.decisionsFor(article.id, [f]);
    if (current?.decision === 'accepted' && current.annotation_id !== null) {
      const existing = await this.store.byId(current.annotation_id);
      if (existing) return view(existing);
    }
    const anchor = anchorOf(article.text, f.start, f.end);
    const id = await this.store.acceptFinding(
      {
        article_id: article.id,
        revision: article.revision,
        reviewer,
        category: CATEGORY_OF_KIND[f.kind] ?? 'terminology',
        severity: f.severity === 'error' ? 'major' : 'minor',
        ...anchor,
        correction: f.suggestion,
        comment: f.message,
        finding_key: findingKey(f),
      },
      { article_id: article.id, revision: article.revision, detector: f.detector, start: f.start, end: f.end, text: f.text, decision: 'accepted', reason: null, scope: 'here', reviewer },
    );
    return view((await this.store.byId(id))!);
  }

  /**
   * Dismiss a finding with a reason. Scope 'here': recorded, the finding is shown as dismissed.
   * Scope 'always' (glossary findings only): the words around it also become an exception of the
   * glossary variant, so that it is not flagged in this context again (the findings are recomputed).
   */
  async dismiss(
    slug: string,
    ref: Partial<FindingRef>,
    reasonIn: unknown,
    scopeIn: unknown,
    reviewerName: unknown,
  ): Promise<{ scope: 'here' | 'always'; exception: string | null; concept: string | null }> {
    const reviewer = checkReviewer(reviewerName);
    const article = await this.article(slug);
    const reason = typeof reasonIn === 'string' ? reasonIn.trim() : '';
    if (!reason) throw new AnnotationError(422, 'REASON_REQUIRED', 'Say why you dismiss this finding (a few words are enough).');
    if (reason.length > MAX_REASON_LENGTH) throw new AnnotationError(422, 'REASON_TOO_LONG', `The reason can be at most ${MAX_REASON_LENGTH.toLocaleString('en')} characters long.`);
    const scope = scopeIn === undefined || scopeIn === '' ? 'here' : scopeIn;
    if (scope !== 'here' && scope !== 'always') throw new AnnotationError(422, 'SCOPE_INVALID', `Dismiss "here" (this article only) or "always" (in this context everywhere), not "${String(scope)}".`);
    const f = await this.finding(article, ref);
    let exception: string | null = null;
    if (scope === 'always') {
      if (f.detector !== 'glossary' || !f.concept) {
        throw new AnnotationError(
          422,
          'NOT_A_GLOSSARY_FINDING',
          'Only glossary findings can be dismissed everywhere (the context becomes an exception of the glossary entry). Dismiss this one here instead.',
        );
      }
      if (!this.glossary) throw new AnnotationError(422, 'NO_GLOSSARY', 'The shared glossary is not available here: dismiss this finding here instead.');
      const detail = await this.glossary.show(f.concept);
      const folded = foldText(f.text);
      const variant = detail.concept.variants
        .filter((v) => v.status === 'approved' && folded.startsWith(foldText(v.text)))
        .sort((a, b) => b.text.length - a.text.length)[0];
      if (!variant) {
        throw new AnnotationError(422, 'VARIANT_NOT_FOUND', `The glossary entry "${f.concept}" has no approved variant "${f.text}" any more. Dismiss this finding here instead.`);
      }
      exception = exceptionPhrase(article.text, f.start, f.end, variant.text);
      try {
        await this.glossary.addException(f.concept, variant.text, exception, reviewer);
      } catch (e) {
        if (e instanceof Error && (e as { code?: string }).code === 'GLOSSARY_INVALID') {
          throw new AnnotationError(422, 'EXCEPTION_INVALID', `The glossary refused the exception "${exception}": ${e.message.replace(/\s+/g, ' ')}`);
        }
        throw e;
      }
    }
    await this.store.insertDecision({
      article_id: article.id,
      revision: article.revision,
      detector: f.detector,
      start: f.start,
      end: f.end,
      text: f.text,
      decision: 'dismissed',
      reason,
      scope,
      reviewer,
      annotation_id: null,
    });
    return { scope, exception, concept: f.concept };
  }

  /**
   * After a new revision of an article: find each of its annotations again in the new text
   * (core/anchor.ts), or mark it orphaned with the reason. Orphaned ones are tried again too.
   */
  async reanchorArticle(articleId: number, _oldText: string, newText: string): Promise<{ anchored: number; orphaned: number }> {
    const rows = await this.store.forArticle(articleId);
    if (!rows.length) return { anchored: 0, orphaned: 0 };
    const article = await this.articles.byId(articleId);
    const revision = article?.revision ?? rows[0]!.revision + 1;
    let anchored = 0;
    let orphaned = 0;
    await this.store.db.transaction(async (tx) => {
      for (const r of rows) {
        const to = reanchor(r, newText);
        if (to.status === 'anchored') {
          const a = anchorOf(newText, to.start, to.end);
          await this.store.reanchored(r.id, { revision, status: 'anchored', start: a.start, end: a.end, prefix: a.prefix, suffix: a.suffix }, tx);
          anchored++;
        } else {
          await this.store.reanchored(r.id, { revision, status: 'orphaned', reason: to.reason }, tx);
          orphaned++;
        }
      }
    });
    return { anchored, orphaned };
  }

  // --------------------------------------------------------------------------------------- exports

  async exportJsonLd(slug?: string): Promise<string> {
    if (slug) {
      const article = await this.article(slug);
      const rows = await this.store.forArticle(article.id);
      return toWebAnnotationCollection(`Annotations of ${article.title}`, rows.map((r) => toAnnotation(r, article.slug)));
    }
    const rows = await this.store.all();
    return toWebAnnotationCollection('copydesk annotations', rows.map((r) => toAnnotation(r, r.slug)));
  }

  async exportTsv(slug?: string): Promise<string> {
    if (slug) {
      const article = await this.article(slug);
      const rows = await this.store.forArticle(article.id);
      return toMqmTsv(rows.map((r) => toAnnotation(r, article.slug)), new Map([[article.slug, article.text]]));
    }
    const rows = await this.store.all();
    const texts = new Map<string, string>();
    for (const slug of new Set(rows.map((r) => r.slug))) {
      const a = await this.articles.bySlug(slug);
      if (a) texts.set(slug, a.text);
    }
    return toMqmTsv(rows.map((r) => toAnnotation(r, r.slug)), texts);
  }
}

function view(r: AnnotationRow): AnnotationView {
  return { ...r, categoryLabel: categoryLabel(r.category), abbr: CATEGORY_ABBR[r.category as MqmCategory] ?? 'NOTE' };
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

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}


