// npm run bench [-- --mb N] [--quick] [--skip-stream] [--stream-mb N] [--stream-jobs 1,2] [--textlint-mb N]
//                 [--seed S] [--skip-external]
//
// One run: generates a reproducible corpus (.bench/, git-ignored) and glossaries of 1k/10k/100k
// variants, then measures the exact glossary pass, compile times, the full pipeline, the CLI with
// one and two jobs, its peak memory while ~1 GB streams through it, and the peers (textlint +
// textlint-rule-prh with the prh export, grep, ripgrep). Prints a table with the goals. Figures
// only: nothing here fails the run when a goal is missed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileGlossary, type CompiledGlossary } from '../server/core/glossary/compile.ts';
import { validateGlossary, GlossaryValidationError, type GlossaryData } from '../server/core/glossary/schema.ts';
import { toPrhYaml } from '../server/core/glossary/prh.ts';
import { scanText } from '../server/core/scan.ts';
import { loadGlossaryData, PROJECT_ROOT, STARTER_GLOSSARY } from '../server/glossary/files.ts';
import { BUILTIN_GLOSSARY, buildGlossaries } from './bench/glossaries.ts';
import { countFound, generateCorpus, splitSeeds, type Corpus } from './bench/corpus.ts';
import { mbps, now, timeRuns } from './bench/measure.ts';
import { formatTable, ratio, sizeLabel, type Row } from './bench/table.ts';
import { cliStage, grepStage, streamStage, textlintStage, type Paths } from './bench/external.ts';

interface Options {
  mb: number;
  quick: boolean;
  skipStream: boolean;
  streamMb: number;
  textlintMb: number;
  seed: string;
  skipExternal: boolean;
  streamJobs: number[];
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    mb: quick ? 5 : 50,
    quick,
    skipStream: false,
    streamMb: quick ? 50 : 1000,
    textlintMb: quick ? 0.3 : 1,
    streamJobs: quick ? [1, 2] : [1],
    seed: 'copydesk-bench-1',
    skipExternal: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--mb') o.mb = num();
    else if (a === '--stream-mb') o.streamMb = num();
    else if (a === '--textlint-mb') o.textlintMb = num();
    else if (a === '--seed') o.seed = argv[++i] ?? o.seed;
    else if (a === '--stream-jobs') {
      o.streamJobs = (argv[++i] ?? '').split(',').map(Number);
      if (!o.streamJobs.length || o.streamJobs.some((j) => !Number.isInteger(j) || j < 1)) throw new Error('--stream-jobs needs a list such as 1,2');
    } else if (a === '--skip-stream') o.skipStream = true;
    else if (a === '--skip-external') o.skipExternal = true;
    else if (a === '--quick') continue;
    else throw new Error(`unknown option ${a} (known: --mb N, --quick, --skip-stream, --stream-mb N, --stream-jobs 1,2, --textlint-mb N, --seed S, --skip-external)`);
  }
  return o;
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

function loadBase(): { data: GlossaryData; label: string } {
  try {
    const data = loadGlossaryData(STARTER_GLOSSARY);
    const n = data.concepts.reduce((k, c) => k + (c.variants?.length ?? 0), 0);
    if (n > 0) return { data, label: `starter glossary (${n} variants)` };
    return { data: BUILTIN_GLOSSARY, label: 'built-in handful (the starter glossary has no variants)' };
  } catch (e) {
    const why = e instanceof GlossaryValidationError ? `${e.problems.length} problems` : (e as Error).message.split('\n')[0];
    return { data: BUILTIN_GLOSSARY, label: `built-in handful (starter glossary did not load: ${why})` };
  }
}

function writeFiles(out: string, corpus: Corpus, g1k: GlossaryData, textlintMb: number): Paths {
  // Only what this bench writes is replaced; anything else in .bench/ is left alone.
  for (const d of ['txt', 'subset']) fs.rmSync(path.join(out, d), { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'txt'), { recursive: true });
  fs.mkdirSync(path.join(out, 'subset'), { recursive: true });
  const jsonl = path.join(out, 'corpus.jsonl');
  const fd = fs.openSync(jsonl, 'w');
  let jsonlBytes = 0;
  let buf: string[] = [];
  const flush = () => {
    const b = Buffer.from(buf.join(''), 'utf8');
    fs.writeSync(fd, b);
    jsonlBytes += b.length;
    buf = [];
  };
  corpus.articles.forEach((a, i) => {
    buf.push(JSON.stringify({ id: a.id, text: a.text }) + '\n');
    if (i % 500 === 499) flush();
  });
  flush();
  fs.closeSync(fd);
  // A few large text files (each under the CLI's 32 MB input limit), articles separated by blank lines.
  const txtFiles: string[] = [];
  const parts = Math.max(2, Math.ceil(corpus.bytes / 16e6));
  const per = Math.ceil(corpus.articles.length / parts);
  let txtBytes = 0;
  for (let p = 0; p < parts; p++) {
    const file = path.join(out, 'txt', `part-${String(p).padStart(2, '0')}.txt`);
    const text = corpus.articles
      .slice(p * per, (p + 1) * per)
      .map((a) => a.text)
      .join('\n\n');
    fs.writeFileSync(file, text);
    txtBytes += Buffer.byteLength(text, 'utf8');
    txtFiles.push(file);
  }
  // The subset for textlint: the first articles up to textlintMb, in 6 files.
  const subset: string[] = [];
  let subsetBytes = 0;
  for (const a of corpus.articles) {
    if (subsetBytes >= textlintMb * 1e6) break;
    subset.push(a.text);
    subsetBytes += Buffer.byteLength(a.text, 'utf8');
  }
  const subsetFiles: string[] = [];
  const sPer = Math.ceil(subset.length / 6);
  subsetBytes = 0;
  for (let p = 0; p * sPer < subset.length; p++) {
    const file = path.join(out, 'subset', `part-${p}.txt`);
    const text = subset.slice(p * sPer, (p + 1) * sPer).join('\n\n');
    fs.writeFileSync(file, text);
    subsetBytes += Buffer.byteLength(text, 'utf8');
    subsetFiles.push(file);
  }
  const glossary1k = path.join(out, 'glossary-1k.json');
  fs.writeFileSync(glossary1k, JSON.stringify(g1k));
  const prh1k = path.join(out, 'prh-1k.yml');
  fs.writeFileSync(prh1k, toPrhYaml(g1k));
  const textlintrc = path.join(out, 'textlintrc.json');
  fs.writeFileSync(textlintrc, JSON.stringify({ rules: { prh: { rulePaths: [prh1k] } } }, null, 2));
  const patterns = path.join(out, 'patterns-1k.txt');
  const variants = g1k.concepts.flatMap((c) => (c.variants ?? []).map((v) => v.text));
  fs.writeFileSync(patterns, [...new Set(variants)].join('\n') + '\n');
  return { root: PROJECT_ROOT, jsonl, jsonlBytes, txtFiles, txtBytes, subsetDir: path.join(out, 'subset'), subsetFiles, subsetBytes, glossary1k, prh1k, textlintrc, patterns };
}

function exactPass(compiled: CompiledGlossary, corpus: Corpus): void {
  const m = compiled.matcher;
  for (const a of corpus.articles) m.scan(a.text);
}

function variantSpans(g: CompiledGlossary) {
  return (text: string): [number, number][] =>
    g.matcher
      .scan(text)
      .filter((m) => g.forms[m.form]!.role === 'variant')
      .map((m) => [m.start, m.end]);
}

async function main(): Promise<void> {
  const opt = parseOptions(process.argv.slice(2));
  const t0 = now();
  const loadBefore = os.loadavg()[0]!;
  const rows: Row[] = [];
  const out = path.join(PROJECT_ROOT, '.bench');

  // Inputs.
  const base = loadBase();
  log(`base glossary: ${base.label}`);
  const sizes = opt.quick ? [1000, 10000] : [1000, 10000, 100000];
  let t = now();
  const bg = buildGlossaries(base.data, sizes, opt.seed);
  const genGlossaries = now() - t;
  for (const g of bg.glossaries) validateGlossary(g, g.name);
  const seedsDir = path.join(PROJECT_ROOT, 'corpus', 'articles');
  const seedTexts = fs
    .readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8'));
  t = now();
  const corpus = generateCorpus({ seed: opt.seed, seedText: splitSeeds(seedTexts), pool: bg.pool, tiers: sizes.length, bytes: opt.mb * 1e6 });
  const genCorpus = now() - t;
  const paths = writeFiles(out, corpus, bg.glossaries[0]!, opt.textlintMb);
  const mb = corpus.bytes / 1e6;
  const injected = corpus.injectedByTier.reduce((a, b) => a + b, 0);
  log(
    `corpus: ${corpus.articles.length.toLocaleString('en-US')} articles, ${mb.toFixed(1)} MB, ${injected.toLocaleString('en-US')} variants injected ` +
      `(${corpus.injectedSynthetic.toLocaleString('en-US')} synthetic), generated in ${genCorpus.toFixed(1)} s; glossaries in ${genGlossaries.toFixed(1)} s`,
  );
  rows.push({ stage: 'generate corpus (.bench/)', mb, seconds: genCorpus, result: `${corpus.articles.length.toLocaleString('en-US')} articles, ${injected.toLocaleString('en-US')} injected variants` });

  // Compile and exact pass, per glossary.
  const compiled: CompiledGlossary[] = [];
  const exact: number[] = [];
  let mentions1k = 0;
  for (let i = 0; i < sizes.length; i++) {
    const label = sizeLabel(sizes[i]!);
    log(`compile + exact pass: ${label}`);
    let c!: CompiledGlossary;
    const ct = timeRuns(() => (c = compileGlossary(bg.glossaries[i]!)), { runs: sizes[i]! >= 100000 ? 2 : 3, warmups: 1 });
    compiled.push(c);
    rows.push({ stage: 'compile glossary', glossary: label, seconds: ct.best, result: `${c.forms.length.toLocaleString('en-US')} forms, ${c.concepts.length.toLocaleString('en-US')} concepts` });
    const found = countFound(corpus, i, variantSpans(c)); // also the warm-up
    if (i === 0) mentions1k = found.found + found.other;
    const et = timeRuns(() => exactPass(c, corpus), { runs: 5, warmups: 0 });
    exact.push(mbps(corpus.bytes, et.best));
    const vs1k = i === 0 ? '' : `, ${ratio(exact[i]! / exact[0]!)} of 1k`;
    const big = i === sizes.length - 1 && sizes[i]! >= 100000;
    rows.push({
      stage: 'exact pass (matcher.scan)',
      glossary: label,
      mb,
      seconds: et.best,
      mbps: exact[i],
      result: `found ${found.found.toLocaleString('en-US')}/${found.expected.toLocaleString('en-US')} injected (+${found.other.toLocaleString('en-US')} in seed text); median ${mbps(corpus.bytes, et.median).toFixed(0)} MB/s${vs1k}`,
      goal: big ? '≥ 80 MB/s and ≥ 0.7× 1k' : 'all injected found',
      ok: big ? exact[i]! >= 80 && exact[i]! >= 0.7 * exact[0]! && found.found === found.expected : found.found === found.expected,
    });
  }

  // Full pipeline in-process: 1k and the largest glossary.
  let subsetGlossaryFindings = 0;
  {
    const subsetMb = opt.textlintMb * 1e6;
    let b = 0;
    for (const a of corpus.articles) {
      if (b >= subsetMb) break;
      b += Buffer.byteLength(a.text, 'utf8');
      subsetGlossaryFindings += scanText(a.text, compiled[0]!).filter((f) => f.detector === 'glossary' && f.kind !== 'house-style').length;
    }
  }
  for (const i of [0, sizes.length - 1]) {
    const label = sizeLabel(sizes[i]!);
    log(`full pipeline (scanText): ${label}`);
    const g = compiled[i]!;
    for (const a of corpus.articles.slice(0, 300)) scanText(a.text, g);
    let findings = 0;
    const pt = timeRuns(
      () => {
        findings = 0;
        for (const a of corpus.articles) findings += scanText(a.text, g).length;
      },
      { runs: 2, maxSeconds: opt.quick ? 5 : 20 },
    );
    const rate = mbps(corpus.bytes, pt.best);
    rows.push({ stage: 'full pipeline (scanText)', glossary: label, mb, seconds: pt.best, mbps: rate, result: `${findings.toLocaleString('en-US')} findings`, goal: '≥ 10 MB/s', ok: rate >= 10 });
  }
  compiled.length = 0;

  // Other programs.
  if (!opt.skipExternal) {
    const cli = await cliStage(paths, rows, log);
    if (opt.skipStream) rows.push({ stage: 'stream: skipped (--skip-stream)' });
    else await streamStage(paths, corpus.articles, opt.streamMb, opt.streamJobs, rows, log);
    await textlintStage(paths, subsetGlossaryFindings, cli, rows, log);
    await grepStage(paths, mentions1k, rows, log);
  }

  const total = now() - t0;
  console.log(
    `\ncopydesk bench — seed ${opt.seed}, base: ${base.label}; corpus ${mb.toFixed(1)} MB (${corpus.articles.length.toLocaleString('en-US')} articles); ` +
      `Node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore.toFixed(2)} at the start and ${os.loadavg()[0]!.toFixed(2)} at the end ` +
      '(other work on the machine skews the figures, the --jobs 2 one most); one core per in-process stage; MB = 1e6 bytes of UTF-8 text; ' +
      'in-process: best of a few runs after a warm-up.\n',
  );
  console.log(formatTable(rows));
  console.log(`\ntotal ${total.toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exitCode = 1;
});
