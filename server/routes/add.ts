// Adding articles from the browser: GET /articles/new shows the form (paste a text, or upload .txt
// and .md files, with the metadata they share); POST /articles checks everything, then imports the
// lot through ArticleService.importMany (scanned at once) and redirects to the article, or to the
// queue showing the articles just added. Anything invalid re-renders the form (422) with what to
// fix, in plain words, and stores nothing. Works without JavaScript: the form is posted as
// multipart/form-data and read here by a small parser (server/web/multipart.ts).
import crypto from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app.ts';
import { decodeBytes } from '../cli/inputs.ts';
import { DATE_RE, LANG_RE, titleOf } from '../services/article-import.ts';
import { contentHash, InvalidArticleError, type ImportItem } from '../services/articles.ts';
import { slugify } from '../services/glossary-rules.ts';
import { boundaryOf, MultipartError, parseMultipart, type MultipartPart } from '../web/multipart.ts';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 50;
const MAX_TITLE = 500;
const MAX_FIELD = 300;
const MAX_URL = 2000;
const DERIVED_TITLE = 200;

/** Common origin languages offered in the form (any ISO 639-3 code is accepted). */
export const COMMON_LANGUAGES: readonly [string, string][] = [
  ['eng', 'English'], ['ukr', 'Ukrainian'], ['rus', 'Russian'], ['vie', 'Vietnamese'], ['cmn', 'Mandarin Chinese'],
  ['yue', 'Cantonese'], ['ben', 'Bengali'], ['hin', 'Hindi'], ['urd', 'Urdu'], ['ara', 'Arabic'], ['fas', 'Persian'],
  ['tur', 'Turkish'], ['fra', 'French'], ['deu', 'German'], ['spa', 'Spanish'], ['por', 'Portuguese'], ['ita', 'Italian'],
  ['pol', 'Polish'], ['ces', 'Czech'], ['ron', 'Romanian'], ['bel', 'Belarusian'], ['kaz', 'Kazakh'], ['aze', 'Azerbaijani'],
  ['hye', 'Armenian'], ['kat', 'Georgian'], ['heb', 'Hebrew'], ['jpn', 'Japanese'], ['kor', 'Korean'], ['ind', 'Indonesian'],
  ['tha', 'Thai'],
];

const FIELDS = ['text', 'title', 'outlet', 'origin_lang', 'date', 'url', 'story'] as const;
type FieldName = (typeof FIELDS)[number];
type FormValues = Record<FieldName, string>;

interface FormError {
  /** The field the message is about ('files' for uploads), or null for the form as a whole. */
  field: FieldName | 'files' | null;
  message: string;
}

interface Upload {
  filename: string;
  data: Buffer;
}

const EMPTY: FormValues = { text: '', title: '', outlet: '', origin_lang: '', date: '', url: '', story: '' };

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** A one-line field: white space (line breaks included) collapsed, other control characters dropped. */
function oneLine(v: string): string {
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
}

/** yyyy-mm-dd naming a day of the calendar. */
function realDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The title a text gets when none is given: its first line, shortened at a word when very long. */
function derivedTitle(text: string, name: string): string | null {
  const t = titleOf(text, name);
  if (t === null || t.length <= DERIVED_TITLE) return t;
  const cut = t.lastIndexOf(' ', DERIVED_TITLE);
  return `${t.slice(0, cut > DERIVED_TITLE / 2 ? cut : DERIVED_TITLE).trimEnd()}…`;
}

/** A slug from the title, plus a hash of everything submitted: the same submission twice gives the same article. */
function slugFor(item: Omit<ImportItem, 'slug'>, length: number): string {
  const title = item.title ?? '';
  let base = slugify(title);
  if (base === 'concept' && !/concept/i.test(title)) base = 'article'; // slugify's fallback for titles without Latin letters or digits
  const h = crypto
    .createHash('sha256')
    .update([title, item.text, item.outlet ?? '', item.origin_lang ?? '', item.date ?? '', item.url ?? '', item.story ?? ''].join('\u0000'))
    .digest('hex');
  return `${base}-${h.slice(0, length)}`;
}

/** The form fields and uploaded files of a request, whichever way the form was sent. */
function readForm(req: Request): { values: FormValues; uploads: Upload[] } | { unsupported: true } {
  const values: FormValues = { ...EMPTY };
  const uploads: Upload[] = [];
  const boundary = boundaryOf(req.headers['content-type']);
  if (boundary && Buffer.isBuffer(req.body)) {
    const parts: MultipartPart[] = parseMultipart(req.body, boundary, { maxParts: MAX_FILES + FIELDS.length + 20 });
    for (const p of parts) {
      if (p.filename !== null) {
        // A file input left empty still sends a part with an empty name and no bytes.
        if (p.filename === '' && p.data.length === 0) continue;
        uploads.push({ filename: p.filename || 'unnamed file', data: p.data });
      } else if ((FIELDS as readonly string[]).includes(p.name)) {
        values[p.name as FieldName] = p.data.toString('utf8');
      }
    }
    return { values, uploads };
  }
  if (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
    const body = req.body as Record<string, unknown>;
    for (const f of FIELDS) {
      const v = body[f];
      values[f] = typeof v === 'string' ? v : Array.isArray(v) && typeof v[v.length - 1] === 'string' ? (v[v.length - 1] as string) : '';
    }
    return { values, uploads };
  }
  return { unsupported: true };
}

/** Check the form; the articles to import, or what is wrong. */
function validate(values: FormValues, uploads: Upload[]): { items: Omit<ImportItem, 'slug'>[] } | { errors: FormError[] } {
  const errors: FormError[] = [];
  const title = oneLine(values.title);
  const outlet = oneLine(values.outlet);
  const lang = values.origin_lang.trim().toLowerCase();
  const date = values.date.trim();
  const url = values.url.trim();
  const story = oneLine(values.story);
  if (title.length > MAX_TITLE) errors.push({ field: 'title', message: `The title is ${title.length} characters long; keep it under ${MAX_TITLE}.` });
  if (outlet.length > MAX_FIELD) errors.push({ field: 'outlet', message: `The outlet name is too long; keep it under ${MAX_FIELD} characters.` });
  if (story.length > MAX_FIELD) errors.push({ field: 'story', message: `The story key is too long; keep it under ${MAX_FIELD} characters.` });
  if (lang && !LANG_RE.test(lang)) {
    errors.push({ field: 'origin_lang', message: `“${oneLine(values.origin_lang).slice(0, 40)}” is not a language code. Use the three-letter ISO 639-3 code, such as ukr, rus or vie, or leave it empty.` });
  }
  if (date && !realDate(date)) {
    errors.push({ field: 'date', message: `“${oneLine(date).slice(0, 40)}” is not a date. Write it as year-month-day, for example 2025-05-23, or leave it empty.` });
  }
  if (url) {
    let ok = url.length <= MAX_URL;
    try {
      const u = new URL(url);
      ok &&= u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) errors.push({ field: 'url', message: 'The web address must be a full address starting with http:// or https://, or be left empty.' });
  }

  // The pasted text arrives with CRLF line breaks (browsers send textarea lines that way): back to LF.
  const pasted = values.text.replace(/\r\n?/g, '\n');
  const texts: { text: string; name: string; field: 'text' | 'files' }[] = [];
  if (pasted.trim()) {
    if (Buffer.byteLength(pasted, 'utf8') > MAX_FILE_BYTES) {
      errors.push({ field: 'text', message: `The pasted text is ${mb(Buffer.byteLength(pasted, 'utf8'))}; a text can be at most ${mb(MAX_FILE_BYTES)}.` });
    } else texts.push({ text: pasted, name: 'pasted.md', field: 'text' });
  }
  if (uploads.length > MAX_FILES) errors.push({ field: 'files', message: `${uploads.length} files were chosen; add at most ${MAX_FILES} at a time.` });
  for (const u of uploads.slice(0, MAX_FILES)) {
    const name = `“${oneLine(u.filename).slice(0, 120)}”`;
    const lower = u.filename.toLowerCase();
    if (!lower.endsWith('.txt') && !lower.endsWith('.md')) {
      errors.push({ field: 'files', message: `${name} is not a .txt or .md file. Only plain text (.txt) and Markdown (.md) files can be added.` });
      continue;
    }
    if (u.data.length > MAX_FILE_BYTES) {
      errors.push({ field: 'files', message: `${name} is ${mb(u.data.length)}; a file can be at most ${mb(MAX_FILE_BYTES)}.` });
      continue;
    }
    const d = decodeBytes(u.data, u.filename);
    if (!d.ok) {
      const why =
        d.code === 'BINARY_FILE'
          ? `${name} is not a text file: it holds binary data (NUL bytes). If it is text saved as UTF-16, save it again as UTF-8.`
          : d.code === 'NOT_UTF8'
            ? `${name} is not UTF-8 text (it may be in another encoding, such as Windows-1251). Save it as UTF-8 and try again.`
            : `${name} cannot be read: ${d.message}.`;
      errors.push({ field: 'files', message: why });
      continue;
    }
    if (!d.text.replace(/^\ufeff/, '').trim()) {
      errors.push({ field: 'files', message: `${name} is empty.` });
      continue;
    }
    texts.push({ text: d.text, name: u.filename, field: 'files' });
  }
  if (!texts.length && !errors.some((e) => e.field === 'text' || e.field === 'files')) {
    errors.push({ field: 'text', message: 'There is nothing to add: paste the article’s text, or choose one or more .txt or .md files.' });
  }
  if (errors.length) return { errors };

  // The title field names the pasted text, or the one file when that is all there is.
  const titled = texts.length === 1 || texts[0]?.field === 'text' ? 0 : -1;
  return {
    items: texts.map((t, i) => ({
      text: t.text,
      title: (i === titled && title) || derivedTitle(t.text, t.name),
      outlet: outlet || null,
      origin_lang: lang || null,
      date: date || null,
      url: url || null,
      story: story || null,
    })),
  };
}

export function addRoutes(deps: AppDeps): Router {
  const router = Router();
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_BODY_BYTES });
  const urlencoded = express.urlencoded({ extended: false, limit: MAX_BODY_BYTES, parameterLimit: 100 });

  const render = (res: Response, status: number, values: FormValues = EMPTY, errors: FormError[] = []) => {
    const byField: Record<string, string[]> = {};
    for (const e of errors) if (e.field) (byField[e.field] ??= []).push(e.message);
    res.status(status).render('add', {
      title: errors.length ? 'Add articles (please correct the form)' : 'Add articles',
      nav: 'queue',
      styles: ['queue.css'],
      values,
      errors,
      byField,
      languages: COMMON_LANGUAGES,
      maxFileMb: MAX_FILE_BYTES / 1048576,
      maxBodyMb: MAX_BODY_BYTES / 1048576,
      maxFiles: MAX_FILES,
    });
  };

  /** The body parsers, with their failures (too large, malformed) shown on the form. */
  const parse = (req: Request, res: Response, next: NextFunction) => {
    const failed = (err: unknown) => {
      const e = err as { type?: string; status?: number };
      if (e.type === 'entity.too.large') {
        return render(res, 413, EMPTY, [{ field: null, message: `That is too much to send at once: at most ${MAX_BODY_BYTES / 1048576} MB in total (and ${MAX_FILE_BYTES / 1048576} MB per file). Send fewer or smaller files.` }]);
      }
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
        return render(res, 400, EMPTY, [{ field: null, message: 'The form could not be read (the upload was interrupted or malformed). Please send it again.' }]);
      }
      next(err);
    };
    raw(req, res, (err?: unknown) => (err ? failed(err) : urlencoded(req, res, (err2?: unknown) => (err2 ? failed(err2) : next()))));
  };

  router.get('/articles/new', (_req, res) => render(res, 200));

  router.post('/articles', parse, async (req, res) => {
    let form: ReturnType<typeof readForm>;
    try {
      form = readForm(req);
    } catch (e) {
      if (!(e instanceof MultipartError)) throw e;
      return render(res, 400, EMPTY, [{ field: null, message: `The form could not be read: ${e.message}. Please send it again.` }]);
    }
    if ('unsupported' in form) {
      return render(res, 415, EMPTY, [{ field: null, message: 'Send this form as a web form (multipart/form-data or application/x-www-form-urlencoded).' }]);
    }
    const checked = validate(form.values, form.uploads);
    if ('errors' in checked) return render(res, 422, form.values, checked.errors);

    // Slugs: the title and a hash; a longer hash in the (unlikely) case that it names another text.
    const store = deps.articles.store;
    const items: ImportItem[] = [];
    for (const it of checked.items) {
      const hash = contentHash(it.text);
      let slug = '';
      for (const length of [12, 20, 40]) {
        slug = slugFor(it, length);
        const stored = (await store.hashesBySlug([slug])).get(slug);
        if (stored === undefined || stored === hash) break;
      }
      items.push({ ...it, slug });
    }
    const slugs: string[] = [];
    try {
      await deps.articles.importMany(items, { onResult: (o) => slugs.push(o.slug) });
    } catch (e) {
      if (!(e instanceof InvalidArticleError)) throw e;
      return render(res, 422, form.values, [{ field: null, message: `The article could not be added: ${e.message}.` }]);
    }
    const unique = [...new Set(slugs)];
    const to = unique.length === 1 ? `/articles/${encodeURIComponent(unique[0]!)}` : `/?added=${encodeURIComponent(unique.join(','))}`;
    res.redirect(303, to);
  });

  return router;
}
