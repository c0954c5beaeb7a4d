// AnnotationService: reviewers annotate spans of an article (MQM category and severity), accept or
// dismiss findings (always: a glossary exception), and annotations are re-anchored on new revisions.
// Vocabulary and types: annotations-model.ts; checks: annotations-validate.ts; exports: annotations-export.ts.
import { anchorOf, reanchor } from '../core/anchor.ts';
import { foldText } from '../core/glossary/matcher.ts';
import type { Finding } from '../core/types.ts';
import type { AnnotationRow, AnnotationStore, DecisionRow } from '../store/annotations.ts';
import type { ArticleRow, ArticleStore } from '../store/articles.ts';
import { exportJsonLd, exportTsv } from './annotations-export.ts';
import {
  AnnotationError,
  CATEGORY_OF_KIND,
  findingKey,
  MAX_REASON_LENGTH,
  view,
  type AnnotationInput,
  type AnnotationPatch,
  type AnnotationView,
  type FindingDecision,
  type FindingRef,
} from './annotations-model.ts';
import { checkCategory, checkNote, checkReviewer, checkSeverity, exceptionPhrase, occurrencesOf } from './annotations-validate.ts';
import type { GlossaryService } from './glossary.ts';

export {
  AnnotationError,
  CATEGORY_ABBR,
  CATEGORY_OF_KIND,
  KIND_ABBR,
  MAX_NOTE_LENGTH,
  MAX_REASON_LENGTH,
  MAX_REVIEWER_LENGTH,
  categoryLabel,
  findingKey,
  type AnnotationInput,
  type AnnotationPatch,
  type AnnotationView,
  type FindingDecision,
  type FindingRef,
} from './annotations-model.ts';
export { checkReviewer, exceptionPhrase, intOrUndefined, occurrencesOf } from './annotations-validate.ts';

export class AnnotationService {
  /** Findings of an article kept elsewhere (its story's fact findings), that may be accepted or dismissed too. */
  moreFindings?: (articleId: number) => Promise<(Finding & { id: number })[]>;

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
      throw new AnnotationError(403, 'NOT_YOURS', `Only ${row.reviewer}, who wrote annotation #${id}, may ${doing} it. You are signed in as ${reviewer}.`);
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
    const all = await this.articles.findings(article.id);
    if (this.moreFindings) all.push(...(await this.moreFindings(article.id)));
    const f = all.find(
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
    return exportJsonLd(this.store, slug ? await this.article(slug) : undefined);
  }

  async exportTsv(slug?: string): Promise<string> {
    return exportTsv(this.store, this.articles, slug ? await this.article(slug) : undefined);
  }
}

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}


