// createApp(): the web app, built from its collaborators, without listening. Routes parse, call a
// service, render; nothing here touches SQL or the environment.
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROJECT_ROOT } from './glossary/files.ts';
import type { ArticleService } from './services/articles.ts';
import type { GlossaryService } from './services/glossary.ts';
import type { QueueStore } from './store/queue.ts';
import type { AnnotationService } from './services/annotations.ts';
import { annotationRoutes } from './routes/annotations.ts';
import { clientBundle } from './web/client-bundle.ts';
import { articleRoutes } from './routes/articles.ts';
import { glossaryRoutes } from './routes/glossary.ts';
import { queueRoutes } from './routes/queue.ts';
import { addRoutes } from './routes/add.ts';
import { HttpError } from './web/errors.ts';
import type { AccountService } from './services/accounts.ts';
import { authenticate, csrfGuard, requireSetup, requireSignedIn, type AuthLocals } from './web/auth.ts';
import { bodies, bodyError } from './web/body.ts';
import { authRoutes } from './routes/auth.ts';
import { accountRoutes } from './routes/account.ts';
import { apiRoutes } from './routes/api.ts';
import { storyRoutes } from './routes/stories.ts';
import type { StoryService } from './services/stories.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import type { ScoreService } from './services/scores.ts';
import type { DashboardService } from './services/dashboard.ts';

export interface AppDeps {
  articles: ArticleService;
  /** The shared glossary (glossary pages, proposals); optional for a read-only app. */
  glossary?: GlossaryService;
  /** Annotations and decisions on findings. */
  annotations?: AnnotationService;
  /** The review queue's queries. */
  queue: QueueStore;
  /** Users, sessions, API tokens and the audit log. */
  accounts: AccountService;
  /** Stories and their fact findings (story pages, the article page's story link); optional: without it /stories answers 503. */
  stories?: StoryService;
  /** Quality scores of articles (queue, article page); optional: without it no score is shown. */
  scores?: ScoreService;
  /** The dashboard's charts and CSVs; optional: without it /dashboard answers 503. */
  dashboard?: DashboardService;
  log?: (entry: Record<string, unknown>) => void;
  /** Trust X-Forwarded-* from a TLS-terminating proxy in front (req.secure, Secure cookies). */
  trustProxy?: boolean;
}

export { HttpError };

const KIND_LABEL: Record<string, string> = {
  'russian-form': 'Russian form',
  transliteration: 'Transliteration',
  'literal-translation': 'Literal translation',
  mistranslation: 'Mistranslation',
  misspelling: 'Misspelling',
  'house-style': 'House style',
  'name-variant': 'Name variant',
  'dropped-apostrophe': 'Apostrophe',
  boilerplate: 'Page furniture',
  untranslated: 'Untranslated',
  'inconsistent-naming': 'Inconsistent name',
  'fact-mismatch': 'Fact mismatch',
  anachronism: 'Anachronism',
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const log = deps.log ?? (() => undefined);
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', 'loopback');
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  // Compile each template (and each partial it includes) once, not on every render: without the
  // cache, EJS reads and compiles a partial again for every include (every finding, every annotation).
  app.set('view cache', true);
  app.locals.kindLabel = (k: string) => KIND_LABEL[k] ?? k;

  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  });
  app.use(requestLog(log));
  app.get('/static/app.js', async (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=3600').send(await clientBundle());
  });
  app.use('/static', express.static(path.join(PROJECT_ROOT, 'server', 'web', 'static'), { maxAge: '1h' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, glossary: deps.articles.glossaryVersion });
  });

  // Who is asking (session or API token), first-run setup, sign-in required, bodies, CSRF.
  app.use(authenticate(deps.accounts));
  app.use(requireSetup(deps.accounts));
  app.use(requireSignedIn);
  app.use(bodies());
  app.use(csrfGuard);
  app.use(auditWrites(deps.accounts, log));

  app.use(authRoutes(deps.accounts));
  app.use(accountRoutes(deps.accounts));
  app.use(apiRoutes(deps));
  app.use(queueRoutes(deps));
  app.use(addRoutes(deps)); // before articleRoutes: /articles/new is not an article slug
  app.use(articleRoutes(deps));
  app.use(annotationRoutes(deps));
  app.use(glossaryRoutes(deps));
  app.use(storyRoutes(deps));
  app.use(dashboardRoutes(deps));

  app.use((req, _res, next) => next(new HttpError(404, 'NOT_FOUND', `Nothing lives at ${req.path}. Try the review queue.`)));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err instanceof HttpError ? err : (bodyError(err) ?? requestError(err) ?? new HttpError(500, 'INTERNAL', 'Something went wrong on our side. The error has been logged.'));
    if (e.status >= 500) log({ level: 'error', path: req.path, error: String(err), stack: (err as Error)?.stack });
    res.status(e.status);
    if (req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { code: e.code, message: e.message } });
    } else res.render('error', { title: `${e.status}`, status: e.status, code: e.code, message: e.message });
  });
  return app;
}

/** Other client errors raised by Express itself (a malformed %-escape in the path: URIError, 400). */
function requestError(err: unknown): HttpError | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return new HttpError(400, 'BAD_REQUEST', 'That address could not be read: it has a malformed %-escape. Check the link.');
}

/** One structured line per request: method, path (no query), status, time, user. */
function requestLog(log: (entry: Record<string, unknown>) => void): express.RequestHandler {
  return (req, res, next) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      const user = (res.locals as AuthLocals).user;
      log({
        level: res.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100,
        ...(user ? { user: user.username, via: (res.locals as AuthLocals).via } : {}),
      });
    });
    next();
  };
}

/** Paths whose writes the account service audits itself (with more detail). */
const SELF_AUDITED = [/^\/login$/, /^\/logout$/, /^\/setup$/, /^\/account\//, /^\/admin\/users/];

/** Every successful write is recorded in the audit log with its author. */
function auditWrites(accounts: AccountService, log: (entry: Record<string, unknown>) => void): express.RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || SELF_AUDITED.some((re) => re.test(req.path))) return next();
    res.on('finish', () => {
      const user = (res.locals as AuthLocals).user;
      if (!user || res.statusCode >= 400) return;
      accounts.audit(user.username, `${req.method} ${req.path}`, req.path, `HTTP ${res.statusCode}`, req.ip ?? null).catch((e: unknown) => {
        log({ level: 'error', msg: 'audit write failed', error: String(e) });
      });
    });
    next();
  };
}
