// Attacks on the web app: forged requests (CSRF), SQL injection through every search, filter and
// sort parameter, path traversal in upload and export names, oversized and binary bodies, password
// guessing, and what error responses, cookies and headers give away. Each attack must be refused (or
// be harmless) and leave the database as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer, type Client, type TestServer } from './support/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GT = '001_00dde55bb2c9393b';
const MB = 1024 * 1024;
const STACK = /\bat [\w.<>]+ \(|\bat (file:\/\/|\/)\S+:\d+|\.ts:\d+:\d+|node_modules/;

let server: TestServer;
let rita: Client;
let eddie: Client;
let anon: Client;
/** Every error answer seen, to check that none gives away a stack trace. */
const errors: { what: string; status: number; body: string }[] = [];

beforeAll(async () => {
  server = await startServer(async (ws) => {
    await ws.accounts.create('thea', 'thea-password-1', 'reviewer', 'test');
  });
  rita = await server.as('reviewer');
  eddie = await server.as('editor');
  anon = clientFor(server.url, '', '', '');
});

afterAll(async () => {
  await server?.close();
});

async function count(table: string): Promise<number> {
  return (await server.ws.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['articles', 'annotations', 'finding_decisions', 'concepts', 'variants', 'glossary_history', 'users', 'api_tokens']) out[t] = await count(t);
  return out;
}

/** Status and body of a response, remembered when it is an error. */
async function read(what: string, res: Response): Promise<{ status: number; body: string; res: Response }> {
  const body = await res.text();
  if (res.status >= 400) errors.push({ what, status: res.status, body });
  return { status: res.status, body, res };
}

function codeOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return /Error code: <code>([A-Z_]+)<\/code>/.exec(body)?.[1];
  }
}

/** A request whose path is sent exactly as written (fetch would resolve "..", "%2e" and the like). */
function raw(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: pathAndQuery, method: 'GET', headers: { cookie: rita.cookie, accept: 'text/html', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Part {
  name: string;
  /** Written into the header as is (it may hold "..", slashes, backslashes or a NUL). */
  filename?: string;
  filenameStar?: string;
  type?: string;
  data: string | Buffer;
}

function multipart(parts: Part[]): { body: Buffer<ArrayBuffer>; type: string } {
  const boundary = `----cdk${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disp = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disp += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disp += `; filename*=${p.filenameStar}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function upload(c: Client, parts: Part[], csrf: string | null = c.csrf): Promise<Response> {
  const m = multipart(parts);
  return c.fetch(`/articles${csrf === null ? '' : `?_csrf=${encodeURIComponent(csrf)}`}`, { method: 'POST', headers: { 'content-type': m.type }, body: m.body });
}

/** The sign-in form's pre-session cookie ("name=value") and the token in its hidden field. */
async function loginForm(headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string; token: string }> {
  const form = await fetch(`${server.url}/login`, { headers });
  const setCookie = form.headers.getSetCookie().find((c) => c.startsWith('copydesk_presession='))!;
  return { cookie: setCookie.split(';')[0]!, setCookie, token: /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]! };
}

describe('cross-site request forgery', () => {
  const annotation = { quote: 'historic', occurrence: 1, category: 'style', severity: 'minor', comment: 'forged' };
  const json = (c: Client, csrf: string | undefined) =>
    c.fetch(`/articles/${GT}/annotations`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}) }, body: JSON.stringify(annotation) });

  it.each([
    ['without a token', () => undefined],
    ['with a wrong token', () => 'not-the-token-of-this-session-0123456789'],
    ['with an empty token', () => ''],
    ["with another session's token", () => eddie.csrf],
  ])('a JSON write %s is refused 403 CSRF and stores nothing', async (what, token) => {
    const before = await counts();
    const r = await read(`annotation ${what}`, await json(rita, token()));
    expect(r.status).toBe(403);
    expect(codeOf(r.body)).toBe('CSRF');
    expect(await counts()).toEqual(before);
  });

  it('a form post without _csrf, or with another session’s, is refused (403 CSRF page) and stores nothing', async () => {
    const before = await counts();
    const fields = { target: 'new', canonical: 'Forged concept', type: 'term' };
    for (const csrf of [undefined, eddie.csrf]) {
      const body = new URLSearchParams(csrf ? { ...fields, _csrf: csrf } : fields);
      const r = await read('form without csrf', await rita.fetch('/glossary/propose', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }));
      expect(r.status).toBe(403);
      expect(codeOf(r.body)).toBe('CSRF');
      expect(r.body).toContain('nothing was changed');
    }
    expect(await counts()).toEqual(before);
    expect(await server.ws.db.get("SELECT id FROM concepts WHERE canonical = 'Forged concept'")).toBeUndefined();
  });

  it('a multipart upload without ?_csrf, or with a wrong one, is refused and stores nothing', async () => {
    const before = await counts();
    const parts = [{ name: 'text', data: 'A forged upload.\nIt must not be stored.' }];
    for (const csrf of [null, 'wrong', eddie.csrf]) {
      const r = await read('upload without csrf', await upload(rita, parts, csrf));
      expect(r.status).toBe(403);
      expect(codeOf(r.body)).toBe('CSRF');
    }
    expect(await counts()).toEqual(before);
  });

  it('the API through a browser session needs the CSRF header too', async () => {
    const before = await counts();
    const r = await read('api without csrf', await rita.fetch('/api/articles', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify({ id: 'forged', text: 'Forged.' })}\n` }));
    expect(r.status).toBe(403);
    expect(codeOf(r.body)).toBe('CSRF');
    expect(await counts()).toEqual(before);
  });

  it('the sign-in form needs its pre-session token: cookie and field must both be there and agree', async () => {
    const { cookie, token } = await loginForm();
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ username: 'rita', password: 'rita-reviews-1', ...fields }).toString() });
    for (const [what, res] of [
      ['no cookie, no field', await post({}, {})],
      ['field without cookie', await post({}, { _csrf: token })],
      ['cookie without field', await post({ cookie }, {})],
      ['cookie and another token', await post({ cookie }, { _csrf: crypto.randomBytes(24).toString('base64url') })],
    ] as const) {
      const r = await read(`login ${what}`, res);
      expect(r.status, what).toBe(403);
      expect(codeOf(r.body), what).toBe('CSRF');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('copydesk_session=') && !/copydesk_session=;/.test(c)), what).toBe(false);
    }
    const ok = await post({ cookie }, { _csrf: token });
    expect(ok.status).toBe(303);
  });
});

describe('SQL injection through search, filters and sort', () => {
  const PAYLOADS = ["' OR 1=1 --", '"; DROP TABLE articles; --', "%' UNION SELECT username, password_hash, 1, 1, 1, 1, 1, 1 FROM users --", "1; DELETE FROM concepts", "\\' OR ''='", 'kyiv%_\\'];
  const QUEUE = ['q', 'lang', 'outlet', 'kind', 'status', 'sort', 'dir', 'page', 'added'];
  const GLOSSARY = ['q', 'status', 'type', 'page', 'pending'];

  async function harmless(base: string, params: string[], extra: Record<string, string> = {}, c: Client = rita) {
    const before = await counts();
    const hashes = (await server.ws.db.all<{ h: string }>('SELECT password_hash AS h FROM users')).map((r) => r.h);
    for (const p of params) {
      for (const v of PAYLOADS) {
        const q = new URLSearchParams({ ...extra, [p]: v });
        const r = await read(`${base} ${p}`, await c.get(`${base}?${q}`));
        expect(r.status === 200 || (r.status >= 400 && r.status < 500 && r.status !== 401 && r.status !== 403), `${base}?${q} → ${r.status}`).toBe(true);
        expect(r.body).not.toMatch(/SQLITE|syntax error|no such (table|column)/i);
        for (const h of hashes) expect(r.body).not.toContain(h.slice(-20));
      }
    }
    expect(await counts()).toEqual(before);
    expect(await server.ws.db.get<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
  }

  it('the queue: q (title and body), lang, outlet, kind, status, sort, dir, page, added', async () => {
    await harmless('/', QUEUE);
    await harmless('/', ['q'], { body: '1' });
  });

  it('the glossary list: q, status, type, page, pending; the audit log actor filter', async () => {
    await harmless('/glossary', GLOSSARY);
    await harmless('/audit', ['actor', 'page'], {}, eddie);
  });

  it('the API glossary format and scan filters answer 400 or 422 in plain words', async () => {
    for (const v of PAYLOADS) {
      const g = await read('api glossary format', await rita.get(`/api/glossary?format=${encodeURIComponent(v)}`));
      expect(g.status).toBe(400);
      for (const p of ['severity', 'detectors']) {
        const s = await read(`api scan ${p}`, await rita.fetch(`/api/scan?${p}=${encodeURIComponent(v)}`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-csrf-token': rita.csrf }, body: 'Kiev' }));
        expect(s.status).toBe(422);
      }
    }
  });
});

describe('path traversal', () => {
  const mark = `cdktrav${crypto.randomBytes(4).toString('hex')}`;
  const passwd = fs.existsSync('/etc/passwd') ? fs.statSync('/etc/passwd').mtimeMs : 0;

  /** Folders an upload name could have reached, searched for files carrying the mark. */
  function written(): string[] {
    const found: string[] = [];
    const walk = (dir: string, depth: number) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.includes(mark)) found.push(path.join(dir, e.name));
        if (e.isDirectory() && depth > 0 && !['node_modules', '.git', 'proc', 'sys'].includes(e.name)) walk(path.join(dir, e.name), depth - 1);
      }
    };
    walk(ROOT, 6);
    for (const d of ['/', '/etc', '/tmp', path.dirname(ROOT), path.dirname(path.dirname(ROOT)), path.dirname(server.ws.config.dbPath)]) walk(d, 0);
    return found;
  }

  it.each([
    ['../../etc/passwd style', `../../../../etc/${mark}.txt`],
    ['Windows style', `..\\..\\${mark}.txt`],
    ['Windows style, escaped', `..\\\\..\\\\${mark}-esc.txt`],
    ['an absolute path', `/tmp/${mark}-abs.txt`],
    ['a drive path', `C:\\\\Windows\\\\${mark}.txt`],
    ['a NUL byte', `${mark}\u0000.txt`],
    ['an encoded name (filename*)', null],
  ])('an upload named with %s writes no file, and the slug has no folder in it', async (_what, filename) => {
    const part: Part =
      filename === null
        ? { name: 'files', filenameStar: `UTF-8''..%2F..%2F..%2F${mark}-star.txt`, type: 'text/plain', data: `Star upload ${mark}.\nBody.\n` }
        : { name: 'files', filename, type: 'text/plain', data: `Upload ${JSON.stringify(filename)} ${crypto.randomUUID()}.\nBody.\n` };
    const before = await count('articles');
    const r = await read('traversal upload', await upload(rita, [part]));
    expect([303, 422]).toContain(r.status);
    if (r.status === 303) {
      const location = r.res.headers.get('location')!;
      const slug = decodeURIComponent(/^\/articles\/([^?#]+)$/.exec(location)![1]!);
      expect(slug).not.toMatch(/\.\.|[/\\\u0000]/);
      expect(await count('articles')).toBe(before + 1);
    }
    expect(written()).toEqual([]);
    if (passwd) expect(fs.statSync('/etc/passwd').mtimeMs).toBe(passwd);
  });

  it.each([
    '/glossary/export.../../x',
    '/glossary/export.%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/glossary/export?format=../../etc/passwd',
    '/api/glossary?format=../../etc/passwd',
    '/api/glossary?format=..%2F..%2Fetc%2Fpasswd',
    '/static/../../package.json',
    '/static/..%2f..%2fpackage.json',
    '/static/%2e%2e/%2e%2e/server/config.ts',
    '/articles/..%2f..%2fetc%2fpasswd',
    '/articles/..%c0%af..%c0%afetc%c0%afpasswd',
    '/articles/..%2f..%2fx/annotations.tsv',
  ])('%s fails with a 4xx and serves no file', async (p) => {
    const r = await raw(p);
    if (r.status >= 400) errors.push({ what: p, status: r.status, body: r.body });
    expect(r.status, `${p}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(r.status, `${p}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
    expect(r.body).not.toMatch(/root:x:0:0|"name": "copydesk"|loadConfig/);
  });
});

describe('oversized and binary bodies', () => {
  const big = (fill: string) => Buffer.alloc(20 * MB, fill);

  it('a 20 MB multipart upload, annotation, API import (with and without Content-Length) or scan is refused 413 and stores nothing', async () => {
    const before = await counts();
    const line = `${JSON.stringify({ id: 'huge', text: 'x'.repeat(1000) })}\n`;
    const jsonl = Buffer.from(line.repeat(Math.ceil((20 * MB) / line.length)));
    const huge = multipart([{ name: 'files', filename: 'huge.txt', type: 'text/plain', data: big('a') }]);
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(jsonl.subarray(i * MB, (i + 1) * MB));
        c.close();
      },
    });
    const cases: [string, Promise<Response>][] = [
      ['multipart', rita.fetch(`/articles?_csrf=${rita.csrf}`, { method: 'POST', headers: { 'content-type': huge.type }, body: huge.body })],
      ['annotation JSON', rita.fetch(`/articles/${GT}/annotations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': rita.csrf, accept: 'application/json' }, body: Buffer.concat([Buffer.from('{"comment":"'), big('a'), Buffer.from('"}')]) })],
      ['API import', rita.fetch('/api/articles', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'x-csrf-token': rita.csrf }, body: jsonl })],
      ['API import, chunked', rita.fetch('/api/articles', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'x-csrf-token': rita.csrf }, body: chunked, duplex: 'half' } as RequestInit)],
      ['API scan', rita.fetch('/api/scan', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-csrf-token': rita.csrf }, body: big('b') })],
    ];
    for (const [what, p] of cases) {
      const r = await read(`20 MB ${what}`, await p);
      expect(r.status, what).toBe(413);
      expect(r.body, what).toMatch(/too much to send at once/);
    }
    expect(await counts()).toEqual(before);
  });

  it('an application/octet-stream body is refused 415 everywhere', async () => {
    const before = await counts();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]);
    for (const p of [`/articles?_csrf=${rita.csrf}`, `/articles/${GT}/annotations`, '/api/articles', '/api/scan', '/glossary/propose']) {
      const r = await read(`octet ${p}`, await rita.fetch(p, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': rita.csrf }, body: bytes }));
      expect(r.status, p).toBe(415);
      expect(codeOf(r.body), p).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['NUL bytes in a .txt file', 'nul.txt', Buffer.from('Looks like text\u0000\u0000\u0000 but is not.\n'), /is not a text file: it holds binary data/],
    ['a PNG named .txt', 'photo.txt', Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), /is not a text file/],
    ['a PNG named .png', 'photo.png', Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), /is not a \.txt or \.md file/],
  ])('a multipart file part with %s is refused 422 in plain words, and nothing is stored', async (_what, filename, data, message) => {
    const before = await counts();
    const r = await read(`binary ${filename}`, await upload(rita, [{ name: 'files', filename, type: 'application/octet-stream', data }]));
    expect(r.status).toBe(422);
    expect(r.body.replace(/&#34;|&quot;/g, '"')).toMatch(message);
    expect(await counts()).toEqual(before);
  });
});

describe('password guessing', () => {
  it('after 5 wrong passwords the 6th attempt is refused 429 with Retry-After, even with the right password', async () => {
    const { cookie, token } = await loginForm();
    const attempt = (password: string) =>
      fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: token, username: 'thea', password }).toString() });
    for (let i = 1; i <= 5; i++) expect((await read('wrong password', await attempt(`wrong-password-${i}`))).status).toBe(401);
    const res = await attempt('thea-password-1');
    const r = await read('throttled', res);
    expect(r.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.body).toContain('Too many wrong passwords');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('copydesk_session='))).toBe(false);
  });
});

describe('what responses give away', () => {
  it('malformed bodies and unknown routes answer in plain words, never with a stack trace', async () => {
    const bad = (p: string, type: string, body: string) => rita.fetch(p, { method: 'POST', headers: { 'content-type': type, 'x-csrf-token': rita.csrf, accept: 'application/json' }, body });
    await read('bad JSON annotation', await bad(`/articles/${GT}/annotations`, 'application/json', '{"start": 1,'));
    await read('bad JSON scan', await bad('/api/scan', 'application/json', '[{"text": '));
    await read('bad JSON Lines', await bad('/api/scan', 'application/x-ndjson', '{"text": "a"}\n{oops'));
    await read('bad charset', await bad('/api/scan', 'text/plain; charset=ebcdic-x', 'x'));
    await read('bad multipart', await rita.fetch(`/articles?_csrf=${rita.csrf}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nnonsense' }));
    await read('unknown page', await rita.get('/no/such/page'));
    await read('unknown article', await rita.get('/articles/no-such-article'));
    await read('unknown concept', await rita.get('/glossary/no-such-concept'));
    await read('bad annotation number', await rita.postJson(`/articles/${GT}/annotations/abc/edit`, { category: 'style', severity: 'minor' }));
    expect(errors.length).toBeGreaterThan(20);
    for (const e of errors) {
      expect(e.body, `${e.what} (${e.status})`).not.toMatch(STACK);
      expect(e.body, `${e.what} (${e.status})`).not.toContain(ROOT);
    }
  });

  it('cookies: the session cookie is HttpOnly and SameSite=Lax, not Secure over plain http; the pre-session cookie is HttpOnly and Strict', async () => {
    const { cookie, setCookie: pre, token } = await loginForm({ 'x-forwarded-proto': 'https' });
    expect(pre).toMatch(/; HttpOnly/i);
    expect(pre).toMatch(/; SameSite=Strict/i);
    expect(pre).not.toMatch(/; Secure/i);
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ _csrf: token, username: 'rita', password: 'rita-reviews-1' }).toString(),
    });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('copydesk_session='))!;
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
    expect(session).toMatch(/; Path=\//i);
    expect(session).not.toMatch(/; Secure/i); // X-Forwarded-Proto is not trusted unless configured
  });

  it('security headers on pages, errors, JSON, static files and redirects', async () => {
    const responses: [string, Response][] = [
      ['sign-in page', await anon.get('/login')],
      ['queue', await rita.get('/')],
      ['article', await rita.get(`/articles/${GT}`)],
      ['404 page', await rita.get('/no/such/page')],
      ['403 page', await rita.get('/admin/users')],
      ['CSRF refusal', await rita.fetch('/glossary/propose', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'canonical=x' })],
      ['413', await rita.fetch(`/articles/${GT}/annotations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': rita.csrf }, body: Buffer.alloc(300 * 1024, 'a') })],
      ['API 404', await rita.get('/api/nope')],
      ['API 401', await anon.get('/api/glossary')],
      ['redirect to sign-in', await anon.get('/glossary')],
      ['static', await anon.get('/static/app.css')],
      ['health', await anon.get('/healthz')],
    ];
    for (const [what, res] of responses) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, what).toContain("default-src 'none'");
      expect(csp, what).toContain("script-src 'self'");
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-frame-options'), what).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
      expect(res.headers.get('x-powered-by'), what).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('unknown API routes answer 404 JSON (after authentication)', async () => {
    const token = (await server.ws.accounts.createToken('rita', 'unknown routes', 'rita')).token;
    for (const [method, p] of [
      ['GET', '/api/nope'],
      ['POST', '/api/scan/extra'],
      ['DELETE', '/api/articles'],
    ] as const) {
      const res = await fetch(server.url + p, { method, headers: { authorization: `Bearer ${token}` } });
      expect(res.status, `${method} ${p}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    const anonymous = await anon.get('/api/nope');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
