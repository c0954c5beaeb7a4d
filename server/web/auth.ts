// Who is asking, and may they? Every request but the sign-in, first-run setup, static files and the
// health check needs a signed-in user: a session cookie (browsers) or an API token (pipelines,
// "Authorization: Bearer cdk_…"). State-changing requests from a session must carry its CSRF token
// (a hidden _csrf field, an X-CSRF-Token header, or ?_csrf= on multipart forms); token requests
// carry no cookies, so they need none. Roles are checked per route with requireRole.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { roleAtLeast, type AccountService, type Role, type User } from '../services/accounts.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'copydesk_session';
/** Before sign-in there is no session to hold a CSRF token: the sign-in and setup forms double-submit this cookie. */
export const PRE_CSRF_COOKIE = 'copydesk_presession';

/** Paths anyone may reach (everything else needs a signed-in user). */
const PUBLIC = [/^\/login$/, /^\/setup$/, /^\/static\//, /^\/healthz$/];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthLocals {
  user?: User;
  /** 'session' (cookie) or 'token' (API token). */
  via?: 'session' | 'token';
  /** The CSRF token forms must send back (the session's, or the pre-session cookie's). */
  csrf?: string;
  sessionId?: string;
}

/** The signed-in user (throws 401 when there is none: routes behind requireSignedIn always have one). */
export function userOf(res: Response): User {
  const u = (res.locals as AuthLocals).user;
  if (!u) throw new HttpError(401, 'SIGN_IN_REQUIRED', 'Sign in to do this.');
  return u;
}

export function isApi(req: Request): boolean {
  return req.path.startsWith('/api/');
}

function wantsHtml(req: Request): boolean {
  return !isApi(req) && req.method === 'GET' && req.accepts(['html', 'json']) === 'html';
}

export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Cookie flags: never readable by scripts, not sent on cross-site subrequests, Secure behind TLS. */
export function cookieFlags(req: Request, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

function bearer(req: Request): string | undefined {
  const h = req.get('authorization');
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : undefined;
}

/** Find the user behind the request (token or session) and put them in res.locals. */
export function authenticate(accounts: AccountService): RequestHandler {
  return async (req, res, next) => {
    const locals = res.locals as AuthLocals;
    const token = bearer(req);
    if (token !== undefined) {
      const user = await accounts.tokenUser(token);
      if (!user) return next(new HttpError(401, 'BAD_TOKEN', 'That API token is not valid (unknown, revoked, or its user is disabled). Create a new one on your account page.'));
      locals.user = user;
      locals.via = 'token';
      locals.csrf = ''; // token requests carry no cookies: no CSRF token to hand out or check
      return next();
    }
    const sid = cookieOf(req, SESSION_COOKIE);
    if (sid) {
      const s = await accounts.session(decodeURIComponent(sid));
      if (s) {
        locals.user = s.user;
        locals.via = 'session';
        locals.csrf = s.csrf;
        locals.sessionId = decodeURIComponent(sid);
      } else res.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    next();
  };
}

/** First run: until an admin exists, everything leads to the setup page. */
export function requireSetup(accounts: AccountService): RequestHandler {
  let done = false;
  return async (req, res, next) => {
    if (done || /^\/static\//.test(req.path) || req.path === '/healthz') return next();
    if ((await accounts.userCount()) > 0) {
      done = true;
      return next();
    }
    if (req.path === '/setup') return next();
    if (wantsHtml(req)) return res.redirect(303, '/setup');
    next(new HttpError(503, 'SETUP_REQUIRED', 'copydesk has no users yet: open /setup to create the first administrator.'));
  };
}

/** Everything but the public paths needs a signed-in user: pages redirect to the sign-in form. */
export function requireSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (PUBLIC.some((re) => re.test(req.path)) || (res.locals as AuthLocals).user) return next();
  if (wantsHtml(req)) {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new HttpError(401, 'SIGN_IN_REQUIRED', isApi(req) ? 'Send an API token: "Authorization: Bearer <token>". Create one on your account page.' : 'Sign in to do this.'));
}

/** A random token for the pre-session cookie (sign-in and setup forms). */
export function preSessionToken(req: Request, res: Response): string {
  const have = cookieOf(req, PRE_CSRF_COOKIE);
  if (have && /^[A-Za-z0-9_-]{20,100}$/.test(have)) return have;
  const t = crypto.randomBytes(24).toString('base64url');
  res.cookie(PRE_CSRF_COOKIE, t, { ...cookieFlags(req, 2 * 3600 * 1000), sameSite: 'strict' });
  return t;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** State-changing requests from a browser must carry the CSRF token (runs after the body parsers). */
export function csrfGuard(req: Request, res: Response, next: NextFunction): void {
  const locals = res.locals as AuthLocals;
  if (!UNSAFE.has(req.method) || locals.via === 'token') return next();
  const expected = locals.via === 'session' ? locals.csrf : cookieOf(req, PRE_CSRF_COOKIE);
  const body = req.body as Record<string, unknown> | undefined;
  const sent = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? (typeof req.query._csrf === 'string' ? req.query._csrf : undefined);
  if (!expected || !sent || !sameToken(sent, expected)) {
    return next(new HttpError(403, 'CSRF', 'This form has expired or was not sent from copydesk, so nothing was changed. Reload the page and try again.'));
  }
  next();
}

/** Only users with at least this role. */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const u = (res.locals as AuthLocals).user;
    if (!u) return next(new HttpError(401, 'SIGN_IN_REQUIRED', 'Sign in to do this.'));
    if (!roleAtLeast(u.role, role)) return next(new HttpError(403, 'FORBIDDEN', `This needs the ${role} role; you are signed in as ${u.username} (${u.role}). Ask an administrator.`));
    next();
  };
}

/** Throw 403 unless the user has at least this role (for checks that depend on the body). */
export function assertRole(res: Response, role: Role, what: string): void {
  const u = userOf(res);
  if (!roleAtLeast(u.role, role)) throw new HttpError(403, 'FORBIDDEN', `Only an ${role} can ${what}; you are signed in as ${u.username} (${u.role}).`);
}
