// npm run bench:import [-- --count N] [--seed S] [--batch-size N] [--skip-files] [--keep]
//
// The article import, measured: generates (or reuses, in .bench/import/) N articles (default
// 10,000) with the bench corpus generator — paragraphs of the demo articles with variants of the
// starter glossary injected — as JSON Lines and as a folder of .txt files, then imports them into
// fresh temporary databases through what `npm run import` uses (readImportInputs ->
// ArticleService.importMany), findings stored. Prints articles/s, MB/s and findings stored, the
// re-import (no-op) rate, and scanning alone for reference. Delete .bench/import/ to regenerate.
// A measurement, not a test: the goal (≥ 500 articles/s with findings) is shown, never enforced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { detectLanguage } from '../server/core/language.ts';
import { scanText } from '../server/core/scan.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../server/glossary/files.ts';
import { readImportInputs } from '../server/services/article-import.ts';
import { DEFAULT_BATCH_SIZE, type ImportItem, type ImportSummary } from '../server/services/articles.ts';
import { articleStream, splitSeeds } from './bench/corpus.ts';
import { BUILTIN_GLOSSARY, buildGlossaries } from './bench/glossaries.ts';
import { now } from './bench/measure.ts';
import { formatTable, type Row } from './bench/table.ts';

interface Options {
  count: number;
  seed: string;
  batchSize: number;
  skipFiles: boolean;
  keep: boolean;
}

const GOAL = 500;
const log = (s: string) => process.stderr.write(`bench:import: ${s}\n`);
const int = (n: number) => n.toLocaleString('en-US');

function parseOptions(argv: string[]): Options {
  const o: Options = { count: 10_000, seed: 'copydesk-import-1', batchSize: DEFAULT_BATCH_SIZE, skipFiles: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${a} needs a positive whole number`);
      return v;
    };
    if (a === '--count') o.count = num();
    else if (a === '--batch-size') o.batchSize = num();
    else if (a === '--seed') o.seed = argv[++i] ?? o.seed;
    else if (a === '--skip-files') o.skipFiles = true;
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a} (known: --count N, --seed S, --batch-size N, --skip-files, --keep)`);
  }
  return o;
}

/** The generated articles, as JSON Lines and as a folder of .txt files, reused when present. */
function corpusFiles(opt: Options, starterGlossary: string): { jsonl: string; folder: string; bytes: number } {
  const dir = path.join(PROJECT_ROOT, '.bench', 'import');
  const stem = `${opt.seed.replace(/[^\w.-]/g, '_')}-${opt.count}`;
  const jsonl = path.join(dir, `${stem}.jsonl`);
  const folder = path.join(dir, stem);
  const done = path.join(folder, '.complete');
  if (fs.existsSync(jsonl) && fs.existsSync(done)) {
    log(`reusing ${path.relative(PROJECT_ROOT, jsonl)} and ${path.relative(PROJECT_ROOT, folder)}/`);
    return { jsonl, folder, bytes: Number(fs.readFileSync(done, 'utf8')) };
  }
  const t = now();
  let base;
  try {
    base = loadGlossaryData(starterGlossary);
  } catch {
    base = BUILTIN_GLOSSARY;
  }
  const variants = base.concepts.reduce((n, c) => n + (c.variants?.length ?? 0), 0) || 1;
  // Only variants the database's (starter) glossary holds, so the injected ones become findings.
  const { pool } = buildGlossaries(base, [variants], opt.seed);
  const seedsDir = path.join(PROJECT_ROOT, 'corpus', 'articles');
  const seedTexts = fs
    .readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8'));
  fs.rmSync(folder, { recursive: true, force: true });
  // 100 articles per subfolder (slugs like 007__a000712), written under temporary names first.
  fs.mkdirSync(folder, { recursive: true });
  const tmp = `${jsonl}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let bytes = 0;
  let buf: string[] = [];
  let n = 0;
  for (const a of articleStream({ seed: opt.seed, seedText: splitSeeds(seedTexts), pool, tiers: 1, idPrefix: 'a' })) {
    if (n >= opt.count) break;
    buf.push(JSON.stringify({ id: a.id, text: a.text }) + '\n');
    if (buf.length === 500) {
      fs.writeSync(fd, buf.join(''));
      buf = [];
    }
    const sub = path.join(folder, String(Math.floor(n / 100)).padStart(3, '0'));
    if (n % 100 === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `${a.id}.txt`), a.text);
    bytes += a.bytes;
    n++;
  }
  fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
  fs.renameSync(tmp, jsonl);
  fs.writeFileSync(done, String(bytes));
  log(`generated ${int(n)} articles (${(bytes / 1e6).toFixed(1)} MB) in ${(now() - t).toFixed(1)} s into ${path.relative(PROJECT_ROOT, dir)}/`);
  return { jsonl, folder, bytes };
}

async function freshWorkspace(file: string): Promise<{ ws: Workspace; seconds: number }> {
  for (const x of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(x, { force: true });
  const t = now();
  const ws = await openWorkspace(loadConfig({ ...process.env, COPYDESK_DB: file }));
  return { ws, seconds: now() - t };
}

/** Import like `npm run import -- <input>` does (a .jsonl file as if piped to "-"), timed from the first read to the last commit. */
async function timedImport(ws: Workspace, input: string, batchSize: number): Promise<{ s: ImportSummary; seconds: number; failed: number }> {
  let failed = 0;
  const jsonl = input.endsWith('.jsonl');
  const inputs = jsonl ? ['-'] : [input];
  const stream = jsonl ? fs.createReadStream(input) : undefined;
  async function* items(): AsyncGenerator<ImportItem> {
    for await (const e of readImportInputs(inputs, { stdin: stream })) {
      if (e.kind === 'failure') {
        failed++;
        if (failed <= 5) log(`failed: ${e.failure.message}`);
      } else yield e.item;
    }
  }
  const t = now();
  const s = await ws.articles.importMany(items(), { batchSize });
  return { s, seconds: now() - t, failed };
}

/** Findings of a sample of articles must slice the stored text exactly. */
async function checkOffsets(ws: Workspace, sample: number): Promise<string> {
  const rows = await ws.db.all<{ id: number; text: string }>('SELECT id, text FROM articles ORDER BY id DESC LIMIT ?', [sample]);
  let checked = 0;
  for (const r of rows) {
    const fs_ = await ws.db.all<{ start: number; end: number; text: string }>('SELECT start, end, text FROM findings WHERE article_id = ?', [r.id]);
    for (const f of fs_) {
      if (r.text.slice(f.start, f.end) !== f.text) throw new Error(`article ${r.id}: finding ${f.start}-${f.end} does not slice to its text`);
      checked++;
    }
  }
  return `${int(checked)} findings of ${rows.length} articles slice their text`;
}

async function counts(ws: Workspace) {
  return (await ws.db.get<{ articles: number; revisions: number; findings: number }>(
    `SELECT (SELECT COUNT(*) FROM articles) AS articles, (SELECT COUNT(*) FROM article_revisions) AS revisions,
            (SELECT COUNT(*) FROM findings) AS findings`,
  ))!;
}

async function main(): Promise<void> {
  const opt = parseOptions(process.argv.slice(2));
  const config = loadConfig(process.env);
  const files = corpusFiles(opt, config.starterGlossary);
  const mb = files.bytes / 1e6;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-bench-import-'));
  const rows: Row[] = [];
  const rate = (n: number, s: number) => `${int(Math.round(n / s))} articles/s`;
  try {
    // 1. JSON Lines into a fresh database, then the same again (every text unchanged).
    const a = await freshWorkspace(path.join(tmpDir, 'jsonl.db'));
    const before = await counts(a.ws);
    log(`fresh database (migrations, starter glossary, ${before.articles} demo articles) opened in ${a.seconds.toFixed(2)} s; importing JSON Lines`);
    const first = await timedImport(a.ws, files.jsonl, opt.batchSize);
    const after = await counts(a.ws);
    const r1 = first.s.articles / first.seconds;
    rows.push({
      stage: `import JSON Lines (stdin path), batch ${opt.batchSize}`,
      mb,
      seconds: first.seconds,
      mbps: mb / first.seconds,
      result: `${rate(first.s.articles, first.seconds)}; ${int(first.s.added)} added, ${int(first.s.findings)} findings stored (${(first.s.findings / Math.max(1, first.s.added)).toFixed(1)}/article), ${first.failed} failed`,
      goal: `≥ ${GOAL} articles/s`,
      ok: r1 >= GOAL,
    });
    const stored = `${int(after.articles - before.articles)} articles, ${int(after.revisions - before.revisions)} revisions, ${int(after.findings - before.findings)} findings rows added`;
    rows.push({ stage: '  rows in the database', result: stored, ok: after.findings - before.findings === first.s.findings && after.articles - before.articles === first.s.added });
    rows.push({ stage: '  offsets check', result: await checkOffsets(a.ws, 300) });
    log('re-importing the same JSON Lines');
    const again = await timedImport(a.ws, files.jsonl, opt.batchSize);
    const after2 = await counts(a.ws);
    rows.push({
      stage: 're-import JSON Lines (no-op)',
      mb,
      seconds: again.seconds,
      mbps: mb / again.seconds,
      result: `${rate(again.s.articles, again.seconds)}; ${int(again.s.unchanged)} unchanged, ${int(again.s.added + again.s.revised)} written`,
      ok: again.s.unchanged === again.s.articles && after2.revisions === after.revisions && after2.findings === after.findings,
    });
    // Scanning alone (scanText + detectLanguage), with the same glossary, for reference.
    const glossary = await a.ws.glossary.compiled();
    const texts: string[] = [];
    for await (const e of readImportInputs(['-'], { stdin: fs.createReadStream(files.jsonl) })) if (e.kind === 'item') texts.push(e.item.text);
    let t = now();
    let findings = 0;
    for (const text of texts) findings += scanText(text, glossary).length;
    const scanS = now() - t;
    t = now();
    for (const text of texts) detectLanguage(text);
    const langS = now() - t;
    rows.push({ stage: '  for reference: scanText alone', mb, seconds: scanS, mbps: mb / scanS, result: `${rate(texts.length, scanS)}; ${int(findings)} findings` });
    rows.push({ stage: '  for reference: detectLanguage alone', mb, seconds: langS, mbps: mb / langS, result: rate(texts.length, langS) });
    await a.ws.close();

    // 2. The folder of .txt files into another fresh database.
    if (!opt.skipFiles) {
      const b = await freshWorkspace(path.join(tmpDir, 'files.db'));
      log('importing the folder of .txt files');
      const r = await timedImport(b.ws, files.folder, opt.batchSize);
      const r2 = r.s.articles / r.seconds;
      rows.push({
        stage: `import folder of ${int(r.s.articles)} .txt files`,
        mb,
        seconds: r.seconds,
        mbps: mb / r.seconds,
        result: `${rate(r.s.articles, r.seconds)}; ${int(r.s.added)} added, ${int(r.s.findings)} findings stored, ${r.failed} failed`,
        goal: `≥ ${GOAL} articles/s`,
        ok: r2 >= GOAL,
      });
      await b.ws.close();
    }
  } finally {
    if (opt.keep) log(`databases kept in ${tmpDir}`);
    else fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  console.log(
    `\ncopydesk import bench — ${int(opt.count)} generated articles (seed ${opt.seed}), ${mb.toFixed(1)} MB of UTF-8 text; ` +
      `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}; ` +
      'one run each, wall-clock from the first read to the last commit, into a fresh temporary database (WAL, synchronous=NORMAL); MB = 1e6 bytes.\n',
  );
  console.log(formatTable(rows));
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
