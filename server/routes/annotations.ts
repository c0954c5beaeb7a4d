// Annotation and finding-decision routes. Forms work without JavaScript (303 back to the article,
// at the annotation); the client script sends the same fields as JSON and gets JSON back. Every
// write is recorded under the signed-in user; dismissing a finding everywhere takes an editor.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.ts';
import {
  AnnotationError,
  intOrUndefined,
  type AnnotationService,
  type FindingRef,
} from '../services/annotations.ts';
import { HttpError, translating } from '../web/errors.ts';
import { scalarText as str } from '../web/forms.ts';
import { assertRole, userOf } from '../web/auth.ts';
import { renderArticle } from './articles.ts';

export function annotationService(deps: AppDeps): AnnotationService | undefined {
  return deps.annotations;
}

/** Writes are recorded under the signed-in user. */
function reviewerOf(_req: Request, res: Response): string {
  return userOf(res).username;
}

function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
}

function toHttp(e: unknown): unknown {
  if (e instanceof AnnotationError) return new HttpError(e.status, e.code, e.message);
  const code = (e as { code?: unknown })?.code;
  if (e instanceof Error && code === 'NOT_FOUND') return new HttpError(404, 'NOT_FOUND', e.message);
  if (e instanceof Error && code === 'CONFLICT') return new HttpError(409, 'CONFLICT', `${e.message} Try again.`);
  return e;
}

function service(deps: AppDeps): AnnotationService {
  const s = annotationService(deps);
  if (!s) throw new HttpError(503, 'ANNOTATIONS_UNAVAILABLE', 'Annotations are not available on this server.');
  return s;
}

function findingRef(body: Record<string, unknown>): Partial<FindingRef> {
  return {
    detector: str(body.detector) || undefined,
    start: intOrUndefined(body.start, 'start of the finding'),
    end: intOrUndefined(body.end, 'end of the finding'),
    text: typeof body.text === 'string' ? body.text : undefined,
  };
}

function articleUrl(slug: string, hash = ''): string {
  return `/articles/${encodeURIComponent(slug)}${hash}`;
}

/** Run a handler, turning service errors into HTTP errors with their plain-words message. */
const handle = translating(toHttp);

export function annotationRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post(
    '/articles/:slug/annotations',
    async (req, res) => {
      const slug = String(req.params.slug);
      const b = (req.body ?? {}) as Record<string, unknown>;
      const reviewer = reviewerOf(req, res);
      try {
        const a = await service(deps).create(
          slug,
          {
            start: intOrUndefined(b.start, 'start'),
            end: intOrUndefined(b.end, 'end'),
            quote: str(b.quote) || undefined,
            occurrence: intOrUndefined(b.occurrence, 'occurrence number'),
            category: b.category,
            severity: b.severity,
            correction: b.correction,
            comment: b.comment,
          },
          reviewer,
        );
        const url = articleUrl(slug, `#annotation-${a.id}`);
        if (wantsJson(req)) res.status(201).location(url).json({ annotation: a, url });
        else res.redirect(303, url);
      } catch (e) {
        // Without JavaScript, a mistake in the form shows the article again with the form as sent.
        if (e instanceof AnnotationError && e.status === 422 && !wantsJson(req)) {
          await renderArticle(deps, req, res, slug, {
            status: 422,
            formError: e.message,
            form: { quote: str(b.quote), occurrence: str(b.occurrence), category: str(b.category), severity: str(b.severity), correction: str(b.correction), comment: str(b.comment), reviewer },
          });
          return;
        }
        throw toHttp(e);
      }
    },
  );

  router.post(
    '/articles/:slug/annotations/:id/edit',
    handle(async (req, res) => {
      const slug = String(req.params.slug);
      const id = intOrUndefined(req.params.id, 'annotation number') ?? 0;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const a = await service(deps).edit(slug, id, { category: b.category, severity: b.severity, correction: b.correction, comment: b.comment }, reviewerOf(req, res));
      const url = articleUrl(slug, `#annotation-${a.id}`);
      if (wantsJson(req)) res.json({ annotation: a, url });
      else res.redirect(303, url);
    }),
  );

  router.post(
    '/articles/:slug/annotations/:id/delete',
    handle(async (req, res) => {
      const slug = String(req.params.slug);
      const id = intOrUndefined(req.params.id, 'annotation number') ?? 0;
      await service(deps).delete(slug, id, reviewerOf(req, res));
      const url = articleUrl(slug, '#review');
      if (wantsJson(req)) res.json({ deleted: id, url });
      else res.redirect(303, url);
    }),
  );

  router.post(
    '/articles/:slug/findings/accept',
    handle(async (req, res) => {
      const slug = String(req.params.slug);
      const a = await service(deps).accept(slug, findingRef(req.body ?? {}), reviewerOf(req, res));
      const url = articleUrl(slug, `#annotation-${a.id}`);
      if (wantsJson(req)) res.json({ annotation: a, url });
      else res.redirect(303, url);
    }),
  );

  router.post(
    '/articles/:slug/findings/dismiss',
    handle(async (req, res) => {
      const slug = String(req.params.slug);
      const b = (req.body ?? {}) as Record<string, unknown>;
      const ref = findingRef(b);
      if (str(b.scope) === 'always') assertRole(res, 'editor', 'dismiss a finding everywhere (that adds a glossary exception)');
      const r = await service(deps).dismiss(slug, ref, b.reason, b.scope, reviewerOf(req, res));
      const url = articleUrl(slug, r.scope === 'always' ? '#review' : `#finding-${ref.detector}-${ref.start}-${ref.end}`);
      if (wantsJson(req)) res.json({ ...r, url });
      else res.redirect(303, url);
    }),
  );

  router.get(
    '/articles/:slug/annotations.jsonld',
    handle(async (req, res) => {
      res.type('application/ld+json; charset=utf-8').send(await service(deps).exportJsonLd(String(req.params.slug)));
    }),
  );
  router.get(
    '/articles/:slug/annotations.tsv',
    handle(async (req, res) => {
      res.type('text/tab-separated-values; charset=utf-8').send(await service(deps).exportTsv(String(req.params.slug)));
    }),
  );
  router.get(
    '/annotations.jsonld',
    handle(async (_req, res) => {
      res.type('application/ld+json; charset=utf-8').send(await service(deps).exportJsonLd());
    }),
  );
  router.get(
    '/annotations.tsv',
    handle(async (_req, res) => {
      res.type('text/tab-separated-values; charset=utf-8').send(await service(deps).exportTsv());
    }),
  );

  return router;
}
