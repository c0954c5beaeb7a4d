// The permission matrix: every page, every state-changing route and every API call, asked by an
// anonymous visitor, a reviewer, an editor and an admin. Allowed cells send a valid request and must
// really succeed (with the status the route answers on success); denied cells must be refused (303
// to /login for an anonymous page view, 401 for anything else anonymous, 403 for too low a role) and
// must change nothing in the database. Then the API with an API token of each role, and a revoked one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer, USERS, type Client, type TestRole, type TestServer } from './support/browser.ts';

type Who = 'anonymous' | TestRole;
const WHO: readonly Who[] = ['anonymous', 'reviewer', 'editor', 'admin'];
const RANK: Record<Who, number> = { anonymous: 0, reviewer: 1, editor: 2, admin: 3 };
const GT = '001_00dde55bb2c9393b';
const PASSWORD = 'a-long-enough-password-1';

let server: TestServer;
const clients = {} as Record<Who, Client>;

/** What each cell works on, prepared so that every allowed cell can succeed once. */
interface Fixture {
  accept: { slug: string; ref: Record<string, unknown> };
  dismissHere: { slug: string; ref: Record<string, unknown> };
  dismissAlways: { slug: string; ref: Record<string, unknown> };
  editAnnotation: number;
  deleteAnnotation: number;
  decideConcept: string;
  editConcept: string;
  token: number;
  /** Two stories of two articles each: one merged into the other, one split. */
  mergeInto: string;
  mergeFrom: string;
  split: { key: string; slug: string };
}
const fx = {} as Record<Who, Fixture>;

/** An article with a "Kiev" glossary finding in words of its own (so that an exception added by one cell touches no other). */
async function articleWithFinding(slug: string, tag: string): Promise<{ slug: string; ref: Record<string, unknown> }> {
  const text = `Officials ${tag}one ${tag}two Kiev ${tag}three ${tag}four said on Monday.\n`;
  await server.ws.articles.importMany([{ slug, text, title: `Permission article ${slug}` }]);
  const a = (await server.ws.articles.store.bySlug(slug))!;
  const f = (await server.ws.articles.store.findings(a.id)).find((x) => x.detector === 'glossary' && x.text === 'Kiev');
  if (!f) throw new Error(`no Kiev finding in ${slug}`);
  return { slug, ref: { detector: f.detector, start: f.start, end: f.end, text: f.text } };
}

beforeAll(async () => {
  server = await startServer();
  clients.anonymous = clientFor(server.url, '', '', '');
  for (const r of ['reviewer', 'editor', 'admin'] as const) clients[r] = await server.as(r);
  const gt = (await server.ws.articles.store.bySlug(GT))!.text;
  const at = gt.indexOf('historic');
  for (const who of WHO) {
    const owner = who === 'anonymous' ? USERS.reviewer.username : USERS[who].username;
    const note = (p: string) => server.ws.annotations.create(GT, { start: at, end: at + 8, category: 'style', severity: 'minor', comment: `${p} ${who}` }, owner);
    const concept = async (p: string) => (await server.ws.glossary.propose({ concept: { canonical: `Permission ${p} ${who}`, type: 'term' } }, null, 'rita')).conceptId;
    const tag = who.slice(0, 3);
    for (const [action, role] of [['role', 'reviewer'], ['disable', 'reviewer'], ['enable', 'reviewer'], ['password', 'reviewer']] as const) {
      await server.ws.accounts.create(`perm-${action}-${who}`, PASSWORD, role, 'test');
    }
    await server.ws.accounts.setDisabled(`perm-enable-${who}`, true, 'test');
    fx[who] = {
      accept: await articleWithFinding(`perm-accept-${who}`, `${tag}acc`),
      dismissHere: await articleWithFinding(`perm-here-${who}`, `${tag}her`),
      dismissAlways: await articleWithFinding(`perm-always-${who}`, `${tag}alw`),
      editAnnotation: (await note('edit me')).id,
      deleteAnnotation: (await note('delete me')).id,
      decideConcept: await concept('decide'),
      editConcept: await concept('edit'),
      token: (await server.ws.accounts.createToken(owner, `perm ${who}`, owner)).info.id,
      mergeInto: `perm-into-${who}`,
      mergeFrom: `perm-from-${who}`,
      split: { key: `perm-split-${who}`, slug: `perm-split-${who}-b` },
    };
    const story = (key: string, n: string) => ({ slug: `${key}-${n}`, story: key, title: `Story ${key} ${n}`, text: `Rewrite ${n} of ${key}: officials met on Monday.\n` });
    await server.ws.articles.importMany(['a', 'b'].flatMap((n) => [story(fx[who].mergeInto, n), story(fx[who].mergeFrom, n), story(fx[who].split.key, n)]));
  }
});

afterAll(async () => {
  await server?.close();
});

/** A request body of another media type, with the session's CSRF header when there is a session. */
function send(c: Client, method: string, path: string, type: string, body: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': type, accept: 'application/json' };
  if (c.csrf) headers['x-csrf-token'] = c.csrf;
  return c.fetch(path, { method, headers, body });
}

interface Route {
  name: string;
  /** The least role allowed. */
  min: TestRole;
  /** A page view (anonymous visitors are sent to the sign-in form rather than refused). */
  page?: boolean;
  /** The status of success. */
  ok: number;
  /** For redirects: where success leads. */
  to?: RegExp;
  run(c: Client, who: Who): Promise<Response>;
}

const page = (path: string, min: TestRole = 'reviewer'): Route => ({ name: `GET ${path}`, min, page: true, ok: 200, run: (c) => c.get(path) });

const ROUTES: Route[] = [
  page('/'),
  page(`/articles/${GT}`),
  page('/articles/new'),
  page('/glossary'),
  page('/glossary/kyiv'),
  page('/glossary/propose'),
  page('/glossary/export.csv'),
  page('/annotations.tsv'),
  page('/stories'),
  page('/stories/perm-into-admin'),
  page('/dashboard'),
  page('/dashboard/rate-by-outlet.csv'),
  page('/scores.csv'),
  page('/account'),
  page('/audit', 'editor'),
  page('/admin/users', 'admin'),
  {
    name: 'POST /articles (add)',
    min: 'reviewer',
    ok: 303,
    to: /^\/articles\/permission-add-/,
    run: (c, who) => c.postForm('/articles', { title: `Permission add ${who}`, text: `An article added by ${who}.\nOfficials in Kiev said so.\n` }),
  },
  {
    name: 'POST /articles/:slug/annotations',
    min: 'reviewer',
    ok: 201,
    run: (c, who) => c.postJson(`/articles/${GT}/annotations`, { quote: 'historic', occurrence: 1, category: 'style', severity: 'minor', comment: `new ${who}` }),
  },
  {
    name: 'POST /articles/:slug/annotations/:id/edit',
    min: 'reviewer',
    ok: 200,
    run: (c, who) => c.postJson(`/articles/${GT}/annotations/${fx[who].editAnnotation}/edit`, { category: 'style', severity: 'major', comment: 'edited' }),
  },
  {
    name: 'POST /articles/:slug/annotations/:id/delete',
    min: 'reviewer',
    ok: 200,
    run: (c, who) => c.postJson(`/articles/${GT}/annotations/${fx[who].deleteAnnotation}/delete`, {}),
  },
  {
    name: 'POST /articles/:slug/findings/accept',
    min: 'reviewer',
    ok: 200,
    run: (c, who) => c.postJson(`/articles/${fx[who].accept.slug}/findings/accept`, fx[who].accept.ref),
  },
  {
    name: 'POST /articles/:slug/findings/dismiss (here)',
    min: 'reviewer',
    ok: 200,
    run: (c, who) => c.postJson(`/articles/${fx[who].dismissHere.slug}/findings/dismiss`, { ...fx[who].dismissHere.ref, reason: 'quoted source', scope: 'here' }),
  },
  {
    name: 'POST /articles/:slug/findings/dismiss (always)',
    min: 'editor',
    ok: 200,
    run: (c, who) => c.postJson(`/articles/${fx[who].dismissAlways.slug}/findings/dismiss`, { ...fx[who].dismissAlways.ref, reason: 'historical name', scope: 'always' }),
  },
  {
    name: 'POST /glossary/propose',
    min: 'reviewer',
    ok: 303,
    to: /^\/glossary\/permission-proposal-\w+\?done=proposed$/,
    run: (c, who) => c.postForm('/glossary/propose', { target: 'new', canonical: `Permission proposal ${who}`, type: 'term' }),
  },
  {
    name: 'POST /glossary/:id/decide',
    min: 'editor',
    ok: 303,
    to: /\?done=approved$/,
    run: (c, who) => c.postForm(`/glossary/${fx[who].decideConcept}/decide`, { action: 'approve', version: '1' }),
  },
  {
    name: 'POST /glossary/:id/edit',
    min: 'editor',
    ok: 303,
    to: /\?done=edited$/,
    run: (c, who) => c.postForm(`/glossary/${fx[who].editConcept}/edit`, { canonical: `Permission edited ${who}`, type: 'term', notes: 'edited', version: '1' }),
  },
  {
    name: 'POST /stories/:key/merge',
    min: 'reviewer',
    ok: 303,
    to: /^\/stories\/perm-into-/,
    run: (c, who) => c.postForm(`/stories/${fx[who].mergeInto}/merge`, { from: fx[who].mergeFrom }),
  },
  {
    name: 'POST /stories/:key/split',
    min: 'reviewer',
    ok: 303,
    to: /^\/stories\/manual-/,
    run: (c, who) => c.postForm(`/stories/${fx[who].split.key}/split`, { slug: fx[who].split.slug }),
  },
  // A wrong current password (422) proves the request got past authorization without signing the test user out.
  { name: 'POST /account/password', min: 'reviewer', ok: 422, run: (c) => c.postForm('/account/password', { current: 'not the password', password: 'a-new-password-1', confirm: 'a-new-password-1' }) },
  { name: 'POST /account/tokens', min: 'reviewer', ok: 201, run: (c, who) => c.postForm('/account/tokens', { label: `matrix ${who}` }) },
  {
    name: 'POST /account/tokens/:id/revoke',
    min: 'reviewer',
    ok: 303,
    to: /^\/account\?done=revoked$/,
    run: (c, who) => c.postForm(`/account/tokens/${fx[who].token}/revoke`, {}),
  },
  {
    name: 'POST /admin/users (add)',
    min: 'admin',
    ok: 303,
    to: /done=added$/,
    run: (c, who) => c.postForm('/admin/users', { username: `perm-new-${who}`, password: PASSWORD, role: 'reviewer' }),
  },
  { name: 'POST /admin/users/:name/role', min: 'admin', ok: 303, to: /done=role$/, run: (c, who) => c.postForm(`/admin/users/perm-role-${who}/role`, { role: 'editor' }) },
  { name: 'POST /admin/users/:name/disable', min: 'admin', ok: 303, to: /done=disabled$/, run: (c, who) => c.postForm(`/admin/users/perm-disable-${who}/disable`, {}) },
  { name: 'POST /admin/users/:name/enable', min: 'admin', ok: 303, to: /done=enabled$/, run: (c, who) => c.postForm(`/admin/users/perm-enable-${who}/enable`, {}) },
  {
    name: 'POST /admin/users/:name/password',
    min: 'admin',
    ok: 303,
    to: /done=password$/,
    run: (c, who) => c.postForm(`/admin/users/perm-password-${who}/password`, { password: `${PASSWORD}-new` }),
  },
  { name: 'POST /logout', min: 'reviewer', ok: 303, to: /^\/login$/, run: (c) => c.postForm('/logout', {}) },
  { name: 'POST /api/scan', min: 'reviewer', ok: 200, run: (c) => send(c, 'POST', '/api/scan', 'text/plain', 'Officials in Kiev said so.') },
  {
    name: 'POST /api/articles',
    min: 'reviewer',
    ok: 201,
    run: (c, who) => send(c, 'POST', '/api/articles', 'application/x-ndjson', `${JSON.stringify({ id: `perm-api-${who}`, text: `Imported by ${who}.` })}\n`),
  },
  { name: 'GET /api/glossary', min: 'reviewer', ok: 200, run: (c) => c.get('/api/glossary?format=csv') },
];

/** Everything a write could change (not sessions or the audit log, which sign-ins and refusals touch). */
async function snapshot(): Promise<string> {
  const db = server.ws.db;
  const parts = await Promise.all([
    db.all('SELECT id, slug, revision FROM articles ORDER BY id'),
    db.all('SELECT id, category, severity, comment FROM annotations ORDER BY id'),
    db.all('SELECT id, decision, scope FROM finding_decisions ORDER BY id'),
    db.all('SELECT id, canonical, status, version FROM concepts ORDER BY id'),
    db.all('SELECT count(*) AS n FROM variants'),
    db.all('SELECT count(*) AS n FROM glossary_history'),
    db.all('SELECT username, role, disabled, password_hash FROM users ORDER BY id'),
    db.all('SELECT id, revoked_at FROM api_tokens ORDER BY id'),
    db.all('SELECT key FROM stories ORDER BY key'),
    db.all('SELECT id, story FROM articles ORDER BY id'),
  ]);
  return JSON.stringify(parts);
}

const CELLS = ROUTES.flatMap((route) => WHO.map((who) => ({ route, who, allowed: RANK[who] >= RANK[route.min] })));

describe('permission matrix: every route × anonymous, reviewer, editor, admin', () => {
  it.each(CELLS.map((c) => [c.route.name, c.who, c.allowed ? 'allowed' : 'denied', c] as const))('%s as %s: %s', async (_name, who, _verdict, cell) => {
    const { route, allowed } = cell;
    // Signing out ends the session: that cell gets a session of its own.
    const c = route.name === 'POST /logout' && who !== 'anonymous' ? await server.as(who) : clients[who];
    const before = allowed ? '' : await snapshot();
    const res = await route.run(c, who);
    const body = await res.text();
    const location = res.headers.get('location') ?? '';
    if (allowed) {
      expect(res.status, `${route.name} as ${who}: ${body.slice(0, 300)}`).toBe(route.ok);
      if (route.to) expect(location).toMatch(route.to);
      else expect(location).not.toMatch(/^\/login/);
      if (route.name === 'POST /logout') expect((await c.get('/')).headers.get('location')).toMatch(/^\/login/);
      return;
    }
    if (who === 'anonymous' && route.page) {
      expect(res.status).toBe(303);
      expect(location).toMatch(/^\/login\?next=/);
    } else if (who === 'anonymous') {
      expect(res.status).toBe(401);
    } else {
      expect(res.status, `${route.name} as ${who}: ${body.slice(0, 300)}`).toBe(403);
      expect(body).toContain('FORBIDDEN');
    }
    expect(await snapshot(), 'a refused request changes nothing').toBe(before);
  });

  it('the allowed writes were recorded under their authors', async () => {
    const { rows } = await server.ws.accounts.auditLog({ limit: 500 });
    const seen = (actor: string, action: RegExp, detail = '') => rows.some((r) => r.actor === actor && action.test(r.action) && (r.detail ?? '').includes(detail));
    for (const r of ['reviewer', 'editor', 'admin'] as const) {
      expect(seen(USERS[r].username, /^POST \/articles$/)).toBe(true);
      expect(seen(USERS[r].username, /^POST \/api\/articles$/)).toBe(true);
      expect(seen(USERS[r].username, /^token\.create$/, `"matrix ${r}"`)).toBe(true);
    }
    expect(seen(USERS.editor.username, /^POST \/glossary\/permission-decide-editor\/decide$/)).toBe(true);
    expect(seen(USERS.admin.username, /^user\.disable$/)).toBe(true);
    expect(rows.some((r) => r.actor === 'anonymous' && /^POST /.test(r.action))).toBe(false);
  });
});

describe('the API with an API token', () => {
  const tokens = {} as Record<TestRole, string>;
  let revoked = '';

  beforeAll(async () => {
    for (const r of ['reviewer', 'editor', 'admin'] as const) tokens[r] = (await server.ws.accounts.createToken(USERS[r].username, `api ${r}`, USERS[r].username)).token;
    const t = await server.ws.accounts.createToken(USERS.editor.username, 'to revoke', USERS.editor.username);
    await server.ws.accounts.revokeToken(USERS.editor.username, t.info.id, USERS.editor.username);
    revoked = t.token;
  });

  /** No cookie and no CSRF token: the bearer token alone. */
  const call = (token: string, method: string, path: string, type?: string, body?: string) =>
    fetch(server.url + path, { method, redirect: 'manual', headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) }, body });

  it.each(['reviewer', 'editor', 'admin'] as const)('a %s token scans, exports the glossary and imports articles (no CSRF token needed)', async (role) => {
    const scan = await call(tokens[role], 'POST', '/api/scan', 'text/plain', 'Officials in Kiev said so.');
    expect(scan.status).toBe(200);
    expect(((await scan.json()) as { summary: { findings: number } }).summary.findings).toBeGreaterThan(0);
    const g = await call(tokens[role], 'GET', '/api/glossary?format=json');
    expect(g.status).toBe(200);
    expect(g.headers.get('content-type')).toMatch(/^application\/json/);
    const imp = await call(tokens[role], 'POST', '/api/articles', 'application/x-ndjson', `${JSON.stringify({ id: `token-${role}`, text: `Sent with a ${role} token.` })}\n`);
    expect(imp.status).toBe(201);
    expect(await server.ws.articles.store.bySlug(`token-${role}`)).toBeDefined();
  });

  it.each([
    ['reviewer', 403, 403],
    ['editor', 200, 403],
    ['admin', 200, 200],
  ] as const)('a %s token has the role of its user on pages too: /audit %i, /admin/users %i', async (role, audit, users) => {
    expect((await call(tokens[role], 'GET', '/audit')).status).toBe(audit);
    expect((await call(tokens[role], 'GET', '/admin/users')).status).toBe(users);
  });

  it.each([
    ['revoked', (): string => revoked],
    ['unknown', (): string => `cdk_${'x'.repeat(43)}`],
    ['malformed', (): string => 'not-a-token'],
  ] as const)('a %s token is refused with 401 on every API call, and stores nothing', async (_what, token) => {
    const articles = await server.ws.articles.store.count();
    for (const [method, path, type, body] of [
      ['POST', '/api/scan', 'text/plain', 'Kiev'],
      ['GET', '/api/glossary', undefined, undefined],
      ['POST', '/api/articles', 'application/x-ndjson', `${JSON.stringify({ id: 'should-not-exist', text: 'No.' })}\n`],
    ] as const) {
      const res = await call(token(), method, path, type, body);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_TOKEN');
    }
    expect(await server.ws.articles.store.count()).toBe(articles);
    expect(await server.ws.articles.store.bySlug('should-not-exist')).toBeUndefined();
  });
});
