// One glossary concept: its page (variants, occurrences across articles, history) and the review
// decisions and edits posted from it, with conflicts and mistakes explained on the page.
import type { Request, Response, Router } from 'express';
import type { AppDeps } from '../app.ts';
import { STATUS_TRANSITIONS, type EntryStatus, type Provenance } from '../core/glossary/model.ts';
import { DEFAULT_SEVERITY } from '../core/glossary/schema.ts';
import { ENTITY_TYPES, type EntityType, type Severity, type VariantKind } from '../core/types.ts';
import {
  ConflictError,
  GlossaryValidationError,
  InvalidTransitionError,
  NotFoundError,
  type ConceptDetail,
  type DecideAction,
  type GlossaryService,
} from '../services/glossary.ts';
import type { HistoryEntry } from '../store/glossary-types.ts';
import { HttpError } from '../web/errors.ts';
import { oneOf, str, textBlock, wholeNumber } from '../web/forms.ts';
import { requireRole, userOf } from '../web/auth.ts';
import { roleAtLeast } from '../services/accounts.ts';
import { sentence, summarise } from './glossary-history.ts';
import {
  ACTION_FOR,
  DECIDE_ACTIONS,
  DONE,
  glossaryOf,
  OCCURRENCE_LIMIT,
  oneLine,
  problemsOf,
  STYLES,
  VERB,
  when,
  type Fields,
} from './glossary-shared.ts';

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
  /** Editors and admins decide and edit; reviewers only read (and propose). */
  canDecide: boolean;
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
  const readOnly = state.canDecide ? {} : { conceptActions: [], variants: model.variants.map((v) => ({ ...v, actions: [] })) };
  res.status(status).render('concept', {
    title: `${c.canonical} · Glossary`,
    styles: STYLES,
    nav: 'glossary',
    ...model,
    ...readOnly,
    canDecide: state.canDecide,
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

/** GET /glossary/:id and the decide and edit posts (registered after the list and propose routes). */
export function conceptRoutes(router: Router, deps: AppDeps): void {
  router.get('/glossary/:id', async (req, res) => {
    const g = glossaryOf(deps);
    const done = oneOf(Object.keys(DONE), req.query.done);
    const user = userOf(res);
    await renderConcept(res, deps, g, String(req.params.id), { reviewer: user.username, canDecide: roleAtLeast(user.role, 'editor'), done });
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
    const g = glossaryOf(deps);
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Fields;
    const reviewer = userOf(res).username;
    const version = wholeNumber(body.version);
    const errors = [...preErrors];
    if (version === null || version < 1) errors.push('The form did not say which version of the entry it was opened with. Reload the page and make your change again.');
    const state = { reviewer, canDecide: true, failed: which, submitted };
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

  router.post('/glossary/:id/decide', requireRole('editor'), async (req, res) => {
    const body = (req.body ?? {}) as Fields;
    const action = oneOf(DECIDE_ACTIONS, body.action);
    // The variant may come in the body or, from a row's button (formaction), in the query.
    const variant = str(body.variant) || str(req.query.variant);
    const submitted = { action: str(body.action), variant, version: str(body.version) };
    const pre = action ? [] : ['Choose approve, reject or deprecate.'];
    await attempt(req, res, 'decide', submitted, pre, async (g, reviewer, version) => {
      const target = variant ? { variantText: variant } : { withVariants: true };
      await g.decide(String(req.params.id), target, action!, reviewer, version);
      return action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'deprecated';
    });
  });

  router.post('/glossary/:id/edit', requireRole('editor'), async (req, res) => {
    const body = (req.body ?? {}) as Fields;
    const canonical = oneLine(str(body.canonical));
    const notes = textBlock(body.notes);
    const type = oneOf(ENTITY_TYPES, body.type);
    const submitted = { canonical, type: str(body.type), notes, version: str(body.version) };
    const pre: string[] = [];
    if (!canonical) pre.push('Write the canonical form: the correct spelling the desk uses.');
    if (!type) pre.push('Choose what this is: a person, place, organization, outlet or term.');
    await attempt(req, res, 'edit', submitted, pre, async (g, reviewer, version) => {
      const r = await g.update(String(req.params.id), { canonical, type: type as EntityType, notes: notes || null }, reviewer, version);
      return r.version === version ? 'unchanged' : 'edited';
    });
  });
}
