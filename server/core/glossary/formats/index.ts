// The glossary exchange formats: writers take the shared glossary (GlossaryEntries) and return text;
// readers take text and return entries or throw GlossaryImportError listing every problem. Pure.
//
//   csv   concepts only, one row per variant (spreadsheets, CAT term lists)      read + write
//   json  everything, lossless (backups, moving a glossary between desks)        read + write
//   tbx   TBX-Basic v3, DCA (CAT tools, terminology databases)                   read + write
//   tbx2  TBX-Basic v2, martif (older tools)                                     read + write
//   prh   prh / textlint-rule-prh rules (approved entries only)                  write
//   vale  a Vale substitution rule (approved artefact variants only)             write
//
// Round trip: for csv, json, tbx and tbx2, write(read(write(g))) === write(g), and read(write(g))
// equals canonicalEntries(g) (common.ts) - for csv and tbx with furniture, labels, notPossessive
// empty and, for csv, the name given to readCsv.
import { approvedData, type GlossaryEntries } from '../model.ts';
import { toPrhYaml } from '../prh.ts';
import { canonicalEntries, GlossaryImportError } from './common.ts';
import { readCsv, writeCsv } from './csv.ts';
import { readJson, writeJson } from './json.ts';
import { readTbx, writeTbx } from './tbx.ts';
import { readTbx2, writeTbx2 } from './tbx2.ts';
import { writeVale } from './vale.ts';

export { GlossaryImportError, canonicalEntries };
export { readCsv, writeCsv, readJson, writeJson, readTbx, writeTbx, readTbx2, writeTbx2, writeVale };

export type GlossaryFormatId = 'csv' | 'json' | 'tbx' | 'tbx2' | 'prh' | 'vale';

export interface GlossaryFormat {
  id: GlossaryFormatId;
  label: string;
  /** For Content-Type headers. */
  mediaType: string;
  /** File name extension, without the dot. */
  extension: string;
  write(entries: GlossaryEntries): string;
  /** Absent for export-only formats. */
  read?(text: string): { entries: GlossaryEntries };
}

export const GLOSSARY_FORMATS: readonly GlossaryFormat[] = [
  { id: 'csv', label: 'CSV (concepts, one row per variant)', mediaType: 'text/csv; charset=utf-8; header=present', extension: 'csv', write: writeCsv, read: (t) => readCsv(t) },
  { id: 'json', label: 'copydesk JSON (everything)', mediaType: 'application/json; charset=utf-8', extension: 'json', write: writeJson, read: readJson },
  { id: 'tbx', label: 'TBX-Basic v3 (ISO 30042:2019)', mediaType: 'application/x-tbx+xml; charset=utf-8', extension: 'tbx', write: writeTbx, read: readTbx },
  { id: 'tbx2', label: 'TBX-Basic v2 (martif)', mediaType: 'application/x-tbx+xml; charset=utf-8', extension: 'tbx', write: writeTbx2, read: readTbx2 },
  {
    id: 'prh',
    label: 'prh rules (textlint-rule-prh)',
    mediaType: 'application/yaml; charset=utf-8',
    extension: 'yml',
    write: (entries) => toPrhYaml(approvedData(canonicalEntries(entries))),
  },
  { id: 'vale', label: 'Vale substitution rule', mediaType: 'application/yaml; charset=utf-8', extension: 'yml', write: (entries) => writeVale(entries) },
];

/** The format with this id, or undefined. */
export function glossaryFormat(id: string): GlossaryFormat | undefined {
  return GLOSSARY_FORMATS.find((f) => f.id === id);
}
