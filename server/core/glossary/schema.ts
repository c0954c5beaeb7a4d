// The glossary as data, and its validation. A glossary is plain data (parsed from YAML or JSON by
// the caller): concepts with their variants, plus page-furniture phrases and foreign section labels.
// validateGlossary() checks every entry and returns errors that name the entry and say how to fix it.
import {
  ENTITY_TYPES,
  VARIANT_KINDS,
  SEVERITIES,
  type EntityType,
  type Severity,
  type VariantKind,
} from '../types.ts';

export type CaseRule = 'insensitive' | 'sensitive';

export interface VariantData {
  text: string;
  kind: VariantKind;
  /** Default: by kind (see DEFAULT_SEVERITY). */
  severity?: Severity;
  /** insensitive (default): "KIEV" and "kiev" match "Kiev". sensitive: only the exact spelling. */
  case?: CaseRule;
  /** What to write instead, when it is not the concept's canonical form (e.g. a surname alone). */
  suggestion?: string;
  /** Phrases in which this variant is correct and must not be flagged ("chicken Kiev"). Each contains the variant. */
  exceptions?: string[];
  /** House styles (see compile options) for which this spelling is the preferred form. */
  styles?: string[];
  note?: string;
}

export interface RoleData {
  title: string;
  from: string;
  to?: string;
}

export interface ConceptData {
  /** Stable id, lowercase letters, digits and dashes: "volodymyr-zelensky". */
  id: string;
  canonical: string;
  type: EntityType;
  notes?: string;
  /** Other correct forms, never flagged: short names ("Zelensky"), titles, abbreviations. */
  accepted?: string[];
  variants?: VariantData[];
  /** Offices held, with ISO dates (for date-aware checks). */
  roles?: RoleData[];
}

/** A piece of scraped page furniture. Exactly one of line, starts, pattern. */
export interface FurnitureData {
  id: string;
  /** The whole line, trimmed, equals this (case-insensitive; a trailing colon is tolerated). */
  line?: string;
  /** The line starts with this (case-insensitive); the whole line is flagged. */
  starts?: string;
  /** A JavaScript regular expression tried on each line (flags iu); a named group "span" narrows the finding. */
  pattern?: string;
  message?: string;
  severity?: Severity;
}

/** A short label in another language left in the text ("Bota" = World, Albanian). */
export interface LabelData {
  text: string;
  /** ISO 639-3. */
  lang: string;
  meaning: string;
}

export interface GlossaryData {
  /** Free-form version or name of this glossary. */
  name?: string;
  concepts: ConceptData[];
  furniture?: FurnitureData[];
  labels?: LabelData[];
  /** Words ending in "s" that are correct plurals or names, never a dropped apostrophe ("Americas"). */
  notPossessive?: string[];
}

export const DEFAULT_SEVERITY: Record<VariantKind, Severity> = {
  'russian-form': 'warning',
  transliteration: 'warning',
  'literal-translation': 'error',
  mistranslation: 'error',
  misspelling: 'warning',
  'house-style': 'info',
};

export class GlossaryValidationError extends Error {
  readonly code = 'GLOSSARY_INVALID';
  constructor(readonly problems: string[]) {
    super(
      `The glossary has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'GlossaryValidationError';
  }
}

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CONCEPT_KEYS = new Set(['id', 'canonical', 'type', 'notes', 'accepted', 'variants', 'roles']);
const VARIANT_KEYS = new Set(['text', 'kind', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'note']);
const FURNITURE_KEYS = new Set(['id', 'line', 'starts', 'pattern', 'message', 'severity']);
const LABEL_KEYS = new Set(['text', 'lang', 'meaning']);

/** Report keys the format does not know (a typo, or a YAML flow mapping split by an unquoted comma). */
function unknownKeys(o: Record<string, unknown>, allowed: Set<string>, where: string, at: (w: string, m: string) => void) {
  for (const k of Object.keys(o)) {
    if (!allowed.has(k)) {
      at(where, `unknown field ${JSON.stringify(k)} (known: ${[...allowed].join(', ')}); if it is part of a text with a comma, put that text in quotes`);
    }
  }
}
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const LANG_RE = /^[a-z]{3}$/;
const MAX_FORM = 200;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A form is usable when it is a non-empty trimmed string with at least one letter or digit. */
function formProblem(v: unknown): string | null {
  if (typeof v !== 'string') return 'must be a string';
  if (v.trim() === '') return 'must not be empty';
  if (v !== v.trim()) return 'must not start or end with spaces';
  if (v.length > MAX_FORM) return `is ${v.length} characters long; the limit is ${MAX_FORM}`;
  if (!/[\p{L}\p{N}]/u.test(v)) return 'must contain a letter or digit';
  return null;
}

/** Fold for duplicate detection: case and spacing do not make two forms different. */
export function foldForm(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Check a parsed glossary. Returns it typed when valid; throws GlossaryValidationError listing every
 * problem otherwise. `source` (a file name) prefixes the messages.
 */
export interface ValidateOptions {
  /** Accept the review fields of shared-glossary entries (status, provenance) on concepts and variants. */
  entries?: boolean;
}

export function validateGlossary(raw: unknown, source = 'glossary', options: ValidateOptions = {}): GlossaryData {
  const conceptKeys = options.entries ? new Set([...CONCEPT_KEYS, 'status', 'provenance']) : CONCEPT_KEYS;
  const variantKeys = options.entries ? new Set([...VARIANT_KEYS, 'status', 'provenance']) : VARIANT_KEYS;
  const problems: string[] = [];
  const at = (where: string, msg: string) => problems.push(`${source}: ${where}: ${msg}`);
  if (!isObj(raw)) throw new GlossaryValidationError([`${source}: the file must hold a mapping with a "concepts" list`]);
  if (!Array.isArray(raw.concepts)) at('concepts', 'missing: add a list of concepts under "concepts:"');
  const concepts = Array.isArray(raw.concepts) ? raw.concepts : [];
  const ids = new Map<string, number>();
  // folded form -> where it is declared, to catch a variant equal to another concept's form
  const forms = new Map<string, { concept: string; role: 'canonical' | 'accepted' | 'variant'; caseSensitive: boolean; text: string }[]>();
  const addForm = (text: string, concept: string, role: 'canonical' | 'accepted' | 'variant', caseSensitive: boolean) => {
    const k = foldForm(text);
    const list = forms.get(k) ?? [];
    list.push({ concept, role, caseSensitive, text });
    forms.set(k, list);
  };

  concepts.forEach((c: unknown, i: number) => {
    let where = `concept #${i + 1}`;
    if (!isObj(c)) return at(where, 'must be a mapping with id, canonical, type and variants');
    if (typeof c.id === 'string') where = `concept "${c.id}"`;
    unknownKeys(c, conceptKeys, where, at);
    if (typeof c.id !== 'string' || !ID_RE.test(c.id)) {
      at(where, `id ${JSON.stringify(c.id)} is not valid: use lowercase letters, digits and dashes, e.g. "volodymyr-zelensky"`);
    } else if (ids.has(c.id)) {
      at(where, `id is used twice (also concept #${ids.get(c.id)! + 1}): give each concept its own id`);
    } else ids.set(c.id, i);
    const fp = formProblem(c.canonical);
    if (fp) at(where, `canonical ${fp}: write the correct form, e.g. canonical: Kyiv`);
    else addForm(c.canonical as string, where, 'canonical', false);
    if (!ENTITY_TYPES.includes(c.type as EntityType)) {
      at(where, `type ${JSON.stringify(c.type)} is not one of ${ENTITY_TYPES.join(', ')}`);
    }
    if (c.notes !== undefined && typeof c.notes !== 'string') at(where, 'notes must be text');
    if (c.accepted !== undefined) {
      if (!Array.isArray(c.accepted)) at(where, 'accepted must be a list of forms');
      else
        c.accepted.forEach((a: unknown, j: number) => {
          const p = formProblem(a);
          if (p) at(`${where}, accepted #${j + 1}`, p);
          else addForm(a as string, where, 'accepted', false);
        });
    }
    if (c.roles !== undefined) {
      if (!Array.isArray(c.roles)) at(where, 'roles must be a list of {title, from, to}');
      else
        c.roles.forEach((r: unknown, j: number) => {
          const rw = `${where}, role #${j + 1}`;
          if (!isObj(r) || typeof r.title !== 'string' || !r.title.trim()) return at(rw, 'needs a title');
          if (typeof r.from !== 'string' || !DATE_RE.test(r.from)) at(rw, 'from must be a date written yyyy-mm-dd');
          if (r.to !== undefined && (typeof r.to !== 'string' || !DATE_RE.test(r.to))) at(rw, 'to must be a date written yyyy-mm-dd');
        });
    }
    if (c.variants !== undefined && !Array.isArray(c.variants)) at(where, 'variants must be a list');
    const variants = Array.isArray(c.variants) ? c.variants : [];
    variants.forEach((v: unknown, j: number) => {
      let vw = `${where}, variant #${j + 1}`;
      if (!isObj(v)) return at(vw, 'must be a mapping with text and kind');
      if (typeof v.text === 'string') vw = `${where}, variant "${v.text}"`;
      unknownKeys(v, variantKeys, vw, at);
      const p = formProblem(v.text);
      if (p) at(vw, `text ${p}`);
      if (!VARIANT_KINDS.includes(v.kind as VariantKind)) {
        at(vw, `kind ${JSON.stringify(v.kind)} is not one of ${VARIANT_KINDS.join(', ')}`);
      }
      if (v.severity !== undefined && !SEVERITIES.includes(v.severity as Severity)) {
        at(vw, `severity ${JSON.stringify(v.severity)} is not one of error, warning, info`);
      }
      if (v.kind === 'house-style' && v.severity !== undefined && v.severity !== 'info') {
        at(vw, 'a house-style spelling is never an error: leave severity out or set it to info');
      }
      if (v.case !== undefined && v.case !== 'sensitive' && v.case !== 'insensitive') {
        at(vw, `case ${JSON.stringify(v.case)} must be sensitive or insensitive`);
      }
      if (v.suggestion !== undefined) {
        const sp = formProblem(v.suggestion);
        if (sp) at(vw, `suggestion ${sp}`);
      }
      if (v.styles !== undefined && (!Array.isArray(v.styles) || v.styles.some((s) => typeof s !== 'string' || !s))) {
        at(vw, 'styles must be a list of house-style names');
      }
      if (v.exceptions !== undefined) {
        if (!Array.isArray(v.exceptions)) at(vw, 'exceptions must be a list of phrases');
        else if (typeof v.text === 'string')
          v.exceptions.forEach((e: unknown, k: number) => {
            if (typeof e !== 'string' || !e.trim()) return at(`${vw}, exception #${k + 1}`, 'must be a non-empty phrase');
            if (!foldForm(e).includes(foldForm(v.text as string))) {
              at(`${vw}, exception "${e}"`, `must contain the variant text "${v.text}" (an exception is a phrase in which it is correct)`);
            }
          });
      }
      if (!p) addForm(v.text as string, where, 'variant', v.case === 'sensitive');
    });
  });

  // A form may appear once across the glossary; a case-sensitive variant may share its folded form
  // with a correct form of its own concept ("Tass" vs "TASS").
  for (const list of forms.values()) {
    if (list.length < 2) continue;
    for (let a = 1; a < list.length; a++) {
      const x = list[0]!;
      const y = list[a]!;
      if (x.text !== y.text && (x.caseSensitive || y.caseSensitive)) continue;
      if (x.concept === y.concept) {
        problems.push(`${source}: ${y.concept}: "${y.text}" is listed twice (as ${x.role} and ${y.role}): keep one`);
      } else if (y.role === 'variant' || x.role === 'variant') {
        problems.push(
          `${source}: ${y.concept}: ${y.role} "${y.text}" is also the ${x.role} form of ${x.concept}: a variant cannot be another concept's form; remove one or mark the variant case: sensitive`,
        );
      } else {
        problems.push(`${source}: ${y.concept}: "${y.text}" is also a ${x.role} form of ${x.concept}: a form belongs to one concept`);
      }
    }
  }

  if (raw.furniture !== undefined) {
    if (!Array.isArray(raw.furniture)) at('furniture', 'must be a list');
    else {
      const fids = new Set<string>();
      raw.furniture.forEach((f: unknown, i: number) => {
        let where = `furniture #${i + 1}`;
        if (!isObj(f)) return at(where, 'must be a mapping with id and one of line, starts, pattern');
        if (typeof f.id === 'string') where = `furniture "${f.id}"`;
        unknownKeys(f, FURNITURE_KEYS, where, at);
        if (typeof f.id !== 'string' || !ID_RE.test(f.id)) at(where, 'id must be lowercase letters, digits and dashes');
        else if (fids.has(f.id)) at(where, 'id is used twice');
        else fids.add(f.id);
        const given = (['line', 'starts', 'pattern'] as const).filter((k) => f[k] !== undefined);
        if (given.length !== 1) at(where, `give exactly one of line, starts, pattern (found ${given.length ? given.join(', ') : 'none'})`);
        for (const k of given) {
          if (typeof f[k] !== 'string' || !(f[k] as string).trim()) at(where, `${k} must be non-empty text`);
        }
        if (typeof f.pattern === 'string') {
          try {
            const re = new RegExp(f.pattern, 'iu');
            if (re.test('')) at(where, 'pattern matches the empty string: it would flag every line');
          } catch (e) {
            at(where, `pattern is not a valid regular expression (${(e as Error).message})`);
          }
        }
        if (f.severity !== undefined && !SEVERITIES.includes(f.severity as Severity)) {
          at(where, 'severity must be one of error, warning, info');
        }
      });
    }
  }
  if (raw.labels !== undefined) {
    if (!Array.isArray(raw.labels)) at('labels', 'must be a list');
    else
      raw.labels.forEach((l: unknown, i: number) => {
        let where = `label #${i + 1}`;
        if (!isObj(l)) return at(where, 'must be a mapping with text, lang and meaning');
        if (typeof l.text === 'string') where = `label "${l.text}"`;
        unknownKeys(l, LABEL_KEYS, where, at);
        const p = formProblem(l.text);
        if (p) at(where, `text ${p}`);
        if (typeof l.lang !== 'string' || !LANG_RE.test(l.lang)) at(where, 'lang must be an ISO 639-3 code such as sqi or vie');
        if (typeof l.meaning !== 'string' || !l.meaning.trim()) at(where, 'meaning must give the English translation');
      });
  }
  if (raw.notPossessive !== undefined && (!Array.isArray(raw.notPossessive) || raw.notPossessive.some((w) => typeof w !== 'string'))) {
    at('notPossessive', 'must be a list of words');
  }
  if (problems.length) throw new GlossaryValidationError(problems);
  return raw as unknown as GlossaryData;
}

/** Merge several glossary files into one (the starter glossary is a folder of files). */
export function mergeGlossaries(parts: GlossaryData[], name?: string): GlossaryData {
  return {
    name: name ?? parts.map((p) => p.name).filter(Boolean).join(' + '),
    concepts: parts.flatMap((p) => p.concepts ?? []),
    furniture: parts.flatMap((p) => p.furniture ?? []),
    labels: parts.flatMap((p) => p.labels ?? []),
    notPossessive: parts.flatMap((p) => p.notPossessive ?? []),
  };
}
