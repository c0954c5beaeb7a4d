// The glossary exchange formats: byte-identical round trips (CSV, JSON, TBX v3 and v2) on the
// starter glossary and on a hand-made one that uses every field; CSV quoting; TBX well-formedness
// and TBX-Basic structure (checked with saxes here, independently of the reader); the Vale rule;
// and bad input, each rejected with problems that name the line or entry.
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { entriesFromData, normalizeEntries, type GlossaryEntries } from '../server/core/glossary/model.ts';
import { validateGlossary } from '../server/core/glossary/schema.ts';
import { loadGlossaryData } from '../server/glossary/files.ts';
import {
  canonicalEntries, GLOSSARY_FORMATS, GlossaryImportError, glossaryFormat, readCsv, readJson, readTbx, readTbx2,
  writeCsv, writeJson, writeTbx, writeTbx2, writeVale,
} from '../server/core/glossary/formats/index.ts';
import { parseCsvRecords } from '../server/core/glossary/formats/csv.ts';
import { Problems } from '../server/core/glossary/formats/common.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'glossary');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const STARTER = entriesFromData(loadGlossaryData());

/** Every field, every status, awkward text; concepts and variants deliberately out of order. */
const HAND: GlossaryEntries = {
  name: 'Hand-made "test" glossary & <friends>',
  concepts: [
    {
      id: 'volodymyr-zelensky',
      canonical: 'Volodymyr Zelensky',
      type: 'person',
      status: 'approved',
      notes: ' President since 2019, "Ze" to fans;\nsecond line\r\nthird, after CRLF\tand a tab: Зеленський 🇺🇦 ]]> & <b>not markup</b> ',
      accepted: ['Zelensky'],
      roles: [
        { title: 'President of Ukraine', from: '2019-05-20' },
        { title: 'Actor, "Servant of the People"', from: '2015-10-16', to: '2019-05-19' },
      ],
      provenance: { proposedBy: 'Olena Kovalenko', article: 'zelensky-profile-2024', start: 12, end: 30, decidedBy: 'Desk chief' },
      variants: [
        { text: 'Zelenskyy', kind: 'house-style', status: 'approved', styles: ['ap', 'bbc'], note: 'AP spelling' },
        { text: 'Zelenski', kind: 'transliteration', status: 'proposed', suggestion: 'Zelensky', note: 'copydesk:kind=misspelling (a note that looks like data)' },
        { text: 'Vladimir Zelensky', kind: 'russian-form', status: 'approved', severity: 'error', provenance: { proposedBy: 'scanner', start: 0, end: 17 } },
        { text: 'Selenskyj', kind: 'transliteration', status: 'rejected', provenance: { proposedBy: 'reviewer, with a comma', decidedBy: 'chief "the boss"' } },
      ],
    },
    {
      id: 'kyiv',
      canonical: 'Kyiv',
      type: 'place',
      status: 'approved',
      variants: [
        { text: 'Kiew', kind: 'misspelling', status: 'deprecated', provenance: { decidedBy: 'chief' } },
        { text: 'Kiev', kind: 'russian-form', status: 'approved', case: 'insensitive', exceptions: ['chicken Kiev', 'Kiev Rus'] },
      ],
    },
    {
      id: 'tass',
      canonical: 'TASS',
      type: 'outlet',
      status: 'approved',
      variants: [
        { text: 'Tass', kind: 'misspelling', status: 'approved', case: 'sensitive', severity: 'warning', note: 'The agency writes its name in capitals' },
        { text: 'ITAR-TASS', kind: 'house-style', status: 'approved' },
      ],
    },
    {
      id: 'ukrainska-pravda',
      canonical: 'Ukrainska Pravda',
      type: 'outlet',
      status: 'proposed',
      notes: 'copydesk:status=approved is just text here',
      provenance: { proposedBy: 'Taras', article: 'a/b?c=d&e="f"', start: 5 },
      variants: [{ text: 'Ukrainian Truth', kind: 'literal-translation', status: 'proposed', case: 'sensitive' }],
    },
    {
      id: 'filtration-camp',
      canonical: 'filtration camp',
      type: 'term',
      status: 'deprecated',
      notes: 'Retired entry',
      variants: [{ text: 'filtering camp', kind: 'mistranslation', status: 'approved', severity: 'info' }],
    },
    { id: 'donetsk-republic', canonical: 'Donetsk People’s Republic', type: 'organization', status: 'rejected', accepted: ['DPR', 'DNR'], variants: [] },
    {
      id: '1plus1',
      canonical: '1+1',
      type: 'outlet',
      status: 'approved',
      variants: [{ text: '1 plus 1', kind: 'literal-translation', status: 'approved', suggestion: '1+1 (TV channel) | $1 test' }],
    },
  ],
  furniture: [
    { id: 'cookie-accept', line: 'Accept cookies', message: 'Cookie banner, "button"' },
    { id: 'share-this', pattern: '^share (?<span>this)', severity: 'info' },
  ],
  labels: [{ text: 'Bota', lang: 'sqi', meaning: 'World' }],
  notPossessive: ['Americas', 'Philippines'],
};

/** What each reader gives back for `g`: CSV and TBX hold concepts only; CSV has no name. */
function expected(id: string, g: GlossaryEntries): GlossaryEntries {
  const c = canonicalEntries(g);
  if (id === 'json') return c;
  return { ...c, name: id === 'csv' ? '' : c.name, furniture: [], labels: [], notPossessive: [] };
}

const ROUND_TRIP = GLOSSARY_FORMATS.filter((f) => f.read);

describe('the hand-made glossary is itself valid', () => {
  it('passes validateGlossary', () => {
    expect(() => validateGlossary(HAND, 'hand-made', { entries: true })).not.toThrow();
  });
});

describe.each(ROUND_TRIP.map((f) => [f.id, f] as const))('%s round trip', (id, f) => {
  it.each([
    ['starter glossary', STARTER],
    ['hand-made glossary', HAND],
  ] as const)('%s: write(read(write(g))) is byte-identical and read(write(g)) equals g', (_name, g) => {
    const text = f.write(g);
    const back = f.read!(text).entries;
    expect(f.write(back)).toBe(text);
    expect(back).toStrictEqual(expected(id, g));
  });

  it('is deterministic: the order of concepts and variants in the input does not matter', () => {
    const shuffled: GlossaryEntries = {
      ...HAND,
      concepts: [...HAND.concepts].reverse().map((c) => ({ ...c, variants: [...c.variants].reverse() })),
    };
    expect(f.write(shuffled)).toBe(f.write(HAND));
  });
});

describe('canonical form', () => {
  it('JSON gives back exactly normalizeEntries(g) for a glossary written canonically', () => {
    expect(readJson(writeJson(HAND)).entries).toEqual(normalizeEntries(HAND));
  });
  it('drops empty optional fields, nulls and unknown keys in both directions', () => {
    const g: GlossaryEntries = {
      name: 'n',
      concepts: [
        {
          id: 'kyiv', canonical: 'Kyiv', type: 'place', status: 'approved', notes: '', accepted: [], roles: [],
          provenance: { proposedBy: null, article: null, start: null, end: null, decidedBy: null },
          variants: [{ text: 'Kiev', kind: 'russian-form', status: 'approved', exceptions: [], styles: [], provenance: {} }],
          ...({ stray: 'key' } as object),
        },
      ],
      furniture: [], labels: [], notPossessive: [],
    };
    const want = { name: 'n', concepts: [{ id: 'kyiv', canonical: 'Kyiv', type: 'place', status: 'approved', variants: [{ text: 'Kiev', kind: 'russian-form', status: 'approved' }] }], furniture: [], labels: [], notPossessive: [] };
    expect(canonicalEntries(g)).toStrictEqual(want);
    for (const f of ROUND_TRIP) expect(f.read!(f.write(g)).entries.concepts).toStrictEqual(want.concepts);
  });
});

describe('CSV', () => {
  const csv = writeCsv(HAND);
  const lines = csv.split('\r\n');

  it('has a header row, CRLF after every record and no bare LF outside quoted fields', () => {
    expect(lines[0]).toBe(
      'concept_id,canonical,type,concept_status,notes,accepted,roles,concept_proposed_by,concept_article,concept_start,concept_end,concept_decided_by,' +
        'variant,kind,severity,case,suggestion,exceptions,styles,variant_note,variant_status,variant_proposed_by,variant_article,variant_start,variant_end,variant_decided_by',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsvRecords(csv, new Problems());
    // One row per variant; a concept without variants has one row.
    expect(records.length - 1).toBe(HAND.concepts.reduce((n, c) => n + Math.max(1, c.variants.length), 0));
    expect(records.every((r) => r.fields.length === 26)).toBe(true);
  });

  it('quotes fields with a comma, quote, CR or LF, doubling quotes, and nothing else', () => {
    // roles as JSON inside a quoted field: JSON's \" then CSV's doubling.
    expect(csv).toContain(',"[{""title"":""President of Ukraine"",""from"":""2019-05-20""},{""title"":""Actor, \\""Servant of the People\\"""",');
    expect(csv).toContain('" President since 2019, ""Ze"" to fans;\nsecond line\r\nthird, after CRLF\tand a tab');
    expect(csv).toContain(',"reviewer, with a comma",');
    expect(csv).toContain(',"chief ""the boss"""');
    expect(csv).toContain(',Zelensky,'); // suggestion: no quotes needed
    expect(lines.find((l) => l.startsWith('donetsk-republic,'))).toBe(
      'donetsk-republic,Donetsk People’s Republic,organization,rejected,,"[""DPR"",""DNR""]",,,,,,,,,,,,,,,,,,,,',
    );
  });

  it('parses RFC 4180: quoted CRLF, doubled quotes, empty fields, LF-only files and a BOM', () => {
    const P = new Problems();
    const recs = parseCsvRecords('\ufeffa,b,c\r\n"x\r\ny","he said ""hi""",\n1,,"3"\n', P);
    expect(P.size).toBe(0);
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x\r\ny', 'he said "hi"', ''] },
      { line: 4, fields: ['1', '', '3'] },
    ]);
  });

  it('reads a hand-written file with only some columns, in another order', () => {
    const { entries } = readCsv('kind,variant,type,canonical,concept_id\nrussian-form,Kiev,place,Kyiv,kyiv\n,,place,Lviv,lviv\n', { name: 'mine' });
    expect(entries).toStrictEqual({
      name: 'mine',
      concepts: [
        { id: 'kyiv', canonical: 'Kyiv', type: 'place', status: 'proposed', variants: [{ text: 'Kiev', kind: 'russian-form', status: 'proposed' }] },
        { id: 'lviv', canonical: 'Lviv', type: 'place', status: 'proposed', variants: [] },
      ],
      furniture: [], labels: [], notPossessive: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// XML structure, checked with saxes directly.

interface El {
  name: string;
  uri: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

function xmlTree(text: string): El {
  const p = new SaxesParser({ xmlns: true });
  const stack: El[] = [];
  let root: El | undefined;
  p.on('opentag', (t: SaxesTagNS) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(t.attributes)) attrs[a.name] = a.value;
    const el: El = { name: t.local, uri: t.uri, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  p.on('closetag', () => void stack.pop());
  p.on('text', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  p.write(text).close(); // throws on anything not well-formed
  return root!;
}

const walk = (el: El, f: (e: El, parent: El | null) => void, parent: El | null = null) => {
  f(el, parent);
  for (const c of el.children) walk(c, f, el);
};
const names = (el: El) => el.children.map((c) => c.name);
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const ADMIN_STATUS = ['preferredTerm-admn-sts', 'admittedTerm-admn-sts', 'deprecatedTerm-admn-sts', 'supersededTerm-admn-sts'];
const AUX = ['descrip', 'descripGrp', 'admin', 'adminGrp', 'transacGrp', 'note', 'ref', 'xref'];

/** TBX-Basic structure shared by v3 (conceptEntry/langSec/termSec) and v2 (termEntry/langSet/tig). */
function checkEntries(body: El, entry: string, lang: string, term: string, partsOfSpeech: string[]) {
  const ids = new Set<string>();
  expect(body.children.length).toBeGreaterThan(0);
  for (const ce of body.children) {
    expect(ce.name).toBe(entry);
    const id = ce.attrs.id!;
    expect(id).toMatch(NCNAME);
    expect(ids.has(id)).toBe(false);
    ids.add(id);
    const firstLang = names(ce).indexOf(lang);
    expect(firstLang).toBeGreaterThan(0);
    for (const [k, c] of ce.children.entries()) {
      if (k < firstLang) expect(AUX).toContain(c.name);
      else expect(c.name).toBe(lang);
    }
    let preferred = 0;
    for (const ls of ce.children.filter((c) => c.name === lang)) {
      expect(ls.attrs['xml:lang']).toBe('en');
      expect(ls.children.length).toBeGreaterThan(0);
      for (const ts of ls.children) {
        expect(ts.name).toBe(term);
        const n = names(ts);
        expect(n[0]).toBe('term');
        const lastNote = n.lastIndexOf('termNote');
        const firstAux = n.findIndex((x) => AUX.includes(x));
        if (firstAux >= 0) expect(lastNote).toBeLessThan(firstAux);
        for (const [k, x] of n.entries()) if (k > 0) expect(['termNote', ...AUX]).toContain(x);
        for (const tn of ts.children.filter((c) => c.name === 'termNote')) {
          if (tn.attrs.type === 'administrativeStatus') {
            expect(ADMIN_STATUS).toContain(tn.text);
            if (tn.text === 'preferredTerm-admn-sts') preferred++;
          } else if (tn.attrs.type === 'partOfSpeech') expect(partsOfSpeech).toContain(tn.text);
          else if (tn.attrs.type === 'termType') expect(['fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant', 'phrase']).toContain(tn.text);
          else throw new Error(`unexpected termNote type ${tn.attrs.type}`);
        }
      }
    }
    expect(preferred).toBe(1);
  }
  walk(body, (el, parent) => {
    if (el.name === 'descrip') {
      expect(el.attrs.type).toBe('subjectField');
      expect(parent!.name).toBe(entry);
    }
    if (el.name === 'admin') expect(['source', 'customerSubset', 'projectSubset']).toContain(el.attrs.type);
    if (el.name === 'transacGrp') {
      expect(names(el)[0]).toBe('transac');
      expect(el.children[0]!.attrs.type).toBe('transactionType');
      expect(['origination', 'modification']).toContain(el.children[0]!.text);
      for (const c of el.children.slice(1)) expect(c.name === 'transacNote' && c.attrs.type === 'responsibility').toBe(true);
    }
    if (el.name === 'note' || el.name === 'term') expect(el.children).toEqual([]);
  });
}

describe('TBX v3', () => {
  it.each([
    ['starter glossary', STARTER],
    ['hand-made glossary', HAND],
  ] as const)('%s: well-formed TBX-Basic, DCA style', (_n, g) => {
    const text = writeTbx(g);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n')).toBe(true);
    const root = xmlTree(text);
    expect(root.name).toBe('tbx');
    expect(root.attrs).toEqual({ type: 'TBX-Basic', style: 'dca', 'xml:lang': 'en', xmlns: 'urn:iso:std:iso:30042:ed-2' });
    walk(root, (el) => expect(el.uri).toBe('urn:iso:std:iso:30042:ed-2'));
    expect(names(root)).toEqual(['tbxHeader', 'text']);
    const fileDesc = root.children[0]!.children[0]!;
    expect(fileDesc.name).toBe('fileDesc');
    expect(names(fileDesc).at(-1)).toBe('sourceDesc');
    expect(names(fileDesc.children.at(-1)!)).toEqual(['p']);
    expect(names(root.children[1]!)).toEqual(['body']);
    checkEntries(root.children[1]!.children[0]!, 'conceptEntry', 'langSec', 'termSec', ['noun', 'verb', 'adjective', 'adverb', 'other']);
  });

  it('maps statuses and copydesk data as documented', () => {
    const text = writeTbx(HAND);
    expect(text).toContain('<conceptEntry id="c-1plus1">');
    expect(text).toContain('<title>Hand-made "test" glossary &amp; &lt;friends&gt;</title>');
    expect(text).toContain('&#13;'); // CR survives XML line-end normalisation
    const kyiv = text.slice(text.indexOf('<conceptEntry id="c-kyiv">'), text.indexOf('</conceptEntry>', text.indexOf('c-kyiv')));
    expect(kyiv).toMatch(/<term>Kyiv<\/term>\s*<termNote type="partOfSpeech">noun<\/termNote>\s*<termNote type="administrativeStatus">preferredTerm-admn-sts<\/termNote>/);
    expect(kyiv).toMatch(/<term>Kiev<\/term>[\s\S]*?deprecatedTerm-admn-sts[\s\S]*?<note>copydesk:kind=russian-form<\/note>\s*<note>copydesk:status=approved<\/note>\s*<note>copydesk:case=insensitive<\/note>\s*<note>copydesk:exception=chicken Kiev<\/note>/);
    expect(text).toMatch(/<term>Zelenskyy<\/term>[\s\S]*?admittedTerm-admn-sts[\s\S]*?<note>copydesk:style=ap<\/note>\s*<note>copydesk:style=bbc<\/note>/);
    expect(text).toMatch(/<term>Zelensky<\/term>[\s\S]*?admittedTerm-admn-sts[\s\S]*?<termNote type="termType">shortForm<\/termNote>\s*<\/termSec>/);
    expect(text).toContain('<note>copydesk:note=copydesk:status=approved is just text here</note>');
    expect(text).toMatch(/<admin type="source">zelensky-profile-2024<\/admin>\s*<transacGrp>\s*<transac type="transactionType">origination<\/transac>\s*<transacNote type="responsibility">Olena Kovalenko<\/transacNote>/);
    expect(text).not.toContain('<date>');
  });
});

describe('TBX v2 (martif)', () => {
  it.each([
    ['starter glossary', STARTER],
    ['hand-made glossary', HAND],
  ] as const)('%s: well-formed, with the martif structure', (_n, g) => {
    const root = xmlTree(writeTbx2(g));
    expect(root.name).toBe('martif');
    expect(root.attrs).toEqual({ type: 'TBX-Basic', 'xml:lang': 'en' });
    walk(root, (el) => expect(el.uri).toBe(''));
    expect(names(root)).toEqual(['martifHeader', 'text']);
    const header = root.children[0]!;
    expect(names(header)).toEqual(['fileDesc', 'encodingDesc']);
    expect(header.children[1]!.children[0]).toMatchObject({ name: 'p', attrs: { type: 'XCSURI' }, text: 'TBXBasicXCSV02.xcs' });
    checkEntries(root.children[1]!.children[0]!, 'termEntry', 'langSet', 'tig', ['noun', 'properNoun', 'verb', 'adjective', 'adverb', 'other']);
  });

  it('reads TBX v3 files only as TBX, and martif only as TBX v2', () => {
    expect(() => readTbx(writeTbx2(HAND))).toThrow(/looks like TBX v2/);
    expect(() => readTbx2(writeTbx(HAND))).toThrow(/looks like TBX v3/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Vale', () => {
  const doc = parseYaml(writeVale(HAND)) as { extends: string; level: string; ignorecase: boolean; nonword: boolean; swap: Record<string, string> };
  const rules = Object.entries(doc.swap).map(([k, v]) => ({ re: new RegExp(k, 'gu'), key: k, to: v }));
  /** What the rule flags in `text`, as [match, replacement]. */
  const flags = (text: string) =>
    rules.flatMap((r) => [...text.matchAll(r.re)].map((m) => [m[0], r.to] as const)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  it('is a substitution rule that Vale 3 accepts', () => {
    // Two errors (literal translation, an override) and two warnings: a tie goes to the more severe.
    expect(doc).toMatchObject({ extends: 'substitution', ignorecase: false, nonword: true, level: 'error' });
    expect(parseYaml(writeVale(STARTER)).level).toBe('warning');
    for (const { key } of rules) {
      // Vale rejects capture groups: every "(" must open "(?" (literal parentheses are \x28).
      expect((key.match(/\(/g) ?? []).length).toBe((key.match(/\(\?/g) ?? []).length);
    }
  });

  it('swaps Kiev for Kyiv whatever its case, but not in its exceptions', () => {
    expect(flags('We flew to Kiev, then KIEV.')).toEqual([['KIEV', 'Kyiv'], ['Kiev', 'Kyiv']]);
    expect(flags('He ordered chicken Kiev in Kiev Rus.')).toEqual([]);
    expect(flags('Vladimir  Zelensky')).toEqual([['Vladimir  Zelensky', 'Volodymyr Zelensky']]);
    // Replacements are literal text for action: replace: "|" escaped, "$" before a digit doubled.
    expect(flags('1 plus 1')).toEqual([['1 plus 1', String.raw`1+1 (TV channel) \| $$1 test`]]);
  });

  it('keeps case-sensitive variants case-sensitive: Tass, not TASS', () => {
    expect(flags('Tass reported')).toEqual([['Tass', 'TASS']]);
    expect(flags('TASS reported, and so did tass.')).toEqual([]);
  });

  it('leaves out house styles and entries that are not approved', () => {
    expect(flags('Zelenskyy ITAR-TASS Zelenski Selenskyj Kiew Ukrainian Truth filtering camp')).toEqual([]);
    expect(Object.values(doc.swap)).not.toContain('Ukrainska Pravda');
  });

  it('covers the starter glossary', () => {
    const starter = parseYaml(writeVale(STARTER)) as { swap: Record<string, string> };
    const keys = Object.entries(starter.swap).map(([k, v]) => [new RegExp(k, 'u'), v] as const);
    const hit = (t: string) => keys.filter(([re]) => re.test(t)).map(([, v]) => v);
    expect(hit('Kiev')).toEqual(['Kyiv']);
    expect(hit('chicken Kiev')).toEqual([]);
    expect(hit('TASS')).toEqual([]);
  });
});

describe('registry', () => {
  it('lists every format once, with what a download needs', () => {
    expect(GLOSSARY_FORMATS.map((f) => f.id)).toEqual(['csv', 'json', 'tbx', 'tbx2', 'prh', 'vale']);
    for (const f of GLOSSARY_FORMATS) {
      expect(f.label && f.mediaType && f.extension).toBeTruthy();
      expect(typeof f.write(HAND)).toBe('string');
      expect(f.write(HAND)).toBe(f.write(HAND));
    }
    expect(glossaryFormat('prh')!.read).toBeUndefined();
    expect(glossaryFormat('vale')!.read).toBeUndefined();
    expect(parseYaml(glossaryFormat('prh')!.write(HAND)).rules.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GlossaryImportError);
    expect((e as GlossaryImportError).code).toBe('GLOSSARY_IMPORT_INVALID');
    return (e as GlossaryImportError).problems;
  }
  throw new Error('expected a GlossaryImportError');
}

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

describe('bad input is rejected whole, every problem naming its line or entry', () => {
  const csvHead = 'concept_id,canonical,type,concept_status,notes,variant,kind,variant_status\n';
  const tbxWith = (inner: string) =>
    writeTbx({ name: 'x', concepts: [{ id: 'kyiv', canonical: 'Kyiv', type: 'place', status: 'approved', variants: [] }], furniture: [], labels: [], notPossessive: [] })
      .replace('<note>copydesk:status=approved</note>', inner);

  it.each([
    ['CSV: stray quote', () => readCsv(fixture('stray-quote.csv')), [/^line 3: field 5 has a stray double quote/]],
    ['CSV: ragged row', () => readCsv(fixture('ragged-row.csv')), [/^line 3: 6 fields where the header has 7/]],
    ['CSV: unclosed quote', () => readCsv(csvHead + 'kyiv,Kyiv,place,approved,"open\n'), [/^line 2: a quoted field opened on this line is never closed/]],
    ['CSV: duplicate variant', () => readCsv(fixture('duplicate-variant.csv')), [/^line 3: concept kyiv: variant "Kiev" is listed twice \(also line 2\)/]],
    ['CSV: rows of a concept disagree', () => readCsv(fixture('disagreeing-rows.csv')), [/^line 3: concept kyiv: notes differs from line 2/]],
    [
      'CSV: unknown status, type, kind, severity',
      () => readCsv(fixture('unknown-values.csv')),
      [
        /^line 2: concept_status|^line 2: variant_status "aproved" is not one of proposed, approved, rejected, deprecated/,
        /^line 2: concept kyiv: type "city" is not one of/,
        /^line 2: concept kyiv, variant "Kiev": kind "rusian-form" is not one of/,
        /^line 2: concept kyiv, variant "Kiev": severity "fatal" is not one of/,
        /^line 3: concept_status "approvd" is not one of/,
      ],
    ],
    ['CSV: empty canonical', () => readCsv(csvHead + 'kyiv,,place,approved,,,,\n'), [/^line 2: concept kyiv: canonical must not be empty/]],
    [
      'CSV: a variant that is another concept\'s canonical form',
      () => readCsv(csvHead + 'kyiv,Kyiv,place,approved,,,,\nodesa,Odesa,place,approved,,Kyiv,misspelling,approved\n'),
      [/^line 3: concept odesa: variant "Kyiv" is also the canonical form of concept "kyiv"/],
    ],
    ['CSV: unknown column', () => readCsv('concept_id,canonical,type,colour\nkyiv,Kyiv,place,blue\n'), [/^line 1: unknown column "colour"/]],
    ['CSV: 10 MB field', () => readCsv(csvHead + `kyiv,Kyiv,place,approved,${TEN_MB},,,\n`), [/^line 2: field notes is 10485760 characters long; the limit is 10,000$/]],
    ['JSON: malformed', () => readJson(fixture('malformed.json')), [/^line 6, column \d+: not valid JSON/]],
    ['JSON: not a copydesk export', () => readJson('{"concepts": []}'), [/^format: missing/, /^version: nothing/]],
    [
      'JSON: variant equal to another concept\'s canonical form',
      () => readJson(fixture('variant-is-canonical.json')),
      [/^concepts\[1\] \(id odesa\)\.variants\[0\] \(text "Kyiv"\): variant "Kyiv" is also the canonical form of concept "kyiv"/],
    ],
    [
      'JSON: bad structure, status, severity, duplicate id',
      () => readJson(fixture('bad-structure.json')),
      [
        /^concepts\[0\] \(id kyiv\): unknown key "colour"/,
        /^concepts\[0\] \(id kyiv\): status "live" is not one of/,
        /^concepts\[0\] \(id kyiv\)\.variants\[0\] \(text "Kiev"\): severity "fatal" is not one of/,
        /^concepts\[1\] \(id kyiv\): id is used twice \(also concepts\[0\]\)/,
        /^concepts\[2\]: must be an object/,
      ],
    ],
    [
      'JSON: duplicate variant and empty strings',
      () =>
        readJson(
          writeJson(HAND).replace('"text": "Kiew"', '"text": "Kiev"').replace('"notes": "Retired entry"', '"notes": ""'),
        ),
      [/^concepts\[2\] \(id filtration-camp\): notes must be non-empty text/, /^concepts\[3\] \(id kyiv\)\.variants\[1\] \(text "Kiev"\): the variant is listed twice \(also variants\[0\]\)/],
    ],
    [
      'JSON: 10 MB field',
      () => readJson(JSON.stringify({ format: 'copydesk-glossary', version: 1, name: 'x', concepts: [{ id: 'kyiv', canonical: 'Kyiv', type: 'place', notes: TEN_MB }] })),
      [/^concepts\[0\] \(id kyiv\)\.notes: field notes is 10485760 characters long; the limit is 10,000$/],
    ],
    ['TBX: unclosed element', () => readTbx(fixture('unclosed.tbx')), [/^line 18, column \d+: unexpected close tag.*not well-formed/]],
    ['TBX: not XML at all', () => readTbx('kyiv,Kyiv'), [/^line 1, column \d+: .*not well-formed/]],
    [
      'TBX: empty canonical, deprecated term without a kind',
      () => readTbx(fixture('empty-canonical.tbx')),
      [/^line 20: the deprecated term "Kiev" needs <note>copydesk:kind=\.\.\.<\/note>/, /^line 16: concept kyiv: canonical must not be empty/],
    ],
    [
      'TBX: unknown status, kind and element',
      () => readTbx(tbxWith('<note>copydesk:status=live</note><xref type="x" target="https://e.org">e</xref><note>copydesk:colour=blue</note>')),
      [/^line \d+: copydesk:status "live" is not one of/, /^line \d+: <xref> inside <conceptEntry> is not read by copydesk/, /^line \d+: copydesk:colour does not belong here/],
    ],
    ['TBX: 10 MB field', () => readTbx(tbxWith(`<note>${TEN_MB}</note>`)), [/^line 17: field <note> is 10485760 characters long; the limit is 10,000$/]],
    [
      'TBX: duplicate concept id',
      () => readTbx(writeTbx(HAND).replace('id="c-tass"', 'id="c-kyiv"')),
      [/^line \d+: conceptEntry id "c-kyiv" is used twice \(also line \d+\)/],
    ],
  ] as const)('%s', (_name, read, want) => {
    const problems = problemsOf(read);
    for (const re of want) expect(problems, `${re} in\n${problems.join('\n')}`).toSatisfy((ps: string[]) => ps.some((p) => re.test(p)));
    for (const p of problems) expect(p.length).toBeLessThan(1000);
  });

  it('reports every problem of a file, not only the first', () => {
    const problems = problemsOf(() => readCsv(csvHead + 'kyiv,Kyiv,place,aproved,,,,\nodesa,,place,approved,,,,\nlviv,Lviv,town,approved,,Lvov,russian-form,sure\n'));
    expect(problems.map((p) => p.split(':')[0])).toEqual(['line 2', 'line 3', 'line 4', 'line 4']);
  });
});
