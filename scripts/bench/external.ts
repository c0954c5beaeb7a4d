// The bench stages that run other programs: the copydesk CLI (--jobs 1 and 2, and 1 GB streamed
// through stdin for its peak memory), textlint + textlint-rule-prh on a subset, grep and ripgrep.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { run, mbps, onPath, hasTimeBin, type RunResult } from './measure.ts';
import type { Article } from './corpus.ts';
import { ratio, type Row } from './table.ts';

export interface Paths {
  root: string;
  jsonl: string;
  jsonlBytes: number;
  txtFiles: string[];
  txtBytes: number;
  subsetDir: string;
  subsetFiles: string[];
  subsetBytes: number;
  glossary1k: string;
  prh1k: string;
  textlintrc: string;
  patterns: string;
}

/** The CLI as one node process (tsx's loader imported, no tsx wrapper process in between). */
export function cliCommand(root: string): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'scan.ts')]];
}

function cliArgs(p: Paths, jobs: number, inputs: string[]): string[] {
  return [...inputs, '--format', 'jsonl', '--no-language', '--quiet', '--fail-on', 'none', '--glossary', p.glossary1k, '--jobs', String(jobs)];
}

function failure(r: RunResult): string | null {
  if (r.timedOut) return 'timed out';
  if (r.code === 0 || r.code === 1) return null;
  const last = r.stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
  return `exit ${r.code ?? r.signal}${last ? `: ${last.slice(0, 160)}` : ''}`;
}

export interface CliFigures {
  jobs1: number | null;
  startup: number | null;
}

/** --jobs 1 and --jobs 2 over the corpus on stdin, plus the start-up time on an empty input. */
export async function cliStage(p: Paths, rows: Row[], log: (s: string) => void): Promise<CliFigures | null> {
  const scan = path.join(p.root, 'scripts', 'scan.ts');
  if (!fs.existsSync(scan)) {
    rows.push({ stage: 'cli: skipped (scripts/scan.ts does not exist)' });
    return null;
  }
  const [cmd, pre] = cliCommand(p.root);
  log('cli: start-up on an empty input');
  const empty = await run(cmd, [...pre, ...cliArgs(p, 1, ['-'])], { cwd: p.root, stdinFile: '/dev/null', timeoutSeconds: 120 });
  const why = failure(empty);
  if (why) {
    rows.push({ stage: `cli: skipped (${why})` });
    return null;
  }
  rows.push({ stage: 'cli start-up (empty stdin)', glossary: '1k', seconds: empty.seconds });
  const times: Record<number, RunResult> = {};
  // Best of two runs each, alternating, so a burst of load elsewhere on the machine hits both alike.
  for (let round = 0; round < 2; round++) {
    for (const jobs of [1, 2]) {
      log(`cli: --jobs ${jobs} over ${(p.jsonlBytes / 1e6).toFixed(0)} MB of JSON Lines (run ${round + 1} of 2)`);
      const r = await run(cmd, [...pre, ...cliArgs(p, jobs, ['-'])], { cwd: p.root, stdinFile: p.jsonl, timeoutSeconds: 1200 });
      const bad = failure(r);
      if (bad) {
        rows.push({ stage: `cli --jobs ${jobs}: failed (${bad})` });
        return null;
      }
      if (!times[jobs] || r.seconds < times[jobs]!.seconds) times[jobs] = r;
    }
  }
  const mb = p.jsonlBytes / 1e6;
  const t1 = times[1]!.seconds;
  const t2 = times[2]!.seconds;
  rows.push({ stage: 'cli --jobs 1 (stdin jsonl)', glossary: '1k', mb, seconds: t1, mbps: mbps(p.jsonlBytes, t1), result: `${times[1]!.stdoutLines.toLocaleString('en-US')} output lines` });
  const speedup = t1 / t2;
  const net = (t1 - empty.seconds) / (t2 - empty.seconds);
  rows.push({
    stage: 'cli --jobs 2 (stdin jsonl)',
    glossary: '1k',
    mb,
    seconds: t2,
    mbps: mbps(p.jsonlBytes, t2),
    result: `${ratio(speedup)} of --jobs 1 (${ratio(net)} net of start-up)`,
    goal: '≥ 1.7×',
    ok: speedup >= 1.7,
  });
  // What two cores give this workload at best: two independent --jobs 1 processes, each on half of
  // the records, side by side (no coordination at all). --jobs 2 is judged against this too.
  const halves = splitJsonl(p.jsonl);
  const started = performance.now();
  const both = await Promise.all(halves.map((h) => run(cmd, [...pre, ...cliArgs(p, 1, ['-'])], { cwd: p.root, stdinFile: h, timeoutSeconds: 1200 })));
  const tHalves = (performance.now() - started) / 1000;
  for (const h of halves) fs.rmSync(h, { force: true });
  if (!both.some((r) => failure(r))) {
    rows.push({
      stage: 'ceiling: 2 × --jobs 1 on halves, side by side',
      glossary: '1k',
      mb,
      seconds: tHalves,
      mbps: mbps(p.jsonlBytes, tHalves),
      result: `${ratio(t1 / tHalves)} of --jobs 1: the most two cores give here; --jobs 2 reaches ${ratio(tHalves / t2)} of this`,
    });
  }
  return { jobs1: t1, startup: empty.seconds };
}

/** Split a JSON Lines file into two files of (about) half the lines each, next to it. */
function splitJsonl(file: string): [string, string] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const mid = Math.ceil(lines.length / 2);
  const a = `${file}.half1`;
  const b = `${file}.half2`;
  fs.writeFileSync(a, lines.slice(0, mid).join('\n') + '\n');
  fs.writeFileSync(b, lines.slice(mid).join('\n') + '\n');
  return [a, b];
}

/** JSON Lines made on the fly from the corpus articles, over and over, until `bytes` are out. */
export function jsonlStream(articles: readonly Article[], bytes: number): Readable {
  const bodies = articles.map((a) => Buffer.from(`,"text":${JSON.stringify(a.text)}}\n`, 'utf8'));
  async function* gen() {
    let sent = 0;
    let n = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    while (sent < bytes) {
      const head = Buffer.from(`{"id":"s${n}"`, 'utf8');
      const body = bodies[n % bodies.length]!;
      batch.push(head, body);
      batchBytes += head.length + body.length;
      sent += head.length + body.length;
      n++;
      if (batchBytes >= 1 << 20) {
        yield Buffer.concat(batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length) yield Buffer.concat(batch);
  }
  return Readable.from(gen(), { objectMode: false });
}

/** Peak RSS of the CLI while `mb` MB of JSON Lines stream through it. */
export async function streamStage(
  p: Paths,
  articles: readonly Article[],
  mb: number,
  jobsList: readonly number[],
  rows: Row[],
  log: (s: string) => void,
): Promise<void> {
  if (!fs.existsSync(path.join(p.root, 'scripts', 'scan.ts'))) {
    rows.push({ stage: 'stream: skipped (scripts/scan.ts does not exist)' });
    return;
  }
  const [cmd, cliPre] = cliCommand(p.root);
  const bytes = Math.round(mb * 1e6);
  // Without /usr/bin/time, a preloaded module has the CLI report its own peak RSS when it exits.
  const rssOut = path.join(path.dirname(p.glossary1k), 'cli-maxrss.txt');
  let pre = cliPre;
  const env = { ...process.env, COPYDESK_BENCH_RSS: rssOut };
  if (!hasTimeBin) {
    const preload = path.join(path.dirname(p.glossary1k), 'rss-report.mjs');
    fs.writeFileSync(
      preload,
      "import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(process.env.COPYDESK_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n",
    );
    pre = ['--import', pathToFileURL(preload).href, ...cliPre];
  }
  for (const jobs of jobsList) {
    fs.rmSync(rssOut, { force: true });
    log(`stream: ${mb} MB of generated JSON Lines through the CLI, --jobs ${jobs} (peak RSS from ${hasTimeBin ? '/usr/bin/time' : 'process.resourceUsage()'})`);
    const r = await run(cmd, [...pre, ...cliArgs(p, jobs, ['-'])], {
      cwd: p.root,
      stdinStream: jsonlStream(articles, bytes),
      peakRss: true,
      env,
      timeoutSeconds: 1800,
    });
    if (r.peakRssMb === null && fs.existsSync(rssOut)) {
      const kb = Number(fs.readFileSync(rssOut, 'utf8'));
      if (Number.isFinite(kb) && kb > 0) r.peakRssMb = kb / 1024;
    }
    const bad = failure(r);
    if (bad) {
      rows.push({ stage: `stream --jobs ${jobs}: failed (${bad})` });
      return;
    }
    const rss = r.peakRssMb;
    rows.push({
      stage: `stream ${mb >= 1000 ? `${mb / 1000} GB` : `${mb} MB`} stdin, --jobs ${jobs}`,
      glossary: '1k',
      mb,
      seconds: r.seconds,
      mbps: mbps(bytes, r.seconds),
      result: rss === null ? 'peak RSS not measured' : `peak RSS ${rss.toFixed(0)} MB${hasTimeBin ? '' : ' (process.resourceUsage)'}`,
      goal: '< 300 MB',
      ok: rss === null ? undefined : rss < 300,
    });
  }
}

/** Count the problems textlint's JSON output lists. */
function countTextlintMessages(json: string): number | null {
  try {
    const results = JSON.parse(json) as { messages: unknown[] }[];
    return results.reduce((n, r) => n + r.messages.length, 0);
  } catch {
    return null;
  }
}

/** textlint + textlint-rule-prh fed the prh export, against the copydesk CLI on the same files. */
export async function textlintStage(
  p: Paths,
  copydeskGlossaryFindings: number,
  cli: CliFigures | null,
  rows: Row[],
  log: (s: string) => void,
): Promise<void> {
  const bin = path.join(p.root, 'node_modules', 'textlint', 'bin', 'textlint.js');
  if (!fs.existsSync(bin)) {
    rows.push({ stage: 'textlint: not installed' });
    return;
  }
  const mb = p.subsetBytes / 1e6;
  log(`textlint + prh on a ${mb.toFixed(1)} MB subset (${p.subsetFiles.length} files)`);
  const outFile = path.join(p.subsetDir, '..', 'textlint-output.json');
  const r = await runToFile(process.execPath, [bin, '--config', p.textlintrc, '--format', 'json', '--output-file', outFile, ...p.subsetFiles], p.root);
  if (r.code !== 0 && r.code !== 1) {
    rows.push({ stage: `textlint: failed (${failure(r) ?? `exit ${r.code}`})` });
    return;
  }
  const reports = fs.existsSync(outFile) ? countTextlintMessages(fs.readFileSync(outFile, 'utf8')) : null;
  rows.push({
    stage: 'peer: textlint + textlint-rule-prh',
    glossary: '1k (prh export)',
    mb,
    seconds: r.seconds,
    mbps: mbps(p.subsetBytes, r.seconds),
    result: `${reports?.toLocaleString('en-US') ?? '?'} reports (copydesk glossary: ${copydeskGlossaryFindings.toLocaleString('en-US')})`,
  });
  if (!cli) {
    rows.push({ stage: 'copydesk cli on the subset: skipped (cli unavailable)' });
    return;
  }
  const [cmd, pre] = cliCommand(p.root);
  const c = await run(cmd, [...pre, ...cliArgs(p, 1, [p.subsetDir])], { cwd: p.root, timeoutSeconds: 600 });
  const bad = failure(c);
  if (bad) {
    rows.push({ stage: `copydesk cli on the subset: failed (${bad})` });
    return;
  }
  const x = r.seconds / c.seconds;
  // Net of start-up only when copydesk's own work is clearly measurable above its start-up time.
  const work = cli.startup !== null ? c.seconds - cli.startup : NaN;
  const net = work > 0.25 ? (r.seconds - cli.startup!) / work : NaN;
  rows.push({
    stage: 'copydesk cli, same files, --jobs 1',
    glossary: '1k',
    mb,
    seconds: c.seconds,
    mbps: mbps(p.subsetBytes, c.seconds),
    result: `${ratio(x)} textlint's speed${Number.isFinite(net) ? ` (${ratio(net)} net of start-up)` : ''}`,
    goal: '≥ 30×',
    ok: x >= 30,
  });
}

function runToFile(cmd: string, args: string[], cwd: string): Promise<RunResult> {
  return run(cmd, args, { cwd, timeoutSeconds: 1800 });
}

/**
 * grep -F -w -i -o and rg -F -w -i -o with the 1k glossary's variants: over the full corpus in the C
 * locale (bytes; -i folds ASCII only), and grep once more on the textlint subset in the caller's
 * UTF-8 locale, where GNU grep's -i is far slower.
 */
export async function grepStage(p: Paths, copydeskMentions: number, rows: Row[], log: (s: string) => void): Promise<void> {
  const cLocale = { ...process.env, LC_ALL: 'C' };
  const userLocale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || 'C';
  const grep = onPath('grep');
  const rg = onPath('rg');
  const jobs: [string, string | null, string[], string[], NodeJS.ProcessEnv, number, string][] = [
    ['grep', grep, ['-F', '-w', '-i', '-o', '-f', p.patterns], p.txtFiles, cLocale, p.txtBytes, `copydesk exact: ${copydeskMentions.toLocaleString('en-US')}`],
    ['rg', rg, ['-F', '-w', '-i', '-o', '--no-filename', '--no-line-number', '-j', '1', '-f', p.patterns], p.txtFiles, cLocale, p.txtBytes, ''],
  ];
  if (/utf-?8/i.test(userLocale)) {
    jobs.push(['grep', grep, ['-F', '-w', '-i', '-o', '-f', p.patterns], p.subsetFiles, { ...process.env, LC_ALL: userLocale }, p.subsetBytes, `${userLocale}, textlint subset`]);
  }
  for (const [name, bin, flags, files, env, bytes, note] of jobs) {
    if (!bin) {
      if (!rows.some((r) => r.stage === `${name}: not installed`)) rows.push({ stage: `${name}: not installed` });
      continue;
    }
    const locale = env.LC_ALL ?? '';
    log(`${name} -F -w -i over ${(bytes / 1e6).toFixed(1)} MB (LC_ALL=${locale})`);
    // Output goes to a pipe, not /dev/null: GNU grep stops at the first match when it sees /dev/null.
    const r = await run(bin, [...flags, ...files], { cwd: p.root, env, timeoutSeconds: 1200 });
    if (r.code !== 0 && r.code !== 1) {
      rows.push({ stage: `${name}: failed (${failure(r)})` });
      continue;
    }
    rows.push({
      stage: `literal reference: ${name} -F -w -i -o${locale === 'C' ? '' : ` (${locale})`}`,
      glossary: '1k (variants)',
      mb: bytes / 1e6,
      seconds: r.seconds,
      mbps: mbps(bytes, r.seconds),
      result: `${r.stdoutLines.toLocaleString('en-US')} matches${note ? ` (${note})` : ''}`,
    });
  }
}
