// End-to-end tests of the import command: the real script is spawned
// (tsx scripts/import.ts --db <tmp> …) and its exit status, output and the database are checked.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../server/store/db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let tmp: string;
let dbN = 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string | Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.COPYDESK_DB;
    const child = spawn(TSX, ['scripts/import.ts', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function newDb(): string {
  return path.join(tmp, `db-${dbN++}.db`);
}

async function query<T>(file: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = await Db.open(file);
  try {
    return await db.all<T>(sql, params);
  } finally {
    await db.close();
  }
}

/** Import output lines of the app's own logging (new database …) aside, the stderr lines. */
function problems(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l && !l.includes('new database'));
}

function write(rel: string, content: string | Buffer): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const CRLF_TEXT = 'Kiev talks resume  \r\n\r\nOfficials in Kiev said on Monday that the talks would go on.   \r\n';
const NESTED_TEXT = '\ufeff\n  Second headline\t\n\nVladimir Zelensky spoke in Lugansk.\n';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-import-cli-'));
  // A corpus folder: articles.yaml + articles/, one listed article with a source text, one not listed.
  write(
    'corpus/articles.yaml',
    [
      'articles:',
      '  - file: listed.txt',
      '    title: "The listed one"',
      '    outlet: Test Wire',
      '    origin_lang: ukr',
      '    date: 2024-05-01',
      '    url: https://example.test/listed',
      '    story: talks-2024',
      '    source_file: listed.src.txt',
      '',
    ].join('\n'),
  );
  write('corpus/articles/listed.txt', 'The listed one\n\nOfficials in Kiev confirmed the exchange.\n');
  write('corpus/articles/listed.src.txt', 'Офіційні особи в Києві підтвердили обмін.\n');
  write('corpus/articles/unlisted.txt', 'Unlisted headline\n\nA text without metadata.\n');
  // Plain files, one nested.
  write('plain/one.txt', CRLF_TEXT);
  write('plain/sub/two.md', NESTED_TEXT);
  write('plain/notes.json', '{"not": "an article"}');
  // A binary file and a Latin-1 one next to a good one.
  write('mixed/good.txt', 'Good headline\n\nNothing wrong here.\n');
  write('mixed/image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  write('mixed/latin1.txt', Buffer.from('Caf\xe9 au lait\n', 'latin1'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Row {
  slug: string;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  detected_lang: string | null;
  date: string | null;
  url: string | null;
  story: string | null;
  text: string;
  source_text: string | null;
  revision: number;
}

const DEMO = 5; // a new database gets the demo corpus

describe('import CLI', () => {
  it('imports a folder with articles.yaml: listed files take its metadata, others are plain, source texts are not articles', async () => {
    const db = newDb();
    const r = await run(['--db', db, '--format', 'json', path.join(tmp, 'corpus')]);
    expect(problems(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ db, articles: 2, added: 2, revised: 0, unchanged: 0, failed: 0, failures: [] });
    expect(report.articles_per_second).toBeGreaterThan(0);
    const rows = await query<Row>(db, 'SELECT * FROM articles WHERE slug IN (?, ?, ?, ?) ORDER BY slug', ['listed', 'unlisted', 'articles__unlisted', 'listed.src']);
    expect(rows.map((x) => x.slug)).toEqual(['articles__unlisted', 'listed']);
    expect(rows[1]).toMatchObject({
      title: 'The listed one',
      outlet: 'Test Wire',
      origin_lang: 'ukr',
      date: '2024-05-01',
      url: 'https://example.test/listed',
      story: 'talks-2024',
      source_text: 'Офіційні особи в Києві підтвердили обмін.\n',
      detected_lang: 'eng',
      revision: 1,
    });
    expect(rows[0]).toMatchObject({ title: 'Unlisted headline', outlet: null, origin_lang: null, story: expect.stringMatching(/^auto-undated-/), source_text: null });
    const findings = await query<{ text: string }>(db, "SELECT f.text FROM findings f JOIN articles a ON a.id = f.article_id WHERE a.slug = 'listed'");
    expect(findings.map((f) => f.text)).toContain('Kiev');

    // The demo corpus folder itself: the same slugs as the demo articles a new database has, so unchanged.
    const again = await run(['--db', db, path.join(ROOT, 'corpus')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Imported 5 articles .*: 0 added, 0 revised, 5 unchanged, 0 failed; 0 findings stored\./);
    expect(again.stdout).toMatch(/\d articles\/s/);
  });

  it('imports plain files and folders: exact text, slug from the path, title from the first non-empty line', async () => {
    const db = newDb();
    const r = await run(['--db', db, path.join(tmp, 'plain'), '--outlet', 'Plain Wire']);
    expect(problems(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported 2 articles into .* \(\d[\d,]* articles\/s, [\d.]+ MB\/s\): 2 added, 0 revised, 0 unchanged, 0 failed; \d+ findings? stored\.\n$/);
    const rows = await query<Row>(db, 'SELECT * FROM articles ORDER BY id');
    expect(rows).toHaveLength(DEMO + 2);
    const [one, two] = rows.slice(DEMO);
    expect(one).toMatchObject({ slug: 'one', title: 'Kiev talks resume', text: CRLF_TEXT, outlet: 'Plain Wire', origin_lang: null });
    expect(two).toMatchObject({ slug: 'sub__two', title: 'Second headline', text: NESTED_TEXT, outlet: 'Plain Wire' });
    // The demo articles keep their own outlet (the default applies to the imported ones only).
    expect(rows[0]!.outlet).not.toBe('Plain Wire');

    // A file given directly: slug = its name. Same text again: unchanged; a changed text: revision 2.
    const same = await run(['--db', db, path.join(tmp, 'plain', 'one.txt')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('0 added, 0 revised, 1 unchanged, 0 failed');
    const changedFile = write('changed/one.txt', CRLF_TEXT + 'Correction: the talks were in Lugansk.\r\n');
    const changed = await run(['--db', db, '--format', 'json', changedFile]);
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ added: 0, revised: 1, unchanged: 0 });
    const revs = await query<{ revision: number; text: string }>(
      db,
      "SELECT r.revision, r.text FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE a.slug = 'one' ORDER BY r.revision",
    );
    expect(revs).toEqual([
      { revision: 1, text: CRLF_TEXT },
      { revision: 2, text: CRLF_TEXT + 'Correction: the talks were in Lugansk.\r\n' },
    ]);
  });

  it('reads JSON Lines on stdin, with defaults for what the records leave out', async () => {
    const db = newDb();
    const lines = [
      JSON.stringify({ id: 'wire-1', text: 'Talks in Kiev\r\n\r\nVladimir Zelensky met officials.  \n', date: '2024-06-01', url: 'https://example.test/1' }),
      '',
      JSON.stringify({ slug: 'wire-2', text: 'Le président a parlé.\n', title: 'French text', origin_lang: 'fra', outlet: 'Own Outlet' }),
      JSON.stringify({ id: 7, text: 'Numbered\n' }),
      JSON.stringify({ id: 'bad', text: 'x', colour: 'red' }),
      'not json',
      JSON.stringify({ id: 'wire-1', text: 'duplicate\n' }),
    ].join('\n');
    const r = await run(['--db', db, '--format', 'json', '--origin-lang', 'ukr', '--outlet', 'Default Outlet', '--story', 's-1', '-'], lines + '\n');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ articles: 3, added: 3, failed: 3 });
    expect(report.failures.map((f: { code: string; path: string }) => `${f.code} ${f.path}`)).toEqual([
      'BAD_RECORD <stdin>:5',
      'BAD_JSON <stdin>:6',
      'DUPLICATE_SLUG <stdin>:7 (id wire-1)',
    ]);
    expect(problems(r.stderr)).toHaveLength(3);
    expect(r.stderr).toContain('unknown field "colour"');
    const rows = await query<Row>(db, "SELECT * FROM articles WHERE slug IN ('wire-1', 'wire-2', '7') ORDER BY slug");
    expect(rows.map((x) => x.slug)).toEqual(['7', 'wire-1', 'wire-2']);
    expect(rows[1]).toMatchObject({
      title: 'Talks in Kiev',
      text: 'Talks in Kiev\r\n\r\nVladimir Zelensky met officials.  \n',
      origin_lang: 'ukr',
      outlet: 'Default Outlet',
      story: 's-1',
      date: '2024-06-01',
      url: 'https://example.test/1',
    });
    expect(rows[2]).toMatchObject({ title: 'French text', origin_lang: 'fra', outlet: 'Own Outlet', story: 's-1' });
  });

  it('reports a binary file and a non-UTF-8 file, imports the rest, and exits 2', async () => {
    const db = newDb();
    const r = await run(['--db', db, path.join(tmp, 'mixed')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('1 added, 0 revised, 0 unchanged, 2 failed');
    const lines = problems(r.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^copydesk-import: .*image\.txt contains NUL bytes: it is binary/);
    expect(lines[1]).toMatch(/^copydesk-import: .*latin1\.txt is not valid UTF-8 \(first bad byte at offset 3\)/);
    const rows = await query<{ slug: string }>(db, 'SELECT slug FROM articles ORDER BY id');
    expect(rows.map((x) => x.slug).slice(DEMO)).toEqual(['good']);
  });

  it('reports a missing path and exits 2', async () => {
    const db = newDb();
    const r = await run(['--db', db, '--format', 'json', path.join(tmp, 'no-such-folder')]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).failures).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect(problems(r.stderr)).toEqual([expect.stringMatching(/^copydesk-import: \[NOT_FOUND\] no such file or folder: .*no-such-folder\.$/)]);
  });

  it.each([
    [[], /^copydesk-import: give at least one file, folder or - \(JSON Lines on standard input\)/],
    [['--colour', 'x', 'a.txt'], /^copydesk-import: there is no option "--colour"/],
    [['--format', 'xml', 'a.txt'], /^copydesk-import: --format must be text or json, not "xml"\.$/],
    [['--origin-lang', 'English', 'a.txt'], /^copydesk-import: --origin-lang must be an ISO 639-3 code/],
    [['a.txt', '--db'], /^copydesk-import: --db needs a value/],
    [['-', '-'], /^copydesk-import: "-" \(standard input\) can be given once only\.$/],
    [['--batch-size', '0', 'a.txt'], /^copydesk-import: --batch-size must be a whole number from 1 to/],
  ])('usage error %j: exit 2 with one line, no database touched', async (args, message) => {
    const db = newDb();
    const r = await run(args.includes('--db') ? args : ['--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('prints the usage with --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run import --');
    expect(r.stderr).toBe('');
  });
});
