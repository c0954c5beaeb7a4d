// Signing in and out, and the first-run setup of the first administrator. The forms work before
// any session exists, so their CSRF token is the pre-session cookie's (see web/auth.ts).
import { Router, type Request, type Response } from 'express';
import { AccountError, type AccountService } from '../services/accounts.ts';
import { cookieFlags, PRE_CSRF_COOKIE, preSessionToken, SESSION_COOKIE, type AuthLocals } from '../web/auth.ts';
import { HttpError } from '../web/errors.ts';
import { str } from '../web/forms.ts';

/** Where to go after signing in: a path on this site only (never "//host" or a URL). */
export function safeNext(v: unknown): string {
  const s = str(v);
  return /^\/(?![/\\])[^\s]*$/.test(s) && !s.startsWith('/login') && !s.startsWith('/setup') ? s : '/';
}

function startSession(req: Request, res: Response, sessionId: string, expiresAt: number): void {
  res.cookie(SESSION_COOKIE, sessionId, cookieFlags(req, Math.max(0, expiresAt - Date.now())));
  res.clearCookie(PRE_CSRF_COOKIE, { path: '/' });
}

export function authRoutes(accounts: AccountService): Router {
  const router = Router();

  const renderLogin = (req: Request, res: Response, status: number, values: { username: string; next: string }, error = '', notice = '') => {
    res.status(status).render('login', { title: 'Sign in', csrf: preSessionToken(req, res), values, error, notice, styles: ['account.css'] });
  };

  router.get('/login', (req, res) => {
    if ((res.locals as AuthLocals).user) return res.redirect(303, safeNext(req.query.next));
    renderLogin(req, res, 200, { username: '', next: safeNext(req.query.next) }, '', str(req.query.changed) === '1' ? 'Your password was changed. Sign in with the new one.' : '');
  });

  router.post('/login', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = { username: str(b.username).trim().slice(0, 100), next: safeNext(b.next) };
    const password = str(b.password);
    if (!values.username || !password) return renderLogin(req, res, 422, values, 'Type your user name and your password.');
    const r = await accounts.login(values.username, password, req.ip ?? '', req.get('user-agent'));
    if (!r.ok) {
      if (r.code === 'THROTTLED') {
        const wait = Math.max(1, r.retryAfterSeconds ?? 60);
        res.set('Retry-After', String(wait));
        return renderLogin(req, res, 429, values, `Too many wrong passwords: wait ${wait > 90 ? `${Math.ceil(wait / 60)} minutes` : `${wait} seconds`} before trying again, or ask an administrator to reset your password.`);
      }
      return renderLogin(req, res, 401, values, 'That user name and password do not match. Check both and try again.');
    }
    startSession(req, res, r.sessionId, r.expiresAt);
    res.redirect(303, values.next);
  });

  router.post('/logout', async (_req, res) => {
    const sid = (res.locals as AuthLocals).sessionId;
    if (sid) await accounts.logout(sid);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  const renderSetup = (req: Request, res: Response, status: number, username: string, error = '') => {
    res.status(status).render('setup', { title: 'Set up copydesk', csrf: preSessionToken(req, res), username, error, styles: ['account.css'] });
  };

  router.get('/setup', async (req, res) => {
    if ((await accounts.userCount()) > 0) throw new HttpError(404, 'NOT_FOUND', 'copydesk is set up already. Sign in instead.');
    renderSetup(req, res, 200, '');
  });

  // One setup at a time: two first-run forms sent together must not both create an administrator.
  let setupLock: Promise<unknown> = Promise.resolve();
  router.post('/setup', async (req, res) => {
    const turn = setupLock.then(() => setup(req, res));
    setupLock = turn.catch(() => undefined);
    await turn;
  });

  const setup = async (req: Request, res: Response) => {
    if ((await accounts.userCount()) > 0) throw new HttpError(404, 'NOT_FOUND', 'copydesk is set up already. Sign in instead.');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const username = str(b.username).trim();
    const password = str(b.password);
    if (password !== str(b.confirm)) return renderSetup(req, res, 422, username, 'The two passwords differ. Type the same password twice.');
    try {
      await accounts.create(username, password, 'admin', 'setup');
    } catch (e) {
      if (e instanceof AccountError) return renderSetup(req, res, 422, username, e.message);
      throw e;
    }
    const r = await accounts.login(username, password, req.ip ?? '', req.get('user-agent'));
    if (r.ok) startSession(req, res, r.sessionId, r.expiresAt);
    res.redirect(303, '/');
  };

  return router;
}
