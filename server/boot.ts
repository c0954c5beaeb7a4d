// The composition root: config -> store -> services (openWorkspace), then the web app (start).
// Every command that opens a database goes through openWorkspace, so a new database is always
// migrated and loaded with the starter glossary and the demo corpus.
import fs from 'node:fs';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { loadCorpus } from './corpus.ts';
import { loadGlossaryData } from './glossary/files.ts';
import { ArticleStore } from './store/articles.ts';
import { GlossaryStore } from './store/glossary.ts';
import { Db } from './store/db.ts';
import { migrate } from './store/migrations.ts';
import { ArticleService } from './services/articles.ts';
import { AnnotationService } from './services/annotations.ts';
import { AnnotationStore } from './store/annotations.ts';
import { QueueStore } from './store/queue.ts';
import { GlossaryService } from './services/glossary.ts';
import { AccountError, AccountService } from './services/accounts.ts';
import { UserStore } from './store/users.ts';
import { StoryStore } from './store/stories.ts';
import { StoryService } from './services/stories.ts';
import { DashboardStore } from './store/dashboard.ts';
import { ScoreService } from './services/scores.ts';
import { DashboardService } from './services/dashboard.ts';

export type Log = (entry: Record<string, unknown>) => void;

export interface Workspace {
  config: Config;
  db: Db;
  glossary: GlossaryService;
  articles: ArticleService;
  annotations: AnnotationService;
  queue: QueueStore;
  accounts: AccountService;
  /** Stories (rewrites of one event) and their fact findings. */
  stories: StoryService;
  /** Quality scores of articles. */
  scores: ScoreService;
  /** The dashboard's numbers. */
  dashboard: DashboardService;
  close(): Promise<void>;
}

/** A JSON-lines logger on stderr; stacks only when debugging. */
export function makeLog(config: Pick<Config, 'debug'>): Log {
  return (entry) => {
    const { stack, ...rest } = entry;
    console.error(JSON.stringify({ time: new Date().toISOString(), ...rest, ...(config.debug && stack ? { stack } : {}) }));
  };
}

/** True when the configured database file already exists (so commands may default to it). */
export function databaseExists(config: Pick<Config, 'dbPath'>): boolean {
  return config.dbPath !== ':memory:' && fs.existsSync(config.dbPath);
}

/** Open (and on first use migrate and seed) the database, and wire the services. */
export async function openWorkspace(config: Config, log: Log = () => undefined): Promise<Workspace> {
  const db = await Db.open(config.dbPath);
  await migrate(db);
  // The shared glossary lives in the database; the starter files seed a new one. When it changes,
  // the findings of the articles it affects are recomputed.
  const glossary: GlossaryService = new GlossaryService(new GlossaryStore(db), {
    houseStyle: config.houseStyle,
    onChange: async (change) => {
      await glossary.recomputeFindings(articles, change);
    },
  });
  const seeded = await glossary.seedIfEmpty(() => loadGlossaryData(config.starterGlossary));
  if (seeded) log({ level: 'info', msg: `new database: loaded ${seeded} starter glossary concepts`, db: config.dbPath });
  const store = new ArticleStore(db);
  const articles = new ArticleService(store, await glossary.compiled());
  // Annotations follow their article's text: a new revision re-anchors them (or orphans them).
  const annotations = new AnnotationService(new AnnotationStore(db), store, glossary);
  articles.onRevised = async (id, oldText, newText) => {
    await annotations.reanchorArticle(id, oldText, newText);
  };
  // Every import groups its articles into stories and recomputes the stories' fact findings.
  const stories = new StoryService(new StoryStore(db), log);
  stories.attachTo(articles);
  annotations.moreFindings = (id) => stories.findingsFor(id);
  if ((await store.count()) === 0) {
    const n = await articles.importCorpus(loadCorpus(config.corpusDir));
    log({ level: 'info', msg: `new database: loaded ${n} demo articles`, db: config.dbPath });
  }
  const caught = await stories.catchUp();
  if (caught.grouped || caught.stale) log({ level: 'info', msg: `stories: grouped ${caught.grouped} articles; ${caught.stale} stories' facts to recompute` });
  const accounts = new AccountService(new UserStore(db), {
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionMaxHours * 3_600_000,
  });
  const admin = await accounts.ensureAdmin(config.adminUser, config.adminPassword).catch((e: unknown) => {
    if (e instanceof AccountError) throw new ConfigError(`COPYDESK_ADMIN_USER / COPYDESK_ADMIN_PASSWORD: ${e.message}`);
    throw e;
  });
  if (admin) log({ level: 'info', msg: `administrator account: ${admin.username}` });
  const scores = new ScoreService(new DashboardStore(db));
  const dashboard = new DashboardService(scores.store, scores);
  return { config, db, glossary, articles, annotations, queue: new QueueStore(db), accounts, stories, scores, dashboard, close: () => db.close() };
}

export async function start(env: Record<string, string | undefined>) {
  const config = loadConfig(env);
  const log = makeLog(config);
  const ws = await openWorkspace(config, log);
  const app = createApp({ articles: ws.articles, glossary: ws.glossary, annotations: ws.annotations, queue: ws.queue, accounts: ws.accounts, stories: ws.stories, scores: ws.scores, dashboard: ws.dashboard, log, trustProxy: config.trustProxy });
  const server = app.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    console.log(`copydesk is running at http://${config.host}:${port}/ (database: ${config.dbPath})`);
  });
  // Count the words of every text in the background (in batches), so that the first dashboard is quick.
  ws.scores.warm().catch((e: unknown) => log({ level: 'error', msg: 'counting words for scores failed', error: String(e) }));
  // Stories whose fact findings are out of date (a large import, an upgraded database) are recomputed in the background.
  ws.stories.background = true;
  void ws.stories.refreshInBackground();
  // SIGTERM / SIGINT: stop taking requests, let the ones in progress finish, close the database.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: `${signal}: stopping` });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      ws.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return { server, ...ws };
}
