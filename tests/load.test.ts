// The load test (scripts/load.ts), shorter: the real server as a child process, 10 signed-in
// reviewers reading articles and the queue and posting annotations through autocannon; then the
// same with the server SIGKILLed under load and restarted. Asserted: no 5xx, every response as
// expected, annotations acknowledged, every acknowledged annotation committed while the load runs
// (seen from a second connection) and in the database afterwards, integrity ok.
// No timing is asserted: the figures are for `npm run load`'s report.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport, parseLoadArgs, runLoadTest, type LoadReport } from '../scripts/load.ts';
import { KINDS } from '../scripts/load/traffic.ts';

const reports: LoadReport[] = [];

afterAll(() => {
  for (const r of reports) fs.rmSync(r.dir, { recursive: true, force: true });
});

function fivexx(r: LoadReport): number {
  return r.phases.reduce((n, p) => n + Object.entries(p.statuses).reduce((m, [s, c]) => m + (Number(s) >= 500 ? c : 0), 0), 0);
}

function acked(r: LoadReport): number {
  return r.phases.reduce((n, p) => n + p.acked.length, 0);
}

describe('npm run load', () => {
  it('reads its options', () => {
    expect(parseLoadArgs([])).toEqual({ durationSeconds: 60, connections: 50 });
    expect(parseLoadArgs(['--duration', '8', '--connections=10', '--kill-after', '3', '--keep'])).toEqual({
      durationSeconds: 8,
      connections: 10,
      killAfterSeconds: 3,
      keep: true,
    });
    expect(() => parseLoadArgs(['--connections', '2.5'])).toThrow(/whole number/);
    expect(() => parseLoadArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it('serves 10 signed-in reviewers without a 5xx and keeps every acknowledged annotation', async () => {
    const r = await runLoadTest({ durationSeconds: 8, connections: 10 });
    reports.push(r);
    const text = formatReport(r, 'vitest: runLoadTest({ durationSeconds: 8, connections: 10 })');
    expect(fivexx(r), text).toBe(0);
    expect(r.phases[0]!.unexpectedCount, text).toBe(0);
    for (const k of KINDS) expect(r.phases[0]!.byKind[k].count, `${k}\n${text}`).toBeGreaterThan(0);
    expect(acked(r), text).toBeGreaterThanOrEqual(1);
    // Acknowledged means committed: a second connection sees every acknowledged annotation.
    expect(r.probe.notCommitted, text).toBe(0);
    expect(r.final.integrity, text).toBe('ok');
    expect(r.final.missing, text).toEqual([]);
    expect(r.final.mismatched, text).toEqual([]);
    expect(r.final.found, text).toBe(acked(r));
  }, 60_000);

  it('loses no acknowledged annotation when the server is SIGKILLed under load and restarted', async () => {
    const r = await runLoadTest({ durationSeconds: 6, connections: 10, killAfterSeconds: 3 });
    reports.push(r);
    const text = formatReport(r, 'vitest: runLoadTest({ durationSeconds: 6, connections: 10, killAfterSeconds: 3 })');
    expect(r.phases.map((p) => p.label), text).toEqual(['before kill', 'after restart']);
    expect(r.kill?.signal, text).toBe('SIGKILL');
    expect(r.phases[0]!.killed, text).toBeDefined();
    expect(fivexx(r), text).toBe(0);
    expect(r.phases.reduce((n, p) => n + p.unexpectedCount, 0), text).toBe(0);
    // Before the kill: acknowledged writes, all there once the server is back.
    expect(r.phases[0]!.acked.length, text).toBeGreaterThanOrEqual(1);
    expect(r.probe.notCommitted, text).toBe(0);
    expect(r.kill!.check.integrity, text).toBe('ok');
    expect(r.kill!.check.missing, text).toEqual([]);
    expect(r.kill!.check.mismatched, text).toEqual([]);
    expect(r.kill!.check.found, text).toBe(r.phases[0]!.acked.length);
    // The sessions outlived the server (they are in SQLite): the resumed load was served.
    expect(r.phases[1]!.acked.length, text).toBeGreaterThanOrEqual(1);
    expect(r.final.integrity, text).toBe('ok');
    expect(r.final.missing, text).toEqual([]);
    expect(r.final.mismatched, text).toEqual([]);
    expect(r.final.found, text).toBe(acked(r));
  }, 60_000);
});
