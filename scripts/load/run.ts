// The load test, start to end: a new database (migrated and seeded by openWorkspace) with N
// reviewer accounts; the real server as a child process; every reviewer signed in over HTTP; then
// autocannon for the duration (runPhase). With killAfterSeconds the server is SIGKILLed that far
// into the load, restarted on the same database, the database checked (integrity, every
// acknowledged annotation) and the load resumed for the rest of the duration. Finally the server
// is stopped and the database checked again. Meanwhile a second connection checks that every
// acknowledged annotation is committed (commit-probe.ts). Returns figures and checks; prints nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { CommitProbe, type ProbeResult } from './commit-probe.ts';
import { checkDatabase, waitCommitted, type DbCheck } from './db-check.ts';
import { freePort, killServer, startServer, stopServer, type ServerProcess } from './server.ts';
import { signInAll } from './session.ts';
import { DEFAULT_MIX, prepareArticle, runPhase, type Ack, type Article, type Mix, type PhaseOptions, type PhaseResult } from './traffic.ts';

export const REVIEWER_PREFIX = 'load-reviewer-';

export interface LoadOptions {
  /** Seconds of load in all (a kill phase and the phase after the restart share it). */
  durationSeconds: number;
  connections: number;
  /** Reviewer accounts (default: one per connection); connection i uses reviewer i mod this. */
  reviewers?: number;
  /** SIGKILL the server this many seconds into the load, restart it, check, resume. */
  killAfterSeconds?: number;
  seed?: number;
  mix?: Mix;
  timeoutSeconds?: number;
  /** Keep the temporary folder (database, server logs) even when every check passed. */
  keep?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface LoadReport {
  options: Required<Pick<LoadOptions, 'durationSeconds' | 'connections' | 'reviewers' | 'seed'>> & { killAfterSeconds?: number; mix: Mix };
  dir: string;
  dbPath: string;
  logFiles: string[];
  articles: string[];
  setupSeconds: number;
  signInSeconds: number;
  phases: PhaseResult[];
  kill?: { signal: string | null; restartSeconds: number; check: DbCheck };
  /** Acknowledged annotations looked for on a second connection while the load ran. */
  probe: ProbeResult;
  /** Once the load was over, before the server was stopped: how long until every acknowledged annotation was committed (given up after 5 s). */
  settled: { seconds: number; notCommitted: number };
  final: DbCheck;
  checks: Check[];
  ok: boolean;
  /** False when the folder was removed (every check passed and keep was not asked). */
  kept: boolean;
}

const reviewerName = (i: number) => `${REVIEWER_PREFIX}${String(i + 1).padStart(2, '0')}`;
const passwordOf = (i: number) => `load-test-password-${i + 1}-of-copydesk`;

/** Migrate and seed a new database, add the reviewers; returns them and the articles (as stored). */
export async function prepareDatabase(dbPath: string, reviewers: number): Promise<{ users: { username: string; password: string }[]; articles: Article[] }> {
  const ws = await openWorkspace(loadConfig({ COPYDESK_DB: dbPath }));
  try {
    const users = Array.from({ length: reviewers }, (_, i) => ({ username: reviewerName(i), password: passwordOf(i) }));
    await Promise.all(users.map((u) => ws.accounts.create(u.username, u.password, 'reviewer', 'cli')));
    // The texts as stored (the demo corpus, corpus/articles/*.txt): offsets are counted on these.
    const rows = await ws.db.all<{ slug: string; text: string }>('SELECT slug, text FROM articles ORDER BY slug');
    if (!rows.length) throw new Error(`the new database ${dbPath} has no articles (is corpus/ there?)`);
    return { users, articles: rows.map((r) => prepareArticle(r.slug, r.text)) };
  } finally {
    await ws.close();
  }
}

/** Run a phase with a commit probe beside it (closed before returning: no connection of ours is left open). */
async function probedPhase(dbPath: string, opt: PhaseOptions, probes: ProbeResult[]): Promise<PhaseResult> {
  const probe = await CommitProbe.open(dbPath);
  try {
    probe.start();
    return await runPhase({ ...opt, onAck: (a) => probe.add(a) });
  } finally {
    await probe.close();
    probes.push(probe.result());
  }
}

function mergeProbes(ps: readonly ProbeResult[]): ProbeResult {
  return {
    probes: ps.reduce((n, p) => n + p.probes, 0),
    notCommitted: ps.reduce((n, p) => n + p.notCommitted, 0),
    maxAtOnce: Math.max(0, ...ps.map((p) => p.maxAtOnce)),
    longestMs: Math.max(0, ...ps.map((p) => p.longestMs)),
    sample: ps.flatMap((p) => p.sample).slice(0, 10),
  };
}

function fivexx(p: PhaseResult): number {
  return Object.entries(p.statuses).reduce((n, [s, c]) => n + (Number(s) >= 500 ? c : 0), 0);
}

function dbDetail(c: DbCheck): string {
  const bad = [...c.missing.map((id) => `#${id} missing`), ...c.mismatched.map((id) => `#${id} lost (id reused)`)];
  return `${c.found.toLocaleString('en-US')} of ${c.acknowledged.toLocaleString('en-US')} found${bad.length ? `: ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}` : ''}`;
}

export async function runLoadTest(input: LoadOptions): Promise<LoadReport> {
  const log = input.log ?? (() => undefined);
  const opt = {
    durationSeconds: input.durationSeconds,
    connections: input.connections,
    reviewers: input.reviewers ?? input.connections,
    seed: input.seed ?? 1,
    mix: input.mix ?? DEFAULT_MIX,
    ...(input.killAfterSeconds !== undefined ? { killAfterSeconds: input.killAfterSeconds } : {}),
  };
  if (!(opt.durationSeconds > 0)) throw new Error('the duration must be more than 0 seconds');
  if (!(Number.isInteger(opt.connections) && opt.connections > 0)) throw new Error('connections must be a positive whole number');
  if (!(Number.isInteger(opt.reviewers) && opt.reviewers > 0)) throw new Error('reviewers must be a positive whole number');
  if (opt.killAfterSeconds !== undefined && !(opt.killAfterSeconds > 0 && opt.killAfterSeconds < opt.durationSeconds)) {
    throw new Error(`--kill-after must be more than 0 and less than the duration (${opt.durationSeconds} s)`);
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-load-'));
  const dbPath = path.join(dir, 'copydesk.db');
  const logFiles: string[] = [];
  const phases: PhaseResult[] = [];
  const probes: ProbeResult[] = [];
  let server: ServerProcess | undefined;
  let ok = false;
  try {
    let t = performance.now();
    log(`preparing ${dbPath} with ${opt.reviewers} reviewers`);
    const { users, articles } = await prepareDatabase(dbPath, opt.reviewers);
    const setupSeconds = (performance.now() - t) / 1000;

    const start = async (port: number) => {
      const logFile = path.join(dir, `server-${logFiles.length + 1}.log`);
      logFiles.push(logFile);
      return startServer({ dbPath, port, logFile });
    };
    server = await start(await freePort());
    log(`server ${server.pid} answering on ${server.base} (log: ${server.logFile})`);

    t = performance.now();
    const sessions = await signInAll(server.base, users);
    const signInSeconds = (performance.now() - t) / 1000;
    log(`${sessions.length} reviewers signed in (${signInSeconds.toFixed(1)} s)`);

    const common = { sessions, articles, connections: opt.connections, mix: opt.mix, ...(input.timeoutSeconds ? { timeoutSeconds: input.timeoutSeconds } : {}) };
    let kill: LoadReport['kill'];
    if (opt.killAfterSeconds === undefined) {
      log(`running ${opt.connections} connections for ${opt.durationSeconds} s`);
      phases.push(await probedPhase(dbPath, { ...common, label: 'load', base: server.base, durationSeconds: opt.durationSeconds, seed: opt.seed }, probes));
    } else {
      const victim: ServerProcess = server;
      log(`running ${opt.connections} connections, SIGKILL after ${opt.killAfterSeconds} s`);
      const before = await probedPhase(
        dbPath,
        {
          ...common,
          label: 'before kill',
          base: victim.base,
          durationSeconds: opt.durationSeconds,
          seed: opt.seed,
          kill: { afterSeconds: opt.killAfterSeconds, kill: () => killServer(victim) },
        },
        probes,
      );
      phases.push(before);
      const { signal } = await victim.exited;
      log(`server killed (${signal}) with ${before.killed?.inFlight ?? 0} requests in flight; restarting on the same database`);
      t = performance.now();
      try {
        server = await start(victim.port);
      } catch (e) {
        log(`restart on port ${victim.port} failed (${(e as Error).message.split('\n')[0]}); trying another port`);
        server = await start(await freePort());
      }
      const restartSeconds = (performance.now() - t) / 1000;
      const check = await checkDatabase(dbPath, before.acked, REVIEWER_PREFIX);
      kill = { signal, restartSeconds, check };
      log(`restarted in ${restartSeconds.toFixed(1)} s; integrity_check: ${check.integrity}; acknowledged before the kill: ${dbDetail(check)}`);
      const rest = opt.durationSeconds - opt.killAfterSeconds;
      log(`resuming: ${opt.connections} connections for ${rest} s`);
      phases.push(await probedPhase(dbPath, { ...common, label: 'after restart', base: server.base, durationSeconds: rest, seed: opt.seed + 1 }, probes));
    }
    // Before stopping the server: are the acknowledged writes committed once the load is over?
    const acked: Ack[] = phases.flatMap((p) => p.acked);
    const settled = await waitCommitted(dbPath, acked, 5000);
    log(
      settled.notCommitted.length
        ? `after the load: ${settled.notCommitted.length} acknowledged annotations still not committed after ${(settled.ms / 1000).toFixed(1)} s`
        : `after the load: every acknowledged annotation committed (${(settled.ms / 1000).toFixed(1)} s)`,
    );
    await stopServer(server);
    server = undefined;

    const final = await checkDatabase(dbPath, acked, REVIEWER_PREFIX);
    const sum = (f: (p: PhaseResult) => number) => phases.reduce((n, p) => n + f(p), 0);
    const checks: Check[] = [];
    const n5xx = sum(fivexx);
    checks.push({ name: 'no 5xx responses', ok: n5xx === 0, detail: `${n5xx} of ${sum((p) => p.responses).toLocaleString('en-US')}` });
    const unexpected = sum((p) => p.unexpectedCount);
    const samples = phases.flatMap((p) => p.unexpected).map((u) => `${u.status} ${u.path}: ${u.body.slice(0, 160)}`);
    checks.push({ name: 'every response as expected (200 pages, 201 posts)', ok: unexpected === 0, detail: unexpected ? `${unexpected} not: ${samples.slice(0, 3).join(' | ')}` : 'all' });
    const errors = sum((p) => p.errors);
    const errorText = phases.flatMap((p) => p.errorSamples).slice(0, 3).join(' | ');
    checks.push({ name: 'no connection errors or timeouts (outside the kill)', ok: errors === 0, detail: errors ? `${errors} (${sum((p) => p.timeouts)} timeouts): ${errorText}` : 'none' });
    checks.push({ name: 'annotations acknowledged', ok: acked.length > 0, detail: acked.length.toLocaleString('en-US') });
    const probe = mergeProbes(probes);
    checks.push({
      name: 'every acknowledged annotation committed when looked for',
      ok: probe.notCommitted === 0,
      detail: probe.notCommitted
        ? `${probe.notCommitted} acknowledged but not visible to a second connection (up to ${probe.maxAtOnce} at once, for up to ${(probe.longestMs / 1000).toFixed(1)} s), e.g. #${probe.sample.join(', #')}`
        : `all, ${probe.probes} looks`,
    });
    if (kill) {
      checks.push({ name: 'server killed with SIGKILL', ok: kill.signal === 'SIGKILL', detail: String(kill.signal) });
      checks.push({ name: 'after kill + restart: PRAGMA integrity_check', ok: kill.check.integrity === 'ok', detail: kill.check.integrity });
      const k = kill.check;
      checks.push({ name: 'after kill + restart: every acknowledged annotation in the DB', ok: !k.missing.length && !k.mismatched.length && k.acknowledged > 0, detail: dbDetail(k) });
    }
    checks.push({ name: 'after the server stopped: PRAGMA integrity_check', ok: final.integrity === 'ok', detail: final.integrity });
    checks.push({ name: 'after the server stopped: every acknowledged annotation in the DB', ok: !final.missing.length && !final.mismatched.length, detail: dbDetail(final) });
    ok = checks.every((c) => c.ok);
    const kept = !ok || Boolean(input.keep);
    return {
      options: opt,
      dir,
      dbPath,
      logFiles,
      articles: articles.map((a) => a.slug),
      setupSeconds,
      signInSeconds,
      phases,
      ...(kill ? { kill } : {}),
      probe,
      settled: { seconds: settled.ms / 1000, notCommitted: settled.notCommitted.length },
      final,
      checks,
      ok,
      kept,
    };
  } catch (e) {
    log(`stopped by an error; files kept in ${dir}`);
    throw e;
  } finally {
    if (server) {
      killServer(server);
      await server.exited;
    }
    if (ok && !input.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

