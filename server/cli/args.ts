// Command-line options of copydesk-scan: parsing and validation, with one clear sentence per usage
// error. No I/O here beyond what the caller passes in.
import { readToken } from './argv.ts';
import type { Severity } from '../core/types.ts';

export const FORMATS = ['text', 'json', 'jsonl', 'csv', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
export type FailOn = Severity | 'none';

export interface ScanArgs {
  format: Format;
  failOn: FailOn;
  minSeverity: Severity;
  glossary: string | null;
  /** --db PATH: read the approved glossary from this database (null: the configured one, if it exists). */
  db: string | null;
  houseStyle: string | null;
  detectors: string[] | null;
  disable: string[];
  jobs: number;
  language: boolean;
  quiet: boolean;
  /** null: decide from the terminal. */
  color: boolean | null;
  debug: boolean;
  inputs: string[];
}

export type Command =
  | { command: 'help'; args: ScanArgs }
  | { command: 'version'; args: ScanArgs }
  | { command: 'list-detectors'; args: ScanArgs }
  | { command: 'scan'; args: ScanArgs };

/** A mistake on the command line: exit status 2. */
export class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The format asked for, when it was understood before the error (for machine-readable codes). */
    readonly format: Format | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAX_JOBS = 64;

export const USAGE = `Usage: copydesk-scan [options] <file|dir|->...

Scans English rewrites of news stories for translation artefacts (wrong name forms, page furniture,
untranslated text…). Inputs are .txt and .md files, folders (searched recursively for .txt and .md,
in name order), or "-" for JSON Lines on standard input: one {"id", "text"} object per line, with
optional "date" (yyyy-mm-dd) and "origin_lang" (ISO 639-3).

Options:
  -f, --format FORMAT     text (default), json, jsonl, csv or sarif
      --fail-on LEVEL     exit 1 when a finding is at or above LEVEL: error (default), warning,
                          info, or none (never)
      --min-severity LVL  leave out findings below LVL: info (default), warning or error
      --glossary PATH     a glossary file (.yaml or .json) or folder of them (default: the approved
                          shared glossary when the database exists, else the starter glossary)
      --db PATH           read the approved shared glossary from this database (created and seeded
                          when new); default: $COPYDESK_DB, else data/copydesk.db, if that file exists
      --house-style NAME  apply a house style defined in the glossary
      --detectors A,B     run only these detectors (see --list-detectors)
      --disable A,B       skip these detectors
  -j, --jobs N            scan on N threads: the main thread and N-1 worker threads (default 1)
      --no-language       skip language detection (the "language" field is null)
  -q, --quiet             no progress bar and no summary line
      --color, --no-color force colour on or off in the text format (default: on for a terminal)
      --list-detectors    list the detectors and exit
      --debug             print stack traces of internal errors
  -h, --help              show this help and exit
  -V, --version           show the version and exit

Exit status: 0 no findings at or above --fail-on; 1 findings at or above it; 2 a usage error, an
invalid glossary, or an input that could not be read or decoded.
`;

function defaults(): ScanArgs {
  return {
    format: 'text',
    failOn: 'error',
    minSeverity: 'info',
    glossary: null,
    db: null,
    houseStyle: null,
    detectors: null,
    disable: [],
    jobs: 1,
    language: true,
    quiet: false,
    color: null,
    debug: false,
    inputs: [],
  };
}

const VALUE_OPTIONS = new Set([
  '--format',
  '--fail-on',
  '--min-severity',
  '--glossary',
  '--db',
  '--house-style',
  '--detectors',
  '--disable',
  '--jobs',
]);
const FLAG_OPTIONS = new Set([
  '--no-language',
  '--quiet',
  '--color',
  '--no-color',
  '--list-detectors',
  '--debug',
  '--help',
  '--version',
]);
const SHORT: Record<string, string> = { '-f': '--format', '-j': '--jobs', '-q': '--quiet', '-h': '--help', '-V': '--version' };

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], fmt: Format | null): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    'BAD_VALUE',
    `${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`,
    fmt,
  );
}

function idList(name: string, value: string, fmt: Format | null): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) throw new UsageError('BAD_VALUE', `${name} needs at least one detector id, e.g. ${name} glossary.`, fmt);
  return [...new Set(ids)];
}

/** Parse argv (without node and the script). Throws UsageError. */
export function parseArgs(argv: readonly string[]): Command {
  const a = defaults();
  let command: Command['command'] = 'scan';
  // The format is read first, so that usage errors can be reported in it.
  let fmt: Format | null = null;
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i]!;
    if (s === '--') break;
    const eq = s.startsWith('--format=') ? s.slice(9) : null;
    const v = eq ?? (s === '--format' || s === '-f' ? argv[i + 1] : undefined);
    if (v !== undefined && (FORMATS as readonly string[]).includes(v)) fmt = v as Format;
  }

  const seen = new Set<string>();
  let onlyInputs = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = readToken(argv[i]!, onlyInputs, SHORT);
    if (tok === null) {
      onlyInputs = true;
      continue;
    }
    if ('input' in tok) {
      a.inputs.push(tok.input);
      continue;
    }
    const name = tok.name;
    let value = tok.value;
    if (!VALUE_OPTIONS.has(name) && !FLAG_OPTIONS.has(name)) {
      throw new UsageError('UNKNOWN_OPTION', `There is no option ${JSON.stringify(name)}; run copydesk-scan --help for the list.`, fmt);
    }
    if (FLAG_OPTIONS.has(name)) {
      if (value !== undefined) throw new UsageError('BAD_VALUE', `${name} takes no value.`, fmt);
    } else if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-' && !/^-\d/.test(value))) {
        throw new UsageError('MISSING_VALUE', `${name} needs a value; run copydesk-scan --help for the list.`, fmt);
      }
      i++;
    }
    if (VALUE_OPTIONS.has(name) && seen.has(name) && name !== '--disable') {
      throw new UsageError('BAD_VALUE', `${name} is given twice; give it once.`, fmt);
    }
    seen.add(name);
    const val = value ?? '';
    switch (name) {
      case '--format':
        a.format = oneOf('--format', val, FORMATS, fmt);
        break;
      case '--fail-on':
        a.failOn = oneOf('--fail-on', val, ['error', 'warning', 'info', 'none'] as const, fmt);
        break;
      case '--min-severity':
        a.minSeverity = oneOf('--min-severity', val, ['error', 'warning', 'info'] as const, fmt);
        break;
      case '--glossary':
        if (!val) throw new UsageError('BAD_VALUE', '--glossary needs a file or folder path.', fmt);
        a.glossary = val;
        break;
      case '--db':
        if (!val) throw new UsageError('BAD_VALUE', '--db needs a database file path.', fmt);
        a.db = val;
        break;
      case '--house-style':
        if (!val.trim()) throw new UsageError('BAD_VALUE', '--house-style needs a style name.', fmt);
        a.houseStyle = val.trim();
        break;
      case '--detectors':
        a.detectors = idList('--detectors', val, fmt);
        break;
      case '--disable':
        a.disable = [...new Set([...a.disable, ...idList('--disable', val, fmt)])];
        break;
      case '--jobs': {
        if (!/^\d+$/.test(val) || Number(val) < 1 || Number(val) > MAX_JOBS) {
          throw new UsageError('BAD_VALUE', `--jobs must be a whole number from 1 to ${MAX_JOBS}, not ${JSON.stringify(val)}.`, fmt);
        }
        a.jobs = Number(val);
        break;
      }
      case '--no-language':
        a.language = false;
        break;
      case '--quiet':
        a.quiet = true;
        break;
      case '--color':
        a.color = true;
        break;
      case '--no-color':
        a.color = false;
        break;
      case '--debug':
        a.debug = true;
        break;
      case '--list-detectors':
        if (command === 'scan') command = 'list-detectors';
        break;
      case '--help':
        command = 'help';
        break;
      case '--version':
        if (command !== 'help') command = 'version';
        break;
    }
  }
  if (command !== 'scan') return { command, args: a };
  if (!a.inputs.length) {
    throw new UsageError('NO_INPUTS', 'No inputs given: name files or folders to scan, or "-" to read JSON Lines from standard input.', fmt);
  }
  if (a.inputs.filter((x) => x === '-').length > 1) {
    throw new UsageError('BAD_VALUE', 'Standard input ("-") can be given only once.', fmt);
  }
  if (a.glossary !== null && a.db !== null) {
    throw new UsageError('BAD_VALUE', '--glossary and --db both name the glossary to use; give one of them.', fmt);
  }
  if (a.detectors && a.disable.length) {
    const left = a.detectors.filter((d) => !a.disable.includes(d));
    if (!left.length) throw new UsageError('BAD_VALUE', '--disable turns off every detector chosen with --detectors; nothing would run.', fmt);
  }
  return { command: 'scan', args: a };
}
