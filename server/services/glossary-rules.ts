// The glossary's pure rules: who may write, what a proposal or patch turns an entry into, and the
// checks a changed glossary or an import must pass before anything is written; concept id slugs.
import {
  ENTRY_STATUSES,
  type EntryConcept,
  type EntryStatus,
  type EntryVariant,
  type GlossaryEntries,
  type Provenance,
} from '../core/glossary/model.ts';
import {
  GlossaryValidationError,
  validateGlossary,
  type ConceptData,
  type GlossaryData,
  type VariantData,
} from '../core/glossary/schema.ts';
import { storedConcept } from '../store/glossary-rows.ts';
import type { GlossaryTx } from '../store/glossary.ts';
import type { ConceptPatch, NewConceptInput, ProposalSource } from './glossary-types.ts';

/** The glossary-wide lists besides the concepts (and the name). */
export const EXTRA_LISTS = ['furniture', 'labels', 'notPossessive'] as const;

/** Every write names its author: a non-empty name. */
export function checkAuthor(author: unknown): void {
  if (typeof author !== 'string' || !author.trim()) {
    throw new GlossaryValidationError(['author: say who makes the change (a non-empty name)']);
  }
}

/** The provenance of a proposal by author, after checking its source (article slug, span offsets). */
export function proposalProvenance(author: string, s: ProposalSource): Provenance {
  const problems: string[] = [];
  const isOffset = (n: unknown) => n === null || n === undefined || (Number.isInteger(n) && (n as number) >= 0);
  if (!isOffset(s.start) || !isOffset(s.end)) problems.push('proposal: start and end must be character offsets (whole numbers from 0)');
  else if (s.start != null && s.end != null && s.end <= s.start) problems.push('proposal: end must be after start');
  if (s.article != null && (typeof s.article !== 'string' || !s.article)) problems.push('proposal: article must be an article slug');
  if (problems.length) throw new GlossaryValidationError(problems);
  const p: Provenance = { proposedBy: author };
  if (s.article != null) p.article = s.article;
  if (s.start != null) p.start = s.start;
  if (s.end != null) p.end = s.end;
  return p;
}

/** The known fields of a variant, without status or provenance. */
export function variantFields(v: VariantData): VariantData {
  const out: VariantData = { text: v.text, kind: v.kind };
  if (v.severity !== undefined) out.severity = v.severity;
  if (v.case !== undefined) out.case = v.case;
  if (v.suggestion !== undefined) out.suggestion = v.suggestion;
  if (v.exceptions !== undefined) out.exceptions = v.exceptions;
  if (v.styles !== undefined) out.styles = v.styles;
  if (v.note !== undefined) out.note = v.note;
  return out;
}

export function conceptFields(c: NewConceptInput & { id: string }): Omit<ConceptData, 'variants'> {
  const out: Omit<ConceptData, 'variants'> = { id: c.id, canonical: c.canonical, type: c.type };
  if (c.notes !== undefined) out.notes = c.notes;
  if (c.accepted !== undefined) out.accepted = c.accepted;
  if (c.roles !== undefined) out.roles = c.roles;
  return out;
}

export function applyPatch(c: EntryConcept, patch: ConceptPatch, author: string): EntryConcept {
  const next: EntryConcept = { ...c };
  if (patch.canonical !== undefined) next.canonical = patch.canonical;
  if (patch.type !== undefined) next.type = patch.type;
  for (const k of ['notes', 'accepted', 'roles'] as const) {
    if (patch[k] === null) delete next[k];
    else if (patch[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = patch[k];
  }
  if (patch.variants !== undefined) {
    if (!Array.isArray(patch.variants)) throw new GlossaryValidationError([`update: concept "${c.id}": variants must be a list`]);
    if (patch.variants.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new GlossaryValidationError([`update: concept "${c.id}": each variant must be a mapping with text and kind`]);
    }
    const old = new Map(c.variants.map((v) => [v.text, v]));
    next.variants = patch.variants.map((v) => {
      const o = old.get(v?.text);
      return o
        ? { ...variantFields(v), status: o.status, ...(o.provenance ? { provenance: o.provenance } : {}) }
        : { ...variantFields(v), status: 'proposed' as const, provenance: { proposedBy: author } };
    });
  }
  return storedConcept(next);
}

export function findConcept(g: GlossaryEntries, id: string): EntryConcept | undefined {
  const i = conceptIndex(g.concepts, id);
  return g.concepts[i]?.id === id ? g.concepts[i] : undefined;
}

/** Binary search in concepts sorted by id: the index of id, or where it would go. */
function conceptIndex(concepts: readonly EntryConcept[], id: string): number {
  let lo = 0;
  let hi = concepts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (concepts[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The glossary with one concept added or replaced, order kept. */
export function withConcept(g: GlossaryEntries, c: EntryConcept): GlossaryEntries {
  const concepts = g.concepts.slice();
  const i = conceptIndex(concepts, c.id);
  if (concepts[i]?.id === c.id) concepts[i] = c;
  else concepts.splice(i, 0, c);
  return { ...g, concepts };
}

/** The entries that take part in detection or may soon: proposed and approved ones. */
function liveData(g: GlossaryEntries): GlossaryData {
  const live = (s: EntryStatus) => s === 'proposed' || s === 'approved';
  return {
    name: g.name,
    concepts: g.concepts
      .filter((c) => live(c.status))
      .map(({ status: _s, provenance: _p, variants, ...c }) => ({
        ...c,
        variants: variants.filter((v) => live(v.status)).map(({ status: _vs, provenance: _vp, ...v }) => v),
      })),
    furniture: g.furniture,
    labels: g.labels,
    notPossessive: g.notPossessive,
  };
}

function stripEntry(c: EntryConcept): ConceptData {
  const { status: _s, provenance: _p, variants, ...rest } = c;
  return { ...rest, variants: (variants ?? []).map(({ status: _vs, provenance: _vp, ...v }) => v) };
}

function conceptProblems(c: EntryConcept, source: string): string[] {
  const problems: string[] = [];
  try {
    validateGlossary({ concepts: [stripEntry(c)] }, source);
  } catch (e) {
    if (e instanceof GlossaryValidationError) problems.push(...e.problems);
    else throw e;
  }
  return problems;
}

/**
 * Check a change before it is written: each touched concept on its own, whatever its status (every
 * field well-formed, no form twice), then the whole glossary as it would be, counting the entries
 * that are live (proposed or approved), so the approved glossary stays valid whatever gets
 * approved next: a form belongs to one concept.
 */
export function validateChange(next: GlossaryEntries, touched: readonly EntryConcept[], source: string): void {
  const problems: string[] = [];
  for (const c of touched) problems.push(...conceptProblems(c, source));
  if (problems.length) throw new GlossaryValidationError(problems);
  validateGlossary(liveData(next), source);
}

/** Shape and status checks of an import, before anything is compared or written. */
export function checkImportShape(g: GlossaryEntries): void {
  const problems: string[] = [];
  if (typeof g !== 'object' || g === null || !Array.isArray(g.concepts)) {
    throw new GlossaryValidationError(['import: expected a glossary with a "concepts" list']);
  }
  const ids = new Set<string>();
  const statusOk = (s: unknown) => ENTRY_STATUSES.includes(s as EntryStatus);
  const provProblem = (p: unknown): string | null => {
    if (p === undefined || p === null) return null;
    if (typeof p !== 'object' || Array.isArray(p)) return 'provenance must be a mapping';
    const q = p as Record<string, unknown>;
    for (const k of ['proposedBy', 'decidedBy', 'article'] as const) {
      if (q[k] != null && typeof q[k] !== 'string') return `provenance.${k} must be text`;
    }
    for (const k of ['start', 'end'] as const) {
      if (q[k] != null && !(Number.isInteger(q[k]) && (q[k] as number) >= 0)) return `provenance.${k} must be a whole number from 0`;
    }
    return null;
  };
  g.concepts.forEach((c: unknown, i: number) => {
    const before = problems.length;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      problems.push(`import: concept #${i + 1}: must be a mapping with id, canonical, type and variants`);
      return;
    }
    const e = c as EntryConcept;
    const where = typeof e.id === 'string' ? `concept "${e.id}"` : `concept #${i + 1}`;
    if (typeof e.id === 'string') {
      if (ids.has(e.id)) problems.push(`import: ${where}: id is used twice in the import`);
      ids.add(e.id);
    }
    if (!statusOk(e.status)) problems.push(`import: ${where}: status ${JSON.stringify(e.status)} is not one of ${ENTRY_STATUSES.join(', ')}`);
    const pp = provProblem(e.provenance);
    if (pp) problems.push(`import: ${where}: ${pp}`);
    if (e.variants !== undefined && !Array.isArray(e.variants)) {
      problems.push(`import: ${where}: variants must be a list`);
      return;
    }
    (e.variants ?? []).forEach((v: unknown, j: number) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        problems.push(`import: ${where}, variant #${j + 1}: must be a mapping with text and kind`);
        return;
      }
      const ev = v as EntryVariant;
      const vw = `${where}, variant ${typeof ev.text === 'string' ? JSON.stringify(ev.text) : `#${j + 1}`}`;
      if (!statusOk(ev.status)) problems.push(`import: ${vw}: status ${JSON.stringify(ev.status)} is not one of ${ENTRY_STATUSES.join(', ')}`);
      const vp = provProblem(ev.provenance);
      if (vp) problems.push(`import: ${vw}: ${vp}`);
    });
    if (problems.length === before) problems.push(...conceptProblems(e, 'import'));
  });
  for (const k of EXTRA_LISTS) {
    if (g[k] !== undefined && !Array.isArray(g[k])) problems.push(`import: ${k} must be a list`);
  }
  if (problems.length) throw new GlossaryValidationError(problems);
}

const SLUG_MAP: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h' };

/** A concept id from a canonical form: "Volodymyr Zelensky" -> "volodymyr-zelensky". */
export function slugify(s: string): string {
  const slug = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđðþßæœıħ]/g, (ch) => SLUG_MAP[ch] ?? ch)
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'concept';
}

/** `base`, or `base-2`, `base-3`… : the first concept id not taken yet. */
export async function freeSlug(t: GlossaryTx, base: string): Promise<string> {
  if (!(await t.conceptExists(base))) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!(await t.conceptExists(id))) return id;
  }
}
