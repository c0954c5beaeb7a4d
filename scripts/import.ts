// copydesk-import: import articles (files, folders, JSON Lines on stdin) into the database, with
// their findings. npm run import -- --help for the options.
import { readToken } from '../server/cli/argv.ts';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, type ImportItem, type ImportSummary } from '../server/services/articles.ts';
import { LANG_RE, readImportInputs, type ImportDefaults, type ImportFailure } from '../server/services/article-import.ts';

const PREFIX = 'copydesk-import: ';
/** Failures echoed on stderr before the rest are only counted. */
const STDERR_FAILURE_CAP = 50;

export const USAGE = `Usage: npm run import -- [options] <file|dir|->...

Imports English rewrites into the copydesk database, scanning each for findings. A text is stored
exactly as read. Importing the same text again changes nothing; a changed text becomes the article's
next revision (earlier texts are kept).

Inputs:
  file      a text file (UTF-8); its slug is its name without extension
  dir       its .txt and .md files, recursively, in name order; slug = path below the folder with
            "/" as "__", without extension. If a folder holds an articles.yaml (the corpus format,
            texts in its articles/ folder), the articles it lists take its metadata and their file
            name as slug. Without metadata the title is the first non-empty line.
  -         JSON Lines on standard input, one article per line:
            {"id" (or "slug"), "text", "title"?, "outlet"?, "origin_lang"?, "date"?, "url"?, "story"?, "source_text"?}

Options:
      --db PATH           the database (default: COPYDESK_DB, or data/copydesk.db); created if missing
  -f, --format FORMAT     text (default) or json (one JSON object with the summary)
      --origin-lang CODE  origin language (ISO 639-3) for articles that do not give one
      --outlet NAME       outlet for articles that do not give one
      --story KEY         story key for articles that do not give one
      --batch-size N      articles per transaction (default ${DEFAULT_BATCH_SIZE}, at most ${MAX_BATCH_SIZE})
  -h, --help              show this help and exit

Exit status: 0 all inputs imported (or unchanged); 2 a usage error, an input that could not be read,
decoded or parsed (binary and non-UTF-8 files are reported and skipped; the rest is imported), or a
database error.
`;

export class UsageError extends Error {}

export interface ImportArgs {
  help: boolean;
  db: string | null;
  format: 'text' | 'json';
  defaults: ImportDefaults;
  batchSize: number;
  inputs: string[];
}

const VALUE_OPTIONS = new Set(['--db', '--format', '--origin-lang', '--outlet', '--story', '--batch-size']);
const SHORT: Record<string, string> = { '-f': '--format', '-h': '--help' };

/** Parse argv (without node and the script). Throws UsageError with one sentence. */
export function parseImportArgs(argv: readonly string[]): ImportArgs {
  const a: ImportArgs = { help: false, db: null, format: 'text', defaults: {}, batchSize: DEFAULT_BATCH_SIZE, inputs: [] };
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
    if (name === '--help') {
      if (value !== undefined) throw new UsageError('--help takes no value.');
      a.help = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`there is no option ${JSON.stringify(name)}; run with --help for the list.`);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) throw new UsageError(`${name} needs a value; run with --help for the list.`);
      i++;
    }
    if (seen.has(name)) throw new UsageError(`${name} is given twice; give it once.`);
    seen.add(name);
    switch (name) {
      case '--db':
        if (!value) throw new UsageError('--db needs a file path.');
        a.db = value;
        break;
      case '--format':
        if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be text or json, not ${JSON.stringify(value)}.`);
        a.format = value;
        break;
      case '--origin-lang':
        if (!LANG_RE.test(value)) throw new UsageError(`--origin-lang must be an ISO 639-3 code such as vie, not ${JSON.stringify(value)}.`);
        a.defaults.origin_lang = value;
        break;
      case '--outlet':
        if (!value.trim()) throw new UsageError('--outlet needs a name.');
        a.defaults.outlet = value;
        break;
      case '--story':
        if (!value.trim()) throw new UsageError('--story needs a key.');
        a.defaults.story = value;
        break;
      case '--batch-size':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_BATCH_SIZE) {
          throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH_SIZE}, not ${JSON.stringify(value)}.`);
        }
        a.batchSize = Number(value);
        break;
    }
  }
  if (a.help) return a;
  if (!a.inputs.length) throw new UsageError('give at least one file, folder or - (JSON Lines on standard input); run with --help for the usage.');
  if (a.inputs.filter((x) => x === '-').length > 1) throw new UsageError('"-" (standard input) can be given once only.');
  return a;
}

export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
}

function sentence(msg: string): string {
  let s = msg.trim();
  if (/^[A-Z][a-z]/.test(s)) s = s[0]!.toLowerCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

const int = (n: number) => n.toLocaleString('en-US');

export interface ImportReport extends ImportSummary {
  db: string;
  failed: number;
  seconds: number;
  articles_per_second: number;
  mb_per_second: number;
  failures: ImportFailure[];
}

/** Run the command; resolves to the exit status. */
export async function main(argv: readonly string[], io: Io, env: Record<string, string | undefined>): Promise<number> {
  let args: ImportArgs;
  try {
    args = parseImportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`${PREFIX}${sentence(e.message)}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (args.inputs.includes('-') && io.stdin.isTTY) {
    io.stderr.write(`${PREFIX}"-" reads JSON Lines from standard input, which is a terminal; pipe the records in.\n`);
    return 2;
  }
  let debug = false;
  let ws: Workspace | null = null;
  try {
    const config = loadConfig(env);
    debug = config.debug;
    if (args.db) config.dbPath = path.resolve(args.db);
    ws = await openWorkspace(config, (entry) => {
      if (entry.level === 'info' && typeof entry.msg === 'string') io.stderr.write(`${PREFIX}${sentence(`${entry.msg} (${config.dbPath})`)}\n`);
    });
    const failures: ImportFailure[] = [];
    let echoed = 0;
    const fail = (f: ImportFailure) => {
      failures.push(f);
      if (++echoed <= STDERR_FAILURE_CAP) io.stderr.write(`${PREFIX}${args.format === 'json' ? `[${f.code}] ` : ''}${sentence(f.message)}\n`);
    };
    async function* items(): AsyncGenerator<ImportItem> {
      for await (const e of readImportInputs(args.inputs, { stdin: io.stdin, defaults: args.defaults })) {
        if (e.kind === 'failure') fail(e.failure);
        else yield e.item;
      }
    }
    const t0 = performance.now();
    const summary = await ws.articles.importMany(items(), { batchSize: args.batchSize });
    const seconds = (performance.now() - t0) / 1000;
    if (echoed > STDERR_FAILURE_CAP) io.stderr.write(`${PREFIX}${int(echoed - STDERR_FAILURE_CAP)} more inputs could not be imported.\n`);
    const report: ImportReport = {
      db: config.dbPath,
      ...summary,
      failed: failures.length,
      seconds: Math.round(seconds * 1000) / 1000,
      articles_per_second: seconds > 0 ? Math.round(summary.articles / seconds) : 0,
      mb_per_second: seconds > 0 ? Math.round((summary.bytes / 1e6 / seconds) * 100) / 100 : 0,
      failures,
    };
    if (args.format === 'json') io.stdout.write(JSON.stringify(report) + '\n');
    else {
      io.stdout.write(
        `Imported ${int(summary.articles)} article${summary.articles === 1 ? '' : 's'} into ${config.dbPath} in ${seconds.toFixed(2)} s ` +
          `(${int(report.articles_per_second)} articles/s, ${report.mb_per_second.toFixed(2)} MB/s): ` +
          `${int(summary.added)} added, ${int(summary.revised)} revised, ${int(summary.unchanged)} unchanged, ${int(failures.length)} failed; ` +
          `${int(summary.findings)} finding${summary.findings === 1 ? '' : 's'} stored.\n`,
      );
    }
    return failures.length ? 2 : 0;
  } catch (e) {
    const err = e as Error & { code?: string };
    const what = /^SQLITE_/.test(err.code ?? '') ? 'database error' : 'import failed';
    io.stderr.write(`${PREFIX}${what}: ${sentence(err.message ?? String(e))}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return 2;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env);
}
