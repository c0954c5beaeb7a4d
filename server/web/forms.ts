// Small helpers shared by the form-handling routes: reading query/form values, the reviewer's name
// remembered in the copydesk_reviewer cookie, and refusing form posts sent from another site.
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './errors.ts';

/** The cookie that remembers the reviewer's name ("Your name") between pages. */
export const REVIEWER_COOKIE = 'copydesk_reviewer';

/** The parser for a small urlencoded form post. */
export const urlencodedForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });

/** A single string from a query or form value (the last one when repeated). */
export function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[v.length - 1]);
  return typeof v === 'string' ? v : '';
}

/** A string or number from a form or JSON body as text; anything else (repeated values too) is ''. */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The value when it is one of `list` (the last one when repeated), else undefined. */
export function oneOf<T extends string>(list: readonly T[], v: unknown): T | undefined {
  const s = str(v);
  return (list as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** A whole number from 0, or null when absent or not one. */
export function wholeNumber(v: unknown): number | null {
  const s = str(v).trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

/** Textarea text: CRLF folded to LF, trimmed. */
export function textBlock(v: unknown): string {
  return str(v).replace(/\r\n?/g, '\n').trim();
}

/** A reviewer's name: white space folded, trimmed, at most `max` characters. */
export function cleanName(s: string, max: number): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, max);
}

/** The reviewer's name remembered in the cookie (cut to `max` characters), or ''. */
export function rememberedReviewer(req: Request, max: number): string {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== REVIEWER_COOKIE) continue;
    try {
      return cleanName(decodeURIComponent(part.slice(i + 1).trim()), max);
    } catch {
      return '';
    }
  }
  return '';
}

/** Remember the reviewer's name for a year. */
export function rememberReviewer(res: Response, name: string): void {
  res.cookie(REVIEWER_COOKIE, name, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000 });
}

// ------------------------------------------------------------------------------ same-origin checks
// Three variants, kept as they were when they lived in their routes (they differ on Sec-Fetch-Site,
// on "Origin: null" and on the scheme); unifying them would change behaviour.

/** The host an Origin header names, or undefined when it is not a URL ("null" included). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Glossary forms: a POST naming an Origin whose host is not ours is refused (403, thrown). */
export function checkOrigin(req: Request): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  const host = originHost(origin);
  if (!host || host !== req.get('host')) {
    throw new HttpError(403, 'CROSS_SITE', 'This form was sent from another site, so it was not accepted. Open the page in copydesk and send it from there.');
  }
}

/** Add-article form: Sec-Fetch-Site cross-site, "Origin: null", or an Origin host not ours. */
export function crossSite(req: Request): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return Boolean(origin);
  const host = originHost(origin);
  return host === undefined || host !== req.headers.host;
}

/** Annotation writes (middleware): Sec-Fetch-Site cross-site, or an Origin (other than "null") not ours. */
export function sameOrigin(req: Request, _res: Response, next: NextFunction): void {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  if (site === 'cross-site' || (origin && origin !== 'null' && origin !== `${req.protocol}://${req.get('host')}`)) {
    next(new HttpError(403, 'CROSS_SITE', 'This form can only be sent from copydesk itself.'));
    return;
  }
  next();
}
