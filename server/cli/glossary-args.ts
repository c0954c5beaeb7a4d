// Command-line options of copydesk-glossary: parsing and validation, with one clear sentence per
// usage error (exit status 2). No I/O here.
import { readToken } from './argv.ts';
import { ENTRY_STATUSES, type EntryStatus } from '../core/glossary/model.ts';
import { GLOSSARY_FORMATS, type GlossaryFormatId } from '../core/glossary/formats/index.ts';
import { ENTITY_TYPES, SEVERITIES, VARIANT_KINDS, type EntityType, type Severity, type VariantKind } from '../core/types.ts';
import type { DecideAction } from '../services/glossary-types.ts';

export type OutputFormat = 'text' | 'json';

export type GlossaryCommand =
  | { name: 'help' }
  | { name: 'list'; status: EntryStatus | null; type: EntityType | null; q: string | null; format: OutputFormat }
  | { name: 'show'; id: string; format: OutputFormat }
  | { name: 'history'; id: string; format: OutputFormat }
  | {
      name: 'propose';
      /** A new concept (canonical and type given; id = concept, or a slug of canonical). */
      canonical: string | null;
      type: EntityType | null;
      /** Without canonical: the existing concept that gets the variant. */
      concept: string | null;
      variant: { text: string; kind: VariantKind; severity: Severity | null; note: string | null } | null;
      source: { article: string | null; start: number | null; end: number | null };
      by: string;
    }
  | { name: 'decide'; action: DecideAction; id: string; variant: string | null; by: string; version: number }
  | { name: 'export'; format: GlossaryFormatId; out: string | null }
  | { name: 'import'; format: GlossaryFormatId; file: string; by: string };

export interface GlossaryArgs {
  /** --db PATH, or null for the configured database. */
  db: string | null;
  debug: boolean;
  command: GlossaryCommand;
}

/** A mistake on the command line: exit status 2. */
export class GlossaryUsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GlossaryUsageError';
  }
}

const IMPORT_FORMATS = GLOSSARY_FORMATS.filter((f) => f.read).map((f) => f.id);
const EXPORT_FORMATS = GLOSSARY_FORMATS.map((f) => f.id);

export const GLOSSARY_USAGE = `Usage: copydesk-glossary <command> [options]

Reads and changes the shared glossary kept in the copydesk database (a new database is created and
loaded with the starter glossary and the demo corpus).

Commands:
  list [--status S] [--type T] [--q TEXT] [--format text|json]
        concepts in id order; --status ${ENTRY_STATUSES.join('|')}, --type ${ENTITY_TYPES.join('|')},
        --q matches the id, canonical form, accepted forms and variants
  show <id> [--format text|json]
        one concept with its variants, statuses, provenance and its version
  history <id> [--format text|json]
        every change to a concept, oldest first
  propose --canonical X --type T [--concept ID] [--variant TEXT --kind K [--severity S] [--note N]]
          [--article SLUG --start N --end N] --by NAME
        propose a new concept (id: --concept, or made from the canonical form), with a variant;
        or, with --concept ID and no --canonical, a new variant of an existing concept.
        --kind ${VARIANT_KINDS.join('|')}; --severity ${SEVERITIES.join('|')}
  approve <id> [--variant TEXT] --by NAME --version N
  reject <id> [--variant TEXT] --by NAME --version N
  deprecate <id> [--variant TEXT] --by NAME --version N
        decide a concept (and each of its variants that can take the same decision), or only the
        variant given. N is the concept version you read (see show); if someone changed the
        concept since, nothing is saved (exit status 1)
  export --format ${EXPORT_FORMATS.join('|')} [--out FILE]
        the glossary in an exchange format, on standard output or into FILE
  import --format ${IMPORT_FORMATS.join('|')} FILE --by NAME
        merge a glossary file, all or nothing: concepts are matched by id; new ones are added,
        changed ones replaced as a new version, identical ones left alone

Options:
      --db PATH   the database file (default: $COPYDESK_DB, else data/copydesk.db)
      --debug     print stack traces of internal errors
  -h, --help      show this help and exit

Exit status: 0 done; 1 the change was refused (a conflict with someone else's change, a status
change the rules do not allow, an invalid entry, an unknown concept); 2 a usage error, or an input
file or database that could not be read.
`;

const COMMANDS = ['list', 'show', 'history', 'propose', 'approve', 'reject', 'deprecate', 'export', 'import'] as const;
type CommandName = (typeof COMMANDS)[number];

/** The value options each command takes (besides the global --db). */
const COMMAND_OPTIONS: Record<CommandName, readonly string[]> = {
  list: ['--status', '--type', '--q', '--format'],
  show: ['--format'],
  history: ['--format'],
  propose: ['--canonical', '--type', '--concept', '--variant', '--kind', '--severity', '--note', '--article', '--start', '--end', '--by'],
  approve: ['--variant', '--by', '--version'],
  reject: ['--variant', '--by', '--version'],
  deprecate: ['--variant', '--by', '--version'],
  export: ['--format', '--out'],
  import: ['--format', '--by'],
};
const POSITIONALS: Record<CommandName, string | null> = {
  list: null,
  show: 'a concept id',
  history: 'a concept id',
  propose: null,
  approve: 'a concept id',
  reject: 'a concept id',
  deprecate: 'a concept id',
  export: null,
  import: 'the file to import',
};
const ALL_VALUE_OPTIONS = new Set(['--db', ...Object.values(COMMAND_OPTIONS).flat()]);
const FLAGS = new Set(['--help', '--debug']);
const SHORT: Record<string, string> = { '-h': '--help' };
const HINT = 'run copydesk-glossary --help for the list';

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new GlossaryUsageError('BAD_VALUE', `${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`);
}

function wholeNumber(name: string, value: string, min: number): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) {
    throw new GlossaryUsageError('BAD_VALUE', `${name} must be a whole number${min ? ` from ${min}` : ''}, not ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/** Parse argv (without node and the script). Throws GlossaryUsageError. */
export function parseGlossaryArgs(argv: readonly string[]): GlossaryArgs {
  const opts = new Map<string, string>();
  const positionals: string[] = [];
  let help = false;
  let debug = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = readToken(argv[i]!, onlyPositionals, SHORT);
    if (tok === null) {
      onlyPositionals = true;
      continue;
    }
    if ('input' in tok) {
      positionals.push(tok.input);
      continue;
    }
    const name = tok.name;
    let value = tok.value;
    if (FLAGS.has(name)) {
      if (value !== undefined) throw new GlossaryUsageError('BAD_VALUE', `${name} takes no value.`);
      if (name === '--help') help = true;
      else debug = true;
      continue;
    }
    if (!ALL_VALUE_OPTIONS.has(name)) throw new GlossaryUsageError('UNKNOWN_OPTION', `There is no option ${JSON.stringify(name)}; ${HINT}.`);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-' && !/^-\d/.test(value))) {
        throw new GlossaryUsageError('MISSING_VALUE', `${name} needs a value (write ${name}=VALUE for a value that starts with "-"); ${HINT}.`);
      }
      i++;
    }
    if (opts.has(name)) throw new GlossaryUsageError('BAD_VALUE', `${name} is given twice; give it once.`);
    opts.set(name, value);
  }

  const db = opts.get('--db') ?? null;
  if (db === '') throw new GlossaryUsageError('BAD_VALUE', '--db needs a file path.');
  opts.delete('--db');
  if (help) return { db, debug, command: { name: 'help' } };

  const name = positionals.shift();
  if (name === undefined) throw new GlossaryUsageError('NO_COMMAND', `No command given: use one of ${COMMANDS.join(', ')}; ${HINT}.`);
  if (!(COMMANDS as readonly string[]).includes(name)) {
    throw new GlossaryUsageError('UNKNOWN_COMMAND', `There is no command ${JSON.stringify(name)}: use one of ${COMMANDS.join(', ')}.`);
  }
  const cmd = name as CommandName;
  for (const o of opts.keys()) {
    if (!COMMAND_OPTIONS[cmd].includes(o)) {
      throw new GlossaryUsageError('UNKNOWN_OPTION', `${cmd} takes no option ${o}; it takes ${COMMAND_OPTIONS[cmd].join(', ') || 'no options'}.`);
    }
  }
  const wants = POSITIONALS[cmd];
  if (wants && positionals.length === 0) throw new GlossaryUsageError('MISSING_VALUE', `${cmd} needs ${wants}.`);
  if (positionals.length > (wants ? 1 : 0)) {
    throw new GlossaryUsageError('BAD_VALUE', `${cmd} takes ${wants ? `one argument (${wants})` : 'no arguments'}; unexpected ${JSON.stringify(positionals[wants ? 1 : 0])}.`);
  }
  const arg = positionals[0] ?? '';
  const get = (o: string) => opts.get(o) ?? null;
  const required = (o: string, what: string) => {
    const v = opts.get(o);
    if (v === undefined || !v.trim()) throw new GlossaryUsageError('MISSING_VALUE', `${cmd} needs ${o} ${what}.`);
    return v;
  };
  const format = (): OutputFormat => oneOf('--format', get('--format') ?? 'text', ['text', 'json'] as const);

  switch (cmd) {
    case 'list': {
      const status = get('--status');
      const type = get('--type');
      return {
        db,
        debug,
        command: {
          name: 'list',
          status: status === null ? null : oneOf('--status', status, ENTRY_STATUSES),
          type: type === null ? null : oneOf('--type', type, ENTITY_TYPES),
          q: get('--q'),
          format: format(),
        },
      };
    }
    case 'show':
    case 'history':
      return { db, debug, command: { name: cmd, id: arg, format: format() } };
    case 'propose': {
      const by = required('--by', 'NAME (who proposes it)');
      const canonical = get('--canonical');
      const type = get('--type');
      const concept = get('--concept');
      if (canonical === null && type !== null) throw new GlossaryUsageError('MISSING_VALUE', 'propose --type goes with --canonical: a new concept needs both.');
      if (canonical !== null && type === null) throw new GlossaryUsageError('MISSING_VALUE', `propose needs --type (${ENTITY_TYPES.join(', ')}) for a new concept.`);
      if (canonical === null && concept === null) {
        throw new GlossaryUsageError('MISSING_VALUE', 'propose needs --canonical and --type for a new concept, or --concept ID for a variant of an existing one.');
      }
      const text = get('--variant');
      const kind = get('--kind');
      if (text === null && (kind !== null || get('--severity') !== null || get('--note') !== null)) {
        throw new GlossaryUsageError('MISSING_VALUE', 'propose --kind, --severity and --note describe a variant: give --variant TEXT too.');
      }
      if (text !== null && kind === null) throw new GlossaryUsageError('MISSING_VALUE', `propose --variant needs --kind (${VARIANT_KINDS.join(', ')}).`);
      if (text === null && canonical === null) throw new GlossaryUsageError('MISSING_VALUE', 'propose --concept without --canonical adds a variant: give --variant TEXT and --kind K.');
      const severity = get('--severity');
      const article = get('--article');
      const start = get('--start');
      const end = get('--end');
      if ((start === null) !== (end === null)) throw new GlossaryUsageError('MISSING_VALUE', 'propose --start and --end go together: give both, or neither.');
      if (start !== null && article === null) throw new GlossaryUsageError('MISSING_VALUE', 'propose --start and --end are offsets in an article: give --article SLUG too.');
      return {
        db,
        debug,
        command: {
          name: 'propose',
          canonical,
          type: type === null ? null : oneOf('--type', type, ENTITY_TYPES),
          concept,
          variant:
            text === null
              ? null
              : {
                  text,
                  kind: oneOf('--kind', kind!, VARIANT_KINDS),
                  severity: severity === null ? null : oneOf('--severity', severity, SEVERITIES),
                  note: get('--note'),
                },
          source: {
            article,
            start: start === null ? null : wholeNumber('--start', start, 0),
            end: end === null ? null : wholeNumber('--end', end, 0),
          },
          by,
        },
      };
    }
    case 'approve':
    case 'reject':
    case 'deprecate': {
      const by = required('--by', 'NAME (who decides)');
      const version = wholeNumber('--version', required('--version', 'N (the concept version you read; see show)'), 1);
      return { db, debug, command: { name: 'decide', action: cmd, id: arg, variant: get('--variant'), by, version } };
    }
    case 'export': {
      const f = required('--format', `FORMAT (${EXPORT_FORMATS.join(', ')})`);
      const out = get('--out');
      if (out === '') throw new GlossaryUsageError('BAD_VALUE', '--out needs a file path.');
      return { db, debug, command: { name: 'export', format: oneOf('--format', f, EXPORT_FORMATS), out } };
    }
    case 'import': {
      const f = required('--format', `FORMAT (${IMPORT_FORMATS.join(', ')})`);
      const by = required('--by', 'NAME (who imports it)');
      return { db, debug, command: { name: 'import', format: oneOf('--format', f, IMPORT_FORMATS), file: arg, by } };
    }
  }
}
