// Orchestration of copydesk-scan: options -> glossary (run-glossary.ts) -> executor -> inputs in order -> output.
// Streams end to end: inputs are walked lazily, at most a bounded window of tasks is in flight,
// results are written in input order as soon as they are next, and stdout backpressure is honoured.
import { performance } from 'node:perf_hooks';
import { DETECTORS } from '../core/detectors/index.ts';
import { selectDetectors, UnknownDetectorError } from '../core/scan.ts';
import { severityRank, type Severity } from '../core/types.ts';
import { ConfigError } from '../config.ts';
import { parseArgs, USAGE, UsageError, type ScanArgs } from './args.ts';
import { entrySeparator, renderError, renderFooter, renderHeader, type RenderOptions, type RunMeta, type Summary } from './formats.ts';
import { MAX_INPUT_BYTES, countInputs, lineChunks, walkInputs, type InputError } from './inputs.ts';
import { HybridExecutor, LocalExecutor, WorkerError, type Executor } from './pool.ts';
import { DatabaseError, glossaryError, glossaryProblems, resolveGlossary, type GlossarySource } from './run-glossary.ts';
import { Output, Progress } from './run-output.ts';
import { packageVersion, PREFIX, report, type Io } from './run-report.ts';
import { emptyResult, type GlossaryInfo, type ProcessorInit, type Task, type TaskResult } from './worker.ts';

export { packageVersion, type Io } from './run-report.ts';

/** Read errors echoed on stderr before the rest are only counted. */
const STDERR_ERROR_CAP = 50;
/** Read errors kept for the SARIF notifications. */
const NOTIFICATION_CAP = 1000;

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
