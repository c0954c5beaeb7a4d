// Story pages: the list of stories, one story (its rewrites side by side, the facts they state
// aligned in a table, disagreements highlighted), and the manual merge and split forms. Merging and
// splitting take a signed-in reviewer (any role: it changes no text, and the audit log records who
// did it); forms post back with the CSRF token and land on the story page (303).
import { Router, type Request } from 'express';
import type { AppDeps } from '../app.ts';
import type { Fact, FactType } from '../core/facts/index.ts';
import type { Finding } from '../core/types.ts';
import { KIND_ABBR } from '../services/annotations.ts';
import { asFinding, StoryError, type StoryService } from '../services/stories.ts';
import type { StoryMember } from '../store/stories.ts';
import { requireRole } from '../web/auth.ts';
import { HttpError, translating } from '../web/errors.ts';
import { str } from '../web/forms.ts';
import { paragraphs } from '../web/highlight.ts';

const TYPE_LABEL: Record<FactType, string> = { count: 'Count', exchange: 'Exchange', date: 'Date', person: 'Person', place: 'Place', quote: 'Quote' };

function service(deps: AppDeps): StoryService {
  if (!deps.stories) throw new HttpError(503, 'STORIES_UNAVAILABLE', 'Stories are not available on this server.');
  return deps.stories;
}

function toHttp(e: unknown): unknown {
  return e instanceof StoryError ? new HttpError(e.status, e.code, e.message) : e;
}

const handle = translating(toHttp);

function wantsJson(req: Request): boolean {
  return req.is('application/json') === 'application/json' || req.accepts(['html', 'json']) === 'json';
}

export const storyUrl = (key: string) => `/stories/${encodeURIComponent(key)}`;

/** The article page, side by side with another article, at a finding of the fact detector. */
export function articleAt(slug: string, withSlug: string | null, span?: { start: number; end: number } | null): string {
  const q = withSlug && withSlug !== slug ? `?with=${encodeURIComponent(withSlug)}` : '';
  return `/articles/${encodeURIComponent(slug)}${q}${span ? `#finding-facts-${span.start}-${span.end}` : ''}`;
}

interface CellView {
  slug: string;
  facts: { text: string; value: string; href: string; mismatch: boolean }[];
  mismatch: boolean;
}

/** The aligned facts as table rows: one cell per article, a cell flagged when a finding is on one of its facts. */
function factRows(rows: readonly { key: string; type: FactType; cells: Record<string, Fact[]>; agree: boolean }[], aligned: readonly StoryMember[], findings: ReadonlyMap<string, Finding[]>) {
  const flagged = new Map<string, string>(); // "slug start end" -> the other article's slug
  for (const [slug, list] of findings) {
    for (const f of list) {
      flagged.set(`${slug} ${f.start} ${f.end}`, f.related?.article ?? slug);
      if (f.related) flagged.set(`${f.related.article} ${f.related.start} ${f.related.end}`, slug);
    }
  }
  const firstOther = (slug: string) => aligned.find((m) => m.slug !== slug)?.slug ?? null;
  return rows.map((r) => {
    const cells: CellView[] = aligned.map((m) => {
      const facts = (r.cells[m.slug] ?? []).map((f) => {
        const other = flagged.get(`${m.slug} ${f.start} ${f.end}`);
        const own = (findings.get(m.slug) ?? []).some((x) => x.start === f.start && x.end === f.end);
        return {
          text: f.text,
          value: f.value,
          mismatch: other !== undefined,
          href: articleAt(m.slug, other && other !== m.slug ? other : firstOther(m.slug), own ? f : null),
        };
      });
      return { slug: m.slug, facts, mismatch: facts.some((f) => f.mismatch) };
    });
    // Names are keyed by a folded form ("zelenski"); show them as written instead.
    const first = Object.values(r.cells).flat()[0];
    const name = (r.type === 'person' || r.type === 'place') && first ? first.text : r.key;
    return { key: r.key, name, type: r.type, label: TYPE_LABEL[r.type] ?? r.type, agree: r.agree, cells };
  });
}

export function storyRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get(
    '/stories',
    handle(async (req, res) => {
      const pageIn = str(req.query.page);
      const page = /^\d{1,6}$/.test(pageIn) ? Number(pageIn) : 1;
      const list = await service(deps).list(page);
      res.render('stories', {
        title: 'Stories',
        nav: 'stories',
        styles: ['stories.css'],
        ...list,
        storyUrl,
        outlets: (json: string) => (JSON.parse(json || '[]') as (string | null)[]).filter((o): o is string => typeof o === 'string'),
      });
    }),
  );

  router.get(
    '/stories/:key',
    handle(async (req, res) => {
      const svc = service(deps);
      const key = String(req.params.key);
      const page = await svc.show(key);
      const stored = page.findings.map(asFinding);
      const columns = page.aligned.map((m) => {
        const list = page.findings.filter((f) => f.article_id === m.id).map(asFinding);
        return { member: m, list, paras: paragraphs(m.text, list) };
      });
      res.render('story', {
        title: page.story.title ?? key,
        nav: 'stories',
        styles: ['stories.css'],
        story: page.story,
        members: page.members,
        aligned: page.aligned,
        columns,
        rows: factRows(page.alignment.rows, page.aligned, page.alignment.findings),
        findings: page.findings,
        stored,
        neighbours: await svc.neighbours(page),
        nameOf: (slug: string) => {
          const m = page.members.find((x) => x.slug === slug);
          return m ? m.outlet || m.title : slug;
        },
        storyUrl,
        articleAt,
        kindAbbr: (k: string) => KIND_ABBR[k] ?? k.slice(0, 4).toUpperCase(),
      });
    }),
  );

  router.post(
    '/stories/:key/merge',
    requireRole('reviewer'),
    handle(async (req, res) => {
      const into = String(req.params.key);
      const from = str((req.body as Record<string, unknown> | undefined)?.from).trim();
      const r = await service(deps).merge(into, from);
      if (wantsJson(req)) res.json({ story: into, merged: from, moved: r.moved });
      else res.redirect(303, storyUrl(into));
    }),
  );

  router.post(
    '/stories/:key/split',
    requireRole('reviewer'),
    handle(async (req, res) => {
      const key = String(req.params.key);
      const slug = str((req.body as Record<string, unknown> | undefined)?.slug).trim();
      const r = await service(deps).split(key, slug);
      if (wantsJson(req)) res.status(201).json({ story: r.key, from: key, article: slug });
      else res.redirect(303, storyUrl(r.key));
    }),
  );

  return router;
}
