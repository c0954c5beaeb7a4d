// The reproducible bench corpus: articles of a few KB recombined from the demo articles'
// paragraphs, with glossary variants injected as sentences of their own at known offsets, so the
// exact pass can be checked (every injected variant must be found by every glossary that holds it).
import { foldText } from '../../server/core/glossary/matcher.ts';
import { Rng } from './random.ts';
import type { PoolVariant } from './glossaries.ts';

export interface Article {
  id: string;
  text: string;
}

export interface GeneratedArticle extends Article {
  /** Injected variants as flat triples: start, end (UTF-16 offsets), tier. */
  injections: number[];
  bytes: number;
}

export interface Corpus {
  articles: Article[];
  /** Per article, the injections as flat (start, end, tier) triples. */
  injections: Int32Array[];
  /** Injected variants per tier (index = tier). */
  injectedByTier: number[];
  /** Of those, how many came from synthetic concepts. */
  injectedSynthetic: number;
  /** UTF-8 bytes of all texts. */
  bytes: number;
}

export interface SeedText {
  titles: string[];
  paragraphs: string[];
}

/** Titles (first lines) and body paragraphs (other non-empty lines) of the seed articles. */
export function splitSeeds(texts: readonly string[]): SeedText {
  const titles: string[] = [];
  const paragraphs: string[] = [];
  for (const t of texts) {
    const lines = t
      .replace(/^\ufeff/, '')
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    if (!lines.length) continue;
    titles.push(lines[0]!);
    paragraphs.push(...lines.slice(1));
  }
  return { titles, paragraphs };
}

/** Sentences the variant is injected in. It always starts a sentence and is followed by punctuation. */
const TEMPLATES: [string, string][] = [
  ['', ', the agency said, had not been consulted.'],
  ['', ', officials said on Monday, would not comment on the exchange.'],
  ['', "'s office did not respond to a request for comment."],
  ['', '\u2019s spokesman confirmed the figures.'],
  ['', ' (as the report put it) was named in the statement.'],
  ['', '. That was the name used in the original report.'],
];

export interface CorpusOptions {
  seed: number | string;
  seedText: SeedText;
  /** Variants to inject, with their tiers. */
  pool: readonly PoolVariant[];
  /** How many tiers (bench glossaries) there are. */
  tiers: number;
  /** Roughly one injected variant per this many characters of article. Default 600. */
  injectEvery?: number;
  /** Paragraphs per article. Default 5..16. */
  minParagraphs?: number;
  maxParagraphs?: number;
  /** Prefix of article ids. Default "a". */
  idPrefix?: string;
}

/** An endless, reproducible stream of articles. */
export function* articleStream(opts: CorpusOptions): Generator<GeneratedArticle> {
  const rng = new Rng(opts.seed);
  const { titles, paragraphs } = opts.seedText;
  if (!paragraphs.length) throw new Error('the seed articles hold no paragraphs');
  const every = opts.injectEvery ?? 600;
  const minP = opts.minParagraphs ?? 5;
  const maxP = opts.maxParagraphs ?? 16;
  const byTier: PoolVariant[][] = Array.from({ length: opts.tiers }, () => []);
  for (const v of opts.pool) if (v.tier < opts.tiers) byTier[v.tier]!.push(v);
  const tiers = byTier.map((l, i) => (l.length ? i : -1)).filter((i) => i >= 0);
  // Half of the injections come from the smallest glossary, the rest spread over the larger ones.
  const pickTier = () => (tiers.length === 1 || rng.chance(0.5) ? tiers[0]! : tiers[1 + rng.int(tiers.length - 1)]!);
  for (let n = 0; ; n++) {
    const injections: number[] = [];
    let text = rng.pick(titles) + '\n\n';
    const count = rng.range(minP, maxP);
    for (let p = 0; p < count; p++) {
      let para = rng.pick(paragraphs);
      // Now and then reuse only the first sentences of a paragraph, so articles differ more.
      if (para.length > 300 && rng.chance(0.3)) {
        const cut = para.indexOf('. ', 120);
        if (cut > 0) para = para.slice(0, cut + 1);
      }
      text += para;
      let budget = para.length;
      while (tiers.length && (budget > every || rng.chance(budget / every))) {
        budget -= every;
        const v = rng.pick(byTier[pickTier()]!);
        let form = v.text;
        if (!v.sensitive && rng.chance(0.05)) {
          const up = form.toUpperCase();
          if (up.length === form.length && foldText(up) === foldText(form)) form = up;
        }
        const [pre, post] = rng.pick(TEMPLATES);
        text += ' ' + pre;
        injections.push(text.length, text.length + form.length, v.tier);
        text += form + post;
      }
      text += p === count - 1 ? '\n' : '\n\n';
    }
    yield { id: `${opts.idPrefix ?? 'a'}${String(n).padStart(6, '0')}`, text, injections, bytes: Buffer.byteLength(text, 'utf8') };
  }
}

/** Articles from the stream until `bytes` UTF-8 bytes of text are reached. */
export function generateCorpus(opts: CorpusOptions & { bytes: number }): Corpus {
  const articles: Article[] = [];
  const injections: Int32Array[] = [];
  const injectedByTier = new Array<number>(opts.tiers).fill(0);
  let injectedSynthetic = 0;
  let bytes = 0;
  const synthetic = new Set(opts.pool.filter((v) => v.synthetic).map((v) => v.text));
  for (const a of articleStream(opts)) {
    if (bytes >= opts.bytes) break;
    articles.push({ id: a.id, text: a.text });
    injections.push(Int32Array.from(a.injections));
    for (let i = 0; i < a.injections.length; i += 3) {
      injectedByTier[a.injections[i + 2]!]!++;
      const s = a.text.slice(a.injections[i]!, a.injections[i + 1]!);
      if (synthetic.has(s)) injectedSynthetic++;
    }
    bytes += a.bytes;
  }
  return { articles, injections, injectedByTier, injectedSynthetic, bytes };
}

export interface FoundCount {
  /** Injected variants the glossary holds (tier <= its tier). */
  expected: number;
  /** Of those, found by the matcher at exactly the injected span, as a variant. */
  found: number;
  /** Variant mentions elsewhere (in the seed text itself). */
  other: number;
}

/**
 * Check one glossary's matches against the injections: `scan` returns the variant mentions of a
 * text as (start, end) pairs.
 */
export function countFound(corpus: Corpus, tier: number, scan: (text: string) => [number, number][]): FoundCount {
  let expected = 0;
  let found = 0;
  let other = 0;
  corpus.articles.forEach((a, i) => {
    const inj = corpus.injections[i]!;
    const want = new Set<number>();
    const wantEnd = new Map<number, number>();
    for (let k = 0; k < inj.length; k += 3) {
      if (inj[k + 2]! > tier) continue;
      expected++;
      want.add(inj[k]!);
      wantEnd.set(inj[k]!, inj[k + 1]!);
    }
    const injectedStarts = new Set<number>();
    for (let k = 0; k < inj.length; k += 3) injectedStarts.add(inj[k]!);
    for (const [s, e] of scan(a.text)) {
      if (want.has(s) && wantEnd.get(s) === e) found++;
      else if (!injectedStarts.has(s)) other++;
    }
  });
  return { expected, found, other };
}
