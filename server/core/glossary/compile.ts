// Compile a validated glossary once per version: every form into the matcher, plus lookup tables
// the detectors share. Detectors that need their own derived tables build them through cache(),
// so they too are built once per compiled glossary, never per text.
import type { Severity, VariantKind } from '../types.ts';
import { DEFAULT_SEVERITY, type ConceptData, type GlossaryData, type VariantData } from './schema.ts';
import { Matcher, compileExceptions, foldText, type MatchForm } from './matcher.ts';

export type FormRole = 'canonical' | 'accepted' | 'variant';

export interface CompiledForm extends MatchForm {
  /** Index into CompiledGlossary.concepts. */
  readonly concept: number;
  readonly role: FormRole;
  /** For variants: the kind, severity and replacement. */
  readonly kind: VariantKind | null;
  readonly severity: Severity | null;
  readonly suggestion: string | null;
  readonly note: string | null;
}

export interface CompileOptions {
  /** A house style name: house-style variants tagged with it become the preferred spelling. */
  houseStyle?: string;
}

/** FNV-1a over a string, as 8 hex digits. Used for glossary versions. */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class CompiledGlossary {
  readonly concepts: readonly ConceptData[];
  readonly forms: readonly CompiledForm[];
  readonly matcher: Matcher;
  /** A short hash of the glossary data and options: changes whenever detection could change. */
  readonly version: string;
  readonly name: string;
  /** The preferred spelling of each concept (canonical, or the house style's choice). */
  readonly preferred: readonly string[];
  private readonly derived = new Map<string, unknown>();

  constructor(
    readonly data: GlossaryData,
    readonly options: CompileOptions = {},
  ) {
    this.concepts = data.concepts;
    this.name = data.name ?? 'glossary';
    const forms: CompiledForm[] = [];
    const preferred: string[] = [];
    const style = options.houseStyle;
    data.concepts.forEach((c, ci) => {
      const styled = style ? c.variants?.find((v) => v.kind === 'house-style' && v.styles?.includes(style)) : undefined;
      const pref = styled ? styled.text : c.canonical;
      preferred.push(pref);
      if (styled) {
        // The house style prefers a variant spelling: it becomes correct, the canonical becomes a house-style note.
        forms.push(makeForm(c.canonical, ci, 'variant', { text: c.canonical, kind: 'house-style' }, pref));
      } else forms.push(makeForm(c.canonical, ci, 'canonical', null, null));
      for (const a of c.accepted ?? []) forms.push(makeForm(a, ci, 'accepted', null, null));
      for (const v of c.variants ?? []) {
        if (v === styled) forms.push(makeForm(v.text, ci, 'accepted', null, null));
        else forms.push(makeForm(v.text, ci, 'variant', v, v.suggestion ?? (v.kind === 'house-style' ? pref : v.suggestion ?? pref)));
      }
    });
    this.forms = forms;
    this.preferred = preferred;
    this.matcher = new Matcher(forms);
    this.version = hashString(JSON.stringify(data) + '\u0000' + (style ?? ''));
  }

  /** A table derived from this glossary, built on first use and kept for its lifetime. */
  cache<T>(key: string, build: (g: CompiledGlossary) => T): T {
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const v = build(this);
    this.derived.set(key, v);
    return v;
  }

  conceptId(i: number): string {
    return this.concepts[i]!.id;
  }

  get variantCount(): number {
    let n = 0;
    for (const f of this.forms) if (f.role === 'variant') n++;
    return n;
  }
}

const ACRONYM = /^[\p{Lu}][\p{Lu}.]{1,5}$/u;

function makeForm(
  text: string,
  concept: number,
  role: FormRole,
  v: Pick<VariantData, 'text' | 'kind'> & Partial<VariantData> | null,
  suggestion: string | null,
): CompiledForm {
  const normal = text.replace(/\s+/g, ' ').trim();
  const folded = foldText(normal);
  return {
    text: normal,
    folded,
    // Correct short acronyms match only in capitals: "US" is not the pronoun "us".
    caseSensitive: v ? v.case === 'sensitive' : ACRONYM.test(normal),
    exceptions: v?.exceptions ? compileExceptions(folded, v.exceptions) : [],
    concept,
    role,
    kind: v ? v.kind : null,
    severity: v ? (v.kind === 'house-style' ? 'info' : v.severity ?? DEFAULT_SEVERITY[v.kind]) : null,
    suggestion,
    note: v?.note ?? null,
  };
}

export function compileGlossary(data: GlossaryData, options: CompileOptions = {}): CompiledGlossary {
  return new CompiledGlossary(data, options);
}
