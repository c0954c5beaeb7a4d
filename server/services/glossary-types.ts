// The glossary service's inputs and results: what callers propose, patch and import, what they get
// back, and the options and hooks (onChange, the article-side rescanner) the service is built with.
import type { CompiledGlossary } from '../core/glossary/compile.ts';
import type { EntryConcept } from '../core/glossary/model.ts';
import type { RoleData, VariantData } from '../core/glossary/schema.ts';
import type { EntityType } from '../core/types.ts';
import type { ExtraKey, HistoryEntry, StoredConcept } from '../store/glossary-types.ts';

export type DecideAction = 'approve' | 'reject' | 'deprecate';

export interface NewConceptInput {
  /** Slug; generated from the canonical form when not given. */
  id?: string;
  canonical: string;
  type: EntityType;
  notes?: string;
  accepted?: string[];
  roles?: RoleData[];
}

export type ProposeTarget = { conceptId: string } | { concept: NewConceptInput };

/** Where a proposal was made: the article (slug) and span. */
export interface ProposalSource {
  article?: string | null;
  start?: number | null;
  end?: number | null;
}

export interface ProposeResult {
  conceptId: string;
  /** The concept's version after the proposal. */
  version: number;
  /** True when a new concept was created. */
  created: boolean;
  variant: string | null;
}

export interface ConceptPatch {
  canonical?: string;
  type?: EntityType;
  /** null removes the notes. */
  notes?: string | null;
  accepted?: string[] | null;
  roles?: RoleData[] | null;
  /**
   * The complete new list of variants. A variant matched by text keeps its status and provenance
   * (its other fields are replaced); a new text becomes a proposed variant by the author; a
   * variant left out is removed. Statuses change only through decide().
   */
  variants?: VariantData[];
}

export interface WriteResult {
  concept: EntryConcept;
  version: number;
}

export interface ConceptDetail extends StoredConcept {
  history: HistoryEntry[];
}

export interface MergeResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Glossary-wide lists replaced by the import. */
  replaced: ExtraKey[];
  revision: number;
}

/** What changed for detection: forms of concepts whose approved data changed, or everything. */
export interface GlossaryChange {
  revision: number;
  forms: string[];
  /** Furniture, labels or notPossessive changed: every article is affected. */
  all: boolean;
}

/** What recomputeFindings needs from the article side (ArticleService). */
export interface FindingsRescanner {
  setGlossary(glossary: CompiledGlossary): void;
  rescan(articleIds: readonly number[]): Promise<number[]>;
}

export interface GlossaryServiceOptions {
  /** House style the compiled glossary applies (see CompileOptions). */
  houseStyle?: string;
  /**
   * Called after a committed change that affects detection (approved data changed), one call at a
   * time in commit order; the write that caused it resolves after it. Wire it to recomputeFindings.
   */
  onChange?: (change: GlossaryChange) => void | Promise<void>;
  /** Clock for timestamps (ISO 8601). */
  now?: () => string;
}

export interface MergeOptions {
  /** Rows written so far, while the import's rows are inserted (inside its transaction). */
  onProgress?: (done: number, total: number) => void;
}
