// The prh export: valid YAML, a rule for every variant, specs that prh itself accepts, the same
// matches as copydesk's matcher on tricky texts, and a real textlint + textlint-rule-prh run.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import * as prh from 'prh';
import { createLinter, loadTextlintrc } from 'textlint';
import { toPrhRules, toPrhYaml } from '../server/core/glossary/prh.ts';
import { compileGlossary } from '../server/core/glossary/compile.ts';
import { validateGlossary, type GlossaryData } from '../server/core/glossary/schema.ts';
import { loadGlossaryData } from '../server/glossary/files.ts';

const GLOSSARY: GlossaryData = validateGlossary({
  name: 'prh test glossary',
  concepts: [
    {
      id: 'kyiv',
      canonical: 'Kyiv',
      type: 'place',
      variants: [
        { text: 'Kiev', kind: 'russian-form', exceptions: ['chicken Kiev', 'Kiev Rus'] },
        { text: 'Kiew', kind: 'transliteration' },
      ],
    },
    {
      id: 'kyiv-pechersk-lavra',
      canonical: 'Kyiv Pechersk Lavra',
      type: 'place',
      accepted: ['Kiev Pechersk Lavra'],
    },
    {
      id: 'volodymyr-zelensky',
      canonical: 'Volodymyr Zelensky',
      type: 'person',
      accepted: ['Zelensky'],
      variants: [
        { text: 'Vladimir Zelensky', kind: 'russian-form' },
        { text: 'Zelenski', kind: 'transliteration', suggestion: 'Zelensky' },
        { text: 'Zelenskiy', kind: 'transliteration', suggestion: 'Zelensky' },
      ],
    },
    {
      id: 'tass',
      canonical: 'TASS',
      type: 'outlet',
      variants: [{ text: 'Tass', kind: 'misspelling', case: 'sensitive' }],
    },
    {
      id: 'ukrainska-pravda',
      canonical: 'Ukrainska Pravda',
      type: 'outlet',
      variants: [{ text: 'Ukrainian Truth', kind: 'literal-translation' }],
    },
    {
      id: 'kamianske',
      canonical: 'Kamianske',
      type: 'place',
      variants: [{ text: "Kam'yanske", kind: 'transliteration' }],
    },
    {
      id: 'al-qaeda',
      canonical: 'al-Qaeda',
      type: 'organization',
      variants: [{ text: 'al-Qaida', kind: 'house-style', styles: ['ap'] }],
    },
  ],
});

const artefactVariants = GLOSSARY.concepts.flatMap((c) => (c.variants ?? []).filter((v) => v.kind !== 'house-style'));

function engineFor(yamlText: string) {
  return prh.fromYAML(path.join(os.tmpdir(), 'copydesk-prh-test.yml'), yamlText);
}

const engines = new Map<string, ReturnType<typeof engineFor>>();

/** What prh would change in a text: [start, end, replacement], sorted. */
function prhChanges(yamlText: string, text: string): [number, number, string][] {
  let engine = engines.get(yamlText);
  if (!engine) engines.set(yamlText, (engine = engineFor(yamlText)));
  const cs = engine.makeChangeSet('', text);
  return cs.diffs.map((d) => [d.index, d.tailIndex, d.newText ?? ''] as [number, number, string]).sort((a, b) => a[0] - b[0]);
}

/** What copydesk's matcher reports as artefacts, in the same shape. */
function copydeskChanges(text: string, data: GlossaryData = GLOSSARY): [number, number, string][] {
  const g = compileGlossary(data);
  const poss = (s: string) => (/s$/i.test(s) ? `${s}'` : `${s}'s`);
  return g.matcher
    .scan(text)
    .map((m) => ({ m, f: g.forms[m.form]! }))
    .filter(({ f }) => f.role === 'variant' && f.kind !== 'house-style')
    .map(({ m, f }) => {
      const s = f.suggestion ?? g.preferred[f.concept]!;
      return [m.start, m.end, m.droppedApostrophe ? poss(s) : s] as [number, number, string];
    })
    .sort((a, b) => a[0] - b[0]);
}

describe('toPrhYaml', () => {
  const yamlText = toPrhYaml(GLOSSARY);

  it('writes valid YAML in the prh layout', () => {
    const doc = parse(yamlText) as { version: number; rules: { expected: string; pattern: string }[] };
    expect(doc.version).toBe(1);
    expect(doc.rules.length).toBeGreaterThan(0);
    for (const r of doc.rules) {
      expect(typeof r.expected).toBe('string');
      expect(r.pattern).toMatch(/^\/.*\/i?$/);
    }
  });

  it('has a rule for every artefact variant, and none for house style unless asked', () => {
    const exp = toPrhRules(GLOSSARY);
    expect(exp.variants).toBe(artefactVariants.length);
    const engine = engineFor(yamlText);
    for (const v of artefactVariants) {
      const text = `It was ${v.text} again.`;
      const diffs = engine.makeChangeSet('', text).diffs;
      expect(diffs.map((d) => d.matches[0]), v.text).toContain(v.text);
    }
    expect(engine.makeChangeSet('', 'al-Qaida').diffs).toHaveLength(0);
    const withHouse = engineFor(toPrhYaml(GLOSSARY, { includeHouseStyle: true }));
    expect(withHouse.replaceByRule('', 'al-Qaida said')).toBe('al-Qaeda said');
    const ap = engineFor(toPrhYaml(GLOSSARY, { includeHouseStyle: true, houseStyle: 'ap' }));
    expect(ap.replaceByRule('', 'al-Qaeda said')).toBe('al-Qaida said');
  });

  it('writes specs that prh itself checks and accepts', () => {
    const doc = parse(yamlText) as { rules: { expected: string; specs?: { from: string; to: string }[] }[] };
    const kiev = doc.rules.find((r) => r.expected === 'Kyiv' && r.specs?.some((s) => s.from === 'Kiev'));
    expect(kiev?.specs).toContainEqual({ from: 'Kiev', to: 'Kyiv' });
    expect(kiev?.specs).toContainEqual({ from: 'chicken Kiev', to: 'chicken Kiev' });
    // prh runs every spec when it builds a rule and throws on a failure.
    const engine = engineFor(yamlText);
    for (const rule of engine.rules) expect(() => rule.check()).not.toThrow();
    // A deliberately wrong spec is caught, so the check above is not vacuous.
    const broken = yamlText.replace('to: chicken Kiev', 'to: chicken Kyiv');
    expect(broken).not.toBe(yamlText);
    expect(() => engineFor(broken)).toThrow(/spec failed/);
    // Written to a file and read back through prh's file API too.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-prh-'));
    try {
      const file = path.join(dir, 'prh.yml');
      fs.writeFileSync(file, yamlText);
      expect(prh.fromYAMLFilePath(file).rules.length).toBe(doc.rules.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches what copydesk matches, on tricky texts', () => {
    const texts = [
      'Kiev, KIEV and kiev; Kiew. Kievan Rus and Kiev Rus, chicken Kiev, Chicken  Kiev, chicken-Kiev.',
      'Kiev Rus, Kiev  Rus, Kiev\u202fRus, Kiev Russia, Kiev Rus-era.',
      'Kiev’s mayor and the Kievs council; Kyivs, Zelenskis, Zelenskiy’s, kievs (lower case).',
      'Vladimir Zelensky met Vladimir\tZelensky and Vladimir\nZelensky; Vladimir  Zelensky’s office.',
      'The Kiev Pechersk Lavra, the Kiev  Pechersk Lavra and a Kiev Pechersk monastery.',
      'Tass, TASS, tass and TASS’s Tass-like wire; Ukrainian Truth, ukrainian truth, Ukrainian Truth’s.',
      "Kam'yanske, Kam’yanske, KAM'YANSKE, Kamyanske; Zelenskiyy; xKiev; Kiev2; Kiev-based.",
      'Kiew\u00a0and Kiev\u202fRusland; Ukrainian\u00a0Truth; the Donbas near Kiev.',
    ];
    for (const t of texts) expect(prhChanges(yamlText, t), t).toEqual(copydeskChanges(t));
  });

  it('agrees on possessives that lost their apostrophe on a multi-word form ("Vladimir Zelenskys")', () => {
    for (const t of ['Vladimir Zelenskys office', 'Ukrainian Truths report', 'vladimir zelenskys office']) {
      expect(prhChanges(yamlText, t), t).toEqual(copydeskChanges(t));
    }
    expect(engineFor(yamlText).replaceByRule('', 'Vladimir Zelenskys office')).toBe("Volodymyr Zelensky's office");
  });

  it('matches what copydesk matches on the seed articles', () => {
    const dir = path.resolve(import.meta.dirname, '..', 'corpus', 'articles');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      // prh checks paragraph by paragraph; our forms never span a blank line in the seeds.
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(prhChanges(yamlText, text), f).toEqual(copydeskChanges(text));
    }
  });

  it('exports the starter glossary into rules prh loads, with the same matches on the seeds', () => {
    const starter: GlossaryData = loadGlossaryData();
    const y = toPrhYaml(starter);
    expect(toPrhRules(starter).skipped).toEqual([]);
    const dir = path.resolve(import.meta.dirname, '..', 'corpus', 'articles');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(prhChanges(y, text), f).toEqual(copydeskChanges(text, starter));
    }
  }, 30_000);

  it('escapes forms with regex syntax, quotes and non-ASCII safely', () => {
    const g = validateGlossary({
      concepts: [
        {
          id: 'odd',
          canonical: 'Odd (Correct)',
          type: 'term',
          variants: [
            { text: 'a.b (c)? [d] {e} f|g $1 h/i \\j', kind: 'misspelling' },
            { text: 'Überstraße "quoted" #hash: colon', kind: 'misspelling', suggestion: 'Über $1 street' },
          ],
        },
      ],
    });
    const y = toPrhYaml(g);
    const engine = engineFor(y);
    expect(engine.replaceByRule('', 'x a.b (c)? [d] {e} f|g $1 h/i \\j y')).toBe('x Odd (Correct) y');
    // ß has no one-character upper case: neither the matcher nor the regex folds it to SS.
    expect(engine.replaceByRule('', 'x ÜBERSTRASSE "quoted" #hash: colon y')).toBe('x ÜBERSTRASSE "quoted" #hash: colon y');
    expect(engine.replaceByRule('', 'x Überstraße "QUOTED" #hash: colon y')).toBe('x Über $1 street y');
    expect(engine.replaceByRule('', 'x ab (c)? y')).toBe('x ab (c)? y');
  });
});

describe('textlint + textlint-rule-prh with the export', () => {
  it('reports "Kiev" in a seed article', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-textlint-'));
    try {
      const rules = path.join(dir, 'prh.yml');
      fs.writeFileSync(rules, toPrhYaml(GLOSSARY));
      const rc = path.join(dir, '.textlintrc.json');
      fs.writeFileSync(rc, JSON.stringify({ rules: { prh: { rulePaths: [rules] } } }));
      const seeds = path.resolve(import.meta.dirname, '..', 'corpus', 'articles');
      const article = path.join(dir, 'article.txt');
      fs.copyFileSync(path.join(seeds, '000_e741d46e1a66ee76.txt'), article);
      const descriptor = await loadTextlintrc({
        configFilePath: rc,
        node_modulesDir: path.resolve(import.meta.dirname, '..', 'node_modules'),
      });
      const linter = createLinter({ descriptor, cwd: dir });
      const [result] = await linter.lintFiles([article]);
      const messages = result!.messages.map((m) => m.message);
      expect(messages.some((m) => m.startsWith('Kiev => Kyiv'))).toBe(true);
      expect(messages.some((m) => m.startsWith('Ukrainian Truth => Ukrainska Pravda'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
