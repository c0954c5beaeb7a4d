// The shared glossary as the desk keeps it: the glossary data plus, for every concept and
// variant, a review status and where it came from. This is the shape the store reads and writes
// and every export/import format speaks. Timestamps stay in the store (history); they are not part
// of this model, so exports are deterministic and round trips are byte-identical.
import type { ConceptData, FurnitureData, GlossaryData, LabelData, VariantData } from './schema.ts';

export type EntryStatus = 'proposed' | 'approved' | 'rejected' | 'deprecated';
export const ENTRY_STATUSES: readonly EntryStatus[] = ['proposed', 'approved', 'rejected', 'deprecated'];

/** Allowed status changes: proposed -> approved | rejected; approved -> deprecated. */
export const STATUS_TRANSITIONS: Readonly<Record<EntryStatus, readonly EntryStatus[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['deprecated'],
  rejected: [],
  deprecated: [],
};

export interface Provenance {
  /** Who proposed the entry ("starter glossary" for the shipped one). */
  proposedBy?: string | null;
  /** The article (slug) and span the proposal was made from. */
  article?: string | null;
  start?: number | null;
  end?: number | null;
  /** Who approved (or rejected) it. */
  decidedBy?: string | null;
}

export interface EntryVariant extends VariantData {
  status: EntryStatus;
  provenance?: Provenance;
}

export interface EntryConcept extends Omit<ConceptData, 'variants'> {
  status: EntryStatus;
  provenance?: Provenance;
  variants: EntryVariant[];
}

/** A whole shared glossary, as exported and imported. */
export interface GlossaryEntries {
  name: string;
  concepts: EntryConcept[];
  furniture: FurnitureData[];
  labels: LabelData[];
  notPossessive: string[];
}

/** Sort concepts by id and variants by text, so that every export is deterministic. */
export function normalizeEntries(g: GlossaryEntries): GlossaryEntries {
  const byText = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
  return {
    ...g,
    concepts: [...g.concepts]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({ ...c, variants: [...c.variants].sort(byText) })),
  };
}

/** The entries a shipped glossary file describes: everything approved, by the starter glossary. */
export function entriesFromData(data: GlossaryData, by = 'starter glossary'): GlossaryEntries {
  return {
    name: data.name ?? 'glossary',
    concepts: data.concepts.map((c) => ({
      ...c,
      status: 'approved' as const,
      provenance: { proposedBy: by, decidedBy: by },
      variants: (c.variants ?? []).map((v) => ({ ...v, status: 'approved' as const, provenance: { proposedBy: by, decidedBy: by } })),
    })),
    furniture: data.furniture ?? [],
    labels: data.labels ?? [],
    notPossessive: data.notPossessive ?? [],
  };
}

/**
 * What drives detection: approved concepts with their approved variants (deprecated and rejected
 * entries drop out; proposed ones are pending and do not count yet).
 */
export function approvedData(g: GlossaryEntries): GlossaryData {
  return {
    name: g.name,
    concepts: g.concepts
      .filter((c) => c.status === 'approved')
      .map(({ status: _s, provenance: _p, variants, ...c }) => ({
        ...c,
        variants: variants.filter((v) => v.status === 'approved').map(({ status: _vs, provenance: _vp, ...v }) => v),
      })),
    furniture: g.furniture,
    labels: g.labels,
    notPossessive: g.notPossessive,
  };
}
