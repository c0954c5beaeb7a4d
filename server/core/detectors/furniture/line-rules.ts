// Structural rules judged one line at a time: image placeholders and table residue left by the
// scraper's markdown, and agency or source tags fused to the end of a paragraph ("... said. /AFP/").
import type { Finding, ScanContext } from '../../types.ts';
import { finding, type TrimmedAt } from './shared.ts';

const IMAGE_LINE = /^[\s|]*(?:!\[[^\]\n]*\]\([^)\n]*\)[\s|]*)+$/u;
const IMAGE_INLINE = /!\[[^\]\n]*\]\([^)\n]*\)/gu;
const TABLE_RESIDUE = /^\s*\|[\s|:\-–—]*$|^[\s:\-–—]*\|\s*$/u;
const AGENCY_TAG = /[.!?…"”’')\]]\s?(\/[A-Z]{2,6}\/?)\s*$/u;

/** Image placeholders and table residue (marked whole), agency tags; lines already flagged whole are skipped. */
export function detectLineRules(ctx: ScanContext, trimmed: TrimmedAt, out: Finding[], whole: Uint8Array): void {
  const text = ctx.text;
  const lines = ctx.lines();
  const hasImages = text.includes('![');
  for (let i = 0; i < lines.length; i++) {
    if (whole[i]) continue;
    const { start, end } = trimmed(i);
    if (start === end) continue;
    const first = text.charCodeAt(start);
    const last = text.charCodeAt(end - 1);
    const s = text.slice(start, end);
    if (hasImages && s.includes('![')) {
      if (IMAGE_LINE.test(s)) {
        out.push(finding(text, start, end, 'Page furniture: image placeholder scraped with the article'));
        whole[i] = 1;
        continue;
      }
      IMAGE_INLINE.lastIndex = 0;
      for (let m; (m = IMAGE_INLINE.exec(s)); ) {
        out.push(finding(text, start + m.index, start + m.index + m[0].length, 'Page furniture: image placeholder scraped with the article'));
      }
    }
    if ((first === 0x7c || last === 0x7c) && TABLE_RESIDUE.test(s)) {
      out.push(finding(text, start, end, 'Page furniture: table residue scraped with the article'));
      whole[i] = 1;
      continue;
    }
    if ((last >= 65 && last <= 90) || last === 0x2f) {
      const m = AGENCY_TAG.exec(s);
      if (m) {
        const tagStart = start + m.index + m[0].indexOf(m[1]!);
        out.push(finding(text, tagStart, tagStart + m[1]!.length, 'Page furniture: agency or source tag fused to the end of the paragraph'));
      }
    }
  }
}
