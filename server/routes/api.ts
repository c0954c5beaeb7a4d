// The API for pipelines, signed in with an API token ("Authorization: Bearer cdk_…"; a browser
// session with its CSRF header works too):
//   POST /api/scan       text/plain, application/json or JSON Lines in; the scan command's JSON out
//   GET  /api/glossary   ?format=csv|json|tbx|… : the shared glossary in any export format
//   POST /api/articles   JSON or JSON Lines of {id, text, title?, outlet?, origin_lang?, date?, …}: import
// Errors are JSON: {"error": {"code", "message", "problems"?}}.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.ts';
import { GLOSSARY_FORMATS, glossaryFormat } from '../core/glossary/formats/index.ts';
import { importItems, PipelineInputError, scanDocs, scanToJson, detectorList, severityOf } from '../services/pipeline.ts';
import { InvalidArticleError } from '../services/articles.ts';
import { HttpError } from '../web/errors.ts';
import { str } from '../web/forms.ts';
import { glossaryOf } from './glossary-shared.ts';

function bodyKind(req: Request): 'text' | 'json' | 'jsonl' | undefined {
  if (req.is('application/json') || req.is('+json')) return 'json';
  if (req.is('application/x-ndjson') || req.is('application/jsonl') || req.is('application/x-jsonlines')) return 'jsonl';
  if (req.is('text/plain')) return 'text';
  return undefined;
}

function invalid(res: Response, e: PipelineInputError): void {
  res.status(422).json({ error: { code: e.code, message: e.message, ...(e.problems.length ? { problems: e.problems } : {}) } });
}

export function apiRoutes(deps: AppDeps): Router {
  const router = Router();

  router.post('/api/scan', async (req, res) => {
    const kind = bodyKind(req);
    if (!kind) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send text/plain, application/json or JSON Lines (application/x-ndjson).');
    try {
      const docs = scanDocs(kind, req.body);
      const opts = {
        minSeverity: severityOf(str(req.query.severity) || undefined),
        detectors: detectorList(str(req.query.detectors) || undefined),
        disable: detectorList(str(req.query.disable) || undefined),
        language: str(req.query.language) !== '0',
      };
      const { json, summary } = scanToJson(await glossaryOf(deps).compiled(), docs, opts);
      res.set('X-Copydesk-Findings', String(summary.findings)).type('application/json; charset=utf-8').send(json);
    } catch (e) {
      if (e instanceof PipelineInputError) return invalid(res, e);
      throw e;
    }
  });

  router.get('/api/glossary', async (req, res) => {
    const requested = str(req.query.format) || 'json';
    const f = glossaryFormat(requested);
    if (!f) throw new HttpError(400, 'UNKNOWN_FORMAT', `There is no export format “${requested}”. Choose one of ${GLOSSARY_FORMATS.map((x) => x.id).join(', ')}.`);
    const g = glossaryOf(deps);
    res.set({ 'Content-Type': f.mediaType, 'Content-Disposition': `attachment; filename="copydesk-glossary.${f.extension}"`, 'Cache-Control': 'no-store', 'X-Glossary-Revision': String(await g.revision()) });
    res.send(f.write(await g.entries()));
  });

  router.post('/api/articles', async (req, res) => {
    const kind = bodyKind(req);
    if (kind !== 'json' && kind !== 'jsonl') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the articles as JSON Lines (application/x-ndjson) or a JSON array of {"id", "text", …} objects.');
    let items;
    try {
      items = importItems(kind, req.body);
    } catch (e) {
      if (e instanceof PipelineInputError) return invalid(res, e);
      throw e;
    }
    const articles: { slug: string; status: string; revision: number; findings: number; url: string }[] = [];
    try {
      const s = await deps.articles.importMany(items, {
        onResult: (o) => articles.push({ slug: o.slug, status: o.status, revision: o.revision, findings: o.findings, url: `/articles/${encodeURIComponent(o.slug)}` }),
      });
      res.status(s.added > 0 ? 201 : 200).json({ added: s.added, revised: s.revised, unchanged: s.unchanged, findings: s.findings, articles });
    } catch (e) {
      if (e instanceof InvalidArticleError) return invalid(res, new PipelineInputError(`Nothing was imported: ${e.message}.`));
      throw e;
    }
  });

  router.use('/api', (req) => {
    throw new HttpError(404, 'NOT_FOUND', `There is no API call ${req.method} ${req.path}. The API has POST /api/scan, GET /api/glossary and POST /api/articles.`);
  });
  return router;
}
