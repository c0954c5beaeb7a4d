// The article page. Parse, call the service, render.
import { Router } from 'express';
import type { AppDeps } from '../app.ts';
import { HttpError } from '../web/errors.ts';
import { paragraphs } from '../web/highlight.ts';

export function articleRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/articles/:slug', async (req, res) => {
    const store = deps.articles.store;
    const article = await store.bySlug(String(req.params.slug));
    if (!article) throw new HttpError(404, 'ARTICLE_NOT_FOUND', `There is no article "${req.params.slug}". It may have been removed, or the link is mistyped.`);
    const findings = await store.findings(article.id);
    const siblings = article.story ? await store.sameStory(article.story, article.id) : [];
    const withSlug = typeof req.query.with === 'string' ? req.query.with : siblings[0]?.slug;
    const other = withSlug && siblings.some((s) => s.slug === withSlug) ? await store.bySlug(withSlug) : undefined;
    const otherFindings = other ? await store.findings(other.id) : [];
    res.render('article', {
      title: article.title,
      article,
      findings,
      paras: paragraphs(article.text, findings),
      siblings,
      other,
      otherFindings,
      otherParas: other ? paragraphs(other.text, otherFindings) : null,
      sourceParas: article.source_text ? paragraphs(article.source_text, []) : null,
    });
  });

  return router;
}
