// Signing in and out over HTTP, as a browser does it (the sign-in form's pre-session cookie and
// token, then the session cookie): the pages name the signed-in user, wrong passwords are refused in
// plain words, signing out and disabling end sessions, "next" only leads to local paths, sessions
// expire when idle, the first run leads to /setup (or the admin comes from the environment), and
// the glossary history and audit log name the signed-in author whatever the form says.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../server/app.ts';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { AccountService } from '../server/services/accounts.ts';
import { UserStore } from '../server/store/users.ts';
import { startServer, USERS, type TestServer } from './support/browser.ts';

const MIN = 60_000;
let server: TestServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-auth-'));
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.accounts.create('dora', 'dora-password-1', 'reviewer', 'test');
  });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A cookie-keeping HTTP client that does not follow redirects. */
class Agent {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  async fetch(p: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + p, { redirect: 'manual', ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  get(p: string): Promise<Response> {
    return this.fetch(p);
  }

  post(p: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  /** The form's hidden _csrf from a page (the sign-in and setup forms, or any signed-in page). */
  async token(p: string): Promise<string> {
    const html = await (await this.get(p)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no _csrf on ${p}: ${html.slice(0, 200)}`);
    return m[1]!;
  }

  async signIn(username: string, password: string, next?: string): Promise<Response> {
    const _csrf = await this.token('/login');
    return this.post('/login', { _csrf, username, password, ...(next !== undefined ? { next } : {}) });
  }
}

async function listen(deps: AppDeps): Promise<{ url: string; server: Server }> {
  const app = createApp({ log: () => undefined, ...deps });
  const s = await new Promise<Server>((resolve) => {
    const x = app.listen(0, '127.0.0.1', () => resolve(x));
  });
  closers.push(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, server: s };
}

async function workspace(name: string, env: Record<string, string> = {}): Promise<Workspace> {
  const ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(tmp, `${name}.db`), ...env }));
  closers.push(() => ws.close());
  return ws;
}

const depsOf = (ws: Workspace, accounts = ws.accounts): AppDeps => ({ articles: ws.articles, glossary: ws.glossary, annotations: ws.annotations, queue: ws.queue, accounts });

describe('signing in and out', () => {
  it('shows the sign-in form with its pre-session token, and no user', async () => {
    const a = new Agent(server.url);
    const res = await a.get('/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<form method="post" action="\/login"/);
    expect(html).toContain('name="username"');
    expect(html).toContain('type="password"');
    expect(html).toContain(`name="_csrf" value="${a.jar.get('copydesk_presession')}"`);
    expect(html).not.toContain('Sign out');
  });

  it('signs in through the real form: a session cookie, and the pages name the user', async () => {
    const a = new Agent(server.url);
    const res = await a.signIn('rita', USERS.reviewer.password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(a.jar.get('copydesk_session')).toMatch(/^[\w-]{40,}/);
    expect(a.jar.has('copydesk_presession')).toBe(false);
    for (const p of ['/', '/glossary', '/account']) {
      const page = await a.get(p);
      expect(page.status, p).toBe(200);
      const html = await page.text();
      expect(html, p).toMatch(/<a href="\/account"[^>]*>rita<\/a> <span class="role">reviewer<\/span>/);
      expect(html, p).toContain('Sign out');
    }
    // Signed in, the sign-in page sends you on.
    expect((await a.get('/login')).headers.get('location')).toBe('/');
  });

  it('a wrong password or an unknown user gets 401 and the same plain words, and no session', async () => {
    for (const [user, pw] of [
      ['rita', 'not-her-password'],
      ['nobody-here', 'whatever-password'],
    ]) {
      const a = new Agent(server.url);
      const res = await a.signIn(user!, pw!);
      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain('That user name and password do not match. Check both and try again.');
      expect(html).toContain(`value="${user}"`); // the name is kept, the password is not
      expect(html).not.toContain(pw!);
      expect(a.jar.has('copydesk_session')).toBe(false);
    }
    const a = new Agent(server.url);
    expect((await a.signIn('rita', '')).status).toBe(422);
  });

  it('signing out ends the session: the old cookie no longer works', async () => {
    const a = new Agent(server.url);
    await a.signIn('eddie', USERS.editor.password);
    const old = a.jar.get('copydesk_session')!;
    const _csrf = await a.token('/account');
    const out = await a.post('/logout', { _csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(a.jar.has('copydesk_session')).toBe(false);
    const replay = new Agent(server.url);
    replay.jar.set('copydesk_session', old);
    const res = await replay.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login/);
    const write = await replay.post('/glossary/propose', { _csrf, target: 'new', canonical: 'After logout', type: 'term' });
    expect(write.status).toBe(401);
    expect(await server.ws.db.get("SELECT id FROM concepts WHERE canonical = 'After logout'")).toBeUndefined();
  });

  it.each([
    ['/glossary?q=kyiv', '/glossary?q=kyiv'],
    ['/articles/001_00dde55bb2c9393b#review', '/articles/001_00dde55bb2c9393b#review'],
    ['//evil.example', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['https://x', '/'],
    ['http://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['evil.example', '/'],
    ['/login', '/'],
    ['', '/'],
  ])('after signing in, next=%j leads to %s', async (next, to) => {
    const a = new Agent(server.url);
    const form = await (await a.get(`/login?next=${encodeURIComponent(next)}`)).text();
    expect(form).toContain(`name="next" value="${to}"`);
    const res = await a.signIn('rita', USERS.reviewer.password, next);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(to);
  });

  it('a page asked for before signing in is where the sign-in leads', async () => {
    const a = new Agent(server.url);
    const res = await a.get('/glossary?q=kyiv&status=approved');
    expect(res.status).toBe(303);
    const login = res.headers.get('location')!;
    expect(login).toBe(`/login?next=${encodeURIComponent('/glossary?q=kyiv&status=approved')}`);
    const next = new URL(login, server.url).searchParams.get('next')!;
    expect((await a.signIn('rita', USERS.reviewer.password, next)).headers.get('location')).toBe('/glossary?q=kyiv&status=approved');
  });
});

describe('disabled users', () => {
  it('cannot sign in, and their open session and API tokens stop working', async () => {
    const dora = new Agent(server.url);
    expect((await dora.signIn('dora', 'dora-password-1')).status).toBe(303);
    expect((await dora.get('/')).status).toBe(200);
    const token = (await server.ws.accounts.createToken('dora', 'dora pipeline', 'dora')).token;
    const api = () => fetch(`${server.url}/api/glossary`, { headers: { authorization: `Bearer ${token}` } });
    expect((await api()).status).toBe(200);

    const ada = new Agent(server.url);
    await ada.signIn('ada', USERS.admin.password);
    const disabled = await ada.post('/admin/users/dora/disable', { _csrf: await ada.token('/admin/users') });
    expect(disabled.status).toBe(303);

    const after = await dora.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
    expect((await api()).status).toBe(401);
    const again = new Agent(server.url);
    const refused = await again.signIn('dora', 'dora-password-1');
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('do not match');

    await ada.post('/admin/users/dora/enable', { _csrf: await ada.token('/admin/users') });
    expect((await again.signIn('dora', 'dora-password-1')).status).toBe(303);
    expect((await api()).status).toBe(200);
  });
});

describe('changing your own password', () => {
  it('needs the current password; then every session of yours ends and the new password signs in', async () => {
    await server.ws.accounts.create('pia', 'pia-password-1', 'reviewer', 'test');
    const pia = new Agent(server.url);
    expect((await pia.signIn('pia', 'pia-password-1')).status).toBe(303);

    const wrong = await pia.post('/account/password', { _csrf: await pia.token('/account'), current: 'not-it-at-all', password: 'pia-new-password', confirm: 'pia-new-password' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Your current password is not right');
    const differ = await pia.post('/account/password', { _csrf: await pia.token('/account'), current: 'pia-password-1', password: 'pia-new-password', confirm: 'pia-other-password' });
    expect(differ.status).toBe(422);
    expect((await new Agent(server.url).signIn('pia', 'pia-password-1')).status).toBe(303); // unchanged so far

    const ok = await pia.post('/account/password', { _csrf: await pia.token('/account'), current: 'pia-password-1', password: 'pia-new-password', confirm: 'pia-new-password' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/login?changed=1');
    expect((await pia.get('/')).status).toBe(303); // signed out
    expect((await new Agent(server.url).signIn('pia', 'pia-password-1')).status).toBe(401);
    expect((await new Agent(server.url).signIn('pia', 'pia-new-password')).status).toBe(303);
  });
});

describe('session expiry', () => {
  it('a session unused for longer than the idle time, or older than the absolute limit, sends you to sign in again', async () => {
    const clock = { t: Date.now() };
    const accounts = new AccountService(new UserStore(server.ws.db), { now: () => clock.t, idleMs: 30 * MIN, absoluteMs: 2 * 60 * MIN });
    const { url } = await listen(depsOf(server.ws, accounts));
    const a = new Agent(url);
    expect((await a.signIn('rita', USERS.reviewer.password)).status).toBe(303);
    clock.t += 29 * MIN;
    expect((await a.get('/')).status).toBe(200); // used: the idle time starts again
    clock.t += 29 * MIN;
    expect((await a.get('/')).status).toBe(200);
    clock.t += 31 * MIN;
    const idle = await a.get('/');
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toMatch(/^\/login/);
    expect(a.jar.has('copydesk_session')).toBe(false); // the stale cookie is cleared

    const b = new Agent(url);
    expect((await b.signIn('rita', USERS.reviewer.password)).status).toBe(303);
    for (let i = 0; i < 5; i++) {
      clock.t += 20 * MIN;
      expect((await b.get('/')).status, `after ${(i + 1) * 20} minutes`).toBe(200);
    }
    clock.t += 21 * MIN; // 2 h 1 min after signing in, used every 20 minutes
    expect((await b.get('/')).status).toBe(303);
  });
});

describe('first run', () => {
  it('with no users every page leads to /setup; setup creates the admin and signs in; then /setup is gone', async () => {
    const ws = await workspace('first-run');
    expect(await ws.accounts.userCount()).toBe(0);
    const { url } = await listen(depsOf(ws));
    const a = new Agent(url);
    for (const p of ['/', '/glossary', '/login', '/admin/users', '/articles/new']) {
      const res = await a.get(p);
      expect(res.status, p).toBe(303);
      expect(res.headers.get('location'), p).toBe('/setup');
    }
    const api = await fetch(`${url}/api/glossary`);
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('SETUP_REQUIRED');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const _csrf = await a.token('/setup');
    const differ = await a.post('/setup', { _csrf, username: 'chief', password: 'chief-password-1', confirm: 'chief-password-2' });
    expect(differ.status).toBe(422);
    expect(await differ.text()).toContain('The two passwords differ');
    const weak = await a.post('/setup', { _csrf, username: 'chief', password: 'short', confirm: 'short' });
    expect(weak.status).toBe(422);
    expect(await ws.accounts.userCount()).toBe(0);

    const done = await a.post('/setup', { _csrf, username: 'chief', password: 'chief-password-1', confirm: 'chief-password-1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    expect(await ws.accounts.get('chief')).toMatchObject({ username: 'chief', role: 'admin', disabled: false });
    const home = await a.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/>chief<\/a> <span class="role">admin<\/span>/);
    expect((await a.get('/admin/users')).status).toBe(200);

    expect((await a.get('/setup')).status).toBe(404);
    const other = new Agent(url);
    const token = await other.token('/login');
    const again = await other.post('/setup', { _csrf: token, username: 'intruder', password: 'intruder-password-1', confirm: 'intruder-password-1' });
    expect(again.status).toBe(404);
    expect(await ws.accounts.get('intruder')).toBeNull();
    expect((await other.get('/')).headers.get('location')).toMatch(/^\/login/);
  });

  it('COPYDESK_ADMIN_USER and COPYDESK_ADMIN_PASSWORD create the admin when the workspace opens', async () => {
    const env = { COPYDESK_ADMIN_USER: 'boss', COPYDESK_ADMIN_PASSWORD: 'boss-password-12' };
    const ws = await workspace('env-admin', env);
    expect(await ws.accounts.get('boss')).toMatchObject({ role: 'admin', disabled: false });
    expect(await ws.accounts.userCount()).toBe(1);
    const { url } = await listen(depsOf(ws));
    const a = new Agent(url);
    expect((await a.get('/setup')).status).toBe(404);
    expect((await a.get('/')).headers.get('location')).toMatch(/^\/login/);
    expect((await a.signIn('boss', 'boss-password-12')).status).toBe(303);
    expect((await a.get('/admin/users')).status).toBe(200);
    const log = await ws.accounts.auditLog();
    expect(log.rows.some((r) => r.actor === 'system' && r.action === 'user.create' && r.target === 'boss')).toBe(true);
  });
});

describe('authors come from the session, not the form', () => {
  it('the glossary history and /audit name rita for the proposal and eddie for the approval', async () => {
    const rita = new Agent(server.url);
    await rita.signIn('rita', USERS.reviewer.password);
    const proposed = await rita.post('/glossary/propose', {
      _csrf: await rita.token('/glossary/propose'),
      target: 'new',
      canonical: 'Authored concept',
      type: 'organization',
      text: 'Authored Konsept',
      kind: 'literal-translation',
      note: 'From the auth test.',
      reviewer: 'mallory', // a field the form no longer has: ignored
      author: 'mallory',
    });
    expect(proposed.status).toBe(303);
    expect(proposed.headers.get('location')).toBe('/glossary/authored-concept?done=proposed');

    const eddie = new Agent(server.url);
    await eddie.signIn('eddie', USERS.editor.password);
    const _csrf = await eddie.token('/glossary/authored-concept');
    const approved = await eddie.post('/glossary/authored-concept/decide', { _csrf, action: 'approve', version: '1', reviewer: 'mallory' });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe('/glossary/authored-concept?done=approved');

    const history = await server.ws.glossary.history('authored-concept');
    expect(history.map((h) => [h.action, h.author])).toEqual([
      ['propose', 'rita'],
      ['approve', 'eddie'],
    ]);
    const html = await (await eddie.get('/glossary/authored-concept')).text();
    const section = html.slice(html.indexOf('id="history"'));
    expect(section).toMatch(/<strong>rita<\/strong> proposed/);
    expect(section).toMatch(/<strong>eddie<\/strong> approved/);
    expect(html).not.toContain('mallory');

    let audit = '';
    for (let i = 0; i < 50 && !/POST \/glossary\/authored-concept\/decide/.test(audit); i++) {
      audit = await (await eddie.get('/audit')).text();
      await new Promise((r) => setTimeout(r, 20));
    }
    const row = (actor: string, action: string) => audit.includes(`<td>${actor}</td><td>${action}</td>`);
    expect(row('rita', 'POST /glossary/propose')).toBe(true);
    expect(row('eddie', 'POST /glossary/authored-concept/decide')).toBe(true);
    expect(audit).not.toContain('mallory');
  });

  it('an annotation is stored under the signed-in reviewer whatever name the body gives', async () => {
    const rita = await server.as('reviewer');
    const res = await rita.postJson('/articles/001_00dde55bb2c9393b/annotations', { quote: 'historic', occurrence: 1, category: 'style', severity: 'minor', reviewer: 'mallory' });
    expect(res.status).toBe(201);
    const { annotation } = (await res.json()) as { annotation: { id: number; reviewer: string } };
    expect(annotation.reviewer).toBe('rita');
    expect((await server.ws.annotations.store.byId(annotation.id))!.reviewer).toBe('rita');
  });
});
