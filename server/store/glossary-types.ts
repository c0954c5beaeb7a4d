// What the glossary store hands back besides whole entries: history rows, a concept with its
// version and timestamps, list summaries and filters, and the glossary-wide extras.
import type { FurnitureData, LabelData } from '../core/glossary/schema.ts';
import type { EntryConcept, EntryStatus } from '../core/glossary/model.ts';
import type { EntityType } from '../core/types.ts';

export interface HistoryEntry {
  id: number;
  conceptId: string | null;
  variantId: number | null;
  action: string;
  before: unknown;
  after: unknown;
  author: string;
  at: string;
}

export interface NewHistory {
  conceptId: string | null;
  variantId?: number | null;
  action: string;
  before?: unknown;
  after?: unknown;
  author: string;
  at: string;
}

export interface VariantMeta {
  id: number;
  text: string;
  status: EntryStatus;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredConcept {
  concept: EntryConcept;
  version: number;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  variants: VariantMeta[];
}

export interface ConceptSummary {
  id: string;
  canonical: string;
  type: EntityType;
  status: EntryStatus;
  version: number;
  variants: number;
  proposedVariants: number;
  updatedAt: string;
}

export interface ListFilter {
  status?: EntryStatus;
  type?: EntityType;
  /** Matches the id, the canonical form, an accepted form or a variant (case-insensitive substring). */
  q?: string;
  limit?: number;
  offset?: number;
}

export type ExtraKey = 'name' | 'furniture' | 'labels' | 'notPossessive';

export interface GlossaryExtras {
  name: string;
  furniture: FurnitureData[];
  labels: LabelData[];
  notPossessive: string[];
}
