// The glossary a scan uses: --glossary, else the approved shared glossary from the database, else
// the starter files; and how a glossary that cannot be loaded is reported (exit status 2).
import { databaseExists, openWorkspace, type Workspace } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { approvedData } from '../core/glossary/model.ts';
import { GlossaryValidationError, type GlossaryData } from '../core/glossary/schema.ts';
import type { ScanArgs } from './args.ts';
import { WorkerError } from './pool.ts';
import { PREFIX, report, sentence, type Io } from './run-report.ts';

export function glossaryProblems(io: Io, args: ScanArgs, problems: string[], where = args.glossary ?? 'the starter glossary'): number {
  report(io, args.format, 'GLOSSARY_INVALID', `the glossary ${where} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  for (const p of problems) io.stderr.write(`  - ${p}\n`);
  return 2;
}

/** Which glossary a run uses: a file or folder (loaded by each thread), or data read from the database. */
export interface GlossarySource {
  path: string;
  data: GlossaryData | null;
  /** For the output: "database <path>" or "file <path>". */
  label: string;
}

/** A database that could not be opened or read (exit status 2). */
export class DatabaseError extends Error {
  readonly code = 'DB_UNREADABLE';
}

/** --glossary; else the approved shared glossary when the database exists or --db is given; else the starter files. */
export async function resolveGlossary(args: ScanArgs, io: Io, env: Record<string, string | undefined>): Promise<GlossarySource> {
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

/** Report a glossary that could not be loaded (exit status 2), or rethrow what is not about it. */
export function glossaryError(io: Io, args: ScanArgs, source: GlossarySource, e: unknown): number {
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
