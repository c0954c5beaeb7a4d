// Glossary pages: the list (search, filters, counts, export), one concept (review decisions, edits,
// history, occurrences across articles) and the "propose glossary entry" form. Parse, call the
// service, render. The reviewer's name comes from a form field, remembered in a cookie.
import express, { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.ts';
import { GLOSSARY_FORMATS, glossaryFormat } from '../core/glossary/formats/index.ts';
import { ENTRY_STATUSES, STATUS_TRANSITIONS, type EntryConcept, type EntryStatus, type EntryVariant, type Provenance } from '../core/glossary/model.ts';
import { DEFAULT_SEVERITY, foldForm, type VariantData } from '../core/glossary/schema.ts';
import { ENTITY_TYPES, SEVERITIES, VARIANT_KINDS, type EntityType, type Severity, type VariantKind } from '../core/types.ts';
import {
  ConflictError,
  GlossaryValidationError,
  InvalidTransitionError,
  NotFoundError,
  type ConceptDetail,
  type DecideAction,
  type GlossaryService,
  type ProposeTarget,
} from '../services/glossary.ts';
import type { HistoryEntry } from '../store/glossary-types.ts';
import { HttpError } from '../web/errors.ts';

export const REVIEWER_COOKIE = 'copydesk_reviewer';
const PER_PAGE = 50;
const OCCURRENCE_LIMIT = 50;
const MAX_NAME = 100;
const STYLES = ['glossary.css'];
const DECIDE_ACTIONS: readonly DecideAction[] = ['approve', 'reject', 'deprecate'];
const ACTION_FOR: Record<EntryStatus, DecideAction | undefined> = { approved: 'approve', rejected: 'reject', deprecated: 'deprecate', proposed: undefined };
const DONE: Record<string, string> = {
  approved: 'Approved. Detection uses it from now on; the articles it affects were checked again.',
  rejected: 'Rejected. It stays in the history but is never used for detection.',
  deprecated: 'Deprecated. Detection no longer uses it; the articles it affected were checked again.',
  edited: 'Saved.',
  unchanged: 'Nothing to save: the entry already had those values.',
  proposed: 'Proposed. An editor can approve or reject it below.',
};
const VERB: Record<string, string> = {
  seed: 'loaded',
  propose: 'proposed',
  approve: 'approved',
  reject: 'rejected',
  deprecate: 'deprecated',
  update: 'edited',
  import: 'imported',
};
const REVIEWER_MISSING = 'Type your name in “Your name”, so the glossary records who made this change.';

// ------------------------------------------------------------------------------- small parsers

type Fields = Record<string, unknown>;

/** A single string from a query or form value (the last one when repeated). */
function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[v.length - 1]);
  return typeof v === 'string' ? v : '';
}

/** A whole number from 0, or null when absent or not one. */
function offset(v: unknown): number | null {
  const s = str(v).trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

function oneOf<T extends string>(list: readonly T[], v: unknown): T | undefined {
  const s = str(v);
  return (list as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** The reviewer's name remembered in the cookie, or ''. */
function rememberedReviewer(req: Request): string {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== REVIEWER_COOKIE) continue;
    try {
      return cleanName(decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      return '';
    }
  }
  return '';
}

function cleanName(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
}

function rememberReviewer(res: Response, name: string): void {
  res.cookie(REVIEWER_COOKIE, name, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000 });
}

/** Textarea text: CRLF folded to LF, trimmed. */
function textBlock(v: unknown): string {
  return str(v).replace(/\r\n?/g, '\n').trim();
}

/** "2025-06-01 14:03 UTC" from an ISO timestamp. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** The glossary problems of a validation error, in plain words (without the "proposal:" prefix). */
function problemsOf(e: GlossaryValidationError): string[] {
  return e.problems.map((p) => p.replace(/^(proposal|update|decision|author): /, '')).map((p) => p.charAt(0).toUpperCase() + p.slice(1));
}

/** Cross-site form posts are refused: a browser always names the page's origin on a POST. */
function checkOrigin(req: Request): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (!host || host !== req.get('host')) {
    throw new HttpError(403, 'CROSS_SITE', 'This form was sent from another site, so it was not accepted. Open the page in copydesk and send it from there.');
  }
}

const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });

// ------------------------------------------------------------------------------- view models

interface ChangeLine {
  what: string;
  before?: string;
  after?: string;
}

export interface HistoryView {
  at: string;
  when: string;
  author: string;
  verb: string;
  subject: string;
  changes: ChangeLine[];
}

function short(v: unknown, max = 140): string {
  if (v === undefined || v === null || v === '') return '—';
  const s = Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? roleText(x as Record<string, unknown>) : String(x))).join(', ') : String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function roleText(r: Record<string, unknown>): string {
  return `${String(r.title ?? '')} (${String(r.from ?? '?')}–${r.to ? String(r.to) : 'now'})`;
}

function isVariant(v: unknown): v is EntryVariant {
  return typeof v === 'object' && v !== null && 'text' in v && 'kind' in v && !('canonical' in v);
}

function isConcept(v: unknown): v is EntryConcept {
  return typeof v === 'object' && v !== null && 'canonical' in v;
}

const VARIANT_FIELDS = ['status', 'kind', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'note'] as const;

function variantChanges(before: EntryVariant, after: EntryVariant, prefix: string): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const k of VARIANT_FIELDS) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ what: `${prefix}${k}`, before: short(before[k]), after: short(after[k]) });
  }
  return out;
}

/** Field by field, what changed between two versions of a concept. */
function conceptChanges(before: EntryConcept, after: EntryConcept): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const k of ['status', 'canonical', 'type', 'notes', 'accepted', 'roles'] as const) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ what: k, before: short(before[k]), after: short(after[k]) });
  }
  const old = new Map((before.variants ?? []).map((v) => [v.text, v]));
  const now = new Map((after.variants ?? []).map((v) => [v.text, v]));
  for (const [text, v] of now) {
    const o = old.get(text);
    if (!o) out.push({ what: `added variant “${text}”`, after: `${v.kind}, ${v.status}` });
    else out.push(...variantChanges(o, v, `variant “${text}”: `));
  }
  for (const text of old.keys()) if (!now.has(text)) out.push({ what: `removed variant “${text}”` });
  return out;
}

export function summarise(h: HistoryEntry): HistoryView {
  const verb = VERB[h.action] ?? h.action;
  const base = { at: h.at, when: when(h.at), author: h.author, verb };
  if (h.action === 'seed') return { ...base, subject: 'from the starter glossary', changes: [] };
  const { before, after } = h;
  if (isVariant(after) || isVariant(before)) {
    const v = (isVariant(after) ? after : before) as EntryVariant;
    const subject = `variant “${v.text}”`;
    if (!isVariant(before)) return { ...base, subject, changes: [{ what: 'new variant', after: `${v.kind}${v.severity ? `, ${v.severity}` : ''}${v.note ? ` — ${short(v.note, 80)}` : ''}` }] };
    if (!isVariant(after)) return { ...base, subject, changes: [{ what: 'removed' }] };
    return { ...base, subject, changes: variantChanges(before, after, '') };
  }
  if (isConcept(after) && !isConcept(before)) {
    const changes: ChangeLine[] = [{ what: 'new concept', after: `${after.canonical} (${after.type})` }];
    for (const v of after.variants ?? []) changes.push({ what: `with variant “${v.text}”`, after: v.kind });
    return { ...base, subject: 'the concept', changes };
  }
  if (isConcept(after) && isConcept(before)) return { ...base, subject: 'the concept', changes: conceptChanges(before, after) };
  return { ...base, subject: 'the concept', changes: [] };
}

/** "Alice approved variant “X”" — one history row as a sentence (for the conflict explanation). */
function sentence(h: HistoryView): string {
  return `${h.author} ${h.verb} ${h.subject}`;
}

interface VariantView {
  text: string;
  kind: VariantKind;
  severity: Severity;
  severityIsDefault: boolean;
  caseSensitive: boolean;
  suggestion: string | null;
  exceptions: string[];
  note: string | null;
  status: EntryStatus;
  provenance: Provenance;
  decidedAt: string;
  actions: DecideAction[];
}

function actionsFrom(status: EntryStatus): DecideAction[] {
  return STATUS_TRANSITIONS[status].map((s) => ACTION_FOR[s]).filter((a): a is DecideAction => a !== undefined);
}

/** What the concept page shows besides the form state. */
async function conceptModel(deps: AppDeps, g: GlossaryService, id: string) {
  let detail: ConceptDetail;
  try {
    detail = await g.show(id);
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new HttpError(404, 'CONCEPT_NOT_FOUND', `There is no concept “${id}” in the glossary. It may have been renamed, or the link is mistyped: search the glossary for it.`);
    }
    throw e;
  }
  const c = detail.concept;
  const meta = new Map(detail.variants.map((v) => [v.text, v]));
  const variants: VariantView[] = c.variants.map((v) => ({
    text: v.text,
    kind: v.kind,
    severity: v.severity ?? DEFAULT_SEVERITY[v.kind],
    severityIsDefault: v.severity === undefined,
    caseSensitive: v.case === 'sensitive',
    suggestion: v.suggestion ?? null,
    exceptions: v.exceptions ?? [],
    note: v.note ?? null,
    status: v.status,
    provenance: v.provenance ?? {},
    decidedAt: when(meta.get(v.text)?.decidedAt),
    actions: actionsFrom(v.status),
  }));
  const occurrences = (await deps.articles.store.occurrences(id, OCCURRENCE_LIMIT)).map((o) => ({
    ...o,
    texts: parseList(o.texts),
  }));
  // Titles of the articles proposals came from.
  const slugs = new Set<string>();
  for (const p of [c.provenance, ...c.variants.map((v) => v.provenance)]) if (p?.article) slugs.add(p.article);
  const articleTitles: Record<string, string> = {};
  for (const slug of slugs) {
    const a = await deps.articles.store.bySlug(slug);
    if (a) articleTitles[slug] = a.title;
  }
  const history = detail.history.map(summarise).reverse();
  const proposedVariants = c.variants.filter((v) => v.status === 'proposed').length;
  const conceptActions = actionsFrom(c.status).map((a) => {
    const to = a === 'approve' ? 'approved' : a === 'reject' ? 'rejected' : 'deprecated';
    const carried = c.variants.filter((v) => STATUS_TRANSITIONS[v.status].includes(to)).length;
    return { action: a, carried };
  });
  return {
    detail,
    concept: c,
    version: detail.version,
    createdAt: when(detail.createdAt),
    updatedAt: when(detail.updatedAt),
    decidedAt: when(detail.decidedAt),
    variants,
    proposedVariants,
    conceptActions,
    occurrences,
    articleTitles,
    history,
  };
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

interface ConceptPageState {
  reviewer: string;
  done?: string;
  /** Plain-words problems with the submitted form. */
  errors?: string[];
  /** The form the problem or conflict is about: 'decide' or 'edit'. */
  failed?: 'decide' | 'edit';
  conflict?: { sentence: string; when: string; at: string; expected: number; current: number };
  /** What the user sent, to show and to put back into the forms. */
  submitted?: Record<string, string>;
}

async function renderConcept(res: Response, deps: AppDeps, g: GlossaryService, id: string, state: ConceptPageState, status = 200) {
  const model = await conceptModel(deps, g, id);
  const c = model.concept;
  // The edit form shows the stored values, or after a failed edit what was sent.
  const sent = state.failed === 'edit' ? state.submitted : undefined;
  const edit = {
    canonical: sent?.canonical ?? c.canonical,
    type: sent?.type ?? c.type,
    notes: sent?.notes ?? c.notes ?? '',
  };
  res.status(status).render('concept', {
    title: `${c.canonical} · Glossary`,
    styles: STYLES,
    nav: 'glossary',
    ...model,
    edit,
    entityTypes: ENTITY_TYPES,
    doneMessage: state.done ? DONE[state.done] : undefined,
    reviewer: state.reviewer,
    errors: state.errors ?? [],
    failed: state.failed,
    conflict: state.conflict,
    submitted: state.submitted,
  });
}

// --------------------------------------------------------------------------------- propose form

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
  const start = offset(v.start);
  const end = offset(v.end);
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

/** A form as the proposal form holds it: spacing folded, trimmed. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
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
    reviewer: src.reviewer === undefined ? reviewer : cleanName(str(src.reviewer)),
  };
}

// --------------------------------------------------------------------------------------- routes

export function glossaryRoutes(deps: AppDeps): Router {
  const router = Router();
  const glossary = (): GlossaryService => {
    if (!deps.glossary) throw new HttpError(503, 'GLOSSARY_UNAVAILABLE', 'The shared glossary is not available in this copydesk.');
    return deps.glossary;
  };

  // ------------------------------------------------------------------------------- the list
  router.get('/glossary', async (req, res) => {
    const g = glossary();
    const q = str(req.query.q).trim().slice(0, 200);
    const status = oneOf(ENTRY_STATUSES, req.query.status);
    const type = oneOf(ENTITY_TYPES, req.query.type);
    // "Needs review": proposed concepts, and concepts with a proposed variant.
    const pending = str(req.query.pending) === '1';
    const all = await g.list({ type, q });
    const counts: Record<EntryStatus | 'all' | 'pending', number> = { all: all.length, pending: 0, proposed: 0, approved: 0, rejected: 0, deprecated: 0 };
    const needsReview = (c: { status: EntryStatus; proposedVariants: number }) => c.status === 'proposed' || c.proposedVariants > 0;
    for (const c of all) {
      counts[c.status]++;
      if (needsReview(c)) counts.pending++;
    }
    const matching = all.filter((c) => (!status || c.status === status) && (!pending || needsReview(c)));
    const pages = Math.max(1, Math.ceil(matching.length / PER_PAGE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(str(req.query.page) || '1', 10) || 1));
    /** This list's address with some of its filters changed (page 1 unless given). */
    const link = (o: { status?: string | null; type?: string | null; pending?: boolean; page?: number } = {}) => {
      const p = new URLSearchParams();
      if (q) p.set('q', q);
      const s = o.status === undefined ? status : o.status;
      const t = o.type === undefined ? type : o.type;
      if (s) p.set('status', s);
      if (o.pending ?? pending) p.set('pending', '1');
      if (t) p.set('type', t);
      if (o.page && o.page > 1) p.set('page', String(o.page));
      const qs = p.toString();
      return qs ? `/glossary?${qs}` : '/glossary';
    };
    res.render('glossary', {
      title: 'Glossary',
      styles: STYLES,
      nav: 'glossary',
      rows: matching.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((r) => ({ ...r, updated: when(r.updatedAt) })),
      total: matching.length,
      counts,
      q,
      status: status ?? '',
      pending,
      type: type ?? '',
      page,
      pages,
      perPage: PER_PAGE,
      link,
      statuses: ENTRY_STATUSES,
      entityTypes: ENTITY_TYPES,
      formats: GLOSSARY_FORMATS.map((f) => ({ id: f.id, label: f.label, extension: f.extension })),
      revision: await g.revision(),
    });
  });

  // ----------------------------------------------------------------------------- the export
  const exportGlossary = async (req: Request, res: Response) => {
    const g = glossary();
    const requested = str(req.query.format) || str(req.params.ext);
    const f = glossaryFormat(requested);
    if (!f) {
      throw new HttpError(
        400,
        'UNKNOWN_FORMAT',
        requested
          ? `There is no export format “${requested}”. Choose one of ${GLOSSARY_FORMATS.map((x) => x.id).join(', ')}.`
          : `Say which format to export: one of ${GLOSSARY_FORMATS.map((x) => x.id).join(', ')}.`,
      );
    }
    const body = f.write(await g.entries());
    res.set({
      'Content-Type': f.mediaType,
      'Content-Disposition': `attachment; filename="copydesk-glossary.${f.extension}"`,
      'Cache-Control': 'no-store',
    });
    res.send(body);
  };
  router.get('/glossary/export', exportGlossary);
  router.get('/glossary/export.:ext', exportGlossary);

  // ------------------------------------------------------------------------- propose: form
  router.get('/glossary/propose', async (req, res) => {
    const g = glossary();
    const reviewer = rememberedReviewer(req);
    const v = proposeValues(req.query as Fields, reviewer);
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
  router.post('/glossary/propose', form, async (req, res) => {
    checkOrigin(req);
    const g = glossary();
    const v = proposeValues((req.body ?? {}) as Fields, '');
    const errors: ProposeErrors = {};
    const add = (k: keyof ProposeErrors, msg: string) => (errors[k] ??= []).push(msg);
    if (!v.reviewer) add('reviewer', REVIEWER_MISSING);
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
    if (v.reviewer) rememberReviewer(res, v.reviewer);
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
      start: spanHolds ? offset(v.start) : null,
      end: spanHolds ? offset(v.end) : null,
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

  // --------------------------------------------------------------------------- one concept
  router.get('/glossary/:id', async (req, res) => {
    const g = glossary();
    const done = oneOf(Object.keys(DONE), req.query.done);
    await renderConcept(res, deps, g, String(req.params.id), { reviewer: rememberedReviewer(req), done });
  });

  /** Run a write; turn its expected failures into the concept page with the problem explained. */
  const attempt = async (
    req: Request,
    res: Response,
    which: 'decide' | 'edit',
    submitted: Record<string, string>,
    preErrors: string[],
    write: (g: GlossaryService, reviewer: string, version: number) => Promise<string>,
  ) => {
    checkOrigin(req);
    const g = glossary();
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Fields;
    const reviewer = cleanName(str(body.reviewer));
    const version = offset(body.version);
    const errors = [...preErrors];
    if (!reviewer) errors.unshift(REVIEWER_MISSING);
    if (version === null || version < 1) errors.push('The form did not say which version of the entry it was opened with. Reload the page and make your change again.');
    if (reviewer) rememberReviewer(res, reviewer);
    const state = { reviewer: reviewer || rememberedReviewer(req), failed: which, submitted };
    if (errors.length) return renderConcept(res, deps, g, id, { ...state, errors }, 422);
    try {
      const done = await write(g, reviewer, version!);
      res.redirect(303, `/glossary/${encodeURIComponent(id)}?done=${done}`);
    } catch (e) {
      if (e instanceof ConflictError) {
        const history = await g.history(id).catch(() => [] as HistoryEntry[]);
        const last = history.length ? summarise(history[history.length - 1]!) : undefined;
        const lc = e.lastChange;
        const conflict = {
          sentence: last ? sentence(last) : lc ? `${lc.author} ${VERB[lc.action] ?? lc.action} the entry` : 'someone changed the entry',
          when: last?.when ?? when(lc?.at),
          at: last?.at ?? lc?.at ?? '',
          expected: e.expectedVersion,
          current: e.currentVersion,
        };
        return renderConcept(res, deps, g, id, { ...state, conflict }, 409);
      }
      if (e instanceof InvalidTransitionError) return renderConcept(res, deps, g, id, { ...state, errors: [e.message] }, 422);
      if (e instanceof GlossaryValidationError) return renderConcept(res, deps, g, id, { ...state, errors: problemsOf(e) }, 422);
      if (e instanceof NotFoundError) {
        // The concept itself is gone (404 from the page), or a variant named in the form is.
        return renderConcept(res, deps, g, id, { ...state, errors: [e.message] }, 422);
      }
      throw e;
    }
  };

  router.post('/glossary/:id/decide', form, async (req, res) => {
    const body = (req.body ?? {}) as Fields;
    const action = oneOf(DECIDE_ACTIONS, body.action);
    // The variant may come in the body or, from a row's button (formaction), in the query.
    const variant = str(body.variant) || str(req.query.variant);
    const submitted = { action: str(body.action), variant, version: str(body.version), reviewer: str(body.reviewer) };
    const pre = action ? [] : ['Choose approve, reject or deprecate.'];
    await attempt(req, res, 'decide', submitted, pre, async (g, reviewer, version) => {
      const target = variant ? { variantText: variant } : { withVariants: true };
      await g.decide(String(req.params.id), target, action!, reviewer, version);
      return action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'deprecated';
    });
  });

  router.post('/glossary/:id/edit', form, async (req, res) => {
    const body = (req.body ?? {}) as Fields;
    const canonical = oneLine(str(body.canonical));
    const notes = textBlock(body.notes);
    const type = oneOf(ENTITY_TYPES, body.type);
    const submitted = { canonical, type: str(body.type), notes, version: str(body.version), reviewer: str(body.reviewer) };
    const pre: string[] = [];
    if (!canonical) pre.push('Write the canonical form: the correct spelling the desk uses.');
    if (!type) pre.push('Choose what this is: a person, place, organization, outlet or term.');
    await attempt(req, res, 'edit', submitted, pre, async (g, reviewer, version) => {
      const r = await g.update(String(req.params.id), { canonical, type: type as EntityType, notes: notes || null }, reviewer, version);
      return r.version === version ? 'unchanged' : 'edited';
    });
  });

  return router;
}
