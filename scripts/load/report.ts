// The load test's closing summary: one table of throughput and latency per phase and request
// kind, the annotation accounting, the kill, the checks, and the machine it ran on.
import os from 'node:os';
import type { LoadReport } from './run.ts';
import { KIND_LABEL, KINDS, summarize, type PhaseResult } from './traffic.ts';

const int = (n: number) => n.toLocaleString('en-US');
const num = (n: number, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');

function statusText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}×${int(n)}`)
    .join(' ');
}

function table(rows: string[][], numeric: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function phaseRows(p: PhaseResult): string[][] {
  const all = summarize(KINDS.flatMap((k) => p.byKind[k].latencies));
  const row = (label: string, s: ReturnType<typeof summarize>, statuses: Record<string, number>, seconds: string) => [
    label,
    seconds,
    int(s.count),
    num(s.count / p.seconds),
    num(s.p50),
    num(s.p90),
    num(s.p99),
    num(s.max),
    statusText(statuses),
  ];
  return [
    row(p.label, all, p.statuses, num(p.seconds)),
    ...KINDS.map((k) => row(`  ${KIND_LABEL[k]}`, summarize(p.byKind[k].latencies), p.byKind[k].statuses, '')),
  ];
}

export function formatReport(r: LoadReport, command: string): string {
  const o = r.options;
  const mixTotal = KINDS.reduce((n, k) => n + o.mix[k], 0);
  const mix = KINDS.map((k) => `${Math.round((100 * o.mix[k]) / mixTotal)}% ${KIND_LABEL[k]}`).join(', ');
  const out: string[] = [];
  out.push(`copydesk load: ${o.connections} connections (${o.reviewers} signed-in reviewers), ${o.durationSeconds} s${o.killAfterSeconds !== undefined ? `, SIGKILL after ${o.killAfterSeconds} s` : ''}`);
  out.push(`mix: ${mix}; articles: ${r.articles.join(', ')}`);
  out.push(`setup ${num(r.setupSeconds)} s (migrate, seed, ${o.reviewers} accounts); sign-in of ${o.reviewers} reviewers over HTTP ${num(r.signInSeconds)} s`);
  out.push('');
  const head = ['phase / request', 'seconds', 'responses', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'statuses'];
  const rows = [head, ...r.phases.flatMap(phaseRows)];
  if (r.phases.length > 1) {
    const seconds = r.phases.reduce((n, p) => n + p.seconds, 0);
    const all = summarize(r.phases.flatMap((p) => KINDS.flatMap((k) => p.byKind[k].latencies)));
    const statuses: Record<string, number> = {};
    for (const p of r.phases) for (const [s, n] of Object.entries(p.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
    rows.push(['all phases', num(seconds), int(all.count), num(all.count / seconds), num(all.p50), num(all.p90), num(all.p99), num(all.max), statusText(statuses)]);
  }
  out.push(table(rows, new Set([1, 2, 3, 4, 5, 6, 7])));
  for (const p of r.phases) {
    const a = p.autocannon;
    out.push(`autocannon (${p.label}): p50 ${a.p50} ms, p90 ${a.p90} ms, p99 ${a.p99} ms, max ${a.max} ms; ${num(a.avgReqPerSec)} req/s average of its 1-s samples; ${int(p.sent)} requests sent`);
  }
  out.push('');
  const acked = r.phases.reduce((n, p) => n + p.acked.length, 0);
  out.push(
    `annotations: ${int(acked)} acknowledged (201 with an id), ${int(r.final.found)} of them in the database, ${r.final.missing.length} missing, ${r.final.mismatched.length} lost with their id given to another annotation; ` +
      `${int(r.final.unacknowledgedRows)} more rows whose answer never arrived (in flight at a kill or when the load stopped)`,
  );
  if (r.kill) {
    const k = r.phases[0]!.killed;
    out.push(
      `kill: ${r.kill.signal} at ${num(k?.atSeconds ?? NaN)} s with ${k?.inFlight ?? 0} requests in flight (${k?.inFlightPosts ?? 0} annotation posts), not acknowledged so not counted as failures; ` +
        `restart to /healthz ${num(r.kill.restartSeconds)} s; then integrity_check ${r.kill.check.integrity}, acknowledged before the kill ${int(r.kill.check.found)} of ${int(r.kill.check.acknowledged)} in the database`,
    );
  }
  const pr = r.probe;
  out.push(
    `commit probe (a second connection, every 0.5 s): ${int(pr.probes)} looks; ` +
      (pr.notCommitted
        ? `${int(pr.notCommitted)} acknowledged annotations were not committed when looked for (up to ${int(pr.maxAtOnce)} at once, up to ${num(pr.longestMs / 1000)} s after their 201)`
        : 'every acknowledged annotation was committed'),
  );
  out.push(
    r.settled.notCommitted
      ? `after the load, server still up: ${int(r.settled.notCommitted)} acknowledged annotations still not committed after ${num(r.settled.seconds)} s; then the server was stopped (SIGTERM)`
      : `after the load, server still up: every acknowledged annotation committed (${num(r.settled.seconds)} s); then the server was stopped (SIGTERM)`,
  );
  out.push(`integrity_check after the server stopped: ${r.final.integrity}`);
  out.push('');
  const width = Math.max(...r.checks.map((c) => c.name.length));
  for (const c of r.checks) out.push(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
  out.push('');
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  out.push(`command: ${command}`);
  out.push(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${load} (1/5/15 min) at the end; node ${process.version}; NODE_ENV ${process.env.NODE_ENV ?? '(unset)'}; client and server on one host`);
  out.push(r.kept ? `files kept: ${r.dir} (database, ${r.logFiles.map((f) => f.slice(r.dir.length + 1)).join(', ')})` : `files removed: ${r.dir}`);
  out.push(r.ok ? 'RESULT: PASS' : 'RESULT: FAIL');
  return out.join('\n');
}
