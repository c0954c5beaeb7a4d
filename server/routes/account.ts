// Your account (API tokens: create, shown once, revoke), the administrators' user list (add,
// role, disable or enable, reset a password) and the audit log of every write.
import { Router, type Response } from 'express';
import { AccountError, ROLES, type AccountService, type Role } from '../services/accounts.ts';
import { requireRole, userOf } from '../web/auth.ts';
import { HttpError } from '../web/errors.ts';
import { oneOf, str, wholeNumber } from '../web/forms.ts';

const STYLES = ['account.css'];
const AUDIT_PAGE = 100;

const STATUS: Record<AccountError['code'], number> = { INVALID: 422, EXISTS: 409, NOT_FOUND: 404, LAST_ADMIN: 409, FORBIDDEN: 403 };

function accountHttp(e: unknown): unknown {
  return e instanceof AccountError ? new HttpError(STATUS[e.code] ?? 422, e.code, e.message) : e;
}

export function accountRoutes(accounts: AccountService): Router {
  const router = Router();

  // ------------------------------------------------------------------------------ your account
  const renderAccount = async (res: Response, status: number, extra: { token?: string; label?: string; error?: string; passwordError?: string; done?: string } = {}) => {
    const me = userOf(res);
    res.status(status).render('account', { title: 'Your account', nav: 'account', styles: STYLES, me, tokens: await accounts.tokens(me.username), ...extra });
  };

  router.get('/account', async (req, res) => {
    await renderAccount(res, 200, { done: str(req.query.done) === 'revoked' ? 'The token was revoked: requests with it are refused from now on.' : undefined });
  });

  router.post('/account/tokens', async (req, res) => {
    const label = str((req.body ?? {}).label).replace(/\s+/g, ' ').trim();
    try {
      const { token } = await accounts.createToken(userOf(res).username, label, userOf(res).username);
      res.set('Cache-Control', 'no-store');
      await renderAccount(res, 201, { token, label });
    } catch (e) {
      if (e instanceof AccountError && e.code === 'INVALID') return renderAccount(res, 422, { error: e.message, label });
      throw accountHttp(e);
    }
  });

  // Changing your own password ends every session of yours, this one too: sign in again with it.
  router.post('/account/password', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const me = userOf(res);
    if (str(b.password) !== str(b.confirm)) return renderAccount(res, 422, { passwordError: 'The two new passwords differ. Type the same password twice.' });
    try {
      await accounts.changePassword(me.username, str(b.current), str(b.password));
    } catch (e) {
      if (e instanceof AccountError && e.code === 'INVALID') return renderAccount(res, 422, { passwordError: e.message });
      throw accountHttp(e);
    }
    res.redirect(303, '/login?changed=1');
  });

  router.post('/account/tokens/:id/revoke', async (req, res) => {
    const id = wholeNumber(req.params.id);
    if (id === null) throw new HttpError(404, 'NOT_FOUND', 'There is no such token.');
    try {
      await accounts.revokeToken(userOf(res).username, id, userOf(res).username);
    } catch (e) {
      throw accountHttp(e);
    }
    res.redirect(303, '/account?done=revoked');
  });

  // ------------------------------------------------------------------------------ users (admins)
  const renderUsers = async (res: Response, status: number, extra: { error?: string; done?: string; form?: { username: string; role: string } } = {}) => {
    res.status(status).render('users', { title: 'Users', nav: 'users', styles: STYLES, users: await accounts.list(), roles: ROLES, form: { username: '', role: 'reviewer' }, ...extra });
  };
  const DONE: Record<string, string> = {
    added: 'Added. Give them their user name and password; they can sign in now.',
    role: 'Role changed.',
    disabled: 'Disabled: their sessions and API tokens no longer work.',
    enabled: 'Enabled: they can sign in again.',
    password: 'Password reset: their sessions were ended; give them the new password.',
  };

  router.get('/admin/users', requireRole('admin'), async (req, res) => {
    const done = oneOf(Object.keys(DONE), req.query.done);
    await renderUsers(res, 200, { done: done ? DONE[done] : undefined });
  });

  router.post('/admin/users', requireRole('admin'), async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const form = { username: str(b.username).trim(), role: str(b.role) };
    const role = oneOf(ROLES, b.role);
    if (!role) return renderUsers(res, 422, { error: 'Choose a role: reviewer, editor or admin.', form });
    try {
      await accounts.create(form.username, str(b.password), role, userOf(res).username);
    } catch (e) {
      if (e instanceof AccountError && (e.code === 'INVALID' || e.code === 'EXISTS')) return renderUsers(res, e.code === 'EXISTS' ? 409 : 422, { error: e.message, form });
      throw accountHttp(e);
    }
    res.redirect(303, '/admin/users?done=added');
  });

  const userAction = (path: string, run: (name: string, body: Record<string, unknown>, actor: string) => Promise<unknown>, done: string) => {
    router.post(`/admin/users/:name/${path}`, requireRole('admin'), async (req, res) => {
      try {
        await run(String(req.params.name), (req.body ?? {}) as Record<string, unknown>, userOf(res).username);
      } catch (e) {
        if (e instanceof AccountError && e.code !== 'NOT_FOUND') return renderUsers(res, STATUS[e.code] ?? 422, { error: e.message });
        throw accountHttp(e);
      }
      res.redirect(303, `/admin/users?done=${done}`);
    });
  };
  userAction('role', (name, b, actor) => {
    const role = oneOf(ROLES, b.role);
    if (!role) throw new AccountError('INVALID', 'Choose a role: reviewer, editor or admin.', 'role');
    return accounts.setRole(name, role as Role, actor);
  }, 'role');
  userAction('disable', (name, _b, actor) => accounts.setDisabled(name, true, actor), 'disabled');
  userAction('enable', (name, _b, actor) => accounts.setDisabled(name, false, actor), 'enabled');
  userAction('password', (name, b, actor) => accounts.resetPassword(name, str(b.password), actor), 'password');

  // ------------------------------------------------------------------------------ audit log
  router.get('/audit', requireRole('editor'), async (req, res) => {
    const page = Math.max(1, wholeNumber(req.query.page) ?? 1);
    const actor = str(req.query.actor).trim() || undefined;
    const { rows, total } = await accounts.auditLog({ limit: AUDIT_PAGE, offset: (page - 1) * AUDIT_PAGE, ...(actor ? { actor } : {}) });
    res.render('audit', { title: 'Audit log', nav: 'audit', styles: STYLES, rows, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE)), actor: actor ?? '' });
  });

  return router;
}
