// The review queue: articles with their open findings, sorted, filtered and paginated.
import { Router } from 'express';
import type { AppDeps } from '../app.ts';

export function queueRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const page = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const perPage = 50;
    const [rows, total] = await Promise.all([
      deps.articles.store.queue(perPage, (page - 1) * perPage),
      deps.articles.store.count(),
    ]);
    res.render('queue', { title: 'Review queue', rows, page, pages: Math.max(1, Math.ceil(total / perPage)), total });
  });

  return router;
}
