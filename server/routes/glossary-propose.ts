// The "propose glossary entry" form: opened from an article span or finding (prefilled from it), or
// blank; checked and sent to the glossary as a proposal, or shown again with what to fix.
import type { Response, Router } from 'express';
import type { AppDeps } from '../app.ts';
import { DEFAULT_SEVERITY, foldForm, type VariantData } from '../core/glossary/schema.ts';
import { ENTITY_TYPES, SEVERITIES, VARIANT_KINDS } from '../core/types.ts';
import { GlossaryValidationError, InvalidTransitionError, NotFoundError, type GlossaryService, type ProposeTarget } from '../services/glossary.ts';
import { HttpError } from '../web/errors.ts';
import { oneOf, str, textBlock, wholeNumber } from '../web/forms.ts';
import { userOf } from '../web/auth.ts';
import { glossaryOf, oneLine, problemsOf, STYLES, type Fields } from './glossary-shared.ts';

interface ProposeValues {
  article: string;
  start: string;
  end: string;
  text: string;
  canonical: string;
  type: string;
  kind: string;
  severity: string;
  note: string;
  target: 'new' | 'existing';
  concept: string;
  reviewer: string;
}

type ProposeErrors = Partial<Record<keyof ProposeValues | 'general', string[]>>;

interface ProposeContext {
  /** The article the proposal comes from, when known. */
  article?: { slug: string; title: string; outlet: string | null; before: string; span: string; after: string };
  /** The finding the span is, when it is one. */
  finding?: { kind: string; message: string; suggestion: string | null; concept: string | null };
  /** The existing concept named in the form, when found. */
  existing?: { id: string; canonical: string; type: string; status: string };
  notes: string[];
}

function renderPropose(res: Response, values: ProposeValues, ctx: ProposeContext, errors: ProposeErrors = {}, status = 200) {
  const count = Object.values(errors).reduce((n, l) => n + (l?.length ?? 0), 0);
  res.status(status).render('propose', {
    title: 'Propose a glossary entry',
    styles: STYLES,
    nav: 'glossary',
    v: values,
    ctx,
    errors,
    errorCount: count,
    entityTypes: ENTITY_TYPES,
    variantKinds: VARIANT_KINDS,
    severities: SEVERITIES,
    defaultSeverity: DEFAULT_SEVERITY,
  });
}

/** The article context of a proposal: the span with a little text around it, and the finding it is. */
async function articleContext(deps: AppDeps, v: ProposeValues, ctx: ProposeContext): Promise<void> {
  if (!v.article) return;
  const a = await deps.articles.store.bySlug(v.article);
  if (!a) return;
  const start = wholeNumber(v.start);
  const end = wholeNumber(v.end);
  if (start === null || end === null || end <= start || end > a.text.length) {
    ctx.article = { slug: a.slug, title: a.title, outlet: a.outlet, before: '', span: '', after: '' };
    return;
  }
  ctx.article = {
    slug: a.slug,
    title: a.title,
    outlet: a.outlet,
    before: start > 90 ? a.text.slice(start - 90, start).replace(/^\S*\s/, '…') : a.text.slice(0, start),
    span: a.text.slice(start, end),
    after: end + 90 < a.text.length ? a.text.slice(end, end + 90).replace(/\s\S*$/, '…') : a.text.slice(end),
  };
  const f = (await deps.articles.store.findings(a.id)).find((x) => x.start === start && x.end === end);
  if (f) ctx.finding = { kind: f.kind, message: f.message, suggestion: f.suggestion, concept: f.concept };
}

/** The existing concept the form names, when there is one. */
async function existingContext(g: GlossaryService, v: ProposeValues, ctx: ProposeContext): Promise<void> {
  const id = v.concept.trim();
  if (!id) return;
  try {
    const d = await g.show(id);
    ctx.existing = { id, canonical: d.concept.canonical, type: d.concept.type, status: d.concept.status };
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
}

function proposeValues(src: Fields, reviewer: string): ProposeValues {
  return {
    article: str(src.article).trim(),
    start: str(src.start).trim(),
    end: str(src.end).trim(),
    text: oneLine(str(src.text)),
    canonical: oneLine(str(src.canonical)),
    type: str(src.type),
    kind: str(src.kind),
    severity: str(src.severity),
    note: textBlock(src.note),
    target: str(src.target) === 'existing' ? 'existing' : 'new',
    concept: str(src.concept).trim(),
    reviewer,
  };
}

/** GET and POST /glossary/propose. */
export function proposeRoutes(router: Router, deps: AppDeps): void {
  router.get('/glossary/propose', async (req, res) => {
    const g = glossaryOf(deps);
    const v = proposeValues(req.query as Fields, userOf(res).username);
    if (v.article && !(await deps.articles.store.bySlug(v.article))) {
      throw new HttpError(404, 'ARTICLE_NOT_FOUND', `There is no article “${v.article}” to propose from. It may have been removed, or the link is mistyped.`);
    }
    const ctx: ProposeContext = { notes: [] };
    await articleContext(deps, v, ctx);
    const explicitNew = str(req.query.target) === 'new';
    if (ctx.article?.span) {
      // The span as stored is what gets proposed; a different text in the link means the article changed.
      if (!v.text) v.text = oneLine(ctx.article.span);
      else if (v.text !== oneLine(ctx.article.span)) {
        ctx.notes.push(`The article now has “${ctx.article.span}” at this place, not “${v.text}”: it may have been revised. The proposal keeps your text but not its position.`);
        v.start = '';
        v.end = '';
        ctx.article = { ...ctx.article, before: '', span: '', after: '' };
        ctx.finding = undefined;
      }
    }
    if (ctx.finding) {
      // Proposing from a finding: its suggestion is the likely canonical form, its concept the likely home.
      if (!v.canonical && ctx.finding.suggestion) v.canonical = ctx.finding.suggestion;
      if (!v.concept && ctx.finding.concept) v.concept = ctx.finding.concept;
      if (!v.kind && (VARIANT_KINDS as readonly string[]).includes(ctx.finding.kind)) v.kind = ctx.finding.kind;
    }
    await existingContext(g, v, ctx);
    if (ctx.existing && !explicitNew) v.target = 'existing';
    renderPropose(res, v, ctx);
  });

  // ----------------------------------------------------------------------- propose: submit
  router.post('/glossary/propose', async (req, res) => {
    const g = glossaryOf(deps);
    const v = proposeValues((req.body ?? {}) as Fields, userOf(res).username);
    const errors: ProposeErrors = {};
    const add = (k: keyof ProposeErrors, msg: string) => (errors[k] ??= []).push(msg);
    const type = oneOf(ENTITY_TYPES, v.type);
    const kind = oneOf(VARIANT_KINDS, v.kind);
    const severity = v.severity ? oneOf(SEVERITIES, v.severity) : undefined;
    if (v.target === 'new') {
      if (!v.canonical) add('canonical', 'Write the correct form of the name or term (the canonical form), for example “Kremlin press service”.');
      if (!type) add('type', 'Choose what this is: a person, place, organization, outlet or term.');
    } else if (!v.concept) {
      add('concept', 'Give the id of the concept this variant belongs to (it is in the concept page’s address), or choose “A new concept”.');
    }
    if (v.target === 'existing' && !v.text) add('text', 'Give the variant: the form found in the article that should be flagged.');
    if (v.text && !kind) add('kind', 'Choose how this form came about (for example “Literal translation”).');
    if (v.severity && !severity) add('severity', 'Choose error, warning or info, or leave the default.');
    if (v.text && v.target === 'new' && v.canonical && foldForm(v.text) === foldForm(v.canonical)) {
      add('text', 'The variant is the same as the canonical form. A variant is the wrong or alternative form that should be flagged.');
    }
    const ctx: ProposeContext = { notes: [] };
    await articleContext(deps, v, ctx);
    await existingContext(g, v, ctx);
    if (v.target === 'existing' && v.concept && !ctx.existing) add('concept', `There is no concept “${v.concept}” in the glossary. Check the id, or choose “A new concept”.`);
    if (Object.keys(errors).length) return renderPropose(res, v, ctx, errors, 422);

    const variant: VariantData | null = v.text ? { text: v.text, kind: kind!, ...(severity ? { severity } : {}), ...(v.note ? { note: v.note } : {}) } : null;
    const target: ProposeTarget =
      v.target === 'existing'
        ? { conceptId: v.concept }
        : { concept: { canonical: v.canonical, type: type!, ...(v.note && !variant ? { notes: v.note } : {}) } };
    // Provenance: the article when it is stored; the span only when it still holds the variant text.
    const spanHolds = !!ctx.article?.span && !!v.text && oneLine(ctx.article.span) === v.text;
    const source = {
      article: ctx.article?.slug ?? null,
      start: spanHolds ? wholeNumber(v.start) : null,
      end: spanHolds ? wholeNumber(v.end) : null,
    };
    try {
      const r = await g.propose(target, variant, v.reviewer, source);
      res.redirect(303, `/glossary/${encodeURIComponent(r.conceptId)}?done=proposed`);
    } catch (e) {
      if (e instanceof GlossaryValidationError) errors.general = problemsOf(e);
      else if (e instanceof NotFoundError || e instanceof InvalidTransitionError) add('concept', e.message);
      else throw e;
      renderPropose(res, v, ctx, errors, 422);
    }
  });
}
