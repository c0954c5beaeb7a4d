// How glossary entries are laid out in SQLite rows: the row shapes and column lists, rows -> entries
// (variantFromRow, conceptFromRow, historyFromRow) and entries -> bound values; storedConcept/Variant.
import { foldForm, type RoleData } from '../core/glossary/schema.ts';
import type { EntryConcept, EntryStatus, EntryVariant, Provenance } from '../core/glossary/model.ts';
import type { EntityType, Severity, VariantKind } from '../core/types.ts';
import type { HistoryEntry } from './glossary-types.ts';

export interface ConceptRow {
  id: string;
  canonical: string;
  type: string;
  notes: string | null;
  accepted_json: string | null;
  roles_json: string | null;
  status: EntryStatus;
  version: number;
  proposed_by: string | null;
  article_slug: string | null;
  span_start: number | null;
  span_end: number | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VariantRow {
  id: number;
  concept_id: string;
  text: string;
  folded: string;
  kind: string;
  severity: string | null;
  case_rule: string | null;
  suggestion: string | null;
  exceptions_json: string | null;
  styles_json: string | null;
  note: string | null;
  status: EntryStatus;
  proposed_by: string | null;
  article_slug: string | null;
  span_start: number | null;
  span_end: number | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface HistoryRow {
  id: number;
  concept_id: string | null;
  variant_id: number | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  author: string;
  at: string;
}

export const CONCEPT_COLS = [
  'id', 'canonical', 'type', 'notes', 'accepted_json', 'roles_json', 'status', 'version',
  'proposed_by', 'article_slug', 'span_start', 'span_end', 'decided_by', 'decided_at', 'created_at', 'updated_at',
] as const;
export const VARIANT_COLS = [
  'concept_id', 'text', 'folded', 'kind', 'severity', 'case_rule', 'suggestion', 'exceptions_json', 'styles_json', 'note',
  'status', 'proposed_by', 'article_slug', 'span_start', 'span_end', 'decided_by', 'decided_at', 'created_at', 'updated_at',
] as const;
export const HISTORY_COLS = ['concept_id', 'variant_id', 'action', 'before_json', 'after_json', 'author', 'at'] as const;

export const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(s: string | null): T | undefined => (s === null ? undefined : (JSON.parse(s) as T));

function provenanceOf(r: Pick<ConceptRow, 'proposed_by' | 'article_slug' | 'span_start' | 'span_end' | 'decided_by'>): Provenance | undefined {
  const p: Provenance = {};
  if (r.proposed_by !== null) p.proposedBy = r.proposed_by;
  if (r.article_slug !== null) p.article = r.article_slug;
  if (r.span_start !== null) p.start = r.span_start;
  if (r.span_end !== null) p.end = r.span_end;
  if (r.decided_by !== null) p.decidedBy = r.decided_by;
  return Object.keys(p).length ? p : undefined;
}

export function provenanceCols(p: Provenance | undefined): [string | null, string | null, number | null, number | null, string | null] {
  return [p?.proposedBy ?? null, p?.article ?? null, p?.start ?? null, p?.end ?? null, p?.decidedBy ?? null];
}

/** The entry a variant row describes: optional fields present only when set. */
export function variantFromRow(r: Omit<VariantRow, 'id' | 'concept_id' | 'folded' | 'decided_at' | 'created_at' | 'updated_at'>): EntryVariant {
  const exceptions = parse<string[]>(r.exceptions_json);
  const styles = parse<string[]>(r.styles_json);
  const p = provenanceOf(r);
  return {
    text: r.text,
    kind: r.kind as VariantKind,
    ...(r.severity !== null && { severity: r.severity as Severity }),
    ...(r.case_rule !== null && { case: r.case_rule as 'sensitive' | 'insensitive' }),
    ...(r.suggestion !== null && { suggestion: r.suggestion }),
    ...(exceptions !== undefined && { exceptions }),
    ...(styles !== undefined && { styles }),
    ...(r.note !== null && { note: r.note }),
    status: r.status,
    ...(p && { provenance: p }),
  };
}

/** The entry a concept row describes (variants given separately). */
export function conceptFromRow(
  r: Omit<ConceptRow, 'version' | 'decided_at' | 'created_at' | 'updated_at'>,
  variants: EntryVariant[],
): EntryConcept {
  const accepted = parse<string[]>(r.accepted_json);
  const roles = parse<RoleData[]>(r.roles_json);
  const p = provenanceOf(r);
  return {
    id: r.id,
    canonical: r.canonical,
    type: r.type as EntityType,
    ...(r.notes !== null && { notes: r.notes }),
    ...(accepted !== undefined && { accepted }),
    ...(roles !== undefined && { roles }),
    status: r.status,
    ...(p && { provenance: p }),
    variants,
  };
}

export const byText = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

/** A variant exactly as the store will give it back (unknown keys and unset fields dropped). */
export function storedVariant(v: EntryVariant): EntryVariant {
  const [proposed_by, article_slug, span_start, span_end, decided_by] = provenanceCols(v.provenance);
  return variantFromRow({
    text: v.text,
    kind: v.kind,
    severity: v.severity ?? null,
    case_rule: v.case ?? null,
    suggestion: v.suggestion ?? null,
    exceptions_json: json(v.exceptions),
    styles_json: json(v.styles),
    note: v.note ?? null,
    status: v.status,
    proposed_by, article_slug, span_start, span_end, decided_by,
  });
}

/** A concept exactly as the store will give it back: same fields, variants sorted by text. */
export function storedConcept(c: EntryConcept): EntryConcept {
  const [proposed_by, article_slug, span_start, span_end, decided_by] = provenanceCols(c.provenance);
  return conceptFromRow(
    {
      id: c.id,
      canonical: c.canonical,
      type: c.type,
      notes: c.notes ?? null,
      accepted_json: json(c.accepted),
      roles_json: json(c.roles),
      status: c.status,
      proposed_by, article_slug, span_start, span_end, decided_by,
    },
    (c.variants ?? []).map(storedVariant).sort(byText),
  );
}

export function conceptValues(c: EntryConcept, at: string, decidedAt: string | null): unknown[] {
  return [
    c.id, c.canonical, c.type, c.notes ?? null, json(c.accepted), json(c.roles), c.status, 1,
    ...provenanceCols(c.provenance), decidedAt, at, at,
  ];
}

export function variantValues(conceptId: string, v: EntryVariant, at: string, decidedAt: string | null): unknown[] {
  return [
    conceptId, v.text, foldForm(v.text), v.kind, v.severity ?? null, v.case ?? null, v.suggestion ?? null,
    json(v.exceptions), json(v.styles), v.note ?? null, v.status, ...provenanceCols(v.provenance), decidedAt, at, at,
  ];
}

export function historyFromRow(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    conceptId: r.concept_id,
    variantId: r.variant_id,
    action: r.action,
    before: parse(r.before_json) ?? null,
    after: parse(r.after_json) ?? null,
    author: r.author,
    at: r.at,
  };
}
