// The whole shared glossary as JSON: the lossless format (concepts with status and provenance, page
// furniture, foreign labels, notPossessive), for backups and for moving a glossary between desks.
//
//   {"format": "copydesk-glossary", "version": 1, "name": "...", "concepts": [...],
//    "furniture": [...], "labels": [...], "notPossessive": [...]}
//
// Written pretty-printed (2-space indent, trailing newline), in the canonical form (common.ts):
// concepts by id, variants by text, fixed key order, empty optional fields left out. When reading,
// a missing status is "proposed", null provenance fields are absent, and unknown keys are errors
// (nothing is dropped silently). Problems name their path: `concepts[3] (id kyiv).variants[1]
// (text "Kiev"): ...`.
import type { GlossaryEntries } from '../model.ts';
import {
  canonicalEntries, MAX_FIELD, parseOffset, parseStatus, parseWhere, Problems, semanticProblems, show, STATUS_LIST, tooLong,
} from './common.ts';

export const JSON_FORMAT_ID = 'copydesk-glossary';
export const JSON_FORMAT_VERSION = 1;

/** The glossary as JSON text (see the top of this file). Deterministic. */
export function writeJson(entries: GlossaryEntries): string {
  const g = canonicalEntries(entries);
  const doc = {
    format: JSON_FORMAT_ID,
    version: JSON_FORMAT_VERSION,
    name: g.name,
    concepts: g.concepts,
    furniture: g.furniture,
    labels: g.labels,
    notPossessive: g.notPossessive,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_KEYS = ['format', 'version', 'name', 'concepts', 'furniture', 'labels', 'notPossessive'];
const CONCEPT_KEYS = ['id', 'canonical', 'type', 'status', 'notes', 'accepted', 'roles', 'provenance', 'variants'];
const VARIANT_KEYS = ['text', 'kind', 'status', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'note', 'provenance'];
const PROVENANCE_KEYS = ['proposedBy', 'article', 'start', 'end', 'decidedBy'];
const ROLE_KEYS = ['title', 'from', 'to'];
const FURNITURE_KEYS = ['id', 'line', 'starts', 'pattern', 'message', 'severity'];
const LABEL_KEYS = ['text', 'lang', 'meaning'];
// Sort keys for problems: document order.
const AT_FURNITURE = 1e7;
const AT_LABELS = 2e7;
const AT_NOTPOSSESSIVE = 3e7;

/** Read a JSON export. Throws GlossaryImportError listing every problem with its path. */
export function readJson(text: string): { entries: GlossaryEntries } {
  const P = new Problems();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    P.add(0, syntaxProblem(text, e as Error));
    P.throwIfAny('JSON');
  }
  if (!isObj(raw)) {
    P.add(0, `the file must hold one JSON object: {"format": "${JSON_FORMAT_ID}", "version": 1, "concepts": [...]}`);
    P.throwIfAny('JSON');
  }
  const doc = raw as Obj;
  unknownKeys(doc, TOP_KEYS, '(top level)', 0, P);
  if (doc.format !== JSON_FORMAT_ID) {
    P.add(0, `format: ${doc.format === undefined ? 'missing' : show(doc.format)}: a copydesk glossary export has "format": "${JSON_FORMAT_ID}"`);
  }
  if (doc.version !== JSON_FORMAT_VERSION) {
    P.add(0, `version: ${show(doc.version)}: this copydesk reads version ${JSON_FORMAT_VERSION}${typeof doc.version === 'number' && doc.version > 1 ? ' (the file is from a newer copydesk)' : ''}`);
  }
  if (doc.name !== undefined && typeof doc.name !== 'string') P.add(0, 'name must be text');
  else if (typeof doc.name === 'string' && doc.name.length > MAX_FIELD) P.add(0, `name: ${tooLong('name', doc.name.length)}`);
  if (!Array.isArray(doc.concepts)) P.add(0, 'concepts: missing or not a list: add "concepts": [...]');
  const lists = ['furniture', 'labels', 'notPossessive'] as const;
  for (const k of lists) if (doc[k] !== undefined && !Array.isArray(doc[k])) P.add(0, `${k} must be a list`);
  const arr = (k: string) => (Array.isArray(doc[k]) ? (doc[k] as unknown[]) : []);

  // Concepts: structure and the fields validateGlossary does not check; a copy for the semantic pass.
  const byId = new Map<string, { i: number; texts: Map<string, number> }>();
  const copies: Obj[] = [];
  arr('concepts').forEach((c, i) => {
    const base = `concepts[${i}]`;
    if (!isObj(c)) return P.add(i + 1, `${base}: must be an object with id, canonical, type, status and variants`);
    if (typeof c.id !== 'string') return P.add(i + 1, `${base}: id must be text (lowercase letters, digits and dashes, e.g. "kyiv")`);
    const where = `${base} (id ${c.id.length > 60 ? show(c.id) : c.id})`;
    const at = (msg: string) => P.add(i + 1, `${where}${msg}`);
    if (oversize(c, '', at)) return;
    const first = byId.get(c.id);
    if (first) return at(`: id is used twice (also concepts[${first.i}]): give each concept its own id`);
    const texts = new Map<string, number>();
    byId.set(c.id, { i, texts });
    unknownKeys(c, CONCEPT_KEYS, where, i + 1, P);
    statusField(c.status, '', at);
    const copy: Obj = { id: c.id, canonical: c.canonical, type: c.type, accepted: c.accepted, roles: c.roles };
    if (c.notes !== undefined) {
      if (typeof c.notes !== 'string' || !c.notes) at(': notes must be non-empty text (leave the key out for no notes)');
      else copy.notes = c.notes;
    }
    if (Array.isArray(c.roles)) c.roles.forEach((r, k) => isObj(r) && unknownKeys(r, ROLE_KEYS, `${where}.roles[${k}]`, i + 1, P));
    provenanceField(c.provenance, ".provenance", at);
    if (c.variants !== undefined && !Array.isArray(c.variants)) at(': variants must be a list');
    const vcopies: Obj[] = [];
    (Array.isArray(c.variants) ? c.variants : []).forEach((v: unknown, j: number) => {
      const vbase = `.variants[${j}]`;
      if (!isObj(v)) return at(`${vbase}: must be an object with text, kind and status`);
      if (typeof v.text !== 'string') return at(`${vbase}: text must be text (the spelling to flag)`);
      const vwhere = `${vbase} (text ${show(v.text)})`;
      const seen = texts.get(v.text);
      if (seen !== undefined) return at(`${vwhere}: the variant is listed twice (also variants[${seen}]): remove one`);
      texts.set(v.text, j);
      unknownKeys(v, VARIANT_KEYS, `${where}${vwhere}`, i + 1, P);
      statusField(v.status, vwhere, at);
      if (v.note !== undefined && (typeof v.note !== 'string' || !v.note)) at(`${vwhere}: note must be non-empty text (leave the key out for no note)`);
      provenanceField(v.provenance, `${vwhere}.provenance`, at);
      vcopies.push({ text: v.text, kind: v.kind, severity: v.severity, case: v.case, suggestion: v.suggestion, exceptions: v.exceptions, styles: v.styles });
    });
    copy.variants = vcopies;
    copies.push(copy);
  });

  // Furniture, labels, notPossessive: keys and sizes here, the rest in validateGlossary.
  const furniture: Obj[] = [];
  const furnitureAt: number[] = [];
  arr('furniture').forEach((f, i) => {
    const where = `furniture[${i}]${isObj(f) && typeof f.id === 'string' ? ` (id ${f.id.slice(0, 60)})` : ''}`;
    const at = (msg: string) => P.add(AT_FURNITURE + i, `${where}${msg}`);
    if (!isObj(f)) return at(': must be an object with id and one of line, starts, pattern');
    if (oversize(f, '', at)) return;
    unknownKeys(f, FURNITURE_KEYS, where, AT_FURNITURE + i, P);
    if (f.message !== undefined && (typeof f.message !== 'string' || !f.message)) at(': message must be non-empty text');
    furniture.push(f);
    furnitureAt.push(i);
  });
  const labels: Obj[] = [];
  const labelsAt: number[] = [];
  arr('labels').forEach((l, i) => {
    const where = `labels[${i}]`;
    const at = (msg: string) => P.add(AT_LABELS + i, `${where}${msg}`);
    if (!isObj(l)) return at(': must be an object with text, lang and meaning');
    if (oversize(l, '', at)) return;
    unknownKeys(l, LABEL_KEYS, where, AT_LABELS + i, P);
    labels.push(l);
    labelsAt.push(i);
  });
  const notPossessive = arr('notPossessive');
  notPossessive.forEach((w, i) => {
    const at = (msg: string) => P.add(AT_NOTPOSSESSIVE + i, `notPossessive[${i}]${msg}`);
    if (typeof w === 'string' && !w.trim()) at(': must be a word, not empty');
    else if (typeof w === 'string' && w.length > MAX_FIELD) at(`: ${tooLong('notPossessive', w.length)}`);
  });

  for (const msg of semanticProblems({ concepts: copies, furniture, labels, notPossessive })) {
    const w = parseWhere(msg);
    if (w.concept !== undefined && byId.has(w.concept)) {
      const { i, texts } = byId.get(w.concept)!;
      const form = w.variant ?? w.form;
      const j = form !== undefined ? texts.get(form) : undefined;
      const v = j !== undefined ? `.variants[${j}] (text ${show(form)})` : '';
      P.add(i + 1, `concepts[${i}] (id ${w.concept})${v}${w.rest}`);
    } else if (w.group === 'furniture') {
      const k = w.index ?? furniture.findIndex((f) => f.id === w.key);
      const i = furnitureAt[k] ?? 0;
      P.add(AT_FURNITURE + i, `furniture[${i}]${w.key !== undefined ? ` (id ${w.key})` : ''}${w.rest}`);
    } else if (w.group === 'label') {
      const k = w.index ?? labels.findIndex((l) => l.text === w.key);
      const i = labelsAt[k] ?? 0;
      P.add(AT_LABELS + i, `labels[${i}]${w.key !== undefined ? ` (text ${show(w.key)})` : ''}${w.rest}`);
    } else P.add(msg.startsWith('notPossessive') ? AT_NOTPOSSESSIVE : 0, msg);
  }
  P.throwIfAny('JSON');
  // Valid: the data has the model's shape, so it is read as entries (statuses filled in, nulls dropped).
  const concepts = (doc.concepts as Obj[]).map((c) => ({
    ...c,
    status: c.status ?? 'proposed',
    variants: ((c.variants as Obj[] | undefined) ?? []).map((v) => ({ ...v, status: v.status ?? 'proposed' })),
  }));
  return {
    entries: canonicalEntries({
      name: (doc.name as string | undefined) ?? '',
      concepts: concepts as unknown as GlossaryEntries['concepts'],
      furniture: furniture as unknown as GlossaryEntries['furniture'],
      labels: labels as unknown as GlossaryEntries['labels'],
      notPossessive: notPossessive as string[],
    }),
  };
}

function syntaxProblem(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  const detail = e.message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  if (!m) return `not valid JSON (${detail}): check the file is a complete JSON export`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: not valid JSON (${detail}): look for a missing comma, quote or bracket there`;
}

function unknownKeys(o: Obj, allowed: string[], where: string, at: number, P: Problems): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) P.add(at, `${where}: unknown key ${show(k)}: the keys are ${allowed.join(', ')}`);
  }
}

function statusField(v: unknown, where: string, at: (m: string) => void): void {
  if (v !== undefined && (typeof v !== 'string' || !parseStatus(v))) at(`${where}: status ${show(v)} is not one of ${STATUS_LIST}`);
}

function provenanceField(p: unknown, where: string, at: (m: string) => void): void {
  if (p === undefined || p === null) return;
  if (!isObj(p)) return at(`${where}: must be an object with ${PROVENANCE_KEYS.join(', ')}`);
  for (const k of Object.keys(p)) {
    const v = p[k];
    if (!PROVENANCE_KEYS.includes(k)) at(`${where}: unknown key ${show(k)}: the keys are ${PROVENANCE_KEYS.join(', ')}`);
    else if (v === null) continue;
    else if (k === 'start' || k === 'end') {
      if (typeof v !== 'number' || parseOffset(String(v)) === null) at(`${where}.${k}: ${show(v)} must be a whole number of characters (0 or more) or null`);
    } else if (typeof v !== 'string' || !v) at(`${where}.${k}: must be non-empty text or null`);
  }
}

/** Report every string longer than MAX_FIELD inside `v`; true when there was one. */
function oversize(v: unknown, path: string, at: (m: string) => void): boolean {
  if (typeof v === 'string') {
    if (v.length <= MAX_FIELD) return false;
    at(`${path}: ${tooLong(path.replace(/^.*\./, '').replace(/\[\d+\]$/, '') || 'value', v.length)}`);
    return true;
  }
  let found = false;
  if (Array.isArray(v)) v.forEach((x, k) => (found = oversize(x, `${path}[${k}]`, at) || found));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) found = oversize(x, `${path}.${k}`, at) || found;
  return found;
}
