// The review queue: articles with their open findings, filtered, sorted and paginated. Filters,
// sort and page live in the URL (a GET form), so every view of the queue is a link; anything the
// queue does not know is ignored (with a note on the page) and never reaches SQL as text.
import { Router, type Request } from 'express';
import type { AppDeps } from '../app.ts';
import { oneOf, str } from '../web/forms.ts';
import type { FindingKind } from '../core/types.ts';
import {
  DEFAULT_DIR,
  FINDING_KINDS,
  MAX_SLUG_FILTER,
  QUEUE_SORTS,
  QUEUE_STATUSES,
  type QueueSort,
  type ReviewStatus,
  type SortDir,
} from '../store/queue.ts';
import { scoreBand } from '../services/scores.ts';

export const PER_PAGE = 50;
const MAX_Q = 200;
const MAX_OUTLET = 300;
const LANG_RE = /^[a-z]{3}$/;

/** What the queue shows: everything the URL can say, validated. */
export interface QueueState {
  q: string;
  body: boolean;
  lang: string;
  outlet: string;
  kind: FindingKind | '';
  status: ReviewStatus | '';
  added: string[];
  sort: QueueSort;
  dir: SortDir;
  page: number;
}

/** The queue state from a request's query, and notes on what was ignored. */
export function parseQueueQuery(query: Request['query']): { state: QueueState; notes: string[] } {
  const notes: string[] = [];
  const raw = (k: string) => str(query[k]).trim();
  const sortIn = raw('sort');
  const sort = oneOf(QUEUE_SORTS, sortIn) ?? 'date';
  if (sortIn && sort !== sortIn) notes.push(`The queue cannot be sorted by “${sortIn.slice(0, 40)}”; it is sorted by date instead.`);
  const dirIn = raw('dir');
  const dir = dirIn === 'asc' || dirIn === 'desc' ? dirIn : DEFAULT_DIR[sort];
  const langIn = raw('lang').toLowerCase();
  const lang = LANG_RE.test(langIn) ? langIn : '';
  if (langIn && !lang) notes.push(`“${langIn.slice(0, 40)}” is not a language code (three letters, such as ukr); the language filter is off.`);
  const kindIn = raw('kind');
  const kind = oneOf(FINDING_KINDS, kindIn) ?? '';
  if (kindIn && !kind) notes.push(`There is no kind of finding called “${kindIn.slice(0, 40)}”; the kind filter is off.`);
  const statusIn = raw('status');
  const status = oneOf(QUEUE_STATUSES, statusIn) ?? '';
  if (statusIn && !status) notes.push(`“${statusIn.slice(0, 40)}” is not a review status (new, in review); the status filter is off.`);
  const pageIn = raw('page');
  const page = /^\d{1,6}$/.test(pageIn) && Number(pageIn) >= 1 ? Number(pageIn) : 1;
  const added = raw('added')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 600)
    .slice(0, MAX_SLUG_FILTER);
  const bodyIn = raw('body');
  return {
    state: {
      q: raw('q').slice(0, MAX_Q),
      body: bodyIn === '1' || bodyIn === 'on' || bodyIn === 'true',
      lang,
      outlet: raw('outlet').slice(0, MAX_OUTLET),
      kind,
      status,
      added,
      sort,
      dir,
      page,
    },
    notes,
  };
}

/** The URL of the queue in `state` with `change` applied; empty filters, page 1 and the default sort are left out. */
export function queueUrl(state: QueueState, change: Partial<QueueState> = {}): string {
  const s = { ...state, ...change };
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.q && s.body) p.set('body', '1');
  if (s.lang) p.set('lang', s.lang);
  if (s.outlet) p.set('outlet', s.outlet);
  if (s.kind) p.set('kind', s.kind);
  if (s.status) p.set('status', s.status);
  if (s.added.length) p.set('added', s.added.join(','));
  if (s.sort !== 'date' || s.dir !== DEFAULT_DIR.date) {
    p.set('sort', s.sort);
    p.set('dir', s.dir);
  }
  if (s.page > 1) p.set('page', String(s.page));
  const qs = p.toString();
  return qs ? `/?${qs}` : '/';
}

export function queueRoutes(deps: AppDeps): Router {
  const router = Router();
  const store = deps.queue;

  router.get('/', async (req, res) => {
    const { state, notes } = parseQueueQuery(req.query);
    const query = {
      q: state.q || undefined,
      body: state.body,
      lang: state.lang || undefined,
      outlet: state.outlet || undefined,
      kind: state.kind || undefined,
      status: state.status || undefined,
      slugs: state.added.length ? state.added : undefined,
      sort: state.sort,
      dir: state.dir,
      limit: PER_PAGE,
      scoreRank: state.sort === 'score' && deps.scores ? await deps.scores.rankJson() : undefined,
    };
    const [first, facets] = await Promise.all([store.page({ ...query, offset: (state.page - 1) * PER_PAGE }), store.facets()]);
    let result = first;
    const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
    if (state.page > pages) {
      // Past the end (the queue shrank, or a typed URL): show the last page.
      notes.push(`There is no page ${state.page}; this is the last page, ${pages}.`);
      state.page = pages;
      result = await store.page({ ...query, offset: (pages - 1) * PER_PAGE });
    }
    // A filter value typed into the URL that no article has is still shown as chosen.
    if (state.lang && !facets.languages.some((l) => l.code === state.lang)) facets.languages.push({ code: state.lang, n: 0 });
    if (state.outlet && !facets.outlets.some((o) => o.name === state.outlet)) facets.outlets.push({ name: state.outlet, n: 0 });
    const filtered = Boolean(state.q || state.lang || state.outlet || state.kind || state.status || state.added.length);
    const scores = deps.scores ? await deps.scores.forArticles(result.rows.map((r) => r.id)) : null;
    res.render('queue', {
      title: 'Review queue',
      nav: 'queue',
      styles: ['queue.css', 'dashboard.css'],
      rows: result.rows,
      scores,
      scoreBand,
      total: result.total,
      state,
      notes,
      facets,
      kinds: FINDING_KINDS,
      statuses: QUEUE_STATUSES,
      sorts: QUEUE_SORTS,
      filtered,
      page: state.page,
      pages,
      perPage: PER_PAGE,
      url: (change: Partial<QueueState> = {}) => queueUrl(state, change),
      sortUrl: (sort: QueueSort) =>
        queueUrl(state, { sort, dir: state.sort === sort ? (state.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIR[sort], page: 1 }),
    });
  });

  return router;
}
