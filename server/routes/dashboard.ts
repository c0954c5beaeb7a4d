// The dashboard: charts of artefact rates, artefact kinds, review progress and quality scores,
// each with its table and a CSV of the same numbers; and every article's score as CSV. Filters
// (date range, outlet, origin language) live in the URL; values that are not valid are ignored
// with a note on the page.
import { Router, type Request } from 'express';
import type { AppDeps } from '../app.ts';
import { CHARTS, chartCsv, niceTicks, NO_LANGUAGE, NO_OUTLET, type ChartId, type DashboardFilter, type DashboardService } from '../services/dashboard.ts';
import { FINDING_KINDS } from '../store/queue.ts';
import { HttpError } from '../web/errors.ts';
import { str } from '../web/forms.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const LANG_RE = /^[a-z]{3}$/;
const MAX_OUTLET = 300;

/** The filter in a request's query, and notes on what was ignored. */
export function parseDashboardQuery(query: Request['query']): { filter: DashboardFilter; notes: string[] } {
  const notes: string[] = [];
  const raw = (k: string) => str(query[k]).trim();
  const filter: DashboardFilter = {};
  for (const k of ['from', 'to'] as const) {
    const v = raw(k);
    if (!v) continue;
    if (DATE_RE.test(v) && !Number.isNaN(Date.parse(v))) filter[k] = v;
    else notes.push(`“${v.slice(0, 40)}” is not a date (yyyy-mm-dd); the “${k}” date is ignored.`);
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    notes.push(`The range ends (${filter.to}) before it starts (${filter.from}); the two dates were swapped.`);
    [filter.from, filter.to] = [filter.to, filter.from];
  }
  const outlet = raw('outlet').slice(0, MAX_OUTLET);
  if (outlet) filter.outlet = outlet;
  const lang = raw('lang').toLowerCase();
  if (lang && LANG_RE.test(lang)) filter.lang = lang;
  else if (lang) notes.push(`“${lang.slice(0, 40)}” is not a language code (three letters, such as ukr); the language filter is off.`);
  return { filter, notes };
}

/** The query string of a filter ('' or '?…'). */
export function filterQuery(f: DashboardFilter): string {
  const p = new URLSearchParams();
  for (const k of ['from', 'to', 'outlet', 'lang'] as const) if (f[k]) p.set(k, f[k]!);
  const qs = p.toString();
  return qs ? `?${qs}` : '';
}

function service(deps: AppDeps): DashboardService {
  if (!deps.dashboard) throw new HttpError(503, 'DASHBOARD_UNAVAILABLE', 'The dashboard is not available on this server.');
  return deps.dashboard;
}

/** Long labels are cut for the charts (the tables hold them whole). */
function short(s: string, n = 30): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/dashboard', async (req, res) => {
    const svc = service(deps);
    const { filter, notes } = parseDashboardQuery(req.query);
    const [data, facets] = await Promise.all([svc.data(filter), svc.facets()]);
    if (filter.outlet && !facets.outlets.includes(filter.outlet)) facets.outlets.push(filter.outlet);
    if (filter.lang && !facets.languages.includes(filter.lang)) facets.languages.push(filter.lang);
    const qs = filterQuery(filter);
    res.render('dashboard', {
      title: 'Dashboard',
      nav: 'dashboard',
      styles: ['dashboard.css'],
      d: data,
      filter,
      filtered: Boolean(filter.from || filter.to || filter.outlet || filter.lang),
      notes,
      facets,
      csvUrl: (chart: ChartId) => `/dashboard/${chart}.csv${qs}`,
      scoresUrl: `/scores.csv${qs}`,
      ticks: niceTicks,
      fmt: (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 }),
      short,
      kindClass: (k: string) => ((FINDING_KINDS as readonly string[]).includes(k) ? `kc-${k}` : 'kc-other'),
      NO_OUTLET,
      NO_LANGUAGE,
    });
  });

  router.get('/dashboard/:file', async (req, res) => {
    const file = String(req.params.file);
    const chart = CHARTS.find((c) => `${c}.csv` === file);
    if (!chart) throw new HttpError(404, 'NOT_FOUND', `There is no chart “${file.slice(0, 60)}”. The dashboard has: ${CHARTS.map((c) => `${c}.csv`).join(', ')}.`);
    const { filter } = parseDashboardQuery(req.query);
    const body = chartCsv(chart, await service(deps).data(filter));
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${chart}.csv"`).send(body);
  });

  router.get('/scores.csv', async (req, res) => {
    const { filter } = parseDashboardQuery(req.query);
    const body = await service(deps).scoresCsv(filter);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="scores.csv"').send(body);
  });

  return router;
}
