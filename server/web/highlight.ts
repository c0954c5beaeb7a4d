// Turn an article text and its findings into paragraphs of segments for the view. Segments break at
// every finding boundary, so nested findings (a name inside a furniture line) both show. Offsets
// stay UTF-16 offsets into the stored text; the view writes them into data attributes.
import type { Finding } from '../core/types.ts';

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** Indexes into the findings list of the findings covering this segment, innermost last. */
  findings: number[];
}

export interface Paragraph {
  start: number;
  end: number;
  segments: Segment[];
}

export function paragraphs(text: string, findings: readonly Pick<Finding, 'start' | 'end'>[]): Paragraph[] {
  const out: Paragraph[] = [];
  const re = /[^\r\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const cuts = new Set<number>([start, end]);
    findings.forEach((f) => {
      if (f.end <= start || f.start >= end) return;
      cuts.add(Math.max(f.start, start));
      cuts.add(Math.min(f.end, end));
    });
    const points = [...cuts].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const s = points[i]!;
      const e = points[i + 1]!;
      const covering: number[] = [];
      findings.forEach((f, fi) => {
        if (f.start <= s && f.end >= e) covering.push(fi);
      });
      covering.sort((a, b) => findings[b]!.end - findings[b]!.start - (findings[a]!.end - findings[a]!.start));
      segments.push({ start: s, end: e, text: text.slice(s, e), findings: covering });
    }
    out.push({ start, end, segments });
  }
  return out;
}
