// consistency: one concept spelled two ways in one article ("Zelensky" in one paragraph,
// "Zelenskyy" in the next). Artefact variants are already reported by the glossary detector;
// this one looks at the correct and house spellings, and reports the minority spelling.
import type { Detector, Finding } from '../types.ts';

export const consistencyDetector: Detector = {
  id: 'consistency',
  description: 'One concept spelled two different (acceptable) ways in the same article.',
  priority: 20,
  scope: 'span',
  detect(ctx) {
    const g = ctx.glossary;
    // concept -> spelling family -> occurrences
    const byConcept = new Map<number, Map<string, { start: number; end: number }[]>>();
    for (const m of ctx.mentions()) {
      const f = g.forms[m.form]!;
      if (f.role === 'variant' && f.kind !== 'house-style') continue;
      // Canonical and accepted forms are one family (a surname is not a different spelling of the full name).
      const family = f.role === 'variant' ? f.text : '';
      let fams = byConcept.get(f.concept);
      if (!fams) byConcept.set(f.concept, (fams = new Map()));
      const list = fams.get(family);
      if (list) list.push(m);
      else fams.set(family, [m]);
    }
    const out: Finding[] = [];
    for (const [ci, fams] of byConcept) {
      if (fams.size < 2) continue;
      const ranked = [...fams.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] === '' ? -1 : b[0] === '' ? 1 : 0));
      const [mainFamily, mainOcc] = ranked[0]!;
      const main = mainFamily || ctx.text.slice(mainOcc[0]!.start, mainOcc[0]!.end);
      for (const [, occ] of ranked.slice(1)) {
        for (const o of occ) {
          const text = ctx.text.slice(o.start, o.end);
          out.push({
            detector: 'consistency',
            kind: 'inconsistent-naming',
            severity: 'info',
            start: o.start,
            end: o.end,
            text,
            suggestion: main,
            concept: g.concepts[ci]!.id,
            message: `"${text}" here, "${main}" elsewhere in this article (${mainOcc.length}×): use one spelling`,
          });
        }
      }
    }
    return out;
  },
};
