// The glossary as TBX-Basic v2 (the 2008 "martif" format, ISO 30042:2008), for older CAT tools and
// termbases that do not read TBX v3:
//   <martif type="TBX-Basic" xml:lang="en">
//     <martifHeader><fileDesc>...<sourceDesc><p>...</p></sourceDesc></fileDesc>
//       <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc></martifHeader>
//     <text><body><termEntry id="c-kyiv"> ... <langSet xml:lang="en"><tig><term>Kyiv</term>
//       <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote> ...</tig></langSet>
//     </termEntry></body></text></martif>
// The mapping is TBX v3's (see tbx.ts) with v2 element names: termEntry for conceptEntry, langSet
// for langSec, tig for termSec; partOfSpeech is properNoun for names (TBX-Basic v2's picklist has
// it) and noun for terms. No DOCTYPE is written: the XCSURI paragraph names the dialect, and
// tools that refuse DTDs still read the file. Reading (same rules as TBX v3) is provided too.
import type { GlossaryEntries } from '../model.ts';
import { readTbxDialect, type TbxDialect } from './tbx-read.ts';
import { writeTbxDialect } from './tbx.ts';

export const TBX_V2: TbxDialect = {
  label: 'TBX v2',
  root: 'martif',
  header: 'martifHeader',
  entry: 'termEntry',
  lang: 'langSet',
  term: 'tig',
  namespaces: [''],
  rootAttrs: { type: 'TBX-Basic', 'xml:lang': 'en' },
  partOfSpeech: (type) => (type === 'term' ? 'noun' : 'properNoun'),
  encodingDesc: 'TBXBasicXCSV02.xcs',
};

/** The glossary as TBX-Basic v2 (martif) text. Deterministic. */
export function writeTbx2(entries: GlossaryEntries): string {
  return writeTbxDialect(entries, TBX_V2);
}

/** Read TBX-Basic v2 (as written by writeTbx2). Throws GlossaryImportError. */
export function readTbx2(text: string): { entries: GlossaryEntries } {
  return readTbxDialect(text, TBX_V2);
}
