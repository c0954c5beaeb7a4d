// Shared by the glossary exchange formats: the import error, the problem collector, the canonical
// form every writer writes and every reader returns, and the semantic pass (validateGlossary) with
// its messages mapped back to lines or paths. Pure: strings in, strings out.
import { ENTRY_STATUSES, normalizeEntries, type EntryConcept, type EntryStatus, type EntryVariant, type GlossaryEntries, type Provenance } from '../model.ts';
import { GlossaryValidationError, validateGlossary, type FurnitureData, type LabelData, type RoleData } from '../schema.ts';

/** Thrown by every reader: `problems` lists everything wrong, each naming its line or entry. */
export class GlossaryImportError extends Error {
  readonly code = 'GLOSSARY_IMPORT_INVALID';
  constructor(
    readonly problems: string[],
    format = 'glossary',
  ) {
    super(
      `The ${format} file cannot be imported; it has ${problems.length} problem${problems.length === 1 ? '' : 's'} (nothing was imported):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'GlossaryImportError';
  }
}

/** No field of an imported file may be longer than this (a form's own limit, 200, is validateGlossary's). */
export const MAX_FIELD = 10_000;
/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 200;

export function tooLong(field: string, length: number): string {
  return `field ${field} is ${length} characters long; the limit is 10,000`;
}

/** A value for a message: quoted, and cut short when long. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? v : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  const cut = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return typeof v === 'string' ? JSON.stringify(cut) : cut;
}

/** Collects problems with a sort key (a line number, or an entry index); throws them all at once. */
export class Problems {
  private items: { at: number; seq: number; msg: string }[] = [];
  get size(): number {
    return this.items.length;
  }
  add(at: number, msg: string): void {
    this.items.push({ at, seq: this.items.length, msg });
  }
  throwIfAny(format: string): void {
    if (!this.items.length) return;
    const sorted = [...this.items].sort((a, b) => a.at - b.at || a.seq - b.seq).map((p) => p.msg);
    const listed = sorted.slice(0, MAX_LISTED);
    if (sorted.length > MAX_LISTED) listed.push(`... and ${sorted.length - MAX_LISTED} more problems (fix the ones above first)`);
    throw new GlossaryImportError(listed, format);
  }
}

export function parseStatus(v: string): EntryStatus | null {
  return (ENTRY_STATUSES as readonly string[]).includes(v) ? (v as EntryStatus) : null;
}
export const STATUS_LIST = ENTRY_STATUSES.join(', ');

/** A provenance offset: a whole number of characters. */
export function parseOffset(v: string): number | null {
  return /^\d{1,15}$/.test(v) ? Number(v) : null;
}

// ---------------------------------------------------------------------------------------------
// The canonical form. Optional fields that are undefined, null, empty strings or empty lists are
// left out (they mean the same as absent in every format); concepts are sorted by id and variants
// by text (normalizeEntries); keys come in a fixed order; unknown keys are dropped.

function canonicalProvenance(p: Provenance | undefined): Provenance | undefined {
  if (!p) return undefined;
  const out: Provenance = {};
  if (p.proposedBy) out.proposedBy = p.proposedBy;
  if (p.article) out.article = p.article;
  if (typeof p.start === 'number') out.start = p.start;
  if (typeof p.end === 'number') out.end = p.end;
  if (p.decidedBy) out.decidedBy = p.decidedBy;
  return Object.keys(out).length ? out : undefined;
}

const list = (a: readonly string[] | undefined) => (a && a.length ? [...a] : undefined);

function canonicalVariant(v: EntryVariant): EntryVariant {
  const out: EntryVariant = { text: v.text, kind: v.kind, status: v.status };
  if (v.severity) out.severity = v.severity;
  if (v.case) out.case = v.case;
  if (v.suggestion) out.suggestion = v.suggestion;
  const ex = list(v.exceptions);
  if (ex) out.exceptions = ex;
  const st = list(v.styles);
  if (st) out.styles = st;
  if (v.note) out.note = v.note;
  const p = canonicalProvenance(v.provenance);
  if (p) out.provenance = p;
  return out;
}

function canonicalConcept(c: EntryConcept): EntryConcept {
  // Built without variants first so that they come last in the JSON export.
  const out = { id: c.id, canonical: c.canonical, type: c.type, status: c.status } as EntryConcept;
  if (c.notes) out.notes = c.notes;
  const acc = list(c.accepted);
  if (acc) out.accepted = acc;
  if (c.roles && c.roles.length) {
    out.roles = c.roles.map((r) => {
      const role: RoleData = { title: r.title, from: r.from };
      if (r.to) role.to = r.to;
      return role;
    });
  }
  const p = canonicalProvenance(c.provenance);
  if (p) out.provenance = p;
  out.variants = (c.variants ?? []).map(canonicalVariant);
  return out;
}

function canonicalFurniture(f: FurnitureData): FurnitureData {
  const out: FurnitureData = { id: f.id };
  for (const k of ['line', 'starts', 'pattern', 'message', 'severity'] as const) {
    if (f[k] !== undefined && f[k] !== null) (out as unknown as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

/** The one representation writers write and readers return (see above). */
export function canonicalEntries(g: GlossaryEntries): GlossaryEntries {
  const sorted = normalizeEntries({ ...g, concepts: g.concepts.map(canonicalConcept) });
  return {
    name: g.name ?? '',
    concepts: sorted.concepts,
    furniture: (g.furniture ?? []).map(canonicalFurniture),
    labels: (g.labels ?? []).map((l): LabelData => ({ text: l.text, lang: l.lang, meaning: l.meaning })),
    notPossessive: [...(g.notPossessive ?? [])],
  };
}

// ---------------------------------------------------------------------------------------------
// The semantic pass: validateGlossary on everything read (all statuses), its messages mapped back.

const SOURCE = '\u0000';

/** Run validateGlossary; return its problems without the source prefix. */
export function semanticProblems(data: { name?: string; concepts: unknown[]; furniture?: unknown[]; labels?: unknown[]; notPossessive?: unknown[] }): string[] {
  try {
    validateGlossary(data, SOURCE, { entries: true });
    return [];
  } catch (e) {
    if (!(e instanceof GlossaryValidationError)) throw e;
    return e.problems.map((p) => (p.startsWith(`${SOURCE}: `) ? p.slice(SOURCE.length + 2) : p));
  }
}

/** Where a validateGlossary message points: a concept (and variant or form), or furniture/label. */
export interface Where {
  concept?: string;
  /** A variant named by the message prefix (`concept "x", variant "Kiev": ...`). */
  variant?: string;
  /** A form quoted right after the concept (`concept "x": "Kiev" is listed twice ...`). */
  form?: string;
  group?: 'furniture' | 'label';
  key?: string;
  index?: number;
  /** The message after the part that names the entry, starting with ", " or ": ". */
  rest: string;
}

export function parseWhere(msg: string): Where {
  const c = /^concept (?:"(.*?)"|#(\d+))(?=, |: )/.exec(msg);
  if (c) {
    const w: Where = { concept: c[1], index: c[2] ? Number(c[2]) - 1 : undefined, rest: msg.slice(c[0].length) };
    const v = /^, variant "(.*?)"(?=, |: )/.exec(w.rest);
    if (v) {
      w.variant = v[1];
      w.rest = w.rest.slice(v[0].length);
    } else {
      const f = /^: (?:(?:variant|accepted|canonical) )?"(.*?)" (?=is )/.exec(w.rest);
      if (f) w.form = f[1];
    }
    return w;
  }
  const g = /^(furniture|label) (?:"(.*?)"|#(\d+))(?=, |: )/.exec(msg);
  if (g) {
    return { group: g[1] as 'furniture' | 'label', key: g[2], index: g[3] ? Number(g[3]) - 1 : undefined, rest: msg.slice(g[0].length) };
  }
  return { rest: `: ${msg}` };
}
