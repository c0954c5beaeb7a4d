// Glossary pages: the list and export (glossary-list.ts), the "propose glossary entry" form
// (glossary-propose.ts) and one concept with its decisions and edits (glossary-concept.ts).
import { Router } from 'express';
import type { AppDeps } from '../app.ts';
import { conceptRoutes } from './glossary-concept.ts';
import { listRoutes } from './glossary-list.ts';
import { proposeRoutes } from './glossary-propose.ts';

export { when } from './glossary-shared.ts';
export { summarise, type HistoryView } from './glossary-history.ts';

export function glossaryRoutes(deps: AppDeps): Router {
  const router = Router();
  // Order matters: /glossary/export and /glossary/propose before /glossary/:id.
  listRoutes(router, deps);
  proposeRoutes(router, deps);
  conceptRoutes(router, deps);
  return router;
}
