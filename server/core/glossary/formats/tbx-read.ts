// Reading TBX (v3 conceptEntry/langSec/termSec, or v2 termEntry/langSet/tig): the mapping is
// described at the top of tbx.ts. Strict: the XML must be well-formed (saxes), and every element
// must be one copydesk reads; each problem names its line and says what to fix. All or nothing.
import type { EntityType, Severity, VariantKind } from '../../types.ts';
import type { EntryConcept, EntryVariant, GlossaryEntries, Provenance } from '../model.ts';
import type { CaseRule, RoleData } from '../schema.ts';
import { canonicalEntries, MAX_FIELD, parseOffset, parseStatus, parseWhere, Problems, semanticProblems, show, STATUS_LIST, tooLong } from './common.ts';
import { parseXml, type XmlElement } from './xml.ts';

export const TBX_ID_PREFIX = 'c-';
/** Notes with this prefix carry copydesk data. */
export const NOTE_PREFIX = 'copydesk:';

/** Element names and fixed values of one TBX version. */
export interface TbxDialect {
  label: string;
  root: string;
  header: string;
  entry: string;
  lang: string;
  term: string;
  /** Element namespaces read; the first is written ('' for none). */
  namespaces: string[];
  rootAttrs: Record<string, string>;
  partOfSpeech: (type: EntityType) => string;
  /** TBX v2: the XCS file named in encodingDesc. */
  encodingDesc?: string;
}

const ADMIN_STATUS = ['preferredTerm-admn-sts', 'admittedTerm-admn-sts', 'deprecatedTerm-admn-sts', 'supersededTerm-admn-sts'];
const CONCEPT_NOTES = ['status', 'role', 'start', 'end', 'note'];
const VARIANT_NOTES = ['kind', 'status', 'severity', 'case', 'suggestion', 'exception', 'style', 'start', 'end', 'note'];
const REPEATABLE = ['role', 'exception', 'style', 'note'];

interface Read {
  c: EntryConcept;
  line: number;
  /** The line of the canonical form's term section. */
  canonicalLine: number;
  forms: Map<string, number>;
  oversize: boolean;
}

/** Read a TBX file in the given dialect. Throws GlossaryImportError. */
export function readTbxDialect(text: string, d: TbxDialect): { entries: GlossaryEntries } {
  const P = new Problems();
  const { root, errors } = parseXml(text);
  for (const e of errors) P.add(e.line, e.message);
  if (!errors.length && !root) P.add(1, 'line 1: the file holds no XML element');
  if (P.size) P.throwIfAny(d.label);
  const at = (el: XmlElement, msg: string) => P.add(el.line, `line ${el.line}: ${msg}`);
  const is = (el: XmlElement, name: string) => el.name === name && d.namespaces.includes(el.uri);
  const tag = (el: XmlElement) => `<${el.name}>${d.namespaces.includes(el.uri) ? '' : ` (namespace ${show(el.uri)})`}`;
  const unknown = (el: XmlElement, parent: string) => at(el, `${tag(el)} inside <${parent}> is not read by copydesk: remove it (see the mapping in the file's header)`);
  const noText = (el: XmlElement) => el.text.trim() && at(el, `text directly inside <${el.name}>: remove it or put it in a <note>`);

  const r = root!;
  if (!is(r, d.root)) {
    const other = r.name === 'martif' ? ' (this looks like TBX v2: import it as TBX v2)' : r.name === 'tbx' ? ' (this looks like TBX v3: import it as TBX)' : '';
    at(r, `the root element is ${tag(r)}; a ${d.label} file has <${d.root}>${d.namespaces[0] ? ` in namespace ${d.namespaces[0]}` : ''}${other}`);
    P.throwIfAny(d.label);
  }
  if (d.rootAttrs.style && r.attrs.style !== d.rootAttrs.style) at(r, `style ${show(r.attrs.style ?? '')} is not read: copydesk reads style="${d.rootAttrs.style}"`);
  if (!/^TBX/.test(r.attrs.type ?? '')) at(r, `type ${show(r.attrs.type ?? '')}: a TBX file has type="TBX-Basic" (or another TBX-... dialect)`);
  noText(r);

  let name = '';
  const header = r.children.find((c) => is(c, d.header));
  const title = header?.children.find((c) => is(c, 'fileDesc'))?.children.find((c) => is(c, 'titleStmt'))?.children.find((c) => is(c, 'title'));
  if (title) name = title.text.length > MAX_FIELD ? (at(title, tooLong('title', title.text.length)), '') : title.text;
  if (!header) at(r, `<${d.header}> is missing: add it before <text>`);
  const textEl = r.children.find((c) => is(c, 'text'));
  if (!textEl) at(r, '<text> is missing: add <text><body>...</body></text> after the header');
  for (const c of r.children) if (c !== header && c !== textEl) unknown(c, d.root);
  if (header && textEl && r.children.indexOf(header) > r.children.indexOf(textEl)) at(header, `<${d.header}> must come before <text>`);
  const body = textEl?.children.find((c) => is(c, 'body'));
  if (textEl) {
    noText(textEl);
    if (!body) at(textEl, '<body> is missing inside <text>');
    for (const c of textEl.children) if (c !== body) unknown(c, 'text');
  }

  const concepts = new Map<string, Read>();
  for (const el of body?.children ?? []) {
    if (!is(el, d.entry)) {
      unknown(el, 'body');
      continue;
    }
    const rc = readEntry(el);
    if (!rc) continue;
    const prev = concepts.get(rc.c.id);
    if (prev) at(el, `${d.entry} id ${show(TBX_ID_PREFIX + rc.c.id)} is used twice (also line ${prev.line}): give each concept its own id`);
    else concepts.set(rc.c.id, rc);
  }
  if (body) noText(body);

  function leaf(el: XmlElement, rc: Read): string {
    if (el.children.length) at(el, `<${el.name}> must hold plain text (found <${el.children[0]!.name}>): remove the markup`);
    if (el.text.length > MAX_FIELD) {
      at(el, tooLong(`<${el.name}>`, el.text.length));
      rc.oversize = true;
      return '';
    }
    return el.text;
  }

  /** Reads a <note>: copydesk data into `data`, free text into `plain`. */
  function readNote(el: XmlElement, rc: Read, allowed: string[], data: Map<string, { values: string[]; line: number }>, plain: string[]) {
    const t = leaf(el, rc);
    if (el.text.length > MAX_FIELD) return;
    if (!t.startsWith(NOTE_PREFIX)) return t ? plain.push(t) : at(el, 'empty <note>: remove it');
    const m = /^copydesk:([A-Za-z]+)=([\s\S]*)$/.exec(t);
    if (!m) return at(el, `${show(t)} is not copydesk data: write copydesk:KEY=VALUE (keys here: ${allowed.join(', ')})`);
    const [, key, value] = m as unknown as [string, string, string];
    if (!allowed.includes(key)) return at(el, `copydesk:${key} does not belong here: the keys here are ${allowed.join(', ')}`);
    if (key === 'note') return plain.push(value);
    if (!value) return at(el, `copydesk:${key} is empty: give a value or remove the note`);
    const cur = data.get(key);
    if (cur && !REPEATABLE.includes(key)) return at(el, `copydesk:${key} is given twice (also line ${cur.line}): keep one`);
    if (cur) cur.values.push(value);
    else data.set(key, { values: [value], line: el.line });
  }

  /** admin source / transacGrp into provenance; false when the element is neither. */
  function readProvenance(el: XmlElement, rc: Read, p: Provenance): boolean {
    if (is(el, 'admin')) {
      if (el.attrs.type !== 'source') at(el, `<admin type=${show(el.attrs.type ?? '')}> is not read: copydesk reads <admin type="source"> (the article)`);
      else if (p.article !== undefined) at(el, 'a second <admin type="source">: keep one');
      else p.article = leaf(el, rc);
      return true;
    }
    if (!is(el, 'transacGrp')) return false;
    noText(el);
    let kind: string | undefined;
    let who: string | undefined;
    for (const c of el.children) {
      if (is(c, 'transac') && c.attrs.type === 'transactionType') kind = leaf(c, rc);
      else if (is(c, 'transacNote') && c.attrs.type === 'responsibility') who = leaf(c, rc);
      else if (!is(c, 'date')) unknown(c, 'transacGrp');
    }
    const key = kind === 'origination' ? 'proposedBy' : kind === 'modification' ? 'decidedBy' : undefined;
    if (!key) at(el, `<transac type="transactionType"> must be origination or modification (found ${show(kind ?? 'nothing')})`);
    else if (p[key] !== undefined) at(el, `a second ${kind} transaction: keep one`);
    else if (who) p[key] = who;
    return true;
  }

  function offsets(data: Map<string, { values: string[]; line: number }>, p: Provenance) {
    for (const k of ['start', 'end'] as const) {
      const v = data.get(k);
      if (!v) continue;
      const n = parseOffset(v.values[0]!);
      if (n === null) P.add(v.line, `line ${v.line}: copydesk:${k} ${show(v.values[0])} must be a whole number of characters (0 or more)`);
      else p[k] = n;
    }
  }

  function status(data: Map<string, { values: string[]; line: number }>) {
    const s = data.get('status');
    if (!s) return 'proposed';
    const v = parseStatus(s.values[0]!);
    if (!v) P.add(s.line, `line ${s.line}: copydesk:status ${show(s.values[0])} is not one of ${STATUS_LIST}`);
    return v ?? 'proposed';
  }

  function readEntry(el: XmlElement): Read | null {
    const rawId = el.attrs.id;
    if (!rawId) {
      at(el, `<${d.entry}> has no id: add id="${TBX_ID_PREFIX}" followed by the concept id, e.g. id="${TBX_ID_PREFIX}kyiv"`);
      return null;
    }
    if (rawId.length > MAX_FIELD) {
      at(el, tooLong('id', rawId.length));
      return null;
    }
    if (!rawId.startsWith(TBX_ID_PREFIX)) at(el, `${d.entry} id ${show(rawId)} must be "${TBX_ID_PREFIX}" followed by the concept id, e.g. ${TBX_ID_PREFIX}kyiv`);
    const id = rawId.startsWith(TBX_ID_PREFIX) ? rawId.slice(TBX_ID_PREFIX.length) : rawId;
    const c = { id, canonical: '', type: '' as EntityType, status: 'proposed', variants: [] } as EntryConcept;
    const rc: Read = { c, line: el.line, canonicalLine: 0, forms: new Map(), oversize: false };
    const data = new Map<string, { values: string[]; line: number }>();
    const plain: string[] = [];
    const prov: Provenance = {};
    let type: string | undefined;
    let langs = 0;
    noText(el);
    for (const ch of el.children) {
      if (is(ch, d.lang)) {
        langs++;
        readLang(ch);
        continue;
      }
      if (langs) at(ch, `<${ch.name}> must come before <${d.lang}>`);
      if (is(ch, 'descrip') && ch.attrs.type === 'subjectField') {
        if (type !== undefined) at(ch, 'a second <descrip type="subjectField">: keep one');
        else type = leaf(ch, rc);
      } else if (is(ch, 'note')) readNote(ch, rc, CONCEPT_NOTES, data, plain);
      else if (!readProvenance(ch, rc, prov)) unknown(ch, d.entry);
    }
    if (!langs) at(el, `concept ${id} has no <${d.lang} xml:lang="en">: add one holding its terms`);
    else if (!rc.canonicalLine) at(el, 'concept ' + id + ' has no preferred term: mark the canonical form with <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>');
    if (type === undefined) at(el, `concept ${id} has no <descrip type="subjectField">: add one giving its type (person, place, organization, outlet or term)`);
    c.type = (type ?? 'term') as EntityType;
    c.status = status(data);
    if (plain.length) c.notes = plain.join('\n');
    const roles: RoleData[] = [];
    for (const raw of data.get('role')?.values ?? []) {
      let role: unknown;
      try {
        role = JSON.parse(raw);
      } catch {
        role = null;
      }
      const o = role as Record<string, unknown> | null;
      const ok = !!o && typeof o === 'object' && !Array.isArray(o) && typeof o.title === 'string' && typeof o.from === 'string' &&
        (o.to === undefined || typeof o.to === 'string') && Object.keys(o).every((k) => ['title', 'from', 'to'].includes(k));
      if (ok) roles.push(o as unknown as RoleData);
      else P.add(data.get('role')!.line, `line ${data.get('role')!.line}: copydesk:role ${show(raw)} must be JSON like {"title":"President","from":"2019-05-20"}`);
    }
    if (roles.length) c.roles = roles;
    offsets(data, prov);
    if (Object.keys(prov).length) c.provenance = prov;
    return rc;

    function readLang(ls: XmlElement) {
      const lang = ls.attrs['xml:lang'];
      if (!lang) at(ls, `<${d.lang}> has no xml:lang: add xml:lang="en"`);
      else if (!/^en(-|$)/i.test(lang)) at(ls, `xml:lang ${show(lang)}: copydesk glossaries hold English forms only; remove this <${d.lang}>`);
      noText(ls);
      for (const ts of ls.children) {
        if (is(ts, d.term)) readTerm(ts);
        else unknown(ts, d.lang);
      }
    }

    function readTerm(ts: XmlElement) {
      noText(ts);
      const [first, ...rest] = ts.children;
      if (!first || !is(first, 'term')) return at(ts, `<${d.term}> must start with <term>`);
      const text = leaf(first, rc);
      let admin: string | undefined;
      let auxSeen = false;
      const tdata = new Map<string, { values: string[]; line: number }>();
      const tplain: string[] = [];
      const tprov: Provenance = {};
      for (const ch of rest) {
        if (is(ch, 'termNote')) {
          if (auxSeen) at(ch, '<termNote> must come right after <term>, before notes and admin data');
          const t = ch.attrs.type;
          if (t === 'administrativeStatus') {
            if (admin !== undefined) at(ch, 'a second administrativeStatus: keep one');
            else admin = leaf(ch, rc);
          } else if (t !== 'partOfSpeech' && t !== 'termType') at(ch, `<termNote type=${show(t ?? '')}> is not read: copydesk reads administrativeStatus (partOfSpeech and termType are derived)`);
          continue;
        }
        auxSeen = true;
        if (is(ch, 'note')) readNote(ch, rc, VARIANT_NOTES, tdata, tplain);
        else if (!readProvenance(ch, rc, tprov)) unknown(ch, d.term);
      }
      if (admin !== undefined && !ADMIN_STATUS.includes(admin)) at(first, `administrativeStatus ${show(admin)} is not one of ${ADMIN_STATUS.join(', ')}`);
      const kind = tdata.get('kind')?.values[0];
      const extra = tplain.length > 0 || tdata.size > 0 || Object.keys(tprov).length > 0;
      if (admin === 'preferredTerm-admn-sts') {
        if (rc.canonicalLine) return at(ts, `a second preferred term (also line ${rc.canonicalLine}): a concept has one canonical form; mark the other admittedTerm-admn-sts`);
        rc.canonicalLine = ts.line;
        c.canonical = text;
        rc.forms.set(text, ts.line);
        if (extra) at(ts, 'notes, copydesk data and provenance on the canonical form are not kept: put them on the concept (before <' + d.lang + '>)');
        return;
      }
      if (kind === undefined) {
        if (admin === 'deprecatedTerm-admn-sts' || admin === 'supersededTerm-admn-sts') {
          return at(ts, `the ${admin.slice(0, -13)} term ${show(text)} needs <note>copydesk:kind=...</note> (russian-form, transliteration, literal-translation, mistranslation, misspelling or house-style)`);
        }
        if (extra) at(ts, `the accepted form ${show(text)} cannot carry notes, copydesk data or provenance: add copydesk:kind to make it a variant, or remove them`);
        (c.accepted ??= []).push(text);
        if (!rc.forms.has(text)) rc.forms.set(text, ts.line);
        return;
      }
      if (c.variants.some((v) => v.text === text)) return at(ts, `variant ${show(text)} is listed twice (also line ${rc.forms.get(text)}): remove one`);
      rc.forms.set(text, ts.line);
      const v: EntryVariant = { text, kind: kind as VariantKind, status: status(tdata) };
      const one = (k: string) => tdata.get(k)?.values[0];
      if (one('severity')) v.severity = one('severity') as Severity;
      if (one('case')) v.case = one('case') as CaseRule;
      if (one('suggestion')) v.suggestion = one('suggestion');
      if (tdata.get('exception')) v.exceptions = tdata.get('exception')!.values;
      if (tdata.get('style')) v.styles = tdata.get('style')!.values;
      if (tplain.length) v.note = tplain.join('\n');
      offsets(tdata, tprov);
      if (Object.keys(tprov).length) v.provenance = tprov;
      c.variants.push(v);
    }
  }

  const checked = [...concepts.values()].filter((rc) => !rc.oversize);
  for (const msg of semanticProblems({ concepts: checked.map((rc) => rc.c) })) {
    const w = parseWhere(msg);
    const rc = w.concept !== undefined ? concepts.get(w.concept) : undefined;
    if (!rc) {
      P.add(0, msg);
      continue;
    }
    const form = w.variant ?? w.form;
    const canonical = /^: canonical /.test(w.rest) ? rc.canonicalLine || undefined : undefined;
    const line = (form !== undefined ? rc.forms.get(form) : canonical) ?? rc.line;
    const what = w.variant !== undefined ? `concept ${rc.c.id}, variant ${show(w.variant)}` : `concept ${rc.c.id}`;
    P.add(line, `line ${line}: ${what}${w.rest}`);
  }
  P.throwIfAny(d.label);
  return { entries: canonicalEntries({ name, concepts: [...concepts.values()].map((rc) => rc.c), furniture: [], labels: [], notPossessive: [] }) };
}
