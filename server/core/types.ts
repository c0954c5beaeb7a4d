// The vocabulary shared by every part of copydesk. Pure data shapes: no I/O here.

/** How much a finding matters. Ordered: error > warning > info. */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

export function severityRank(s: Severity): number {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}

/** Kinds of glossary variant: how a wrong or alternative form came about. */
export type VariantKind =
  | 'russian-form'
  | 'transliteration'
  | 'literal-translation'
  | 'mistranslation'
  | 'misspelling'
  | 'house-style';

export const VARIANT_KINDS: readonly VariantKind[] = [
  'russian-form',
  'transliteration',
  'literal-translation',
  'mistranslation',
  'misspelling',
  'house-style',
];

/** Kinds of finding. Variant kinds come from the glossary; the rest from the other detectors. */
export type FindingKind =
  | VariantKind
  | 'name-variant'
  | 'dropped-apostrophe'
  | 'boilerplate'
  | 'untranslated'
  | 'inconsistent-naming'
  | 'fact-mismatch'
  | 'anachronism';

export type EntityType = 'person' | 'place' | 'organization' | 'outlet' | 'term';

export const ENTITY_TYPES: readonly EntityType[] = ['person', 'place', 'organization', 'outlet', 'term'];

/**
 * One artefact found in a text. Offsets are half-open UTF-16 code-unit offsets into the exact
 * text that was scanned: text.slice(start, end) === finding.text, always.
 */
export interface Finding {
  detector: string;
  kind: FindingKind;
  severity: Severity;
  start: number;
  end: number;
  text: string;
  suggestion: string | null;
  /** Glossary concept id, where the finding is about one. */
  concept: string | null;
  message: string;
  /**
   * The other side of a disagreement (fact-mismatch): the article (its slug; the same article for
   * a headline against its own body) and the span there, in the same offset format.
   */
  related?: RelatedSpan | null;
}

export interface RelatedSpan {
  article: string;
  start: number;
  end: number;
  text: string;
}

/** What a detector sees: the text, the compiled glossary, and lazily computed shared views of the text. */
export interface ScanContext {
  readonly text: string;
  readonly glossary: import('./glossary/compile.ts').CompiledGlossary;
  readonly options: ScanOptions;
  /** Every glossary form found in the text (canonical, accepted and variant), computed once. */
  mentions(): readonly import('./glossary/matcher.ts').Mention[];
  /** Lines of the text with their offsets, computed once. */
  lines(): readonly Line[];
}

export interface Line {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the last character, excluding the line break. */
  end: number;
  text: string;
}

export interface Detector {
  /** Stable id: appears in findings, configuration and exports. Never rename. */
  readonly id: string;
  /** One sentence for --list-detectors and the README. */
  readonly description: string;
  /** Higher wins when two findings overlap (see scope) or cover the exact same span. */
  readonly priority: number;
  /**
   * 'span': findings about a word or phrase; overlapping span findings are resolved centrally
   * (the higher priority, then the longer, wins). 'block': findings about a line or block (page
   * furniture); they never hide span findings inside them.
   */
  readonly scope: 'span' | 'block';
  detect(ctx: ScanContext): Finding[];
}

export interface ScanOptions {
  /** Drop findings below this severity. Default: info (keep all). */
  minSeverity?: Severity;
  /** Run only these detector ids (default: all registered). */
  detectors?: readonly string[];
  /** Detector ids to skip. */
  disable?: readonly string[];
  /** The article's date (ISO yyyy-mm-dd), for date-aware checks. */
  date?: string;
  /** Declared origin language (ISO 639-3), a hint for the untranslated-text detector. */
  originLanguage?: string;
}
