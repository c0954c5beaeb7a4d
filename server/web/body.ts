// Request bodies, read once for every route: a size limit per route (checked on Content-Length
// before anything is read, and again while reading), and only the media types a route takes.
// Forms and JSON are parsed here (so the CSRF check can read _csrf); multipart bodies are left to
// the routes that take uploads. Anything else is refused with 415 before it is read.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { MAX_BODY_BYTES } from '../routes/add.ts';
import { HttpError } from './errors.ts';

/** Forms and JSON sent by the pages. */
export const SMALL_BODY_BYTES = 256 * 1024;
/** Article uploads and the API's scan and import. */
export const LARGE_BODY_BYTES = MAX_BODY_BYTES;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that take article text: large bodies; multipart uploads; plain text and JSON Lines (API). */
const LARGE = [/^\/articles$/, /^\/api\/scan$/, /^\/api\/articles$/];
const MULTIPART = [/^\/articles$/, /^\/api\/articles$/];
const TEXT = [/^\/api\/scan$/, /^\/api\/articles$/];
const TEXT_TYPES = ['text/plain', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

function mb(n: number): string {
  return n >= 1048576 ? `${n / 1048576} MB` : `${n / 1024} KB`;
}

export function bodies(): RequestHandler {
  const parsers = new Map<number, RequestHandler[]>();
  for (const limit of [SMALL_BODY_BYTES, LARGE_BODY_BYTES]) {
    parsers.set(limit, [
      express.urlencoded({ extended: false, limit, parameterLimit: 1000 }),
      express.json({ limit }),
      express.text({ type: TEXT_TYPES, limit }),
    ]);
  }
  return (req: Request, res: Response, next: NextFunction) => {
    if (!UNSAFE.has(req.method)) return next();
    const large = LARGE.some((re) => re.test(req.path));
    const limit = large ? LARGE_BODY_BYTES : SMALL_BODY_BYTES;
    const length = Number(req.get('content-length') ?? '0');
    if (length > limit) {
      // Refused unread; the connection closes so the rest of the upload is not waited for.
      res.set('Connection', 'close');
      return next(new HttpError(413, 'BODY_TOO_LARGE', `That is too much to send at once: at most ${mb(limit)} here. Send less, or split it.`));
    }
    const hasBody = length > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody) return next();
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const [urlencoded, json, text] = parsers.get(limit)!;
    const run = (p: RequestHandler) => p(req, res, next);
    if (type === 'application/x-www-form-urlencoded') return run(urlencoded!);
    if (type === 'application/json' || type.endsWith('+json')) return run(json!);
    if (type === 'multipart/form-data' && MULTIPART.some((re) => re.test(req.path))) return next();
    if (TEXT_TYPES.includes(type) && TEXT.some((re) => re.test(req.path))) return run(text!);
    next(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `copydesk does not take ${type || 'an untyped body'} here. Send a web form${TEXT.some((re) => re.test(req.path)) ? ', JSON, plain text or JSON Lines' : ' or JSON'}.`));
  };
}

/** Body-parser failures (too large while reading, malformed JSON, bad charset) as plain-words errors. */
export function bodyError(err: unknown): HttpError | undefined {
  const e = err as { type?: unknown; status?: unknown };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number') return undefined;
  if (e.type === 'entity.too.large') return new HttpError(413, 'BODY_TOO_LARGE', 'That is too much to send at once. Send less, or split it.');
  if (e.status === 415) return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'That character set or encoding is not supported: send UTF-8.');
  if (e.type === 'entity.parse.failed') return new HttpError(400, 'BAD_BODY', 'The request body could not be read: it is not valid JSON.');
  if (e.status >= 400 && e.status < 500) return new HttpError(400, 'BAD_BODY', 'The request body could not be read. Send it again.');
  return undefined;
}
