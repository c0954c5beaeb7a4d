// Timing helpers and child processes for the bench: in-process runs (warm-up, best and median of a
// few), and external commands timed wall-clock, with their peak RSS from /usr/bin/time when present.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { Readable } from 'node:stream';

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

export interface Timing {
  best: number;
  median: number;
  runs: number[];
}

/**
 * Run `fn` `runs` times (after `warmups` untimed runs), stopping early once `maxSeconds` have been
 * spent in timed runs (at least one run always happens).
 */
export function timeRuns(fn: () => void, opts: { runs?: number; warmups?: number; maxSeconds?: number } = {}): Timing {
  for (let i = 0; i < (opts.warmups ?? 0); i++) fn();
  const runs: number[] = [];
  const max = opts.maxSeconds ?? Infinity;
  let spent = 0;
  for (let i = 0; i < (opts.runs ?? 3); i++) {
    const t0 = now();
    fn();
    const dt = now() - t0;
    runs.push(dt);
    spent += dt;
    if (spent > max) break;
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { best: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, runs };
}

export const TIME_BIN = '/usr/bin/time';
/** /usr/bin/time is usable (COPYDESK_BENCH_NO_TIME=1 pretends it is not, to try the fallback). */
export const hasTimeBin = (() => {
  if (process.env.COPYDESK_BENCH_NO_TIME === '1') return false;
  try {
    fs.accessSync(TIME_BIN, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

/** Whether a program is on the PATH. */
export function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export interface RunResult {
  code: number | null;
  signal: string | null;
  seconds: number;
  stdoutBytes: number;
  stdoutLines: number;
  /** The last 2 KB of standard error. */
  stderr: string;
  /** Peak resident set size in MB, when measured. */
  peakRssMb: number | null;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A file to read standard input from, or a stream to pipe into it, or nothing. */
  stdinFile?: string;
  stdinStream?: Readable;
  /** Run under /usr/bin/time -f %M to read the peak RSS (when present). */
  peakRss?: boolean;
  timeoutSeconds?: number;
}

/** Run a command, timing it wall-clock; standard output is counted and dropped. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  let file = cmd;
  let argv = args;
  let rssFile: string | null = null;
  if (opts.peakRss && hasTimeBin) {
    rssFile = path.join(os.tmpdir(), `copydesk-bench-rss-${process.pid}-${Math.floor(now() * 1e6)}.txt`);
    file = TIME_BIN;
    argv = ['-f', '%M', '-o', rssFile, cmd, ...args];
  }
  return new Promise((resolve) => {
    const stdinFd = opts.stdinFile ? fs.openSync(opts.stdinFile, 'r') : null;
    const t0 = now();
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [stdinFd ?? (opts.stdinStream ? 'pipe' : 'ignore'), 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stdoutLines = 0;
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (b: Buffer) => {
      stdoutBytes += b.length;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) stdoutLines++;
    });
    child.stderr!.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-2048);
    });
    if (opts.stdinStream && child.stdin) {
      child.stdin.on('error', () => {
        /* the child exited early; its exit status tells why */
      });
      opts.stdinStream.pipe(child.stdin);
    }
    const timer = opts.timeoutSeconds
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutSeconds * 1000)
      : null;
    child.on('error', (e) => {
      stderr += String(e.message);
    });
    child.on('close', (code, signal) => {
      const seconds = now() - t0;
      if (timer) clearTimeout(timer);
      if (stdinFd !== null) fs.closeSync(stdinFd);
      let peakRssMb: number | null = null;
      if (rssFile) {
        try {
          const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
          const kb = Number(lines[lines.length - 1]);
          if (Number.isFinite(kb)) peakRssMb = kb / 1024;
        } catch {
          /* not measured */
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ code, signal, seconds, stdoutBytes, stdoutLines, stderr, peakRssMb, timedOut });
    });
  });
}

/** MB (1e6 bytes) per second. */
export function mbps(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}
