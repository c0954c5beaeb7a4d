// End-to-end tests of copydesk-scan: the real CLI is spawned (tsx scripts/scan.ts) and its exit
// status, stdout and stderr are checked. A small fixture glossary keeps the findings stable while
// the starter glossary and the detectors grow; most runs use --detectors glossary for the same reason.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { openWorkspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const FIX = 'tests/fixtures/cli';
const GLOSSARY = `${FIX}/glossary.yaml`;
const G = ['--glossary', GLOSSARY];
// ajv-formats is CommonJS: its default export arrives wrapped or not depending on the loader.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
const ONLY_GLOSSARY = [...G, '--detectors', 'glossary'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI. Without --glossary, copydesk-scan reads the shared glossary from the configured
 * database when that file exists: COPYDESK_DB names one that does not (unless env says otherwise),
 * so a developer's data/copydesk.db never changes what these tests see.
 */
function run(args: string[], input?: string | Buffer, cmd: string[] = [TSX, 'scripts/scan.ts'], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, COPYDESK_DB: path.join(tmp, 'no-database-here.db'), ...env };
    const child = spawn(cmd[0]!, [...cmd.slice(1), ...args], { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

interface JFinding {
  detector: string;
  kind: string;
  severity: string;
  start: number;
  end: number;
  text: string;
  suggestion: string | null;
  concept: string | null;
  message: string;
}
interface JFile {
  path: string;
  language: string | null;
  findings: JFinding[];
  error?: { code: string; message: string };
}
interface JDoc {
  tool: { name: string; version: string; detectors: string[] };
  glossary: { name: string; version: string; concepts: number; variants: number; source: string };
  files: JFile[];
  summary: { files: number; unreadable: number; findings: number; elapsedMs: number; bySeverity: Record<string, number> };
}

const decode = (file: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync(path.join(ROOT, file)));

/** A small RFC 4180 parser: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"' && field === '') (quoted = true), i++;
    else if (c === ',') row.push(field), (field = ''), i++;
    else if (c === '\r' && s[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else if (c === '\n') throw new Error(`bare LF in CSV at ${i}`);
    else (field += c), i++;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

let tmp: string;
let batch: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-cli-'));
  batch = path.join(tmp, 'batch');
  fs.cpSync(path.join(ROOT, FIX, 'batch'), batch, { recursive: true });
  fs.writeFileSync(path.join(batch, 'binary.txt'), Buffer.from([0x4b, 0x69, 0x65, 0x76, 0x00, 0x01, 0x02]));
  fs.writeFileSync(path.join(batch, 'latin1.txt'), Buffer.from('Caf\xe9 in Kiev\n', 'latin1'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('exit status', () => {
  it('is 0 on a clean file', async () => {
    const r = await run([...ONLY_GLOSSARY, `${FIX}/clean.txt`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 file scanned in [\d.]+s: 0 findings/m);
  });

  it('is 1 with findings at or above --fail-on, 0 below it', async () => {
    expect((await run([...ONLY_GLOSSARY, `${FIX}/kiev.txt`])).code).toBe(1); // has an error
    expect((await run([...ONLY_GLOSSARY, `${FIX}/warn.txt`])).code).toBe(0); // warnings only
    expect((await run([...ONLY_GLOSSARY, '--fail-on', 'warning', `${FIX}/warn.txt`])).code).toBe(1);
    expect((await run([...ONLY_GLOSSARY, '--fail-on', 'none', `${FIX}/kiev.txt`])).code).toBe(0);
  });

  it('counts info findings for --fail-on info (house style)', async () => {
    const input = JSON.stringify({ id: 'h', text: 'Shelling in Kharkiv.' }) + '\n';
    const r = await run([...ONLY_GLOSSARY, '--house-style', 'german-desk', '--fail-on', 'info', '--format', 'json', '-'], input);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JDoc;
    expect(doc.files[0]!.findings.map((f) => [f.severity, f.text, f.suggestion])).toEqual([['info', 'Kharkiv', 'Charkiw']]);
    const low = await run([...ONLY_GLOSSARY, '--house-style', 'german-desk', '--min-severity', 'warning', '--fail-on', 'info', '-'], input);
    expect(low.code).toBe(0);
  });

  it.each([
    ['an unknown option', ['--frobnicate', `${FIX}/clean.txt`], /no option "--frobnicate"/],
    ['no inputs', [...G], /no inputs/i],
    ['a bad --format', ['--format', 'xml', `${FIX}/clean.txt`], /--format must be one of text, json, jsonl, csv, sarif/],
    ['a missing option value', [`${FIX}/clean.txt`, '--fail-on'], /--fail-on needs a value/],
    ['a bad --jobs', ['--jobs', '0', `${FIX}/clean.txt`], /--jobs must be a whole number/],
    ['an unknown detector', [...G, '--detectors', 'glossary,nope', `${FIX}/clean.txt`], /no detector "nope"/],
    ['an unknown house style', [...G, '--house-style', 'nope', `${FIX}/clean.txt`], /no house style "nope"/],
    ['a missing glossary', ['--glossary', `${FIX}/missing.yaml`, `${FIX}/clean.txt`], /cannot read the glossary/],
    ['both --glossary and --db', [...G, '--db', 'x.db', `${FIX}/clean.txt`], /--glossary and --db both name the glossary/],
  ])('is 2 on %s, with one line on stderr', async (_what, args, msg) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^copydesk-scan: /);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('is 2 on an invalid glossary, listing its problems', async () => {
    const r = await run(['--glossary', `${FIX}/bad-glossary.yaml`, `${FIX}/clean.txt`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^copydesk-scan: the glossary .* is not valid \(3 problems\)/);
    expect(r.stderr).toMatch(/- bad-glossary\.yaml: concept "Not An Id".*type "city"/);
  });

  it('is 2 on a missing file, after scanning the others', async () => {
    const r = await run([...ONLY_GLOSSARY, '--format', 'jsonl', `${FIX}/warn.txt`, `${FIX}/nope.txt`]);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JFile);
    expect(lines.map((l) => l.path)).toEqual([`${FIX}/warn.txt`, `${FIX}/nope.txt`]);
    expect(lines[0]!.findings).toHaveLength(1);
    expect(lines[1]!.error?.code).toBe('NOT_FOUND');
    expect(r.stderr).toMatch(/^copydesk-scan: \[NOT_FOUND\] no such file or folder: .*nope\.txt\.$/m);
  });

  it('gives a machine-readable code on usage errors in machine formats', async () => {
    const r = await run(['--format', 'json', '--detectors', 'nope', `${FIX}/clean.txt`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^copydesk-scan: \[UNKNOWN_DETECTOR\] /);
  });

  it('prints help, version and the detector list with status 0', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: copydesk-scan/);
    const v = await run(['--version']);
    expect(v.stdout.trim()).toBe(`copydesk-scan ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`);
    const l = await run(['--list-detectors']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/^glossary\s+\S/m);
  });
});

describe('formats', () => {
  it('text: location, severity, kind, message, underlined excerpt, suggestion, summary', async () => {
    const r = await run([...ONLY_GLOSSARY, `${FIX}/warn.txt`]);
    expect(r.stdout).toContain(
      `${FIX}/warn.txt:1:20 warning russian-form Russian-derived form: write "Kyiv"` +
        ' — Capital of Ukraine, on the Dnipro.\n' +
        '    Talks were held in Kiev on Monday.\n' +
        '                       ^^^^\n' +
        '    → Kyiv\n',
    );
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toMatch(/\n1 file scanned in [\d.]+s: 1 finding \(0 errors, 1 warning, 0 info\)\.\n$/);
    const c = await run([...ONLY_GLOSSARY, '--color', `${FIX}/warn.txt`]);
    expect(c.stdout).toContain('\x1b[');
    const q = await run([...ONLY_GLOSSARY, '--quiet', `${FIX}/clean.txt`]);
    expect(q.stdout).toBe('');
  });

  it('json: one document; offsets slice the decoded text (BOM kept)', async () => {
    const r = await run([...ONLY_GLOSSARY, '--format', 'json', `${FIX}/kiev.txt`, `${FIX}/batch/bom.txt`]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JDoc;
    expect(doc.tool).toMatchObject({ name: 'copydesk', detectors: ['glossary'] });
    expect(doc.glossary).toMatchObject({ name: 'cli test glossary', concepts: 4, variants: 5, source: `file ${GLOSSARY}` });
    expect(doc.files.map((f) => f.path)).toEqual([`${FIX}/kiev.txt`, `${FIX}/batch/bom.txt`]);
    for (const f of doc.files) {
      const text = decode(f.path);
      for (const x of f.findings) expect(text.slice(x.start, x.end)).toBe(x.text);
    }
    expect(doc.files[0]!.findings.map((f) => f.text)).toEqual(['Kiev', 'Supreme Council', 'Dnieper\nRiver', 'Kharkov']);
    expect(doc.files[1]!.findings[0]).toMatchObject({ start: 1, end: 5, text: 'Kiev' }); // after the BOM
    expect(Object.keys(doc.files[0]!.findings[0]!)).toEqual(['detector', 'kind', 'severity', 'start', 'end', 'text', 'suggestion', 'concept', 'message']);
    expect(doc.summary).toMatchObject({ files: 2, unreadable: 0, findings: 5, bySeverity: { error: 1, warning: 4, info: 0 } });
  });

  it('jsonl: one object per file', async () => {
    const r = await run([...ONLY_GLOSSARY, '--format', 'jsonl', `${FIX}/kiev.txt`, `${FIX}/clean.txt`]);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const files = lines.map((l) => JSON.parse(l) as JFile);
    expect(files.map((f) => [f.path, f.findings.length])).toEqual([
      [`${FIX}/kiev.txt`, 4],
      [`${FIX}/clean.txt`, 0],
    ]);
    expect(files[0]!.language).toBe('eng');
    const quiet = await run([...ONLY_GLOSSARY, '--format', 'jsonl', '--no-language', `${FIX}/kiev.txt`]);
    expect((JSON.parse(quiet.stdout) as JFile).language).toBeNull();
  });

  it('csv: RFC 4180 with CRLF, one row per finding, quoted commas, quotes and line breaks', async () => {
    const r = await run([...ONLY_GLOSSARY, '--format', 'csv', `${FIX}/kiev.txt`, `${FIX}/batch`]);
    const json = JSON.parse((await run([...ONLY_GLOSSARY, '--format', 'json', `${FIX}/kiev.txt`, `${FIX}/batch`])).stdout) as JDoc;
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['path', 'line', 'column', 'start', 'end', 'detector', 'kind', 'severity', 'text', 'suggestion', 'concept', 'message']);
    expect(rows.length - 1).toBe(json.summary.findings);
    expect(rows.every((row) => row.length === 12)).toBe(true);
    const dnieper = rows.find((row) => row[8] === 'Dnieper\nRiver')!;
    expect(dnieper.slice(0, 5)).toEqual([`${FIX}/kiev.txt`, '2', '14', '72', '85']);
    expect(dnieper[11]).toBe('Russian-derived form: write "Dnipro River" — the Ukrainian name, "Dnipro",\nas the desk agreed');
    expect(r.stdout).toContain('"Russian-derived form: write ""Kyiv"" — Capital of Ukraine, on the Dnipro."');
  });

  it('sarif: valid against the SARIF 2.1.0 schema, with rules, levels and regions', async () => {
    const r = await run([...G, '--format', 'sarif', `${FIX}/kiev.txt`, batch, `${FIX}/nope.txt`]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const run0 = doc.runs[0];
    expect(run0.tool.driver.name).toBe('copydesk');
    expect(JSON.stringify(run0.tool.driver)).not.toMatch(/https?:/);
    const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toContain('glossary');
    const results = run0.results as { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, unknown> } }[] }[];
    expect(results.length).toBeGreaterThan(0);
    for (const res of results) {
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
    }
    const supreme = results.find((x) => (x.locations[0]!.physicalLocation.region.snippet as { text: string }).text === 'Supreme Council')!;
    expect(supreme.level).toBe('error');
    expect(supreme.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`${FIX}/kiev.txt`);
    expect(supreme.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 1, startColumn: 38, endLine: 1, endColumn: 53, charOffset: 37, charLength: 15 });
    const dnieper = results.find((x) => (x.locations[0]!.physicalLocation.region.snippet as { text: string }).text === 'Dnieper\nRiver')!;
    expect(dnieper.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 2, startColumn: 14, endLine: 3, endColumn: 6 });
    const notes = run0.invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id).sort();
    expect(notes).toEqual(['BINARY_FILE', 'NOT_FOUND', 'NOT_UTF8']);
    // The schema really is checked: a wrong level is refused.
    results[0]!.level = 'fatal';
    expect(validate(doc)).toBe(false);
  });
});

describe('inputs', () => {
  it('a binary and a non-UTF-8 file get their own error entries; the rest is scanned (exit 2)', async () => {
    const r = await run([...ONLY_GLOSSARY, '--format', 'json', batch]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as JDoc;
    const rel = (p: string) => path.relative(batch, p).split(path.sep).join('/');
    expect(doc.files.map((f) => [rel(f.path), f.error?.code ?? f.findings.length])).toEqual([
      ['a.txt', 1],
      ['b.md', 2],
      ['binary.txt', 'BINARY_FILE'],
      ['bom.txt', 1],
      ['latin1.txt', 'NOT_UTF8'],
      ['sub/c.txt', 0],
    ]);
    expect(doc.summary).toMatchObject({ files: 6, unreadable: 2 });
    expect(r.stderr).toMatch(/\[BINARY_FILE\] .*binary\.txt contains NUL bytes/);
    expect(r.stderr).toMatch(/\[NOT_UTF8\] .*latin1\.txt is not valid UTF-8 \(first bad byte at offset 3\)/);
  });

  it('reads JSON Lines from stdin: ids become paths, offsets slice the text', async () => {
    const records = [
      { id: 'wire/1', text: 'Officials in Kiev and Kharkov met.', date: '2019-09-07', origin_lang: 'vie' },
      { id: 42, text: 'Nothing wrong here.' },
      { id: 'astral', text: '𝔘nicode 😀 before Kiev — and the Supreme Council.' },
    ];
    // CRLF line ends, a blank line and a BOM opening the stream are all tolerated.
    const input = '\ufeff' + records.map((x) => JSON.stringify(x)).join('\r\n') + '\n\n';
    const r = await run([...ONLY_GLOSSARY, '--format', 'json', '-'], input);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JDoc;
    expect(doc.files.map((f) => f.path)).toEqual(['wire/1', '42', 'astral']);
    doc.files.forEach((f, i) => {
      for (const x of f.findings) expect(records[i]!.text.slice(x.start, x.end)).toBe(x.text);
    });
    expect(doc.files[0]!.findings.map((f) => f.text)).toEqual(['Kiev', 'Kharkov']);
    expect(doc.files[2]!.findings.map((f) => f.text)).toEqual(['Kiev', 'Supreme Council']);
  });

  it('reports bad JSON Lines by line number and goes on (exit 2)', async () => {
    const input = '{"id":"ok","text":"In Kiev."}\nnot json\n{"text":"no id"}\n{"id":"last","text":"Kiev again."}';
    const r = await run([...ONLY_GLOSSARY, '--format', 'jsonl', '-'], input);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JFile);
    expect(lines.map((l) => [l.path, l.error?.code ?? l.findings.length])).toEqual([
      ['ok', 1],
      ['<stdin>:2', 'BAD_JSON'],
      ['<stdin>:3', 'BAD_RECORD'],
      ['last', 1],
    ]);
  });

  it('offsets slice the decoded text for every finding of every seed article (all detectors, starter glossary)', async () => {
    const r = await run(['--format', 'json', '--fail-on', 'none', 'corpus/articles']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JDoc;
    expect(doc.glossary.source).toBe(`file ${path.join(ROOT, 'corpus', 'glossary')}`);
    const seeds = fs.readdirSync(path.join(ROOT, 'corpus/articles')).filter((f) => f.endsWith('.txt'));
    expect(doc.files).toHaveLength(seeds.length);
    let n = 0;
    for (const f of doc.files) {
      expect(f.error).toBeUndefined();
      const text = decode(f.path);
      for (const x of f.findings) {
        expect(text.slice(x.start, x.end), `${f.path} ${x.detector} ${x.start}`).toBe(x.text);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
    const kiev = doc.files.find((f) => f.path.endsWith('003_30904ec8ac950bac.txt'))!;
    expect(kiev.findings.some((x) => x.detector === 'glossary' && x.text === 'Kiev' && x.suggestion === 'Kyiv')).toBe(true);
  });
});

describe('--jobs', () => {
  const strip = (s: string) => {
    const doc = JSON.parse(s) as JDoc;
    doc.summary.elapsedMs = 0;
    return doc;
  };

  it('--jobs 2 gives the same json output as --jobs 1', async () => {
    const args = [...G, '--format', 'json', '--fail-on', 'none', `${FIX}/kiev.txt`, batch, 'corpus/articles', `${FIX}/nope.txt`];
    const one = await run([...args, '--jobs', '1']);
    const two = await run([...args, '--jobs', '2']);
    expect(two.code).toBe(2);
    expect(two.code).toBe(one.code);
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
    expect(two.stderr).toBe(one.stderr);
  });

  it('--jobs 2 on stdin and through the bin shim gives the same output as --jobs 1, with work done on a worker', async () => {
    // Enough work (about a second) for the worker to start and take part: with --jobs 2 the main
    // thread scans too, and takes everything while the worker is still starting.
    const texts = fs
      .readdirSync(path.join(ROOT, 'corpus/articles'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => decode(`corpus/articles/${f}`));
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ id: `r${i}`, text: texts[i % texts.length] }));
    lines.splice(3000, 0, 'broken');
    const input = lines.join('\n') + '\n';
    const args = [...G, '--format', 'jsonl', '--debug', '-'];
    const one = await run([...args, '--jobs', '1'], input);
    const two = await run([...args, '--jobs', '2'], input, ['node', 'scripts/copydesk-scan.mjs']);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stdout === one.stdout).toBe(true);
    expect(one.stdout.trim().split('\n')).toHaveLength(6001);
    const stats = /(\d+) on the main thread, (\d+) on worker threads/.exec(two.stderr);
    expect(stats, two.stderr).not.toBeNull();
    expect(Number(stats![2])).toBeGreaterThan(0);
  });
});

describe('the shared glossary in the database', () => {
  // A desk database whose approved glossary differs from the starter files: kyiv has an approved
  // variant "Kyivv", and "Kiev" was deprecated.
  let deskDb: string;
  const input = JSON.stringify({ id: 'd', text: 'Officials in Kyivv and Kiev met in Kharkov.' }) + '\n';
  const texts = (doc: JDoc) => doc.files.map((f) => f.findings.map((x) => x.text));

  beforeAll(async () => {
    deskDb = path.join(tmp, 'desk.db');
    const ws = await openWorkspace(loadConfig({ COPYDESK_DB: deskDb }));
    try {
      const p = await ws.glossary.propose({ conceptId: 'kyiv' }, { text: 'Kyivv', kind: 'misspelling' }, 'alice');
      const a = await ws.glossary.decide('kyiv', { variantText: 'Kyivv' }, 'approve', 'bob', p.version);
      await ws.glossary.decide('kyiv', { variantText: 'Kiev' }, 'deprecate', 'bob', a.version);
    } finally {
      await ws.close();
    }
  });

  it('is the default when the configured database exists (COPYDESK_DB), and is named in the output', async () => {
    const r = await run(['--detectors', 'glossary', '--format', 'json', '--fail-on', 'none', '-'], input, undefined, { COPYDESK_DB: deskDb });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JDoc;
    expect(doc.glossary).toMatchObject({ name: 'starter glossary', source: `database ${deskDb}` });
    expect(texts(doc)).toEqual([['Kyivv', 'Kharkov']]);
    // Without a database file the starter glossary files are used.
    const starter = JSON.parse((await run(['--detectors', 'glossary', '--format', 'json', '--fail-on', 'none', '-'], input)).stdout) as JDoc;
    expect(starter.glossary.source).toBe(`file ${path.join(ROOT, 'corpus', 'glossary')}`);
    expect(texts(starter)).toEqual([['Kiev', 'Kharkov']]);
    expect(starter.glossary.version).not.toBe(doc.glossary.version);
    // --glossary still wins over the database.
    const fixture = JSON.parse((await run([...ONLY_GLOSSARY, '--format', 'json', '--fail-on', 'none', '-'], input, undefined, { COPYDESK_DB: deskDb })).stdout) as JDoc;
    expect(fixture.glossary.source).toBe(`file ${GLOSSARY}`);
  });

  it('--db PATH names the database; a new one is created and seeded', async () => {
    const r = await run(['--db', deskDb, '--detectors', 'glossary', '--format', 'json', '--fail-on', 'none', '-'], input);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as JDoc).glossary.source).toBe(`database ${deskDb}`);
    expect(texts(JSON.parse(r.stdout) as JDoc)).toEqual([['Kyivv', 'Kharkov']]);
    const fresh = path.join(tmp, 'fresh-scan.db');
    const n = await run(['--db', fresh, '--detectors', 'glossary', '--format', 'json', '--fail-on', 'none', '-'], input);
    expect(n.code).toBe(0);
    expect(n.stderr).toMatch(/^copydesk-scan: new database: loaded \d+ starter glossary concepts/m);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(texts(JSON.parse(n.stdout) as JDoc)).toEqual([['Kiev', 'Kharkov']]);
  });

  it('a file that is not a database: exit 2, one line', async () => {
    const junk = path.join(tmp, 'junk.db');
    fs.writeFileSync(junk, 'not a database, only text long enough to be read as a header of one');
    const r = await run(['--db', junk, `${FIX}/clean.txt`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^copydesk-scan: cannot read the glossary from the database .*junk\.db: SQLITE_NOTADB/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--jobs 2: the workers get the database glossary as data, and find the same', async () => {
    const seeds = fs
      .readdirSync(path.join(ROOT, 'corpus/articles'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => decode(`corpus/articles/${f}`));
    // Every record has "Kyivv", which only the database glossary knows.
    // Enough work (all detectors, ~25 MB) that the worker is up long before the main thread is done.
    const lines = Array.from({ length: 10000 }, (_, i) => JSON.stringify({ id: `r${i}`, text: `${seeds[i % seeds.length]} Kyivv.` }));
    const stdin = lines.join('\n') + '\n';
    const args = ['--db', deskDb, '--no-language', '--format', 'jsonl', '--fail-on', 'none', '--debug', '-'];
    const one = await run([...args, '--jobs', '1'], stdin);
    const two = await run([...args, '--jobs', '2'], stdin);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout === one.stdout).toBe(true);
    const out = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as JFile);
    expect(out).toHaveLength(10000);
    expect(out.every((f) => f.findings.some((x) => x.text === 'Kyivv'))).toBe(true);
    const stats = /(\d+) on the main thread, (\d+) on worker threads/.exec(two.stderr);
    expect(stats, two.stderr).not.toBeNull();
    expect(Number(stats![2])).toBeGreaterThan(0);
  });
});
