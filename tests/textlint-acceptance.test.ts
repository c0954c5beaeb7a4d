// Acceptance: "The exported prh.yml, given to real textlint + textlint-rule-prh on the demo corpus,
// reports exactly the spans that copydesk's glossary detector reports."
//
// The prh rules are exported from a fresh seeded database (the shared glossary, through the
// GLOSSARY_FORMATS registry, as `copydesk-glossary export --format prh` writes them), written next
// to a .textlintrc.json, and real textlint lints the corpus .txt files (parsed by
// @textlint/textlint-plugin-text). textlint-rule-prh reports each match with its start `index`
// only (so a message's `range` is one character wide) and a fix replacing the whole match: the
// span is the fix's range, which textlint makes absolute in the file's text; the message's own
// "actual => expected" text is checked against that span too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinter, loadTextlintrc } from 'textlint';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { glossaryFormat } from '../server/core/glossary/formats/index.ts';
import { scanText } from '../server/core/scan.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTICLES = path.join(ROOT, 'corpus', 'articles');

interface Span {
  file: string;
  start: number;
  end: number;
  text: string;
  /** What to write instead. */
  expected: string;
}

const key = (s: Span) => `${s.file}:${s.start}-${s.end}`;
const byPosition = (x: Span, y: Span) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.start - y.start || x.end - y.end);

let tmp: string;
let ws: Workspace;
let files: string[];
let textlintSpans: Span[];
let copydeskSpans: Span[];
let houseStyleFindings: number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-textlint-acceptance-'));
  ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(tmp, 'desk.db') }));
  files = fs.readdirSync(ARTICLES).filter((f) => f.endsWith('.txt')).sort();

  // The export, as the CLI writes it.
  const rulesFile = path.join(tmp, 'prh.yml');
  fs.writeFileSync(rulesFile, glossaryFormat('prh')!.write(await ws.glossary.entries()));
  const rc = path.join(tmp, '.textlintrc.json');
  fs.writeFileSync(rc, JSON.stringify({ rules: { prh: { rulePaths: [rulesFile] } } }));

  // Real textlint.
  const descriptor = await loadTextlintrc({ configFilePath: rc, node_modulesDir: path.join(ROOT, 'node_modules') });
  const linter = createLinter({ descriptor, cwd: tmp });
  const results = await linter.lintFiles(files.map((f) => path.join(ARTICLES, f)));
  textlintSpans = [];
  for (const r of results) {
    const file = path.basename(r.filePath);
    const text = fs.readFileSync(r.filePath, 'utf8');
    for (const m of r.messages) {
      expect(m.ruleId, m.message).toBe('prh');
      expect(m.fix, `${file}: ${m.message}`).toBeDefined();
      const [start, end] = m.fix!.range;
      expect(m.range[0], `${file}: ${m.message}`).toBe(start); // the reported index is where the match starts
      const span = text.slice(start, end);
      // "actual => expected\n<rule label>": actual is the text at the span.
      const head = m.message.split('\n')[0]!;
      expect(head, `${file} ${start}-${end}`).toBe(`${span} => ${m.fix!.text}`);
      // line/column agree with the offset (1-based line, 1-based column in textlint 15).
      const before = text.slice(0, start).split('\n');
      expect([m.loc.start.line, m.loc.start.column], `${file} ${start}`).toEqual([before.length, before.at(-1)!.length + 1]);
      textlintSpans.push({ file, start, end, text: span, expected: m.fix!.text });
    }
  }

  // copydesk's glossary detector on the same texts, with the same (approved, compiled) glossary.
  const compiled = await ws.glossary.compiled();
  copydeskSpans = [];
  houseStyleFindings = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(ARTICLES, file), 'utf8');
    for (const f of scanText(text, compiled, { detectors: ['glossary'] })) {
      expect(f.detector).toBe('glossary');
      if (f.kind === 'house-style') houseStyleFindings++;
      copydeskSpans.push({ file, start: f.start, end: f.end, text: f.text, expected: f.suggestion ?? '' });
    }
  }
  textlintSpans.sort(byPosition);
  copydeskSpans.sort(byPosition);
}, 120_000);

afterAll(async () => {
  await ws?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the prh export under real textlint + textlint-rule-prh, on the demo corpus', () => {
  it('reports exactly the spans that copydesk\'s glossary detector reports', () => {
    // The premise: house-style variants are left out of the prh export by default, and the corpus
    // has none of them (with a house-style finding the two sets could not be equal).
    expect(houseStyleFindings).toBe(0);
    expect(copydeskSpans.length).toBeGreaterThan(0);
    expect(new Set(copydeskSpans.map((s) => s.file)).size).toBeGreaterThan(1);
    const tl = textlintSpans.map(key);
    const cd = copydeskSpans.map(key);
    expect(new Set(tl).size).toBe(tl.length); // no span reported twice
    expect(tl).toEqual(cd);
  });

  it('with the same text and the same replacement at each span', () => {
    expect(textlintSpans.map((s) => [key(s), s.text, s.expected])).toEqual(copydeskSpans.map((s) => [key(s), s.text, s.expected]));
  });
});
