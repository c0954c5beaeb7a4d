// furniture: page furniture scraped together with the article — cookie banners, share bars,
// comment forms, related-links lists, photo credits, a headline fused with the site name or
// repeated, labels above the headline, image placeholders, agency tags.
//
// The phrases are data (glossary `furniture` entries: whole lines, line openings, patterns); the
// structural rules (header zone, fused suffix, repeated headline, image markup, agency tags) are
// code. The passes, in order, each skipping the lines an earlier one flagged whole:
//   - furniture/data.ts: the glossary entries, compiled once per glossary into lookup tables
//     (furniture/tables.ts; pattern gates chosen by furniture/regex-literals.ts);
//   - furniture/line-rules.ts: image placeholders, table residue, agency tags;
//   - furniture/header.ts: the header zone — fused site names, labels above the headline,
//     repeated headlines;
// then findings nested inside another are dropped.
import type { Detector, Finding } from '../types.ts';
import { detectData } from './furniture/data.ts';
import { detectHeader } from './furniture/header.ts';
import { detectLineRules } from './furniture/line-rules.ts';
import { FURNITURE_ID, trimmedLines } from './furniture/shared.ts';
import { compileFurniture } from './furniture/tables.ts';

export { requiredLiterals } from './furniture/regex-literals.ts';
export { splitFusedSuffix } from './furniture/header.ts';
export { compileFurniture, lineKey, type FurnitureTables } from './furniture/tables.ts';

/** Drop findings that lie inside another furniture finding (a flagged line already covers them). */
function dropNested(found: Finding[]): Finding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  let coverEnd = -1;
  for (const f of found) {
    if (f.end <= coverEnd) continue;
    kept.push(f);
    coverEnd = Math.max(coverEnd, f.end);
  }
  return kept;
}

export const furnitureDetector: Detector = {
  id: FURNITURE_ID,
  description:
    'Page furniture scraped with the article: cookie banners, share bars, comment forms, related links, photo credits, a headline fused with the site name or repeated.',
  priority: 10,
  scope: 'block',
  detect(ctx) {
    const tables = ctx.glossary.cache('furniture', compileFurniture);
    const lines = ctx.lines();
    const whole = new Uint8Array(lines.length);
    const out: Finding[] = [];
    const trimmed = trimmedLines(ctx.text, lines);
    detectData(ctx, tables, trimmed, out, whole);
    detectLineRules(ctx, trimmed, out, whole);
    detectHeader(ctx, trimmed, out, whole);
    return dropNested(out);
  },
};
