// npm run load [-- --duration 60] [--connections 50] [--kill-after SECONDS] [--reviewers N] [--seed S] [--keep]
//
// Load on loopback: a new temporary database (demo corpus, N reviewer accounts), the real server
// as a child process (`node --import tsx server/main.ts`, its log in the temporary folder), every
// reviewer signed in over HTTP, then autocannon with one keep-alive connection per reviewer (its
// session cookie and CSRF token) reading article pages and the review queue and posting annotations
// (JSON) for the duration. Prints throughput and p50/p90/p99 latency overall and per request kind,
// and checks: no 5xx, every response as expected, every acknowledged annotation (201 with an id)
// in the database afterwards, PRAGMA integrity_check ok.
// --kill-after S: SIGKILL the server's process group S seconds into the load, restart it on the same
// database, check integrity and the annotations acknowledged before the kill, resume the load for the
// rest of the duration; requests in flight at the kill are counted apart (never acknowledged).
// Exits 1 when a check fails (the temporary folder is then kept for a look).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport } from './load/report.ts';
import { runLoadTest, type LoadOptions } from './load/run.ts';

export { runLoadTest, prepareDatabase, REVIEWER_PREFIX, type LoadOptions, type LoadReport, type Check } from './load/run.ts';
export { formatReport } from './load/report.ts';

const USAGE = 'usage: npm run load -- [--duration 60] [--connections 50] [--kill-after SECONDS] [--reviewers N] [--seed S] [--keep]';

export function parseLoadArgs(argv: readonly string[]): LoadOptions {
  const o: LoadOptions = { durationSeconds: 60, connections: 50 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (integer: boolean) => {
      const raw = inline ?? argv[++i];
      const v = Number(raw);
      if (raw === undefined || raw === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
        throw new Error(`${flag} needs a positive ${integer ? 'whole ' : ''}number, not ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`);
      }
      return v;
    };
    if (flag === '--duration') o.durationSeconds = value(false);
    else if (flag === '--connections') o.connections = value(true);
    else if (flag === '--kill-after') o.killAfterSeconds = value(false);
    else if (flag === '--reviewers') o.reviewers = value(true);
    else if (flag === '--seed') o.seed = value(true);
    else if (flag === '--timeout') o.timeoutSeconds = value(false);
    else if (flag === '--keep') o.keep = true;
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let opt: LoadOptions;
  try {
    opt = parseLoadArgs(argv);
  } catch (e) {
    process.stderr.write(`load: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  // Ctrl-C: exit through process.exit so that the server's process group is killed (see load/server.ts).
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  const report = await runLoadTest({ ...opt, log: (s) => process.stderr.write(`load: ${s}\n`) });
  process.stdout.write(`\n${formatReport(report, ['npm run load', ...(argv.length ? ['--', ...argv] : [])].join(' '))}\n`);
  if (!report.ok) process.exitCode = 1;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main().catch((e) => {
    process.stderr.write(`load: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
