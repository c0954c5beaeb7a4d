// The glossary as CSV (RFC 4180), for spreadsheets and CAT tools that import term lists.
//
// - Comma-separated, CRLF after every record (the last too), a header row; a field is quoted when it
//   holds a comma, a double quote, CR or LF, and quotes inside are doubled. No byte-order mark is
//   written; one at the start is skipped when reading. Reading also accepts LF or CR line ends.
// - One row per variant, sorted by concept id then variant text; a concept without variants has one
//   row with the variant columns empty. The concept columns repeat on every row of the concept and
//   must agree when read (the line that disagrees is reported).
// - Lists (accepted, exceptions, styles) and roles are JSON arrays in one field:
//   ["Zelensky","Ze"], [{"title":"President","from":"2019-05-20"}] - lossless, whatever the forms hold.
// - An empty field is an absent value: no notes, no suggestion, default severity... An empty
//   status reads as "proposed" (imported entries wait for review).
// - The CSV holds concepts only. Page furniture, foreign labels and notPossessive are not
//   terminology: a CSV has none, reading one returns them empty, and the glossary name is not kept
//   (readCsv's `name` option sets it). The store merges an import by concept, so importing a CSV
//   leaves furniture alone.
// Reading is all or nothing: every problem is collected, with its line, and thrown together.
import type { EntityType, Severity, VariantKind } from '../../types.ts';
import type { EntryConcept, EntryVariant, GlossaryEntries, Provenance } from '../model.ts';
import type { CaseRule, RoleData } from '../schema.ts';
import {
  canonicalEntries, MAX_FIELD, parseOffset, parseStatus, parseWhere, Problems, semanticProblems, show, STATUS_LIST, tooLong,
} from './common.ts';

export const CSV_COLUMNS = [
  'concept_id', 'canonical', 'type', 'concept_status', 'notes', 'accepted', 'roles',
  'concept_proposed_by', 'concept_article', 'concept_start', 'concept_end', 'concept_decided_by',
  'variant', 'kind', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'variant_note',
  'variant_status', 'variant_proposed_by', 'variant_article', 'variant_start', 'variant_end', 'variant_decided_by',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const CONCEPT_COLUMNS = CSV_COLUMNS.slice(0, 12);
const VARIANT_COLUMNS = CSV_COLUMNS.slice(12);
const REQUIRED: Column[] = ['concept_id', 'canonical', 'type'];

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const jsonList = (a: readonly unknown[] | undefined) => (a && a.length ? JSON.stringify(a) : '');
const num = (n: number | null | undefined) => (typeof n === 'number' ? String(n) : '');

function provenanceCells(p: Provenance | undefined): string[] {
  return [p?.proposedBy ?? '', p?.article ?? '', num(p?.start), num(p?.end), p?.decidedBy ?? ''];
}

/** The glossary's concepts as CSV text (see the top of this file). Deterministic. */
export function writeCsv(entries: GlossaryEntries): string {
  const g = canonicalEntries(entries);
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const c of g.concepts) {
    const conceptCells = [
      c.id, c.canonical, c.type, c.status, c.notes ?? '', jsonList(c.accepted), jsonList(c.roles), ...provenanceCells(c.provenance),
    ];
    if (!c.variants.length) rows.push([...conceptCells, ...VARIANT_COLUMNS.map(() => '')]);
    for (const v of c.variants) {
      rows.push([
        ...conceptCells, v.text, v.kind, v.severity ?? '', v.case ?? '', v.suggestion ?? '', jsonList(v.exceptions),
        jsonList(v.styles), v.note ?? '', v.status, ...provenanceCells(v.provenance),
      ]);
    }
  }
  return rows.map((r) => r.map(field).join(',') + '\r\n').join('');
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 records, with the line each starts on. Syntax problems go to `problems`. */
export function parseCsvRecords(text: string, problems: Problems): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          for (let k = i; k < end; k++) {
            const ch = text.charCodeAt(k);
            if (ch === 10 || (ch === 13 && text.charCodeAt(k + 1) !== 10)) line++;
          }
          value += text.slice(i, end);
          if (q < 0) {
            problems.add(open, `line ${open}: a quoted field opened on this line is never closed: add the closing double quote`);
            i = n;
            break;
          }
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          problems.add(line, `line ${line}: field ${fields.length + 1} has text after its closing quote: quote the whole field and double each quote inside it ("")`);
          while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
        }
      } else {
        let end = i;
        while (end < n) {
          const ch = text.charCodeAt(end);
          if (ch === 44 || ch === 13 || ch === 10) break;
          end++;
        }
        value = text.slice(i, end);
        if (value.includes('"')) {
          problems.add(line, `line ${line}: field ${fields.length + 1} has a stray double quote: put the whole field in double quotes and double the quote inside it ("")`);
        }
        i = end;
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (fields.length === 1 && fields[0] === '') continue; // a blank line
    records.push({ line: start, fields });
  }
  return records;
}

/** Options for readCsv. */
export interface CsvReadOptions {
  /** The glossary name to return (a CSV does not hold one). Default "". */
  name?: string;
}

type Cells = Partial<Record<Column, string>>;

/** Read a CSV written by writeCsv (or by hand with the same columns). Throws GlossaryImportError. */
export function readCsv(text: string, options: CsvReadOptions = {}): { entries: GlossaryEntries } {
  const P = new Problems();
  const records = parseCsvRecords(text, P);
  const header = records.shift();
  if (!header) {
    P.add(1, `line 1: the file is empty: the first line must be the header (${CSV_COLUMNS.join(',')})`);
    P.throwIfAny('CSV');
  }
  const index = new Map<Column, number>();
  header!.fields.forEach((name, k) => {
    const col = name.trim() as Column;
    if (!(CSV_COLUMNS as readonly string[]).includes(col)) {
      P.add(1, `line 1: unknown column ${show(name)}: the columns are ${CSV_COLUMNS.join(', ')}`);
    } else if (index.has(col)) P.add(1, `line 1: column ${col} appears twice: keep one`);
    else index.set(col, k);
  });
  for (const col of REQUIRED) if (!index.has(col)) P.add(1, `line 1: the header has no ${col} column: add it (required)`);
  if (P.size) P.throwIfAny('CSV');

  const concepts = new Map<string, { c: EntryConcept; line: number; cells: Cells; oversize: boolean; forms: Map<string, number> }>();
  for (const rec of records) {
    const at = (msg: string) => P.add(rec.line, `line ${rec.line}: ${msg}`);
    if (rec.fields.length !== header!.fields.length) {
      at(`${rec.fields.length} fields where the header has ${header!.fields.length}: a field that holds a comma must be in double quotes`);
      continue;
    }
    const cells: Cells = {};
    let oversize = false;
    for (const [col, k] of index) {
      const v = rec.fields[k]!;
      if (v.length > MAX_FIELD) {
        at(tooLong(col, v.length));
        oversize = true;
        cells[col] = '';
      } else cells[col] = v;
    }
    const get = (col: Column) => cells[col] ?? '';
    const id = get('concept_id');
    if (!id) {
      if (!oversize) at('concept_id is empty: every row names its concept (lowercase letters, digits and dashes, e.g. kyiv)');
      continue;
    }
    let entry = concepts.get(id);
    if (!entry) {
      const c: EntryConcept = {
        id, canonical: get('canonical'), type: get('type') as EntityType,
        status: status(get('concept_status'), 'concept_status', at), variants: [],
      };
      if (get('notes')) c.notes = get('notes');
      const acc = strings(get('accepted'), 'accepted', at);
      if (acc) c.accepted = acc;
      const roles = rolesCell(get('roles'), at);
      if (roles) c.roles = roles;
      const prov = provenance(cells, 'concept', at);
      if (prov) c.provenance = prov;
      entry = { c, line: rec.line, cells, oversize, forms: new Map() };
      concepts.set(id, entry);
    } else if (oversize) {
      entry.oversize = true;
    } else {
      const differ = CONCEPT_COLUMNS.filter((col) => get(col) !== (entry!.cells[col] ?? ''));
      if (differ.length) at(`concept ${id}: ${differ.join(', ')} differ${differ.length === 1 ? 's' : ''} from line ${entry.line}: the concept columns repeat on every row of a concept and must agree`);
    }
    if (oversize) continue;
    const text = get('variant');
    if (!text) {
      const filled = VARIANT_COLUMNS.filter((col) => get(col) !== '');
      if (filled.length) at(`${filled.join(', ')} ${filled.length === 1 ? 'is' : 'are'} filled but variant is empty: write the variant or clear the variant columns`);
      continue;
    }
    const seen = entry.forms.get(text);
    if (seen !== undefined) {
      at(`concept ${id}: variant ${show(text)} is listed twice (also line ${seen}): remove one row`);
      continue;
    }
    entry.forms.set(text, rec.line);
    const v: EntryVariant = { text, kind: get('kind') as VariantKind, status: status(get('variant_status'), 'variant_status', at) };
    if (get('severity')) v.severity = get('severity') as Severity;
    if (get('case')) v.case = get('case') as CaseRule;
    if (get('suggestion')) v.suggestion = get('suggestion');
    const ex = strings(get('exceptions'), 'exceptions', at);
    if (ex) v.exceptions = ex;
    const st = strings(get('styles'), 'styles', at);
    if (st) v.styles = st;
    if (get('variant_note')) v.note = get('variant_note');
    const prov = provenance(cells, 'variant', at);
    if (prov) v.provenance = prov;
    entry.c.variants.push(v);
  }

  // Semantic checks on everything read; concepts with an oversize field are already reported.
  const checked = [...concepts.values()].filter((e) => !e.oversize);
  for (const msg of semanticProblems({ concepts: checked.map((e) => e.c) })) {
    const w = parseWhere(msg);
    const e = w.concept !== undefined ? concepts.get(w.concept) : undefined;
    if (!e) {
      P.add(0, msg);
      continue;
    }
    const form = w.variant ?? w.form;
    const line = (form !== undefined ? e.forms.get(form) : undefined) ?? e.line;
    const what = w.variant !== undefined ? `concept ${e.c.id}, variant ${show(w.variant)}` : `concept ${e.c.id}`;
    P.add(line, `line ${line}: ${what}${w.rest}`);
  }
  P.throwIfAny('CSV');
  return { entries: canonicalEntries({ name: options.name ?? '', concepts: [...concepts.values()].map((e) => e.c), furniture: [], labels: [], notPossessive: [] }) };
}

function status(v: string, col: string, at: (m: string) => void) {
  if (!v) return 'proposed';
  const s = parseStatus(v);
  if (!s) at(`${col} ${show(v)} is not one of ${STATUS_LIST}`);
  return s ?? 'proposed';
}

function strings(cell: string, col: string, at: (m: string) => void): string[] | undefined {
  if (!cell) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(cell);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    at(`${col} must be a JSON list of strings, e.g. ["Zelensky","Ze"] (found ${show(cell)})`);
    return undefined;
  }
  return v.length ? (v as string[]) : undefined;
}

function rolesCell(cell: string, at: (m: string) => void): RoleData[] | undefined {
  if (!cell) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(cell);
  } catch {
    v = undefined;
  }
  const ok = (r: unknown): r is RoleData => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
    const o = r as Record<string, unknown>;
    return Object.keys(o).every((k) => k === 'title' || k === 'from' || k === 'to') &&
      typeof o.title === 'string' && typeof o.from === 'string' && (o.to === undefined || typeof o.to === 'string');
  };
  if (!Array.isArray(v) || !v.every(ok)) {
    at(`roles must be a JSON list of {"title","from","to"} with dates written yyyy-mm-dd, e.g. [{"title":"President","from":"2019-05-20"}] (found ${show(cell)})`);
    return undefined;
  }
  return v.length ? v : undefined;
}

function provenance(cells: Cells, level: 'concept' | 'variant', at: (m: string) => void): Provenance | undefined {
  const get = (k: string) => cells[`${level}_${k}` as Column] ?? '';
  const p: Provenance = {};
  if (get('proposed_by')) p.proposedBy = get('proposed_by');
  if (get('article')) p.article = get('article');
  for (const k of ['start', 'end'] as const) {
    const raw = get(k);
    if (!raw) continue;
    const n = parseOffset(raw);
    if (n === null) at(`${level}_${k} ${show(raw)} must be a whole number of characters (0 or more)`);
    else p[k] = n;
  }
  if (get('decided_by')) p.decidedBy = get('decided_by');
  return Object.keys(p).length ? p : undefined;
}
