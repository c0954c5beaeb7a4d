// The real server as a child process for the load test: `node --import tsx server/main.ts` in a
// process group of its own (so a SIGKILL reaches everything it started), bound to loopback on a
// port picked here, its output (one JSON line per request) in a log file rather than the console.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { PROJECT_ROOT } from '../../server/glossary/files.ts';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** Settles when the process has exited (code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Servers started here and not yet seen exiting: killed if this process ends first. */
const live = new Set<ServerProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of live) signalGroup(s, 'SIGKILL');
  });
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** The environment of the server: ours without COPYDESK_* (no admin, no debug), plus the given settings (NODE_ENV is inherited). */
function serverEnv(dbPath: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('COPYDESK_')) env[k] = v;
  return { ...env, COPYDESK_DB: dbPath, COPYDESK_HOST: '127.0.0.1', PORT: String(port) };
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Start the server on dbPath and port and wait until GET /healthz answers 200. */
export async function startServer(opts: { dbPath: string; port: number; logFile: string; timeoutMs?: number }): Promise<ServerProcess> {
  installExitHook();
  const fd = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: serverEnv(opts.dbPath, opts.port),
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  const s: ServerProcess = { child, pid: child.pid ?? 0, port: opts.port, base: `http://127.0.0.1:${opts.port}`, logFile: opts.logFile, exited };
  if (!s.pid) throw new Error(`could not start the server (${process.execPath} --import tsx server/main.ts)`);
  live.add(s);
  void exited.then(() => live.delete(s));
  try {
    await waitHealthy(s, opts.timeoutMs ?? 30_000);
  } catch (e) {
    signalGroup(s, 'SIGKILL');
    await exited;
    throw e;
  }
  return s;
}

/** Poll GET /healthz until it answers 200; fail early when the process exits. */
async function waitHealthy(s: ServerProcess, timeoutMs: number): Promise<void> {
  let gone: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void s.exited.then((r) => (gone = r));
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    if (gone) {
      const g = gone as { code: number | null; signal: NodeJS.Signals | null };
      throw new Error(`the server exited before answering /healthz (code ${g.code}, signal ${g.signal}); its log ${s.logFile} ends:\n${tail(s.logFile)}`);
    }
    try {
      const r = await fetch(`${s.base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String((e as Error)?.cause ?? e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz within ${timeoutMs / 1000} s (last: ${last}); its log ${s.logFile} ends:\n${tail(s.logFile)}`);
}

/** Send a signal to the server's whole process group (it was spawned detached, as a group leader). */
export function signalGroup(s: ServerProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-s.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGKILL the server's process group now (synchronous: the signal is sent when this returns). */
export function killServer(s: ServerProcess): void {
  signalGroup(s, 'SIGKILL');
}

/** Stop the server (SIGTERM, then SIGKILL after a grace period) and wait until it has exited. */
export async function stopServer(s: ServerProcess, graceMs = 5000): Promise<void> {
  signalGroup(s, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(s, 'SIGKILL'), graceMs);
  await s.exited;
  clearTimeout(timer);
  // The group may hold more than the leader: make sure nothing of it is left.
  signalGroup(s, 'SIGKILL');
}
