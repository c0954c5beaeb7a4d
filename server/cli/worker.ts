// The unit of work of copydesk-scan, shared by the main thread (--jobs 1) and the worker threads:
// read and decode (or parse the JSON Lines), scan, detect the language and render the entries in
// the output format, so that whoever runs the pool only has strings and counts to write.
// Loaded as a worker entry point, it compiles the glossary once and then serves tasks. The glossary
// comes as a path (a file or folder, loaded by each thread) or as data (the approved shared glossary
// read from the database by the main thread, structured-cloned into each worker).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { scanText } from '../core/scan.ts';
import { detectLanguage } from '../core/language.ts';
import type { Severity } from '../core/types.ts';
import { compileGlossary } from '../core/glossary/compile.ts';
import type { GlossaryData } from '../core/glossary/schema.ts';
import { loadGlossary, STARTER_GLOSSARY } from '../glossary/files.ts';
import { entrySeparator, renderError, renderReport, type RenderOptions } from './formats.ts';
import { parseJsonlChunk, readTextFile, type InputError } from './inputs.ts';

export interface ProcessorInit {
  /** A glossary file or folder (null: the starter glossary). Ignored when glossaryData is given. */
  glossaryPath: string | null;
  /** The glossary itself (validated already), e.g. the approved part of the shared glossary. */
  glossaryData?: GlossaryData | null;
  houseStyle: string | null;
  minSeverity: Severity;
  detectors: string[] | null;
  disable: string[];
  language: boolean;
  render: RenderOptions;
}

export type Task =
  | { type: 'files'; paths: string[] }
  | { type: 'lines'; bytes: Uint8Array; firstLine: number };

export interface TaskResult {
  /**
   * Rendered entries, joined by the format's separator (no leading or trailing separator). Workers
   * send it UTF-8 encoded (and transferred), so the main thread writes it without touching it.
   */
  out: string | Uint8Array;
  /** Entries: texts scanned plus inputs that failed. */
  entries: number;
  errors: InputError[];
  /** Findings by severity. */
  counts: Record<Severity, number>;
  /** Stack traces of unexpected failures (printed with --debug). */
  stacks: string[];
}

export function emptyResult(): TaskResult {
  return { out: '', entries: 0, errors: [], counts: { error: 0, warning: 0, info: 0 }, stacks: [] };
}

/** What the run reports about the glossary (and the house styles it defines, to check --house-style). */
export interface GlossaryInfo {
  name: string;
  version: string;
  concepts: number;
  variants: number;
  styles: string[];
}

export interface Processor {
  run(task: Task): TaskResult;
  info: GlossaryInfo;
}

/** Load and compile the glossary (throws GlossaryValidationError or a file-system error), then serve tasks. */
export function createProcessor(init: ProcessorInit): Processor {
  const options = init.houseStyle ? { houseStyle: init.houseStyle } : {};
  const glossary = init.glossaryData
    ? compileGlossary(init.glossaryData, options)
    : loadGlossary(init.glossaryPath ?? STARTER_GLOSSARY, options);
  const info: GlossaryInfo = {
    name: glossary.name,
    version: glossary.version,
    concepts: glossary.concepts.length,
    variants: glossary.variantCount,
    styles: [...new Set(glossary.concepts.flatMap((c) => (c.variants ?? []).flatMap((v) => v.styles ?? [])))].sort(),
  };
  const sep = entrySeparator(init.render.format);
  const base = {
    minSeverity: init.minSeverity,
    ...(init.detectors ? { detectors: init.detectors } : {}),
    disable: init.disable,
  };

  const run = (task: Task): TaskResult => {
    const res = emptyResult();
    const parts: string[] = [];
    const push = (s: string) => {
      if (s) parts.push(s);
    };
    const fail = (e: InputError) => {
      res.entries++;
      res.errors.push(e);
      push(renderError(e, init.render));
    };
    const scanOne = (path: string, text: string, date?: string, originLanguage?: string) => {
      let findings;
      let language: string | null = null;
      try {
        findings = scanText(text, glossary, {
          ...base,
          ...(date ? { date } : {}),
          ...(originLanguage ? { originLanguage } : {}),
        });
        if (init.language) language = detectLanguage(text);
      } catch (e) {
        res.stacks.push(`${path}: ${(e as Error)?.stack ?? String(e)}`);
        return fail({ path, code: 'SCAN_FAILED', message: `scanning ${path} failed: ${(e as Error)?.message ?? String(e)}` });
      }
      res.entries++;
      for (const f of findings) res.counts[f.severity]++;
      push(renderReport({ path, language, text, findings }, init.render));
    };

    if (task.type === 'files') {
      for (const path of task.paths) {
        const d = readTextFile(path);
        if (!d.ok) fail({ path, code: d.code, message: d.message });
        else scanOne(path, d.text);
      }
    } else {
      for (const rec of parseJsonlChunk(task.bytes, task.firstLine)) {
        if (!rec.ok) fail({ path: rec.path, code: rec.code, message: rec.message });
        else scanOne(rec.id, rec.text, rec.date, rec.originLang);
      }
    }
    res.out = parts.join(sep);
    return res;
  };
  return { run, info };
}

/** Messages between the pool and its workers. */
export type ToWorker = { id: number; task: Task };
export type FromWorker =
  | { type: 'ready'; info: GlossaryInfo }
  | { type: 'result'; id: number; result: TaskResult }
  | { type: 'fatal'; message: string; code: string; stack: string; problems?: string[] };

export const WORKER_MARK = 'copydesk-scan-worker';

const encoder = new TextEncoder();

function serve(): void {
  const port = parentPort!;
  const data = workerData as { mark: string; init: ProcessorInit };
  let proc: Processor;
  try {
    proc = createProcessor(data.init);
  } catch (e) {
    const err = e as Error & { code?: string; problems?: string[] };
    const msg: FromWorker = {
      type: 'fatal',
      message: err?.message ?? String(e),
      code: typeof err?.code === 'string' ? err.code : 'WORKER_FAILED',
      stack: err?.stack ?? String(e),
      ...(Array.isArray(err?.problems) ? { problems: err.problems } : {}),
    };
    port.postMessage(msg);
    return;
  }
  port.on('message', (m: ToWorker) => {
    try {
      const result = proc.run(m.task);
      const bytes = encoder.encode(result.out as string);
      result.out = bytes;
      const msg: FromWorker = { type: 'result', id: m.id, result };
      port.postMessage(msg, [bytes.buffer as ArrayBuffer]);
    } catch (e) {
      const err = e as Error;
      const msg: FromWorker = { type: 'fatal', message: err?.message ?? String(e), code: 'WORKER_FAILED', stack: err?.stack ?? String(e) };
      port.postMessage(msg);
    }
  });
  port.postMessage({ type: 'ready', info: proc.info } satisfies FromWorker);
}

if (!isMainThread && parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) serve();
