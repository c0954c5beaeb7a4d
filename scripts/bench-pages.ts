// npm run bench:pages [-- --count N] [--seed S] [--runs N] [--warmup N] [--db FILE] [--keep]
//
// Page speed at scale: builds a temporary database holding N bench articles (default 10,000) with
// the bench corpus generator — paragraphs of the demo articles with variants of the starter
// glossary injected, as bench:import does — each given an outlet, an origin language, a date and a
// story key, imported through ArticleService.importMany (findings stored). Then it starts the app
// on 127.0.0.1 (random port), signs in as a reviewer account of its own ("bench": created in the
// database, or given a new random password when a reused database has it already; every request
// carries the session cookie, so the session lookup is timed too), warms it up, and times N
// sequential GET requests per page: the queue's first page, its page 100, filtered and sorted
// queues, text searches, and an article page. Prints the median and p95 of each, as server time
// (request arrival to the response's last byte) and client wall time (keep-alive loopback), with
// the goals (queue < 200 ms, article < 100 ms, against the server p95). A measurement, not a test:
// the goals are shown, never enforced. --db FILE builds into FILE (reused when it already holds
// the articles) and keeps it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { loadGlossaryData, PROJECT_ROOT } from '../server/glossary/files.ts';
import type { ImportItem } from '../server/services/articles.ts';
import { articleStream, splitSeeds } from './bench/corpus.ts';
import { BUILTIN_GLOSSARY, buildGlossaries } from './bench/glossaries.ts';
import { now } from './bench/measure.ts';
import { Rng } from './bench/random.ts';

interface Options {
  count: number;
  seed: string;
  runs: number;
  warmup: number;
  db: string | null;
  keep: boolean;
}

const log = (s: string) => process.stderr.write(`bench:pages: ${s}\n`);
/** The account the bench signs in with (a reviewer: pages look the same for every role). */
const BENCH_USER = 'bench';
const int = (n: number) => n.toLocaleString('en-US');

function parseOptions(argv: string[]): Options {
  const o: Options = { count: 10_000, seed: 'copydesk-pages-1', runs: 30, warmup: 5, db: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (min: number) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < min) throw new Error(`${a} needs a whole number of at least ${min}`);
      return v;
    };
    if (a === '--count') o.count = num(1);
    else if (a === '--runs') o.runs = num(1);
    else if (a === '--warmup') o.warmup = num(0);
    else if (a === '--seed') o.seed = argv[++i] ?? o.seed;
    else if (a === '--db') o.db = path.resolve(argv[++i] ?? '');
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a} (known: --count N, --seed S, --runs N, --warmup N, --db FILE, --keep)`);
  }
  return o;
}

const OUTLETS = [
  'Baonghean.vn', 'Global Times', 'Kyiv Independent', 'TASS (English)', 'Ukrinform', 'RIA Novosti (translated)',
  'Xinhua', 'VnExpress International', 'The Daily Star (Dhaka)', 'Prothom Alo English', 'Anadolu Agency', 'Deutsche Welle',
  'France 24', 'Al Jazeera', 'london-news-net', 'Meduza', 'Novaya Gazeta Europe', 'Radio Liberty', 'Hindustan Times',
  'Dawn', 'Yonhap', 'Kyodo', 'Interfax-Ukraine', 'BelTA', 'Trend.az', 'Armenpress', 'Daily Sabah', 'EFE', 'ANSA', 'PAP',
];
const LANGS = ['eng', 'ukr', 'rus', 'vie', 'cmn', 'ben', 'fra', 'deu', 'ara', 'tur', 'pol', 'spa'];

/** The bench articles with metadata, reproducibly from the seed. */
function* benchItems(count: number, seed: string): Generator<ImportItem> {
  let base;
  try {
    base = loadGlossaryData(loadConfig(process.env).starterGlossary);
  } catch {
    base = BUILTIN_GLOSSARY;
  }
  const variants = base.concepts.reduce((n, c) => n + (c.variants?.length ?? 0), 0) || 1;
  const { pool } = buildGlossaries(base, [variants], seed);
  const seedsDir = path.join(PROJECT_ROOT, 'corpus', 'articles');
  const seedTexts = fs
    .readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8'));
  const rng = new Rng(`${seed}/metadata`);
  const start = Date.UTC(2019, 0, 1);
  const days = Math.floor((Date.UTC(2025, 11, 31) - start) / 86_400_000);
  let n = 0;
  for (const a of articleStream({ seed, seedText: splitSeeds(seedTexts), pool, tiers: 1, idPrefix: 'a' })) {
    if (n++ >= count) return;
    const date = new Date(start + rng.int(days + 1) * 86_400_000).toISOString().slice(0, 10);
    yield {
      slug: a.id,
      text: a.text,
      outlet: rng.pick(OUTLETS),
      origin_lang: rng.pick(LANGS),
      date,
      story: `story-${rng.int(Math.max(1, Math.floor(count / 4)))}`,
    };
  }
}

async function buildDb(file: string, opt: Options): Promise<Workspace> {
  const ws = await openWorkspace(loadConfig({ ...process.env, COPYDESK_DB: file }));
  const have = (await ws.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM articles WHERE slug LIKE 'a%' AND slug GLOB 'a[0-9]*'"))!.n;
  if (have >= opt.count) {
    log(`reusing ${file} (${int(have)} bench articles)`);
    return ws;
  }
  const t = now();
  const s = await ws.articles.importMany(benchItems(opt.count, opt.seed), { batchSize: 500 });
  log(`imported ${int(s.added)} articles with ${int(s.findings)} findings in ${(now() - t).toFixed(1)} s`);
  await reviewActivity(ws);
  await ws.db.exec('PRAGMA optimize');
  return ws;
}

/**
 * Some review work, so that the queue's status, last reviewer and open counts have rows to read:
 * an annotation on every 20th article and a decision on the first finding of every 10th (written
 * straight into the tables of migration 4; skipped on a database without them).
 */
async function reviewActivity(ws: Workspace): Promise<void> {
  try {
    await ws.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO annotations (article_id, revision, reviewer, category, severity, start, end, exact)
         SELECT id, revision, 'Reviewer ' || (id % 7), 'style', 'minor', 0, 1, substr(text, 1, 1) FROM articles WHERE id % 20 = 0`,
      );
      await tx.run(
        `INSERT INTO finding_decisions (article_id, revision, detector, start, end, text, decision, reviewer)
         SELECT f.article_id, a.revision, f.detector, f.start, f.end, f.text, 'dismissed', 'Reviewer ' || (a.id % 5)
         FROM findings f JOIN articles a ON a.id = f.article_id
         WHERE a.id % 10 = 0 AND f.id = (SELECT MIN(id) FROM findings g WHERE g.article_id = a.id)`,
      );
    });
    const n = (await ws.db.get<{ a: number; d: number }>('SELECT (SELECT COUNT(*) FROM annotations) AS a, (SELECT COUNT(*) FROM finding_decisions) AS d'))!;
    log(`review activity: ${int(n.a)} annotations, ${int(n.d)} decisions on findings`);
  } catch (e) {
    log(`no review activity written (${(e as Error).message})`);
  }
}

interface Timed {
  /** Server time: from the request's arrival to the last byte of the response handed to the socket. */
  server: { median: number; p95: number };
  /** Client wall time: from fetch() to the last byte of the body read. */
  wall: { median: number; p95: number };
  bytes: number;
  status: number;
}

function quantile(sorted: number[], q: number): number {
  // Nearest rank.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95) };
};

/** Server times of the requests finished so far (the server pushes one per response). */
const serverTimes: number[] = [];

/**
 * A signed-in session for the bench account: created when the database has no such user, else
 * given a new random password (the database may be one kept from an earlier run). Returns the
 * Cookie header to send.
 */
async function signIn(ws: Workspace): Promise<string> {
  const password = crypto.randomBytes(24).toString('base64url');
  if (await ws.accounts.get(BENCH_USER)) await ws.accounts.resetPassword(BENCH_USER, password, 'bench:pages');
  else await ws.accounts.create(BENCH_USER, password, 'reviewer', 'bench:pages');
  const r = await ws.accounts.login(BENCH_USER, password, '127.0.0.1', 'bench:pages');
  if (!r.ok) throw new Error(`could not sign in as ${BENCH_USER}: ${r.code}`);
  return `copydesk_session=${encodeURIComponent(r.sessionId)}`;
}

async function time(url: string, cookie: string, runs: number, warmup: number): Promise<Timed> {
  let status = 0;
  let bytes = 0;
  const once = async () => {
    // Redirects are not followed: a page that sends the bench to the sign-in form fails it (not 200).
    const res = await fetch(url, { headers: { accept: 'text/html', cookie }, redirect: 'manual' });
    const body = await res.arrayBuffer();
    status = res.status;
    bytes = body.byteLength;
  };
  for (let i = 0; i < warmup; i++) await once();
  serverTimes.length = 0;
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await once();
    wall.push((now() - t0) * 1000);
  }
  if (serverTimes.length !== runs) throw new Error(`expected ${runs} server timings, got ${serverTimes.length}`);
  return { server: stats(serverTimes), wall: stats(wall), bytes, status };
}

function table(head: string[], rows: string[][], right: Set<number>): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const opt = parseOptions(process.argv.slice(2));
  const tmpDir = opt.db ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-bench-pages-'));
  const file = opt.db ?? path.join(tmpDir!, 'pages.db');
  let ws: Workspace | undefined;
  let server: Server | undefined;
  const results: string[][] = [];
  try {
    ws = await buildDb(file, opt);
    const total = (await ws.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles'))!.n;
    const findings = (await ws.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings'))!.n;
    const app = createApp({ articles: ws.articles, glossary: ws.glossary, annotations: ws.annotations, queue: ws.queue, accounts: ws.accounts, stories: ws.stories, scores: ws.scores, dashboard: ws.dashboard, log: (e) => log(JSON.stringify(e)) });
    // The app behind a server that times each response, from arrival to 'finish'.
    const timed = http.createServer((req, res) => {
      const t0 = now();
      res.on('finish', () => serverTimes.push((now() - t0) * 1000));
      app(req, res);
    });
    server = await new Promise<Server>((resolve) => {
      timed.listen(0, '127.0.0.1', () => resolve(timed));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signIn(ws);
    // A mid-corpus article, and a filter that matches a few hundred articles.
    const article = (await ws.db.get<{ slug: string; n: number }>(
      `SELECT a.slug, (SELECT COUNT(*) FROM findings f WHERE f.article_id = a.id) AS n FROM articles a WHERE a.slug = ?`,
      [`a${String(Math.floor(opt.count / 2)).padStart(6, '0')}`],
    )) ?? { slug: '003_30904ec8ac950bac', n: 0 };
    const pages: { name: string; url: string; goal: number }[] = [
      { name: 'queue, first page', url: '/', goal: 200 },
      { name: 'queue, page 100', url: '/?page=100', goal: 200 },
      { name: 'queue, filtered (lang + kind) and sorted by errors', url: '/?lang=ukr&kind=russian-form&sort=errors&dir=desc', goal: 200 },
      { name: 'queue, filtered by outlet, sorted by title, page 3', url: '/?outlet=Global+Times&sort=title&dir=asc&page=3', goal: 200 },
      { name: 'queue, sorted by warnings, page 50', url: '/?sort=warnings&dir=desc&page=50', goal: 200 },
      { name: 'queue, open findings of a common kind', url: '/?kind=transliteration', goal: 200 },
      { name: 'queue, in review, sorted by errors', url: '/?status=in-review&sort=errors&dir=desc', goal: 200 },
      { name: 'queue, text search (title, outlet)', url: '/?q=prisoner', goal: 200 },
      { name: 'queue, text search incl. article text', url: '/?q=Zelensky&body=1', goal: 200 },
      { name: `article page (${article.n} findings)`, url: `/articles/${encodeURIComponent(article.slug)}`, goal: 100 },
    ];
    log(`${int(total)} articles, ${int(findings)} findings; timing ${opt.runs} requests per page after ${opt.warmup} warm-ups`);
    for (const p of pages) {
      const r = await time(base + p.url, cookie, opt.runs, opt.warmup);
      if (r.status !== 200) throw new Error(`${p.url} answered ${r.status}${r.status === 303 ? ' (a redirect: is the bench signed in?)' : ''}`);
      results.push([
        p.name,
        p.url,
        r.server.median.toFixed(1),
        r.server.p95.toFixed(1),
        r.wall.median.toFixed(1),
        r.wall.p95.toFixed(1),
        `${(r.bytes / 1024).toFixed(0)} KB`,
        `< ${p.goal} ms`,
        r.server.p95 < p.goal ? 'PASS' : r.server.median < p.goal ? 'PASS (median only)' : 'FAIL',
      ]);
    }
    console.log(
      `\ncopydesk page bench — ${int(total)} articles (${int(opt.count)} generated, seed ${opt.seed}), ${int(findings)} findings; ` +
        `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}; ` +
        `${opt.runs} sequential GETs per page after ${opt.warmup} warm-ups. server = request arrival to the response's last byte ` +
        `handed to the socket; wall = fetch() to the body's last byte read, keep-alive loopback. The goal applies to the server p95.\n`,
    );
    console.log(
      table(['page', 'url', 'server median ms', 'server p95 ms', 'wall median ms', 'wall p95 ms', 'size', 'goal', ''], results, new Set([2, 3, 4, 5, 6])),
    );
  } finally {
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await ws?.close();
    if (tmpDir) {
      if (opt.keep) log(`database kept in ${file}`);
      else fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
