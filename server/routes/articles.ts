// The article page. Parse, call the service, render.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app.ts';
import { MQM_CATEGORIES, MQM_SEVERITIES } from '../core/annotations.ts';
import { KIND_ABBR, type AnnotationView, type FindingDecision } from '../services/annotations.ts';
import { HttpError } from '../web/errors.ts';
import { paragraphs } from '../web/highlight.ts';
import { annotationService } from './annotations.ts';
import { userOf } from '../web/auth.ts';
import { articleAt, storyUrl } from './stories.ts';
import { scoreBand } from '../services/scores.ts';

export interface ArticlePageExtras {
  status?: number;
  /** The annotation form as sent, with what was wrong with it (no-JS path). */
  form?: Record<string, string>;
  formError?: string;
}

/** Render the article page (also used to show the annotation form again with its error). */
export async function renderArticle(deps: AppDeps, req: Request, res: Response, slug: string, extras: ArticlePageExtras = {}): Promise<void> {
  const store = deps.articles.store;
  const article = await store.bySlug(slug);
  if (!article) throw new HttpError(404, 'ARTICLE_NOT_FOUND', `There is no article "${slug}". It may have been removed, or the link is mistyped.`);
  const findings = await store.findings(article.id);
  // The fact findings of its story (disagreements with the other rewrites) show with the others.
  const { story, findings: factFindings } = deps.stories ? await deps.stories.forArticle(article) : { story: null, findings: [] };
  if (factFindings.length) {
    findings.push(...factFindings);
    findings.sort((a, b) => a.start - b.start || a.end - b.end);
  }
  const siblings = article.story ? await store.sameStory(article.story, article.id) : [];
  const withSlug = typeof req.query.with === 'string' ? req.query.with : siblings[0]?.slug;
  const other = withSlug && siblings.some((s) => s.slug === withSlug) ? await store.bySlug(withSlug) : undefined;
  const otherFindings = other ? await store.findings(other.id) : [];
  if (other && deps.stories) {
    otherFindings.push(...(await deps.stories.findingsFor(other.id)));
    otherFindings.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  const svc = annotationService(deps);
  const annotations: AnnotationView[] = svc ? await svc.forArticle(article.id) : [];
  const decisions: (FindingDecision | undefined)[] = svc ? await svc.decisionsFor(article.id, findings) : findings.map(() => undefined);
  const anchored = annotations.filter((a) => a.status === 'anchored');
  const score = deps.scores ? await deps.scores.forArticle(article) : null;
  // The sidebar: findings and annotations in reading order (an annotation after the finding it came from).
  const items = [
    ...findings.map((f, i) => ({ type: 'finding' as const, start: f.start, end: f.end, order: 0, i, f, d: decisions[i] })),
    ...annotations.map((a) => ({ type: 'annotation' as const, start: a.start, end: a.end, order: 1, a })),
  ].sort((x, y) => x.start - y.start || x.order - y.order || x.end - y.end);
  const reviewer = userOf(res).username;
  const proposeUrl = (f: (typeof findings)[number]) => {
    const q = new URLSearchParams({ article: article.slug, start: String(f.start), end: String(f.end), text: f.text });
    if (f.concept) q.set('concept', f.concept);
    if (f.suggestion) q.set('suggestion', f.suggestion);
    return `/glossary/propose?${q}`;
  };

  res.status(extras.status ?? 200).render('article', {
    title: article.title,
    article,
    findings,
    decisions,
    states: decisions.map((d) => d?.decision),
    annotations,
    items,
    paras: paragraphs(article.text, findings, anchored),
    annos: anchored,
    siblings,
    other,
    otherFindings,
    otherParas: other ? paragraphs(other.text, otherFindings) : null,
    sourceParas: article.source_text ? paragraphs(article.source_text, []) : null,
    reviewer,
    categories: MQM_CATEGORIES,
    severities: MQM_SEVERITIES,
    form: extras.form ?? {},
    formError: extras.formError ?? null,
    annotationsEnabled: Boolean(svc),
    kindAbbr: (k: string) => KIND_ABBR[k] ?? k.slice(0, 4).toUpperCase(),
    proposeUrl,
    scripts: ['app.js'],
    story,
    factFindings,
    storyUrl,
    articleAt,
    score,
    scoreBand,
    styles: ['dashboard.css', 'stories.css'],
  });
}

export function articleRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/articles/:slug', async (req, res) => {
    await renderArticle(deps, req, res, String(req.params.slug));
  });
  return router;
}
