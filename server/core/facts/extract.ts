// One article -> its facts: counts, exchange formulas, dates, people, places and quotes, each with an
// exact span, a key to align it across rewrites and a normalized value.
import { extractCounts } from './numbers.ts';
import { extractDates } from './dates.ts';
import { extractPeople, extractPlaces, extractQuotes } from './names.ts';
import { headlineSpans, sentenceSpans, spanAt } from './tokens.ts';
import { FACT_TYPES, type ExtractOptions, type Fact, type RichFact } from './types.ts';

/** All facts with the aligner's extra fields, sorted by position. */
export function extractRichFacts(text: string, opts: ExtractOptions = {}): RichFact[] {
  const sentences = sentenceSpans(text);
  const headline = headlineSpans(text, opts.title);
  const dates = extractDates(text, { sentences, headline, date: opts.date });
  const counts = extractCounts(text, { sentences, headline, exclude: dates });
  const people = extractPeople(text, headline);
  const places = extractPlaces(text, headline, people);
  const quotes = extractQuotes(text, headline, people);
  const all = [...counts, ...dates, ...people, ...places, ...quotes];
  for (const f of all) f.sentence = spanAt(sentences, f.start) ?? { start: f.start, end: f.end };
  return all.sort(
    (a, b) => a.start - b.start || FACT_TYPES.indexOf(a.type) - FACT_TYPES.indexOf(b.type) || a.end - b.end,
  );
}

/** The public shape of a fact, without the aligner's internals. */
export function publicFact(f: RichFact): Fact {
  const out: Fact = { type: f.type, start: f.start, end: f.end, text: f.text, key: f.key, value: f.value };
  if (f.type === 'count' || f.type === 'exchange') out.scope = f.scope ?? null;
  out.inHeadline = !!f.inHeadline;
  return out;
}

/**
 * The facts one article states. opts.date (ISO yyyy-mm-dd) resolves missing years and relative dates;
 * opts.title helps find the headline when page furniture comes first.
 */
export function extractFacts(text: string, opts: ExtractOptions = {}): Fact[] {
  return extractRichFacts(text, opts).map(publicFact);
}
