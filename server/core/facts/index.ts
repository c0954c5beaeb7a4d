// The fact layer of copydesk: what each rewrite of a story states (counts, exchange formulas, dates,
// people, places, quotes) and where rewrites of the same story contradict each other. Pure: text in,
// facts and findings out.
export { extractFacts } from './extract.ts';
export { alignStory } from './align.ts';
export type { AlignedRow, ExtractOptions, Fact, FactType, StoryAlignment, StoryArticle } from './types.ts';
export { FACT_TYPES } from './types.ts';
