// The pipeline API with API tokens: POST /api/scan (plain text, JSON, JSON arrays, JSON Lines; the
// same JSON as `copydesk-scan --format json`, compared with a real CLI run), GET /api/glossary in
// every export format, POST /api/articles (all or nothing, idempotent), and the audit log of it all.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOSSARY_FORMATS } from '../server/core/glossary/formats/index.ts';
import { startServer, type TestServer } from './support/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEXT_A = 'Officials in Kiev said the Kremlin Press Bureau met in Dunbas on Monday. Read more: example.com\n';
const TEXT_B = 'Zelenskiy spoke in Kharkov on Tuesday.\n';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface ScanFinding {
  detector: string;
  severity: string;
  start: number;
  end: number;
  text: string;
}
interface ScanOut {
  tool: { detectors: string[] };
  files: { path: string; language: string | null; findings: ScanFinding[] }[];
  summary: { files: number; findings: number };
}

let server: TestServer;
let ritaToken = '';
let eddieToken = '';

beforeAll(async () => {
  server = await startServer();
  ritaToken = (await server.ws.accounts.createToken('rita', 'pipeline', 'rita')).token;
  eddieToken = (await server.ws.accounts.createToken('eddie', 'pipeline', 'eddie')).token;
});

afterAll(async () => {
  await server?.close();
});

function api(method: string, p: string, type?: string, body?: string, token = ritaToken): Promise<Response> {
  return fetch(server.url + p, { method, headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) }, body });
}

async function scan(type: string, body: string, query = ''): Promise<ScanOut> {
  const res = await api('POST', `/api/scan${query}`, type, body);
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const out = JSON.parse(text) as ScanOut;
  expect(res.headers.get('x-copydesk-findings')).toBe(String(out.summary.findings));
  return out;
}

/** Every finding's offsets slice its text out of the document it belongs to. */
function slices(out: ScanOut, texts: Record<string, string>): void {
  for (const f of out.files) {
    const text = texts[f.path];
    expect(text, `a text for ${f.path}`).toBeDefined();
    for (const x of f.findings) expect(text!.slice(x.start, x.end)).toBe(x.text);
  }
}

const jsonl = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

function runCli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/scan.ts', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

describe('POST /api/scan', () => {
  it('takes plain text', async () => {
    const out = await scan('text/plain; charset=utf-8', TEXT_A);
    expect(out.files.map((f) => f.path)).toEqual(['<text>']);
    expect(out.files[0]!.findings.map((f) => f.text)).toEqual(expect.arrayContaining(['Kiev', 'Dunbas']));
    slices(out, { '<text>': TEXT_A });
  });

  it('takes a JSON object, with or without an id, and a JSON array (ids kept, in order)', async () => {
    const one = await scan('application/json', JSON.stringify({ text: TEXT_A }));
    expect(one.files.map((f) => f.path)).toEqual(['<text 1>']);
    const named = await scan('application/json', JSON.stringify({ id: 'wire-1', text: TEXT_A }));
    expect(named.files.map((f) => f.path)).toEqual(['wire-1']);
    const many = await scan('application/json', JSON.stringify([{ id: 'b', text: TEXT_B }, { id: 7, text: TEXT_A }]));
    expect(many.files.map((f) => f.path)).toEqual(['b', '7']);
    expect(many.summary.files).toBe(2);
    slices(many, { b: TEXT_B, 7: TEXT_A });
  });

  it('takes JSON Lines: ids kept, offsets slice each text, blank lines ignored', async () => {
    const out = await scan('application/x-ndjson', `${jsonl({ id: 'first', text: TEXT_A })}\n${jsonl({ id: 'second', text: TEXT_B, date: '2025-05-23', origin_lang: 'ukr' })}`);
    expect(out.files.map((f) => f.path)).toEqual(['first', 'second']);
    expect(out.files[1]!.findings.map((f) => f.text)).toEqual(expect.arrayContaining(['Kharkov']));
    slices(out, { first: TEXT_A, second: TEXT_B });
    const same = await scan('application/jsonl', jsonl({ id: 'first', text: TEXT_A }));
    expect(same.files[0]).toEqual(out.files[0]);
  });

  it('filters by severity and detectors', async () => {
    const all = await scan('text/plain', TEXT_A + TEXT_B);
    expect(all.files[0]!.findings.some((f) => f.severity === 'info')).toBe(true);
    const warnings = await scan('text/plain', TEXT_A + TEXT_B, '?severity=warning');
    expect(warnings.files[0]!.findings.length).toBeGreaterThan(0);
    expect(warnings.files[0]!.findings.every((f) => f.severity === 'warning' || f.severity === 'error')).toBe(true);
    expect(warnings.files[0]!.findings.length).toBeLessThan(all.files[0]!.findings.length);
    const glossary = await scan('text/plain', TEXT_A, '?detectors=glossary');
    expect(glossary.tool.detectors).toEqual(['glossary']);
    expect(glossary.files[0]!.findings.length).toBeGreaterThan(0);
    expect(glossary.files[0]!.findings.every((f) => f.detector === 'glossary')).toBe(true);
    const without = await scan('text/plain', TEXT_A, '?disable=glossary');
    expect(without.tool.detectors).not.toContain('glossary');
    expect(without.files[0]!.findings.some((f) => f.detector === 'glossary')).toBe(false);
  });

  it.each([
    ['a JSON object without text', 'application/json', '{"id": "x"}', '', /"text" must be a string/],
    ['an empty JSON array', 'application/json', '[]', '', /nothing to scan/],
    ['a JSON array item that is not an object', 'application/json', '[{"text": "a"}, 3]', '', /item 2: expected an object/],
    ['a JSON Lines line that is not JSON', 'application/x-ndjson', '{"id": 1, "text": "a"}\n{nope}\n', '', /Line 2 is not valid JSON/],
    ['a bad date', 'application/x-ndjson', jsonl({ id: 1, text: 'a', date: '23/05/2025' }), '', /"date" must be written yyyy-mm-dd/],
    ['an unknown severity', 'text/plain', 'Kiev', '?severity=fatal', /"severity" must be one of info, warning, error/],
    ['an unknown detector', 'text/plain', 'Kiev', '?detectors=glossary,telepathy', /Unknown detector telepathy/],
  ])('refuses %s with 422 in plain words', async (_what, type, body, query, message) => {
    const res = await api('POST', `/api/scan${query}`, type, body);
    expect(res.status).toBe(422);
    const e = ((await res.json()) as Json).error;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
  });

  it.each(['application/xml', 'application/octet-stream', 'multipart/form-data; boundary=x', 'image/png'])('refuses %s with 415', async (type) => {
    const res = await api('POST', '/api/scan', type, 'Kiev');
    expect(res.status).toBe(415);
    expect(((await res.json()) as Json).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers with the same JSON as `copydesk-scan --format json` on the same texts', async () => {
    const input = jsonl({ id: 'a1', text: TEXT_A }, { id: 'b2', text: TEXT_B, date: '2025-05-23' });
    const cli = await runCli(['--format', 'json', '--quiet', '--fail-on', 'none', '--db', server.ws.config.dbPath, '-'], input);
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Json;
    const fromApi = (await scan('application/x-ndjson', input)) as unknown as Json;
    // Where the glossary came from (a path on the server) and the time taken are the only differences.
    expect(fromCli.glossary.source).toMatch(/^database /);
    delete fromCli.glossary.source;
    delete fromCli.summary.elapsedMs;
    delete fromApi.summary.elapsedMs;
    expect(Object.keys(fromApi)).toEqual(Object.keys(fromCli));
    expect(fromApi).toEqual(fromCli);
    expect(fromApi.files[0].findings.length).toBeGreaterThan(0);
  });
});

describe('GET /api/glossary', () => {
  it.each(GLOSSARY_FORMATS.map((f) => [f.id, f] as const))('exports format %s with its media type', async (_id, f) => {
    const res = await api('GET', `/api/glossary?format=${f.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')!.replace(/\s/g, '').toLowerCase()).toBe(f.mediaType.replace(/\s/g, '').toLowerCase());
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="copydesk-glossary.${f.extension}"`);
    expect(Number(res.headers.get('x-glossary-revision'))).toBeGreaterThanOrEqual(0);
    const body = await res.text();
    expect(body.length).toBeGreaterThan(100);
    if (f.id === 'json') expect(() => JSON.parse(body)).not.toThrow();
    if (f.id.startsWith('tbx')) expect(body.trimStart()).toMatch(/^<\?xml/);
    if (f.id === 'csv' || f.id === 'json' || f.id.startsWith('tbx')) expect(body).toContain('Kyiv');
  });

  it('exports JSON by default, and refuses an unknown format with 400 naming the known ones', async () => {
    const res = await api('GET', '/api/glossary');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const bad = await api('GET', '/api/glossary?format=docx');
    expect(bad.status).toBe(400);
    const e = ((await bad.json()) as Json).error;
    expect(e.code).toBe('UNKNOWN_FORMAT');
    for (const f of GLOSSARY_FORMATS) expect(e.message).toContain(f.id);
  });
});

describe('POST /api/articles', () => {
  const A = { id: 'api-wire-a', text: 'API wire story A.\nOfficials in Kiev said so.\n', title: 'API wire story A', outlet: 'Wire', origin_lang: 'ukr', date: '2025-05-23' };
  const B = { id: 'api-wire-b', text: 'API wire story B.\nZelenskiy spoke in Kharkov.\n' };

  it('imports JSON Lines (201), the articles are stored with their findings and shown in the queue', async () => {
    const res = await api('POST', '/api/articles', 'application/x-ndjson', jsonl(A, B));
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ added: 2, revised: 0, unchanged: 0 });
    expect(body.findings).toBeGreaterThan(0);
    expect(body.articles.map((a: Json) => [a.slug, a.status, a.url])).toEqual([
      ['api-wire-a', 'added', '/articles/api-wire-a'],
      ['api-wire-b', 'added', '/articles/api-wire-b'],
    ]);
    const stored = await server.ws.articles.store.bySlug('api-wire-a');
    expect(stored).toMatchObject({ title: 'API wire story A', outlet: 'Wire', origin_lang: 'ukr', date: '2025-05-23', text: A.text });
    const eddie = await server.as('editor');
    const queue = await (await eddie.get('/?added=api-wire-a,api-wire-b')).text();
    expect(queue).toContain('API wire story A');
    expect(queue).toContain('/articles/api-wire-b');
    expect((await eddie.get('/articles/api-wire-b')).status).toBe(200);
  });

  it('posting the same again changes nothing (200, unchanged); a changed text is a new revision', async () => {
    const again = await api('POST', '/api/articles', 'application/x-ndjson', jsonl(A, B));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ added: 0, revised: 0, unchanged: 2 });
    const revised = await api('POST', '/api/articles', 'application/json', JSON.stringify([{ ...B, text: `${B.text}A new paragraph.\n` }]));
    expect(revised.status).toBe(200);
    expect(await revised.json()).toMatchObject({ added: 0, revised: 1, unchanged: 0 });
    expect((await server.ws.articles.store.bySlug('api-wire-b'))!.revision).toBe(2);
  });

  it('an invalid record refuses the whole request (422 with the problems by line) and stores nothing', async () => {
    const before = await server.ws.articles.store.count();
    const res = await api('POST', '/api/articles', 'application/x-ndjson', jsonl({ id: 'api-ok-1', text: 'Fine.' }, { id: 'api-bad', title: 'no text' }, { id: 'api-ok-2', text: 'Fine too.', date: 'tomorrow' }));
    expect(res.status).toBe(422);
    const e = ((await res.json()) as Json).error;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^Nothing was imported: 2 of 3 records are not valid\./);
    expect(e.problems).toHaveLength(2);
    expect(e.problems[0]).toMatch(/line 2/);
    expect(e.problems[1]).toMatch(/line 3/);
    const notJson = await api('POST', '/api/articles', 'application/x-ndjson', `${JSON.stringify({ id: 'api-ok-3', text: 'Fine.' })}\n{broken\n`);
    expect(notJson.status).toBe(422);
    expect(await server.ws.articles.store.count()).toBe(before);
    for (const slug of ['api-ok-1', 'api-bad', 'api-ok-2', 'api-ok-3']) expect(await server.ws.articles.store.bySlug(slug)).toBeUndefined();
  });

  it('refuses plain text and other media types with 415, and an empty body with 422', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await api('POST', '/api/articles', type, 'id,text\n1,x\n');
      expect(res.status, type).toBe(415);
    }
    expect((await api('POST', '/api/articles', 'application/x-ndjson', '\n\n')).status).toBe(422);
  });
});

describe('the audit log', () => {
  it('records every API write under the token’s user', async () => {
    await api('POST', '/api/articles', 'application/x-ndjson', jsonl({ id: 'api-by-eddie', text: 'Sent by the editor’s pipeline.' }), eddieToken);
    await api('POST', '/api/scan', 'text/plain', 'Kiev', eddieToken);
    // The audit entry is written once the answer has been sent.
    let rows: { actor: string; action: string }[] = [];
    for (let i = 0; i < 50; i++) {
      rows = (await server.ws.accounts.auditLog({ limit: 500 })).rows;
      if (rows.some((r) => r.actor === 'eddie' && r.action === 'POST /api/scan')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const of = (actor: string, action: string) => rows.filter((r) => r.actor === actor && r.action === action).length;
    // rita's token: two imports that stored something, one unchanged, one revision; her scans.
    expect(of('rita', 'POST /api/articles')).toBe(3);
    expect(of('rita', 'POST /api/scan')).toBeGreaterThan(5);
    expect(of('eddie', 'POST /api/articles')).toBe(1);
    expect(of('eddie', 'POST /api/scan')).toBe(1);
    // Refused requests (4xx) are not writes.
    expect(rows.some((r) => r.actor !== 'rita' && r.actor !== 'eddie' && /^POST \/api\//.test(r.action))).toBe(false);
    // The audit page shows them to an editor.
    const page = await (await (await server.as('editor')).get('/audit?actor=eddie')).text();
    expect(page).toContain('POST /api/articles');
  });
});
