// The demo corpus against what a careful reviewer finds (../shared/corpus/seed-artefacts.json):
// every required artefact reported at warning or error with its exact count, and no correct form
// reported at warning or error.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../server/core/scan.ts';
import { loadGlossary, PROJECT_ROOT } from '../server/glossary/files.ts';
import { severityRank, type Finding } from '../server/core/types.ts';

interface Expected { text: string; count: number; kind: string; canonical: string | null; note?: string }
interface SeedArticle { file: string; required: Expected[]; stretch: Expected[]; must_not_flag: string[] }

const seedFile = path.join(PROJECT_ROOT, '..', 'shared', 'corpus', 'seed-artefacts.json');
const seeds: { articles: SeedArticle[] } = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
const glossary = loadGlossary();
const serious = (f: Finding) => severityRank(f.severity) >= 1;

function wholeWordCount(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const before = text[i - 1];
    const after = text[i + needle.length];
    const isW = (c: string | undefined) => c !== undefined && /[\p{L}\p{M}\p{N}]/u.test(c);
    if (!(isW(before) && /[\p{L}\p{N}]/u.test(needle[0]!)) && !(isW(after) && /[\p{L}\p{N}]/u.test(needle[needle.length - 1]!))) n++;
  }
  return n;
}

describe.each(seeds.articles)('seed article $file', (article) => {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'corpus', 'articles', article.file), 'utf8');
  const findings = scanText(text, glossary);
  const reported = findings.filter(serious);

  it.each(article.required)('reports "$text" ($kind) at warning or error, $count time(s)', (req) => {
    const hits = reported.filter((f) => f.text === req.text);
    const present = wholeWordCount(text, req.text);
    // A repeated headline is reported for its repeats only.
    const expected = req.kind === 'boilerplate' && req.count > 1 ? req.count - 1 : req.count;
    expect(present).toBeGreaterThanOrEqual(req.count);
    expect(hits.map((h) => `${h.detector}:${h.start}`)).toHaveLength(expected);
    if (req.canonical) {
      for (const h of hits) expect(h.suggestion ?? '').toContain(req.canonical.replace(/'s$/, ''));
    }
  });

  it.each(article.must_not_flag)('leaves "%s" alone', (ok) => {
    for (let i = text.indexOf(ok); i >= 0; i = text.indexOf(ok, i + 1)) {
      const about = reported.filter(
        (f) => f.start < i + ok.length && f.end > i && !(f.kind === 'boilerplate' && f.end - f.start >= 3 * ok.length),
      );
      expect(about, `findings touching "${ok}" at ${i}`).toEqual([]);
    }
  });

  it('reports offsets that slice to the finding text', () => {
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});
