// Turn an article text, its findings and its annotations into paragraphs of segments for the view.
// Segments break at every finding and annotation boundary, so nested spans (a name inside a
// furniture line, an annotation over part of a finding) all show. Offsets stay UTF-16 offsets into
// the stored text; the view writes them into data attributes, on every segment (the client script
// maps a DOM selection back to offsets with them).
import type { Finding } from '../core/types.ts';

export interface Span {
  start: number;
  end: number;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** Indexes into the findings list of the findings covering this segment, innermost last. */
  findings: number[];
  /** Indexes into the annotations list of the annotations covering this segment, innermost last. */
  annotations: number[];
  /** Findings whose span ends with this segment (their badge goes here). */
  findingsEnding: number[];
  /** Annotations whose span ends with this segment. */
  annotationsEnding: number[];
}

export interface Paragraph {
  start: number;
  end: number;
  segments: Segment[];
}

function covering(spans: readonly Span[], s: number, e: number): number[] {
  const out: number[] = [];
  spans.forEach((f, fi) => {
    if (f.start <= s && f.end >= e) out.push(fi);
  });
  // Longest first, so that the innermost (shortest) is last.
  return out.sort((a, b) => spans[b]!.end - spans[b]!.start - (spans[a]!.end - spans[a]!.start));
}

export function paragraphs(
  text: string,
  findings: readonly Pick<Finding, 'start' | 'end'>[],
  annotations: readonly Span[] = [],
): Paragraph[] {
  const out: Paragraph[] = [];
  const re = /[^\r\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const cuts = new Set<number>([start, end]);
    for (const list of [findings, annotations]) {
      list.forEach((f) => {
        if (f.end <= start || f.start >= end) return;
        cuts.add(Math.max(f.start, start));
        cuts.add(Math.min(f.end, end));
      });
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const s = points[i]!;
      const e = points[i + 1]!;
      const fs = covering(findings, s, e);
      const as = covering(annotations, s, e);
      segments.push({
        start: s,
        end: e,
        text: text.slice(s, e),
        findings: fs,
        annotations: as,
        // A span that runs past the end of its line gets its badge at the end of the line.
        findingsEnding: fs.filter((k) => Math.min(findings[k]!.end, end) === e),
        annotationsEnding: as.filter((k) => Math.min(annotations[k]!.end, end) === e),
      });
    }
    out.push({ start, end, segments });
  }
  return out;
}
