// Reproducible bench glossaries of a given number of variants (1k, 10k, 100k): the starter
// glossary (or a built-in handful when it does not load) plus synthetic person and place concepts
// with made-up names and transliteration-like variants. The glossaries are nested: each one is a
// prefix of the next, so a variant's tier (the smallest glossary holding it) says which
// glossaries must find it.
import type { ConceptData, GlossaryData, VariantData } from '../../server/core/glossary/schema.ts';
import { foldForm } from '../../server/core/glossary/schema.ts';
import type { VariantKind } from '../../server/core/types.ts';
import { WORD } from '../../server/core/text.ts';
import { Rng } from './random.ts';
import { firstName, placeName, respellWord, surname } from './names.ts';

/** A few real concepts, used when the starter glossary is missing or does not validate. */
export const BUILTIN_GLOSSARY: GlossaryData = {
  name: 'bench built-in',
  concepts: [
    {
      id: 'kyiv',
      canonical: 'Kyiv',
      type: 'place',
      variants: [
        { text: 'Kiev', kind: 'russian-form', exceptions: ['chicken Kiev'] },
        { text: 'Kiew', kind: 'transliteration' },
      ],
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
      id: 'andriy-yermak',
      canonical: 'Andriy Yermak',
      type: 'person',
      accepted: ['Yermak'],
      variants: [{ text: 'Andrei Yermak', kind: 'russian-form' }],
    },
    { id: 'donbas', canonical: 'Donbas', type: 'place', variants: [{ text: 'Donbass', kind: 'russian-form' }] },
    { id: 'luhansk', canonical: 'Luhansk', type: 'place', variants: [{ text: 'Lugansk', kind: 'russian-form' }] },
    {
      id: 'ukrainska-pravda',
      canonical: 'Ukrainska Pravda',
      type: 'outlet',
      variants: [{ text: 'Ukrainian Truth', kind: 'literal-translation' }],
    },
    { id: 'tass', canonical: 'TASS', type: 'outlet', variants: [{ text: 'Tass', kind: 'misspelling', case: 'sensitive' }] },
  ],
};

export interface PoolVariant {
  text: string;
  sensitive: boolean;
  /** Index of the smallest bench glossary that holds this variant. */
  tier: number;
  synthetic: boolean;
}

export interface BenchGlossaries {
  /** Variant counts, ascending. */
  sizes: number[];
  /** One glossary per size; each is a prefix of the next. */
  glossaries: GlossaryData[];
  /** Every variant of the largest glossary that the matcher can find, with its tier. */
  pool: PoolVariant[];
  /** Variants taken from the base (starter or built-in) glossary. */
  baseVariants: number;
}

function variantCount(g: GlossaryData): number {
  return g.concepts.reduce((n, c) => n + (c.variants?.length ?? 0), 0);
}

/** Synthetic concepts, one at a time, with forms that collide with nothing already in `used`. */
export function* syntheticConcepts(seed: number | string, used: Set<string>): Generator<ConceptData> {
  const rng = new Rng(seed);
  const names = rng.fork('first-names');
  const firstNames: string[] = [];
  while (firstNames.length < 400) {
    const f = firstName(names);
    if (!used.has(foldForm(f)) && !firstNames.includes(f)) firstNames.push(f);
  }
  const fresh = (s: string | null): s is string => s !== null && !used.has(foldForm(s));
  const claim = (s: string) => used.add(foldForm(s));
  const kinds: VariantKind[] = ['russian-form', 'transliteration', 'misspelling'];
  for (let n = 0; ; n++) {
    const variants: VariantData[] = [];
    const tryVariant = (text: string | null, kind: VariantKind, extra: Partial<VariantData> = {}) => {
      if (!fresh(text)) return;
      claim(text);
      const v: VariantData = { text, kind, ...extra };
      if (rng.chance(0.01)) v.case = 'sensitive';
      variants.push(v);
    };
    if (rng.chance(0.55)) {
      const first = rng.pick(firstNames);
      const sur = surname(rng);
      const canonical = `${first} ${sur}`;
      if (!fresh(canonical) || !fresh(sur)) continue;
      claim(canonical);
      claim(sur);
      if (rng.chance(0.6)) tryVariant(`${respellWord(rng, first) ?? first} ${sur}`, 'russian-form');
      const want = rng.range(1, 3);
      for (let k = 0; k < want * 3 && variants.length < want + 1; k++) {
        tryVariant(respellWord(rng, sur, rng.range(1, 2)), rng.pick(kinds), { suggestion: sur });
      }
      if (rng.chance(0.3)) tryVariant(`${first} ${respellWord(rng, sur)}`, 'misspelling');
      if (!variants.length) continue;
      yield { id: `syn-p-${n}`, canonical, type: 'person', accepted: [sur], variants };
    } else {
      const canonical = placeName(rng);
      if (!fresh(canonical)) continue;
      claim(canonical);
      const want = rng.range(2, 4);
      for (let k = 0; k < want * 3 && variants.length < want; k++) {
        const text = respellWord(rng, canonical, rng.range(1, 2));
        const extra: Partial<VariantData> = rng.chance(0.01) && text ? { exceptions: [`Old ${text}`] } : {};
        tryVariant(text, rng.pick(kinds), extra);
      }
      if (!variants.length) continue;
      yield { id: `syn-l-${n}`, canonical, type: 'place', variants };
    }
  }
}

function allForms(g: GlossaryData): string[] {
  return g.concepts.flatMap((c) => [c.canonical, ...(c.accepted ?? []), ...(c.variants ?? []).map((v) => v.text)]);
}

/** The bench glossaries: `base` first, then synthetic concepts until each size is reached. */
export function buildGlossaries(base: GlossaryData, sizes: number[], seed: number | string = 'copydesk-bench'): BenchGlossaries {
  const sorted = [...sizes].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1] ?? 0;
  const used = new Set(allForms(base).map(foldForm));
  const concepts: ConceptData[] = base.concepts.map((c) => ({ ...c }));
  let total = variantCount(base);
  const baseVariants = total;
  const synthetic = syntheticConcepts(seed, used);
  while (total < max) {
    const c = synthetic.next().value as ConceptData;
    const room = max - total;
    if (c.variants!.length > room) c.variants = c.variants!.slice(0, room);
    concepts.push(c);
    total += c.variants!.length;
  }
  // Variant k (in order) belongs to every glossary whose size is above k.
  const glossaries = sorted.map((size) => {
    const out: ConceptData[] = [];
    let k = 0;
    for (const c of concepts) {
      const vs = c.variants ?? [];
      if (!vs.length) {
        out.push(c);
        continue;
      }
      if (k >= size) break;
      const keep = vs.slice(0, size - k);
      out.push(keep.length === vs.length ? c : { ...c, variants: keep });
      k += vs.length;
    }
    return { ...base, name: `bench ${size} variants`, concepts: out };
  });
  const pool: PoolVariant[] = [];
  let k = 0;
  for (const c of concepts) {
    for (const v of c.variants ?? []) {
      const tier = sorted.findIndex((s) => k < s);
      k++;
      if (tier < 0 || !v.text || WORD[v.text.charCodeAt(0)] !== 1) continue;
      pool.push({ text: v.text.replace(/\s+/g, ' ').trim(), sensitive: v.case === 'sensitive', tier, synthetic: c.id.startsWith('syn-') });
    }
  }
  return { sizes: sorted, glossaries, pool, baseVariants };
}
