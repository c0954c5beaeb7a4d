// What the database commands (copydesk-glossary, copydesk-users) share: exit statuses, one-line
// reports on stderr ("copydesk-x: [CODE] sentence."), writing to stdout, and opening the
// configured (or --db) database through openWorkspace with its failure reported in one line.
import type { Writable } from 'node:stream';
import { openWorkspace, type Log, type Workspace } from '../boot.ts';
import { loadConfig, type Config } from '../config.ts';
import { sentence } from './run-report.ts';

export const OK = 0;
export const REFUSED = 1;
export const USAGE = 2;

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
}

/** "prefix[CODE] sentence." on stderr, the message folded to one line. */
export function reporter(prefix: string): (io: CommandIo, code: string, msg: string) => void {
  return (io, code, msg) => {
    io.stderr.write(`${prefix}[${code}] ${sentence(msg.replace(/\s*\n\s*/g, ' '))}\n`);
  };
}

export function write(stream: Writable, s: string): Promise<void> {
  return new Promise((resolve) => {
    if (!s) return resolve();
    stream.write(s, () => resolve());
  });
}

/** A closed pipe (… | head) ends the output quietly; any other output error is said once. */
export function quietOnClosedPipe(io: CommandIo, prefix: string): void {
  io.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') io.stderr.write(`${prefix}[OUTPUT_FAILED] cannot write the output: ${e.message}\n`);
  });
}

/** The configuration with --db applied. */
export function commandConfig(env: Record<string, string | undefined>, db: string | null): Config {
  const loaded = loadConfig(env);
  return db !== null ? { ...loaded, dbPath: db } : loaded;
}

/**
 * Open the database (a new one is migrated and seeded; its notices go to stderr). A failure is
 * reported as DB_UNREADABLE (with the stack when debugging) and gives null: exit with USAGE.
 */
export async function openDatabase(io: CommandIo, prefix: string, config: Config, debug: boolean): Promise<Workspace | null> {
  const log: Log = (entry) => {
    if (typeof entry.msg === 'string') io.stderr.write(`${prefix}${sentence(`${entry.msg} (${String(entry.db ?? config.dbPath)})`)}\n`);
  };
  try {
    return await openWorkspace(config, log);
  } catch (e) {
    reporter(prefix)(io, 'DB_UNREADABLE', `cannot open the database ${config.dbPath}: ${(e as Error)?.message ?? String(e)}`);
    if (debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return null;
  }
}
