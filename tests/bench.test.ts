// Smoke test of the bench's generators at tiny sizes (nothing is timed): reproducible from the
// seed, valid glossaries of the exact sizes, and every injected variant found by the matcher.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { compileGlossary } from '../server/core/glossary/compile.ts';
import { validateGlossary } from '../server/core/glossary/schema.ts';
import { Rng } from '../scripts/bench/random.ts';
import { BUILTIN_GLOSSARY, buildGlossaries } from '../scripts/bench/glossaries.ts';
import { countFound, generateCorpus, splitSeeds } from '../scripts/bench/corpus.ts';
import { jsonlStream } from '../scripts/bench/external.ts';
import { formatTable } from '../scripts/bench/table.ts';

const seedsDir = path.resolve(import.meta.dirname, '..', 'corpus', 'articles');
const seedText = splitSeeds(
  fs
    .readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8')),
);

const SIZES = [40, 200, 600];

function make(seed: string) {
  const bg = buildGlossaries(BUILTIN_GLOSSARY, SIZES, seed);
  const corpus = generateCorpus({ seed, seedText, pool: bg.pool, tiers: SIZES.length, bytes: 60_000 });
  return { bg, corpus };
}

describe('bench generators', () => {
  it('the PRNG is reproducible and roughly uniform', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(new Rng('y').next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('same seed, same glossaries and corpus; another seed, another corpus', () => {
    const one = make('s1');
    const two = make('s1');
    expect(JSON.stringify(two.bg.glossaries)).toBe(JSON.stringify(one.bg.glossaries));
    expect(two.corpus.articles).toEqual(one.corpus.articles);
    expect(two.corpus.injections).toEqual(one.corpus.injections);
    const other = make('s2');
    expect(other.corpus.articles.map((a) => a.text).join('')).not.toBe(one.corpus.articles.map((a) => a.text).join(''));
  });

  it('builds nested, valid glossaries of exactly the asked sizes', () => {
    const { bg } = make('s1');
    bg.glossaries.forEach((g, i) => {
      validateGlossary(g, g.name);
      expect(g.concepts.reduce((n, c) => n + (c.variants?.length ?? 0), 0)).toBe(SIZES[i]);
    });
    // Each glossary's variants are the start of the next one's.
    const texts = bg.glossaries.map((g) => g.concepts.flatMap((c) => (c.variants ?? []).map((v) => v.text)));
    expect(texts[1]!.slice(0, texts[0]!.length)).toEqual(texts[0]);
    expect(texts[2]!.slice(0, texts[1]!.length)).toEqual(texts[1]);
    expect(bg.pool.some((v) => v.synthetic && v.tier === 0)).toBe(true);
    expect(bg.pool.some((v) => !v.synthetic)).toBe(true);
    // Synthetic names look like names: capitalised words of letters.
    for (const v of bg.pool.filter((p) => p.synthetic)) expect(v.text).toMatch(/^\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?$/u);
  });

  it('every injected variant is found by each glossary that holds it, and only there', () => {
    const { bg, corpus } = make('s1');
    expect(corpus.bytes).toBeGreaterThanOrEqual(60_000);
    const total = corpus.injectedByTier.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(50);
    expect(corpus.injectedSynthetic).toBeGreaterThan(0);
    expect(corpus.injectedByTier.every((n) => n > 0)).toBe(true);
    bg.glossaries.forEach((g, tier) => {
      const c = compileGlossary(g);
      const spans = (text: string): [number, number][] =>
        c.matcher
          .scan(text)
          .filter((m) => c.forms[m.form]!.role === 'variant')
          .map((m) => [m.start, m.end]);
      const found = countFound(corpus, tier, spans);
      const expected = corpus.injectedByTier.slice(0, tier + 1).reduce((a, b) => a + b, 0);
      expect(found.expected).toBe(expected);
      expect(found.found).toBe(expected);
    });
    // Offsets are exact: the text at each injection is a variant of the pool.
    const pool = new Set(bg.pool.map((v) => v.text.toLowerCase()));
    corpus.articles.forEach((a, i) => {
      const inj = corpus.injections[i]!;
      for (let k = 0; k < inj.length; k += 3) expect(pool.has(a.text.slice(inj[k]!, inj[k + 1]!).toLowerCase())).toBe(true);
    });
  });

  it('streams JSON Lines of the asked size', async () => {
    const { corpus } = make('s1');
    const chunks: Buffer[] = [];
    for await (const c of jsonlStream(corpus.articles, 200_000)) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(200_000);
    const lines = text.trimEnd().split('\n');
    for (const l of lines) {
      const rec = JSON.parse(l) as { id: string; text: string };
      expect(typeof rec.id).toBe('string');
      expect(typeof rec.text).toBe('string');
    }
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(lines.length);
  });

  it('formats the table', () => {
    const t = formatTable([{ stage: 'exact', glossary: '1k', mb: 50, seconds: 0.5, mbps: 100, result: 'x', goal: '≥ 80 MB/s', ok: true }]);
    expect(t).toContain('PASS');
    expect(t.split('\n')).toHaveLength(3);
  });
});
