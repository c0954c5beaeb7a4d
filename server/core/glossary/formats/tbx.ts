// The glossary as TBX-Basic v3 (ISO 30042:2019, DCA style), for CAT tools and terminology databases.
//
// File: <?xml version="1.0" encoding="UTF-8"?>, then
//   <tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
//     <tbxHeader><fileDesc>[<titleStmt><title>NAME</title></titleStmt>]<sourceDesc><p>...</p></sourceDesc></fileDesc></tbxHeader>
//     <text><body> one <conceptEntry> per concept, sorted by id </body></text></tbx>
// Mapping, concept (conceptEntry, id "c-" + concept id: an XML ID may not start with a digit):
//   type        <descrip type="subjectField">place</descrip>
//   notes       <note>text</note> (a note that itself starts with "copydesk:" is written
//               <note>copydesk:note=text</note>, so it is never mistaken for data)
//   status      <note>copydesk:status=approved</note>
//   roles       <note>copydesk:role={"title":"President","from":"2019-05-20"}</note>, one per role, in order
//   provenance  proposedBy: <transacGrp><transac type="transactionType">origination</transac>
//                 <transacNote type="responsibility">NAME</transacNote></transacGrp>;
//               decidedBy: the same with "modification" (no <date>: exports stay deterministic);
//               article: <admin type="source">slug</admin>; start/end: <note>copydesk:start=12</note>,
//               <note>copydesk:end=18</note>
// One <langSec xml:lang="en"> with a <termSec> per term, each: <term>, then termNotes
// (partOfSpeech, administrativeStatus, termType), then admin, transacGrp, note:
//   canonical form           preferredTerm-admn-sts, termType fullForm (abbreviation if all capitals)
//   accepted forms, in order admittedTerm-admn-sts, termType abbreviation / shortForm / variant
//   house-style variants     admittedTerm-admn-sts + copydesk notes (below)
//   artefact variants        deprecatedTerm-admn-sts + copydesk notes; russian-form, transliteration,
//                            literal-translation, mistranslation, misspelling
//   a variant's notes        copydesk:kind=, copydesk:status=, copydesk:severity=, copydesk:case=,
//                            copydesk:suggestion=, copydesk:exception= (one each), copydesk:style= (one
//                            each); its note as a plain <note>; provenance as for concepts
// partOfSpeech is "noun" for every term: TBX-Basic v3 allows noun, verb, adjective, adverb and
// other (its schematron rejects properNoun, which TBX-Basic v2 had; tbx2.ts writes properNoun).
// TBX-Basic has data categories for none of kind, severity, case, suggestion, exceptions, styles,
// status or roles: <note> is allowed on every level and keeps the file valid. termType and
// partOfSpeech are derived, so the reader ignores them. Page furniture, foreign labels and
// notPossessive are not terminology and are not in the file (reading returns them empty).
// Text is escaped (& < > and " in attributes; CR as &#13; so parsers keep it); characters XML 1.0
// cannot hold (C0 controls, lone surrogates) become U+FFFD. An empty glossary gives an empty <body>,
// which is well-formed but not schema-valid (TBX wants one conceptEntry or more).
// Reading (tbx-read.ts): strict, well-formedness errors with saxes's line and column, then every
// missing or unknown piece reported by line; a missing status reads as "proposed"; <date> in a
// transacGrp is ignored (timestamps live in the store); the namespace of ISO 30042 edition 3
// (urn:iso:std:iso:30042:ed:3.0) is read too.
import type { EntityType } from '../../types.ts';
import type { EntryConcept, GlossaryEntries, Provenance } from '../model.ts';
import { canonicalEntries } from './common.ts';
import { NOTE_PREFIX, readTbxDialect, TBX_ID_PREFIX, type TbxDialect } from './tbx-read.ts';
import { element, escapeAttr } from './xml.ts';

export { NOTE_PREFIX, TBX_ID_PREFIX, type TbxDialect };
export const TBX_NAMESPACE = 'urn:iso:std:iso:30042:ed-2';

export const TBX_V3: TbxDialect = {
  label: 'TBX',
  root: 'tbx',
  header: 'tbxHeader',
  entry: 'conceptEntry',
  lang: 'langSec',
  term: 'termSec',
  namespaces: [TBX_NAMESPACE, 'urn:iso:std:iso:30042:ed:3.0'],
  rootAttrs: { type: 'TBX-Basic', style: 'dca', 'xml:lang': 'en', xmlns: TBX_NAMESPACE },
  partOfSpeech: () => 'noun',
};

const isAbbreviation = (s: string) => !/\s/.test(s) && /\p{Lu}.*\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
const words = (s: string) => s.toLowerCase().split(/[\s\-‐]+/).filter(Boolean);

/** The TBX termType for a term (derived; the reader ignores it). */
function termType(form: string, role: 'canonical' | 'accepted' | 'variant', canonical: string): string {
  if (role === 'variant') return 'variant';
  if (isAbbreviation(form)) return 'abbreviation';
  if (role === 'canonical') return 'fullForm';
  const cw = new Set(words(canonical));
  const fw = words(form);
  return fw.length < cw.size && fw.every((w) => cw.has(w)) ? 'shortForm' : 'variant';
}

type Put = (depth: number, line: string) => void;

const note = (put: Put, depth: number, key: string, value: string) => put(depth, element('note', {}, `${NOTE_PREFIX}${key}=${value}`));

/** A free-text note: written as it is, unless it could be read as copydesk data. */
function plainNote(put: Put, depth: number, text: string) {
  put(depth, element('note', {}, text.startsWith(NOTE_PREFIX) ? `${NOTE_PREFIX}note=${text}` : text));
}

/** admin source and transacGrps (notes for start/end come with the other notes). */
function provenanceElements(put: Put, depth: number, p: Provenance | undefined) {
  if (p?.article) put(depth, element('admin', { type: 'source' }, p.article));
  for (const [who, kind] of [[p?.proposedBy, 'origination'], [p?.decidedBy, 'modification']] as const) {
    if (!who) continue;
    put(depth, '<transacGrp>');
    put(depth + 1, element('transac', { type: 'transactionType' }, kind));
    put(depth + 1, element('transacNote', { type: 'responsibility' }, who));
    put(depth, '</transacGrp>');
  }
}

function offsetNotes(put: Put, depth: number, p: Provenance | undefined) {
  if (typeof p?.start === 'number') note(put, depth, 'start', String(p.start));
  if (typeof p?.end === 'number') note(put, depth, 'end', String(p.end));
}

function writeConcept(c: EntryConcept, d: TbxDialect, put: Put) {
  put(3, `<${d.entry} id="${escapeAttr(TBX_ID_PREFIX + c.id)}">`);
  put(4, element('descrip', { type: 'subjectField' }, c.type));
  provenanceElements(put, 4, c.provenance);
  if (c.notes) plainNote(put, 4, c.notes);
  note(put, 4, 'status', c.status);
  for (const r of c.roles ?? []) note(put, 4, 'role', JSON.stringify(r));
  offsetNotes(put, 4, c.provenance);
  put(4, `<${d.lang} xml:lang="en">`);
  const term = (text: string, status: string, type: string, aux?: () => void) => {
    put(5, `<${d.term}>`);
    put(6, element('term', {}, text));
    put(6, element('termNote', { type: 'partOfSpeech' }, d.partOfSpeech(c.type as EntityType)));
    put(6, element('termNote', { type: 'administrativeStatus' }, status));
    put(6, element('termNote', { type: 'termType' }, type));
    aux?.();
    put(5, `</${d.term}>`);
  };
  term(c.canonical, 'preferredTerm-admn-sts', termType(c.canonical, 'canonical', c.canonical));
  for (const a of c.accepted ?? []) term(a, 'admittedTerm-admn-sts', termType(a, 'accepted', c.canonical));
  for (const v of c.variants) {
    const status = v.kind === 'house-style' ? 'admittedTerm-admn-sts' : 'deprecatedTerm-admn-sts';
    term(v.text, status, 'variant', () => {
      provenanceElements(put, 6, v.provenance);
      if (v.note) plainNote(put, 6, v.note);
      note(put, 6, 'kind', v.kind);
      note(put, 6, 'status', v.status);
      if (v.severity) note(put, 6, 'severity', v.severity);
      if (v.case) note(put, 6, 'case', v.case);
      if (v.suggestion) note(put, 6, 'suggestion', v.suggestion);
      for (const e of v.exceptions ?? []) note(put, 6, 'exception', e);
      for (const s of v.styles ?? []) note(put, 6, 'style', s);
      offsetNotes(put, 6, v.provenance);
    });
  }
  put(4, `</${d.lang}>`);
  put(3, `</${d.entry}>`);
}

/** Write the glossary in a TBX dialect (v3 here, v2 in tbx2.ts). Deterministic. */
export function writeTbxDialect(entries: GlossaryEntries, d: TbxDialect): string {
  const g = canonicalEntries(entries);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const put: Put = (depth, line) => out.push('  '.repeat(depth) + line);
  const rootAttrs = Object.entries(d.rootAttrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  put(0, `<${d.root}${rootAttrs}>`);
  put(1, `<${d.header}>`);
  put(2, '<fileDesc>');
  if (g.name) {
    put(3, '<titleStmt>');
    put(4, element('title', {}, g.name));
    put(3, '</titleStmt>');
  }
  put(3, '<sourceDesc>');
  put(
    4,
    element(
      'p',
      {},
      `Exported by copydesk: ${g.concepts.length} concepts. Notes that start with "${NOTE_PREFIX}" hold copydesk data ` +
        '(variant kind, severity, case, suggestion, exceptions, house styles, review status, roles); keep them to import the file back.',
    ),
  );
  put(3, '</sourceDesc>');
  put(2, '</fileDesc>');
  if (d.encodingDesc) {
    put(2, '<encodingDesc>');
    put(3, element('p', { type: 'XCSURI' }, d.encodingDesc));
    put(2, '</encodingDesc>');
  }
  put(1, `</${d.header}>`);
  put(1, '<text>');
  put(2, '<body>');
  for (const c of g.concepts) writeConcept(c, d, put);
  put(2, '</body>');
  put(1, '</text>');
  put(0, `</${d.root}>`);
  return out.join('\n') + '\n';
}

/** The glossary as TBX-Basic v3 (DCA) text. */
export function writeTbx(entries: GlossaryEntries): string {
  return writeTbxDialect(entries, TBX_V3);
}

/** Read TBX-Basic v3 (as written by writeTbx). Throws GlossaryImportError. */
export function readTbx(text: string): { entries: GlossaryEntries } {
  return readTbxDialect(text, TBX_V3);
}
