// The glossary list (search, status and type filters, counts, pages) and its export in any of the
// glossary formats.
import type { Request, Response, Router } from 'express';
import type { AppDeps } from '../app.ts';
import { GLOSSARY_FORMATS, glossaryFormat } from '../core/glossary/formats/index.ts';
import { ENTRY_STATUSES, type EntryStatus } from '../core/glossary/model.ts';
import { ENTITY_TYPES } from '../core/types.ts';
import { HttpError } from '../web/errors.ts';
import { oneOf, str } from '../web/forms.ts';
import { glossaryOf, PER_PAGE, STYLES, when } from './glossary-shared.ts';

/** GET /glossary and /glossary/export(.ext). */
export function listRoutes(router: Router, deps: AppDeps): void {
  router.get('/glossary', async (req, res) => {
    const g = glossaryOf(deps);
    const q = str(req.query.q).trim().slice(0, 200);
    const status = oneOf(ENTRY_STATUSES, req.query.status);
    const type = oneOf(ENTITY_TYPES, req.query.type);
    // "Needs review": proposed concepts, and concepts with a proposed variant.
    const pending = str(req.query.pending) === '1';
    const all = await g.list({ type, q });
    const counts: Record<EntryStatus | 'all' | 'pending', number> = { all: all.length, pending: 0, proposed: 0, approved: 0, rejected: 0, deprecated: 0 };
    const needsReview = (c: { status: EntryStatus; proposedVariants: number }) => c.status === 'proposed' || c.proposedVariants > 0;
    for (const c of all) {
      counts[c.status]++;
      if (needsReview(c)) counts.pending++;
    }
    const matching = all.filter((c) => (!status || c.status === status) && (!pending || needsReview(c)));
    const pages = Math.max(1, Math.ceil(matching.length / PER_PAGE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(str(req.query.page) || '1', 10) || 1));
    /** This list's address with some of its filters changed (page 1 unless given). */
    const link = (o: { status?: string | null; type?: string | null; pending?: boolean; page?: number } = {}) => {
      const p = new URLSearchParams();
      if (q) p.set('q', q);
      const s = o.status === undefined ? status : o.status;
      const t = o.type === undefined ? type : o.type;
      if (s) p.set('status', s);
      if (o.pending ?? pending) p.set('pending', '1');
      if (t) p.set('type', t);
      if (o.page && o.page > 1) p.set('page', String(o.page));
      const qs = p.toString();
      return qs ? `/glossary?${qs}` : '/glossary';
    };
    res.render('glossary', {
      title: 'Glossary',
      styles: STYLES,
      nav: 'glossary',
      rows: matching.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((r) => ({ ...r, updated: when(r.updatedAt) })),
      total: matching.length,
      counts,
      q,
      status: status ?? '',
      pending,
      type: type ?? '',
      page,
      pages,
      perPage: PER_PAGE,
      link,
      statuses: ENTRY_STATUSES,
      entityTypes: ENTITY_TYPES,
      formats: GLOSSARY_FORMATS.map((f) => ({ id: f.id, label: f.label, extension: f.extension })),
      revision: await g.revision(),
    });
  });

  // ----------------------------------------------------------------------------- the export
  const exportGlossary = async (req: Request, res: Response) => {
    const g = glossaryOf(deps);
    const requested = str(req.query.format) || str(req.params.ext);
    const f = glossaryFormat(requested);
    if (!f) {
      throw new HttpError(
        400,
        'UNKNOWN_FORMAT',
        requested
          ? `There is no export format “${requested}”. Choose one of ${GLOSSARY_FORMATS.map((x) => x.id).join(', ')}.`
          : `Say which format to export: one of ${GLOSSARY_FORMATS.map((x) => x.id).join(', ')}.`,
      );
    }
    const body = f.write(await g.entries());
    res.set({
      'Content-Type': f.mediaType,
      'Content-Disposition': `attachment; filename="copydesk-glossary.${f.extension}"`,
      'Cache-Control': 'no-store',
    });
    res.send(body);
  };
  router.get('/glossary/export', exportGlossary);
  router.get('/glossary/export.:ext', exportGlossary);
}
