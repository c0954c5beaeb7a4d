// copydesk-glossary: the shared glossary from the command line (list, show, history, propose,
// approve/reject/deprecate, export, import). Every command opens the database through openWorkspace,
// so a new one is migrated and seeded first. Options: glossary-args.ts; text output: glossary-print.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Workspace } from '../boot.ts';
import { ConfigError } from '../config.ts';
import { GlossaryImportError, glossaryFormat } from '../core/glossary/formats/index.ts';
import type { GlossaryEntries } from '../core/glossary/model.ts';
import {
  ConflictError,
  GlossaryValidationError,
  InvalidTransitionError,
  NotFoundError,
  RecomputeError,
  type NewConceptInput,
  type ProposeTarget,
} from '../services/glossary.ts';
import type { VariantData } from '../core/glossary/schema.ts';
import { GLOSSARY_USAGE, GlossaryUsageError, parseGlossaryArgs, type GlossaryArgs, type GlossaryCommand } from './glossary-args.ts';
import { clean, renderHistory, renderList, renderShow } from './glossary-print.ts';
import { commandConfig, OK, openDatabase, quietOnClosedPipe, REFUSED, reporter, USAGE, write } from './command.ts';

export interface GlossaryIo {
  stdout: Writable;
  stderr: Writable;
}

const PREFIX = 'copydesk-glossary: ';

/** One line on stderr: "copydesk-glossary: [CODE] sentence." */
const report = reporter(PREFIX);

/** A file the user named could not be read or written: exit status 2. */
class FileError extends Error {
  readonly code: string;
  constructor(what: string, file: string, e: unknown) {
    const errno = (e as { code?: unknown })?.code;
    const why = errno === 'ENOENT' ? 'no such file or folder' : errno === 'EISDIR' ? 'it is a folder' : errno === 'EACCES' ? 'permission denied' : (e as Error)?.message ?? String(e);
    super(`cannot ${what} ${file}: ${why}`);
    this.code = errno === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE';
  }
}

/** Run the CLI; resolves to the exit status. env is only handed to loadConfig. */
export async function main(argv: readonly string[], io: GlossaryIo, env: Record<string, string | undefined>): Promise<number> {
  let args: GlossaryArgs;
  try {
    args = parseGlossaryArgs(argv);
  } catch (e) {
    if (!(e instanceof GlossaryUsageError)) throw e;
    report(io, e.code, e.message);
    return USAGE;
  }
  quietOnClosedPipe(io, PREFIX);
  const cmd = args.command;
  if (cmd.name === 'help') {
    await write(io.stdout, GLOSSARY_USAGE);
    return OK;
  }
  let debug = args.debug;
  let ws: Workspace | null = null;
  try {
    const config = commandConfig(env, args.db);
    debug ||= config.debug;
    // An import is read and checked before the database is opened: a bad file changes nothing.
    const imported = cmd.name === 'import' ? readImport(cmd) : null;
    ws = await openDatabase(io, PREFIX, config, debug);
    if (!ws) return USAGE;
    return await run(cmd, ws, io, imported);
  } catch (e) {
    return failure(io, e, debug);
  } finally {
    await ws?.close().catch(() => undefined);
  }
}

/** Map an error to its line(s) on stderr and the exit status. */
function failure(io: GlossaryIo, e: unknown, debug: boolean): number {
  const stack = () => {
    if (debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  };
  if (e instanceof ConflictError || e instanceof InvalidTransitionError || e instanceof NotFoundError) {
    report(io, e.code, e.message);
    stack();
    return REFUSED;
  }
  if (e instanceof GlossaryValidationError) {
    const n = e.problems.length;
    report(io, e.code, `the change was refused: ${n} problem${n === 1 ? '' : 's'}; nothing was saved`);
    for (const p of e.problems) io.stderr.write(`  - ${clean(p)}\n`);
    stack();
    return REFUSED;
  }
  if (e instanceof GlossaryImportError) {
    const n = e.problems.length;
    report(io, e.code, `the file cannot be imported: ${n} problem${n === 1 ? '' : 's'}; nothing was imported`);
    for (const p of e.problems) io.stderr.write(`  - ${clean(p)}\n`);
    stack();
    return USAGE;
  }
  if (e instanceof FileError || e instanceof ConfigError) {
    report(io, e.code, e.message);
    stack();
    return USAGE;
  }
  if (e instanceof RecomputeError) {
    report(io, e.code, e.message);
    stack();
    return USAGE;
  }
  report(io, 'INTERNAL_ERROR', `internal error: ${(e as Error)?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}`);
  stack();
  return USAGE;
}

function readImport(cmd: Extract<GlossaryCommand, { name: 'import' }>): GlossaryEntries {
  let text: string;
  try {
    text = fs.readFileSync(cmd.file, 'utf8');
  } catch (e) {
    throw new FileError('read', cmd.file, e);
  }
  return glossaryFormat(cmd.format)!.read!(text).entries;
}

async function run(cmd: GlossaryCommand, ws: Workspace, io: GlossaryIo, imported: GlossaryEntries | null): Promise<number> {
  const g = ws.glossary;
  const out = (s: string) => write(io.stdout, s);
  switch (cmd.name) {
    case 'help':
      await out(GLOSSARY_USAGE);
      return OK;
    case 'list': {
      const items = await g.list({ ...(cmd.status ? { status: cmd.status } : {}), ...(cmd.type ? { type: cmd.type } : {}), ...(cmd.q ? { q: cmd.q } : {}) });
      await out(cmd.format === 'json' ? `${JSON.stringify(items, null, 2)}\n` : renderList(items));
      return OK;
    }
    case 'show': {
      const d = await g.show(cmd.id);
      await out(cmd.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : renderShow(d));
      return OK;
    }
    case 'history': {
      const d = await g.show(cmd.id); // NOT_FOUND for an unknown id, rather than an empty history
      await out(cmd.format === 'json' ? `${JSON.stringify(d.history, null, 2)}\n` : renderHistory(cmd.id, d.history));
      return OK;
    }
    case 'propose': {
      let target: ProposeTarget;
      if (cmd.canonical !== null) {
        const concept: NewConceptInput = { canonical: cmd.canonical, type: cmd.type! };
        if (cmd.concept !== null) concept.id = cmd.concept;
        target = { concept };
      } else target = { conceptId: cmd.concept! };
      let variant: VariantData | null = null;
      if (cmd.variant) {
        variant = { text: cmd.variant.text, kind: cmd.variant.kind };
        if (cmd.variant.severity) variant.severity = cmd.variant.severity;
        if (cmd.variant.note !== null) variant.note = cmd.variant.note;
      }
      const r = await g.propose(target, variant, cmd.by, cmd.source);
      const what = r.created
        ? `new concept "${clean(r.conceptId)}"${r.variant !== null ? ` with variant "${clean(r.variant)}"` : ''}`
        : `variant "${clean(r.variant ?? '')}" of concept "${clean(r.conceptId)}"`;
      await out(`Proposed ${what}; the concept is at version ${r.version}.\n`);
      return OK;
    }
    case 'decide': {
      const target = cmd.variant !== null ? { variantText: cmd.variant } : { withVariants: true };
      const r = await g.decide(cmd.id, target, cmd.action, cmd.by, cmd.version);
      const done = { approve: 'Approved', reject: 'Rejected', deprecate: 'Deprecated' }[cmd.action];
      const what = cmd.variant !== null ? `variant "${clean(cmd.variant)}" of concept "${clean(cmd.id)}"` : `concept "${clean(cmd.id)}"`;
      await out(`${done} ${what}; the concept is now at version ${r.version}.\n`);
      return OK;
    }
    case 'export': {
      const format = glossaryFormat(cmd.format)!;
      const text = format.write(await g.entries());
      if (cmd.out === null) {
        await out(text);
        return OK;
      }
      writeFileAtomic(cmd.out, text);
      await out(`Exported the glossary as ${format.label} to ${cmd.out} (${Buffer.byteLength(text)} bytes).\n`);
      return OK;
    }
    case 'import': {
      const r = await g.mergeEntries(imported!, cmd.by);
      const extra = r.replaced.length ? `; replaced ${r.replaced.join(', ')}` : '';
      await out(`Imported ${cmd.file}: ${r.added} added, ${r.changed} changed, ${r.unchanged} unchanged${extra} (glossary revision ${r.revision}).\n`);
      return OK;
    }
  }
}

/** Write through a temporary file in the same folder, so a failed export never leaves half a file. */
function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new FileError('write', file, e);
  }
}
