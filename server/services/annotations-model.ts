// The annotation vocabulary: limits, the error type, the MQM category each finding kind becomes,
// abbreviations and labels, finding keys, and the shapes the service takes and returns.
import { MQM_CATEGORIES, type MqmCategory } from '../core/annotations.ts';
import type { FindingKind } from '../core/types.ts';
import type { AnnotationRow, DecisionRow } from '../store/annotations.ts';

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

/** A stored annotation as the pages show it (with its category label and abbreviation). */
export function view(r: AnnotationRow): AnnotationView {
  return { ...r, categoryLabel: categoryLabel(r.category), abbr: CATEGORY_ABBR[r.category as MqmCategory] ?? 'NOTE' };
}
