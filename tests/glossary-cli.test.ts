// End-to-end tests of copydesk-glossary: the real CLI is spawned (tsx scripts/glossary.ts) on a
// temporary database (--db), and its exit status, stdout and stderr are checked. The tests of a
// describe block run in order and share the database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../server/store/db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let db: string;

/** Run copydesk-glossary on the test database; the environment names no database of its own. */
function run(args: string[], options: { db?: string | null } = {}): Promise<Run> {
  const dbArgs = options.db === null ? [] : ['--db', options.db ?? db];
  const env: NodeJS.ProcessEnv = { ...process.env, COPYDESK_DB: path.join(tmp, 'env-default.db') };
  delete env.COPYDESK_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/glossary.ts', ...dbArgs, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

interface Shown {
  version: number;
  concept: { id: string; status: string; variants: { text: string; status: string; provenance?: Record<string, unknown> }[] };
}

async function show(id: string): Promise<Shown> {
  const r = await run(['show', id, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Shown;
}

/** Rows in the glossary tables, read directly from the database file. */
async function rowCounts(file: string): Promise<Record<string, number>> {
  const d = await Db.open(file);
  try {
    const out: Record<string, number> = {};
    for (const t of ['concepts', 'variants', 'glossary_history', 'glossary_state']) {
      out[t] = (await d.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n;
    }
    out.revision = (await d.get<{ revision: number }>('SELECT revision FROM glossary_state'))?.revision ?? -1;
    return out;
  } finally {
    await d.close();
  }
}

/** A usage or refusal error: one "copydesk-glossary: [CODE] ..." line (plus listed problems), no stack. */
function expectOneLine(r: Run, code: string) {
  expect(r.stderr).toMatch(new RegExp(`^copydesk-glossary: \\[${code}\\] `));
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-glossary-cli-'));
  db = path.join(tmp, 'desk.db');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('copydesk-glossary on a new database', () => {
  it('list and show: the database is created and seeded (kyiv with its variant Kiev)', async () => {
    expect(fs.existsSync(db)).toBe(false);
    const l = await run(['list', '--q', 'kiev']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toMatch(/^copydesk-glossary: new database: loaded \d+ starter glossary concepts/m);
    expect(l.stdout).toMatch(/^ID\s+STATUS\s+TYPE\s+VERSION\s+VARIANTS\s+CANONICAL$/m);
    expect(l.stdout).toMatch(/^kyiv\s+approved\s+place\s+1\s+\d+\s+Kyiv$/m);
    expect(fs.existsSync(db)).toBe(true);

    const s = await run(['show', 'kyiv']);
    expect(s.code).toBe(0);
    expect(s.stderr).toBe(''); // not new any more
    expect(s.stdout).toMatch(/^kyiv: Kyiv$/m);
    expect(s.stdout).toMatch(/^ {2}version: +1\b/m);
    expect(s.stdout).toMatch(/^ {2}- Kiev {2}\(russian-form, approved\)$/m);

    const j = await show('kyiv');
    expect(j.version).toBe(1);
    expect(j.concept.variants.find((v) => v.text === 'Kiev')).toMatchObject({ status: 'approved' });

    const places = JSON.parse((await run(['list', '--status', 'approved', '--type', 'place', '--format', 'json'])).stdout) as { id: string; type: string }[];
    expect(places.length).toBeGreaterThan(10);
    expect(places.every((p) => p.type === 'place')).toBe(true);
    expect(places.map((p) => p.id)).toContain('kyiv');
    expect((await run(['list', '--status', 'proposed'])).stdout).toBe('No concepts match.\n');

    const h = await run(['history', 'kyiv']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^\S+\s+seed\s+starter glossary\s+concept\s+approved$/m);
  });

  it('propose a concept, approve it with the version read: the CSV export has the new variant row', async () => {
    const p = await run(['propose', '--canonical', 'Kvitneve', '--type', 'place', '--variant', 'Kvitnevoe', '--kind', 'russian-form', '--note', 'old name',
      '--article', 'demo-article', '--start', '10', '--end', '19', '--by', 'alice']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe('Proposed new concept "kvitneve" with variant "Kvitnevoe"; the concept is at version 1.\n');
    const before = await show('kvitneve');
    expect(before).toMatchObject({ version: 1, concept: { status: 'proposed' } });
    expect((await run(['list', '--status', 'proposed'])).stdout).toMatch(/^kvitneve\s+proposed\s+place\s+1\s+1 \(1 proposed\)\s+Kvitneve$/m);

    const a = await run(['approve', 'kvitneve', '--by', 'bob', '--version', '1']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe('Approved concept "kvitneve"; the concept is now at version 2.\n');
    const after = await show('kvitneve');
    expect(after.version).toBe(2);
    expect(after.concept.status).toBe('approved');
    expect(after.concept.variants).toEqual([
      expect.objectContaining({ text: 'Kvitnevoe', status: 'approved', provenance: { proposedBy: 'alice', article: 'demo-article', start: 10, end: 19, decidedBy: 'bob' } }),
    ]);

    const e = await run(['export', '--format', 'csv']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toBe('');
    const rows = e.stdout.split('\r\n');
    expect(rows[0]).toMatch(/^concept_id,canonical,type,concept_status,/);
    expect(rows).toContain('kvitneve,Kvitneve,place,approved,,,,alice,demo-article,10,19,bob,Kvitnevoe,russian-form,,,,,,old name,approved,alice,demo-article,10,19,bob');
    // --out writes the same bytes as standard output.
    const file = path.join(tmp, 'export.csv');
    const o = await run(['export', '--format', 'csv', '--out', file]);
    expect(o.code).toBe(0);
    expect(o.stdout).toMatch(/^Exported the glossary as CSV .* to .*export\.csv \(\d+ bytes\)\.\n$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(e.stdout);
  });

  it('approve with a stale version: exit 1, a conflict naming the current version, nothing saved', async () => {
    const p = await run(['propose', '--concept', 'kyiv', '--variant', 'Kyivv', '--kind', 'misspelling', '--by', 'alice']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe('Proposed variant "Kyivv" of concept "kyiv"; the concept is at version 2.\n');
    const stale = await run(['approve', 'kyiv', '--variant', 'Kyivv', '--by', 'bob', '--version', '1']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expectOneLine(stale, 'CONFLICT');
    expect(stale.stderr).toMatch(/you edited version 1, it is now at version 2 \(last change: propose by alice at /);
    expect(stale.stderr).toMatch(/nothing was saved/i);
    const still = await show('kyiv');
    expect(still.version).toBe(2);
    expect(still.concept.variants.find((v) => v.text === 'Kyivv')!.status).toBe('proposed');

    const ok = await run(['approve', 'kyiv', '--variant', 'Kyivv', '--by', 'bob', '--version', '2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('Approved variant "Kyivv" of concept "kyiv"; the concept is now at version 3.\n');
    const h = await run(['history', 'kyiv', '--format', 'json']);
    expect((JSON.parse(h.stdout) as { action: string; author: string }[]).map((x) => [x.action, x.author])).toEqual([
      ['seed', 'starter glossary'],
      ['propose', 'alice'],
      ['approve', 'bob'],
    ]);
  });

  it('reject of an approved entry: exit 1, INVALID_TRANSITION', async () => {
    const v = await run(['reject', 'kyiv', '--variant', 'Kiev', '--by', 'bob', '--version', '3']);
    expect(v.code).toBe(1);
    expectOneLine(v, 'INVALID_TRANSITION');
    expect(v.stderr).toMatch(/variant "Kiev" of concept "kyiv" is approved; it cannot become rejected/);
    const c = await run(['reject', 'kvitneve', '--by', 'bob', '--version', '2']);
    expect(c.code).toBe(1);
    expectOneLine(c, 'INVALID_TRANSITION');
    expect((await show('kyiv')).version).toBe(3);
    // Deprecating is allowed.
    const d = await run(['deprecate', 'kvitneve', '--by', 'bob', '--version', '2']);
    expect(d.code, d.stderr).toBe(0);
    expect((await show('kvitneve')).concept).toMatchObject({ status: 'deprecated', variants: [expect.objectContaining({ status: 'deprecated' })] });
  });

  it('refuses an unknown concept and an invalid proposal with exit 1', async () => {
    const s = await run(['show', 'no-such-concept']);
    expect(s.code).toBe(1);
    expectOneLine(s, 'NOT_FOUND');
    const a = await run(['approve', 'no-such-concept', '--by', 'bob', '--version', '1']);
    expect(a.code).toBe(1);
    expectOneLine(a, 'NOT_FOUND');
    // "Kiev" belongs to kyiv already: the proposal is refused, with the problem listed.
    const dup = await run(['propose', '--canonical', 'Kiev Oblast Town', '--type', 'place', '--variant', 'Kiev', '--kind', 'russian-form', '--by', 'alice']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^copydesk-glossary: \[GLOSSARY_INVALID\] the change was refused: \d+ problems?; nothing was saved\.\n {2}- .*Kiev/);
    expect(dup.stderr).not.toMatch(/\n\s+at /);
  });

  it('import of a malformed CSV: exit 2, every problem listed with its line, nothing written', async () => {
    const header = (await run(['export', '--format', 'csv'])).stdout.split('\r\n')[0]!;
    const bad = [
      header,
      'foo,Foo,city,approved,,,,,,,,,Fooo,russian-form,,,,,,,approved,,,,,',
      'Bad Id,Bar,place,maybe,,,,,,,,,,,,,,,,,,,,,,',
      'baz,Baz,place,approved,,,,,,,,,Bazz,wrong-kind,,,,,,,approved,,,,,',
      'kyiv,Kyiv,place,approved,,,,,,,,,Kiev,russian-form,,,,,,,approved,,,,,',
      '',
    ].join('\r\n');
    const file = path.join(tmp, 'bad.csv');
    fs.writeFileSync(file, bad);
    const before = await rowCounts(db);
    const r = await run(['import', '--format', 'csv', file, '--by', 'carol']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('copydesk-glossary: [GLOSSARY_IMPORT_INVALID] the file cannot be imported: 4 problems; nothing was imported.');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}- line 2: concept foo: type "city" is not one of /),
      expect.stringMatching(/^ {2}- line 3: concept_status "maybe" is not one of /),
      expect.stringMatching(/^ {2}- line 3: concept Bad Id: id "Bad Id" is not valid/),
      expect.stringMatching(/^ {2}- line 4: concept baz, variant "Bazz": kind "wrong-kind" is not one of /),
    ]);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('import of a good file: counts added, changed, unchanged; a second import changes nothing', async () => {
    const exported = path.join(tmp, 'round.json');
    expect((await run(['export', '--format', 'json', '--out', exported])).code).toBe(0);
    const fresh = path.join(tmp, 'fresh.db');
    const first = await run(['import', '--format', 'json', exported, '--by', 'carol'], { db: fresh });
    expect(first.code, first.stderr).toBe(0);
    // kvitneve is new; kyiv has a new variant; the rest of the starter glossary is as seeded.
    expect(first.stdout).toMatch(/^Imported .*round\.json: 1 added, 1 changed, \d+ unchanged \(glossary revision \d+\)\.\n$/);
    const before = await rowCounts(fresh);
    const again = await run(['import', '--format', 'json', exported, '--by', 'carol'], { db: fresh });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/: 0 added, 0 changed, \d+ unchanged /);
    expect(await rowCounts(fresh)).toEqual(before);
    expect((await run(['export', '--format', 'json'], { db: fresh })).stdout).toBe(fs.readFileSync(exported, 'utf8'));
  });

  it('an unreadable import file: exit 2, and no database is created for it', async () => {
    const other = path.join(tmp, 'never.db');
    const r = await run(['import', '--format', 'csv', path.join(tmp, 'missing.csv'), '--by', 'carol'], { db: other });
    expect(r.code).toBe(2);
    expectOneLine(r, 'NOT_FOUND');
    expect(r.stderr).toMatch(/cannot read .*missing\.csv: no such file or folder/);
    expect(fs.existsSync(other)).toBe(false);
  });
});

describe('copydesk-glossary usage', () => {
  it.each([
    ['no command', [], 'NO_COMMAND', /no command given/],
    ['an unknown command', ['frobnicate'], 'UNKNOWN_COMMAND', /no command "frobnicate"/],
    ['an unknown option', ['list', '--frobnicate', 'x'], 'UNKNOWN_OPTION', /no option "--frobnicate"/],
    ['an option of another command', ['list', '--by', 'alice'], 'UNKNOWN_OPTION', /list takes no option --by/],
    ['a bad --status', ['list', '--status', 'maybe'], 'BAD_VALUE', /--status must be one of proposed, approved, rejected, deprecated/],
    ['show without an id', ['show'], 'MISSING_VALUE', /show needs a concept id/],
    ['approve without --version', ['approve', 'kyiv', '--by', 'bob'], 'MISSING_VALUE', /approve needs --version N/],
    ['a bad --version', ['approve', 'kyiv', '--by', 'bob', '--version', 'two'], 'BAD_VALUE', /--version must be a whole number/],
    ['propose without --by', ['propose', '--canonical', 'X', '--type', 'place'], 'MISSING_VALUE', /propose needs --by/],
    ['a bad --kind', ['propose', '--concept', 'kyiv', '--variant', 'K', '--kind', 'typo', '--by', 'a'], 'BAD_VALUE', /--kind must be one of russian-form/],
    ['--variant without --kind', ['propose', '--concept', 'kyiv', '--variant', 'K', '--by', 'a'], 'MISSING_VALUE', /--variant needs --kind/],
    ['--start without --end', ['propose', '--concept', 'kyiv', '--variant', 'K', '--kind', 'misspelling', '--article', 'a', '--start', '1', '--by', 'a'], 'MISSING_VALUE', /--start and --end go together/],
    ['export without --format', ['export'], 'MISSING_VALUE', /export needs --format/],
    ['import of an export-only format', ['import', '--format', 'prh', 'x.yml', '--by', 'a'], 'BAD_VALUE', /--format must be one of csv, json, tbx, tbx2/],
    ['a missing option value', ['list', '--q'], 'MISSING_VALUE', /--q needs a value/],
  ])('exit 2 on %s, with one line on stderr', async (_what, args, code, msg) => {
    const r = await run(args, { db: path.join(tmp, 'usage.db') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r, code);
    expect(r.stderr).toMatch(msg);
    expect(fs.existsSync(path.join(tmp, 'usage.db'))).toBe(false);
  });

  it('--help prints the usage with exit 0', async () => {
    const r = await run(['--help'], { db: null });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: copydesk-glossary <command> \[options\]/);
    expect(r.stdout).toMatch(/--db PATH/);
  });

  it('without --db, uses COPYDESK_DB', async () => {
    const r = await run(['list', '--q', 'kyiv-post'], { db: null });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kyiv-post\s+approved/m);
    expect(fs.existsSync(path.join(tmp, 'env-default.db'))).toBe(true);
  });

  it('a file that is not a database: exit 2, one line; --debug adds the error detail', async () => {
    const junk = path.join(tmp, 'junk.db');
    fs.writeFileSync(junk, 'this is not a database, just text that is long enough to be read as a header');
    const r = await run(['list'], { db: junk });
    expect(r.code).toBe(2);
    expectOneLine(r, 'DB_UNREADABLE');
    const d = await run(['list', '--debug'], { db: junk });
    expect(d.code).toBe(2);
    expect(d.stderr.trim().split('\n').length).toBeGreaterThan(1); // sqlite3's errors carry no stack frames
    expect(d.stderr).toMatch(/SQLITE_NOTADB/);
  });
});
