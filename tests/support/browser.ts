// Real-browser support for end-to-end tests: Debian's Chromium driven by playwright-core, against
// the app served on a loopback port from a fresh temporary database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createApp } from '../../server/app.ts';
import { openWorkspace, type Workspace } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed: .ci/run installs it with apt-get install -y chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type TestRole = 'reviewer' | 'editor' | 'admin';

/** The accounts every test server has (one per role). */
export const USERS: Record<TestRole, { username: string; password: string }> = {
  reviewer: { username: 'rita', password: 'rita-reviews-1' },
  editor: { username: 'eddie', password: 'eddie-edits-12' },
  admin: { username: 'ada', password: 'ada-administers' },
};

/** A signed-in HTTP client: its session cookie and CSRF token are sent with every request. */
export interface Client {
  username: string;
  cookie: string;
  csrf: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** A urlencoded form post (the CSRF token added as _csrf unless the fields carry one); redirects not followed. */
  postForm(path: string, fields: Record<string, string>, init?: RequestInit): Promise<Response>;
  /** A JSON post with the X-CSRF-Token header; redirects not followed. */
  postJson(path: string, body: unknown, init?: RequestInit): Promise<Response>;
}

export interface TestServer {
  url: string;
  ws: Workspace;
  close(): Promise<void>;
  /** A client signed in with the test account of this role (a new session each call). */
  as(role: TestRole): Promise<Client>;
  /** Sign a browser context in as this role (sets the session cookie); returns the CSRF token. */
  signIn(context: BrowserContext, role: TestRole): Promise<string>;
}

/** A client for a signed-in session id (or anonymous when sessionId is ''). */
export function clientFor(url: string, username: string, sessionId: string, csrf: string): Client {
  const cookie = sessionId ? `copydesk_session=${encodeURIComponent(sessionId)}` : '';
  const withCookie = (init: RequestInit = {}): RequestInit => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    return { redirect: 'manual', ...init, headers };
  };
  const client: Client = {
    username,
    cookie,
    csrf,
    fetch: (path, init) => fetch(url + path, withCookie(init)),
    get: (path, init) => client.fetch(path, { ...init, method: 'GET' }),
    postForm: (path, fields, init = {}) => {
      const body = new URLSearchParams(fields);
      if (csrf && !body.has('_csrf')) body.set('_csrf', csrf);
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/x-www-form-urlencoded');
      return client.fetch(path, { ...init, method: 'POST', headers, body: body.toString() });
    },
    postJson: (path, data, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/json');
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      if (csrf && !headers.has('x-csrf-token')) headers.set('x-csrf-token', csrf);
      return client.fetch(path, { ...init, method: 'POST', headers, body: JSON.stringify(data) });
    },
  };
  return client;
}

/** Create the test accounts (one per role) in a workspace that has none of them yet. */
export async function createTestUsers(ws: Workspace): Promise<void> {
  for (const role of ['admin', 'editor', 'reviewer'] as const) {
    if (!(await ws.accounts.get(USERS[role].username))) await ws.accounts.create(USERS[role].username, USERS[role].password, role, 'test');
  }
}

/** A fresh database (migrated, seeded with the starter glossary and demo corpus) behind the app on 127.0.0.1:random. */
export async function startServer(prepare?: (ws: Workspace) => Promise<void>): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-'));
  const ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(dir, 'e2e.db') }));
  await createTestUsers(ws);
  if (prepare) await prepare(ws);
  const app = createApp({ articles: ws.articles, glossary: ws.glossary, annotations: ws.annotations, queue: ws.queue, accounts: ws.accounts, stories: ws.stories, scores: ws.scores, dashboard: ws.dashboard, log: () => undefined });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const session = async (role: TestRole) => {
    const r = await ws.accounts.login(USERS[role].username, USERS[role].password, '127.0.0.1');
    if (!r.ok) throw new Error(`test sign-in as ${role} failed: ${r.code}`);
    return r;
  };
  return {
    url,
    ws,
    as: async (role) => {
      const r = await session(role);
      return clientFor(url, r.user.username, r.sessionId, r.csrf);
    },
    signIn: async (context, role) => {
      const r = await session(role);
      await context.addCookies([{ name: 'copydesk_session', value: encodeURIComponent(r.sessionId), url, httpOnly: true, sameSite: 'Lax' }]);
      return r.csrf;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}
