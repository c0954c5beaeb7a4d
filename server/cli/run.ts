// Orchestration of copydesk-scan: options -> glossary -> executor -> inputs in order -> output.
// The glossary is --glossary PATH; else the approved shared glossary when the database exists (or
// --db PATH is given), read once here and handed to every scanning thread as data; else the starter
// glossary files.
// Streams end to end: inputs are walked lazily, at most a bounded window of tasks is in flight,
// results are written in input order as soon as they are next, and stdout backpressure is honoured.
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { DETECTORS } from '../core/detectors/index.ts';
import { selectDetectors, UnknownDetectorError } from '../core/scan.ts';
import { severityRank, type Severity } from '../core/types.ts';
import { GlossaryValidationError, type GlossaryData } from '../core/glossary/schema.ts';
import { approvedData } from '../core/glossary/model.ts';
import { databaseExists, openWorkspace, type Workspace } from '../boot.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { parseArgs, USAGE, UsageError, type Format, type ScanArgs } from './args.ts';
import { entrySeparator, renderError, renderFooter, renderHeader, type RenderOptions, type RunMeta, type Summary } from './formats.ts';
import { MAX_INPUT_BYTES, countInputs, lineChunks, walkInputs, type InputError } from './inputs.ts';
import { HybridExecutor, LocalExecutor, WorkerError, type Executor } from './pool.ts';
import { emptyResult, type GlossaryInfo, type ProcessorInit, type Task, type TaskResult } from './worker.ts';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
}

const PREFIX = 'copydesk-scan: ';
/** Read errors echoed on stderr before the rest are only counted. */
const STDERR_ERROR_CAP = 50;
/** Read errors kept for the SARIF notifications. */
const NOTIFICATION_CAP = 1000;

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function sentence(msg: string): string {
  let s = msg.trim();
  if (/^[A-Z][a-z]/.test(s)) s = s[0]!.toLowerCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function machine(format: Format | null): boolean {
  return format !== null && format !== 'text';
}

/** One line on stderr: "copydesk-scan: sentence." (with "[CODE] " in machine formats). */
function report(io: Io, format: Format | null, code: string, msg: string): void {
  io.stderr.write(`${PREFIX}${machine(format) ? `[${code}] ` : ''}${sentence(msg)}\n`);
}

/** Run the CLI; resolves to the exit status. env is only handed to loadConfig (database and starter glossary paths). */
export async function main(argv: readonly string[], io: Io, env: Record<string, string | undefined>): Promise<number> {
  let args: ScanArgs;
  let command: string;
  try {
    const parsed = parseArgs(argv);
    args = parsed.args;
    command = parsed.command;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    report(io, e.format, e.code, e.message);
    return 2;
  }
  if (command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command === 'version') {
    io.stdout.write(`copydesk-scan ${packageVersion()}\n`);
    return 0;
  }
  if (command === 'list-detectors') {
    const w = Math.max(...DETECTORS.map((d) => d.id.length));
    for (const d of DETECTORS) io.stdout.write(`${d.id.padEnd(w)}  ${d.description}\n`);
    return 0;
  }
  try {
    return await scan(args, io, env);
  } catch (e) {
    if (e instanceof WorkerError) {
      if (e.problems.length) return glossaryProblems(io, args, e.problems);
      report(io, args.format, e.code, e.message);
      if (args.debug && e.detail) io.stderr.write(`${e.detail}\n`);
      return 2;
    }
    report(io, args.format, 'INTERNAL_ERROR', `internal error: ${(e as Error)?.message ?? String(e)}${args.debug ? '' : ' (run with --debug for details)'}`);
    if (args.debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

function glossaryProblems(io: Io, args: ScanArgs, problems: string[], where = args.glossary ?? 'the starter glossary'): number {
  report(io, args.format, 'GLOSSARY_INVALID', `the glossary ${where} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  for (const p of problems) io.stderr.write(`  - ${p}\n`);
  return 2;
}

/** Which glossary a run uses: a file or folder (loaded by each thread), or data read from the database. */
interface GlossarySource {
  path: string;
  data: GlossaryData | null;
  /** For the output: "database <path>" or "file <path>". */
  label: string;
}

/** A database that could not be opened or read (exit status 2). */
class DatabaseError extends Error {
  readonly code = 'DB_UNREADABLE';
}

/** --glossary; else the approved shared glossary when the database exists or --db is given; else the starter files. */
async function resolveGlossary(args: ScanArgs, io: Io, env: Record<string, string | undefined>): Promise<GlossarySource> {
  if (args.glossary !== null) return { path: args.glossary, data: null, label: `file ${args.glossary}` };
  const loaded = loadConfig(env);
  const config = args.db !== null ? { ...loaded, dbPath: args.db } : loaded;
  if (args.db === null && !databaseExists(config)) return { path: config.starterGlossary, data: null, label: `file ${config.starterGlossary}` };
  let ws: Workspace | null = null;
  try {
    // A new database (only with --db) is created and seeded, as by every command that opens one.
    ws = await openWorkspace(config, (entry) => {
      if (!args.quiet && typeof entry.msg === 'string') io.stderr.write(`${PREFIX}${sentence(`${entry.msg} (${String(entry.db ?? config.dbPath)})`)}
`);
    });
    const data = approvedData(await ws.glossary.entries());
    return { path: config.dbPath, data, label: `database ${config.dbPath}` };
  } catch (e) {
    const err = new DatabaseError(`cannot read the glossary from the database ${config.dbPath}: ${(e as Error)?.message ?? String(e)}`);
    err.stack = (e as Error)?.stack ?? err.stack;
    throw err;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}

async function scan(args: ScanArgs, io: Io, env: Record<string, string | undefined>): Promise<number> {
  const started = performance.now();
  let detectorIds: string[];
  try {
    detectorIds = selectDetectors({ ...(args.detectors ? { detectors: args.detectors } : {}), disable: args.disable }).map((d) => d.id);
  } catch (e) {
    if (!(e instanceof UnknownDetectorError)) throw e;
    report(io, args.format, e.code, e.message);
    return 2;
  }
  if (!detectorIds.length) {
    report(io, args.format, 'BAD_VALUE', 'no detector is left to run: check --detectors and --disable');
    return 2;
  }

  let source: GlossarySource;
  try {
    source = await resolveGlossary(args, io, env);
  } catch (e) {
    if (!(e instanceof DatabaseError || e instanceof ConfigError)) throw e;
    report(io, args.format, e.code, e.message.replace(/\s*\n\s*/g, ' '));
    if (args.debug) io.stderr.write(`${e.stack ?? e.message}\n`);
    return 2;
  }

  const render: RenderOptions = { format: args.format, color: args.color ?? io.stdout.isTTY === true, ruleIds: detectorIds };
  const init: ProcessorInit = {
    glossaryPath: source.path,
    glossaryData: source.data,
    houseStyle: args.houseStyle,
    minSeverity: args.minSeverity,
    detectors: args.detectors,
    disable: args.disable,
    language: args.language,
    render,
  };
  // Each scanning thread (the main thread, and the workers with --jobs > 1) loads (or receives) and
  // compiles the glossary; the main thread's errors (an invalid glossary, a missing file) come back through info.
  const executor: Executor = args.jobs > 1 ? new HybridExecutor(args.jobs, init, (msg) => report(io, args.format, 'NO_WORKERS', msg)) : new LocalExecutor(init);
  try {
    let info: GlossaryInfo;
    try {
      info = await executor.info;
    } catch (e) {
      return glossaryError(io, args, source, e);
    }
    if (args.houseStyle && !info.styles.includes(args.houseStyle)) {
      const known = info.styles.length ? ` (it defines ${info.styles.join(', ')})` : '';
      report(io, args.format, 'UNKNOWN_HOUSE_STYLE', `the glossary defines no house style "${args.houseStyle}"${known}`);
      return 2;
    }
    // The glossary block of the json and sarif output also says where the glossary came from.
    const glossary = { name: info.name, version: info.version, concepts: info.concepts, variants: info.variants, source: source.label };
    const meta: RunMeta = {
      version: packageVersion(),
      detectors: detectorIds.map((id) => ({ id, description: DETECTORS.find((d) => d.id === id)!.description })),
      glossary,
    };
    return await scanWith(args, io, started, render, meta, executor);
  } finally {
    await executor.close();
  }
}

/** Report a glossary that could not be loaded (exit status 2), or rethrow what is not about it. */
function glossaryError(io: Io, args: ScanArgs, source: GlossarySource, e: unknown): number {
  const where = source.data ? `in the database ${source.path}` : args.glossary ?? 'the starter glossary';
  if (e instanceof GlossaryValidationError) return glossaryProblems(io, args, e.problems, where);
  if (e instanceof WorkerError && e.problems.length) return glossaryProblems(io, args, e.problems, where);
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const why = code === 'ENOENT' ? 'no such file or folder' : code;
    report(io, args.format, 'GLOSSARY_NOT_FOUND', `cannot read the glossary ${source.path}: ${why}`);
    return 2;
  }
  throw e;
}

async function scanWith(args: ScanArgs, io: Io, started: number, render: RenderOptions, meta: RunMeta, executor: Executor): Promise<number> {
  const progress = new Progress(io.stderr, !args.quiet && io.stderr.isTTY === true, io.stdout.isTTY === true);
  if (progress.enabled && !args.inputs.includes('-')) progress.total = await countInputs(args.inputs);
  if (args.inputs.includes('-') && io.stdin.isTTY && !args.quiet) {
    io.stderr.write(`${PREFIX}reading JSON Lines from standard input (end with Ctrl-D).\n`);
  }

  const out = new Output(io.stdout, () => progress.clear());
  const summary: Summary = { files: 0, unreadable: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, elapsedMs: 0 };
  const errors: InputError[] = [];
  let moreErrors = 0;
  let echoed = 0;
  const sep = entrySeparator(args.format);
  let wroteEntry = false;

  const consume = (r: TaskResult) => {
    if (r.out.length) {
      if (wroteEntry) out.write(sep);
      out.write(r.out);
      wroteEntry = true;
    }
    summary.files += r.entries;
    for (const s of ['error', 'warning', 'info'] as Severity[]) {
      summary.bySeverity[s] += r.counts[s];
      summary.findings += r.counts[s];
    }
    for (const e of r.errors) {
      summary.unreadable++;
      if (errors.length < NOTIFICATION_CAP) errors.push(e);
      else moreErrors++;
      if (echoed++ < STDERR_ERROR_CAP) {
        progress.clear();
        report(io, args.format, e.code, e.message);
      }
    }
    if (args.debug) for (const s of r.stacks) io.stderr.write(`${s}\n`);
    progress.update(summary.files, summary.findings);
  };

  // Tasks in input order; a bounded FIFO of results keeps the order and the memory in check.
  const window = args.jobs > 1 ? args.jobs * 4 : 1;
  const batch = args.jobs > 1 ? 16 : 1; // files per worker task: fewer messages for the main thread
  const inflight: Promise<TaskResult>[] = [];
  const submit = async (p: Promise<TaskResult>) => {
    inflight.push(p);
    while (inflight.length >= window) {
      consume(await inflight.shift()!);
      await out.ready();
    }
  };
  const immediate = (e: InputError): Promise<TaskResult> => {
    const r = emptyResult();
    r.entries = 1;
    r.errors.push(e);
    r.out = renderError(e, render);
    return Promise.resolve(r);
  };

  out.write(renderHeader(render, meta));
  try {
    let files: string[] = [];
    const flushFiles = async () => {
      if (!files.length) return;
      const task: Task = { type: 'files', paths: files };
      files = [];
      await submit(executor.run(task));
    };
    for await (const item of walkInputs(args.inputs)) {
      if (out.broken) break;
      if (item.kind === 'file') {
        files.push(item.path);
        if (files.length >= batch) await flushFiles();
        continue;
      }
      await flushFiles();
      if (item.kind === 'error') await submit(immediate(item.error));
      else {
        for await (const chunk of lineChunks(io.stdin)) {
          if (out.broken) break;
          if ('tooLong' in chunk) {
            await submit(immediate({ path: `<stdin>:${chunk.tooLong}`, code: 'TOO_LARGE', message: `line ${chunk.tooLong} of standard input is longer than the limit of ${MAX_INPUT_BYTES / 1048576} MB` }));
          } else await submit(executor.run({ type: 'lines', bytes: chunk.bytes, firstLine: chunk.firstLine }));
        }
      }
    }
    await flushFiles();
    while (inflight.length) {
      consume(await inflight.shift()!);
      await out.ready();
    }
  } finally {
    for (const p of inflight) p.catch(() => {}); // after a failure: the rest is abandoned
    progress.done();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  out.write(renderFooter(render, meta, summary, { quiet: args.quiet, errors, moreErrors }));
  await out.end();
  if (args.debug && executor.stats) io.stderr.write(`${PREFIX}debug: ${executor.stats()}.\n`);
  if (echoed > STDERR_ERROR_CAP) io.stderr.write(`${PREFIX}${echoed - STDERR_ERROR_CAP} more inputs could not be read.\n`);

  if (summary.unreadable > 0) return 2;
  if (args.failOn === 'none') return 0;
  const threshold = severityRank(args.failOn);
  const failing = (['error', 'warning', 'info'] as Severity[]).some((s) => severityRank(s) >= threshold && summary.bySeverity[s] > 0);
  return failing ? 1 : 0;
}

/** Buffered writes to stdout with backpressure; a closed pipe (EPIPE) stops the run quietly. */
class Output {
  private buf: string[] = [];
  private size = 0;
  private needDrain = false;
  broken = false;
  constructor(
    private readonly stream: Writable,
    private readonly beforeWrite: () => void,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.broken = true;
      if (e.code !== 'EPIPE') process.stderr.write(`${PREFIX}cannot write the output: ${e.message}\n`);
    });
  }
  /** Strings are gathered into 64 KB writes; bytes (UTF-8 already, from workers) go out as they are. */
  write(s: string | Uint8Array): void {
    if (!s.length || this.broken) return;
    if (typeof s !== 'string') {
      this.flush();
      if (this.broken) return;
      this.beforeWrite();
      if (!this.stream.write(s)) this.needDrain = true;
      return;
    }
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 64 * 1024) this.flush();
  }
  private flush(): void {
    if (!this.size || this.broken) return;
    this.beforeWrite();
    if (!this.stream.write(this.buf.join(''))) this.needDrain = true;
    this.buf = [];
    this.size = 0;
  }
  async ready(): Promise<void> {
    if (!this.needDrain || this.broken) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
    this.needDrain = false;
  }
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}

/** A progress line on stderr, for terminals only, once the batch has more than 20 inputs. */
class Progress {
  total = -1;
  private last = 0;
  private shown = false;
  constructor(
    private readonly stream: Writable,
    readonly enabled: boolean,
    private readonly sharesTerminal: boolean,
  ) {}
  update(done: number, findings: number): void {
    if (!this.enabled || (this.total >= 0 ? this.total : done) <= 20) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    let line = `${done} input${done === 1 ? '' : 's'}, ${findings} finding${findings === 1 ? '' : 's'}`;
    if (this.total > 0) {
      const filled = Math.round((Math.min(done, this.total) / this.total) * 24);
      line = `[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] ${done}/${this.total} inputs, ${findings} finding${findings === 1 ? '' : 's'}`;
    }
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
  /** Before stdout writes to the same terminal. */
  clear(): void {
    if (this.shown && this.sharesTerminal) this.done();
  }
  done(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
    this.last = 0;
  }
}
