// glossary: every variant of every concept, found by the compiled matcher (exact, whole-word,
// Unicode-aware, possessive and dropped-apostrophe forms included, exceptions honoured).
import type { Detector, Finding } from '../types.ts';

export const glossaryDetector: Detector = {
  id: 'glossary',
  description: 'Known wrong or non-house forms of glossary concepts (Russian forms, literal translations, misspellings…).',
  priority: 60,
  scope: 'span',
  detect(ctx) {
    const g = ctx.glossary;
    const out: Finding[] = [];
    for (const m of ctx.mentions()) {
      const f = g.forms[m.form]!;
      if (f.role !== 'variant') continue;
      const concept = g.concepts[f.concept]!;
      const base = f.suggestion ?? g.preferred[f.concept]!;
      const suggestion = m.droppedApostrophe ? possessive(base) : base;
      const text = ctx.text.slice(m.start, m.end);
      const what = KIND_LABEL[f.kind!] ?? f.kind;
      let message = `${what}: write "${suggestion}"`;
      if (m.droppedApostrophe) message += ' (the possessive also lost its apostrophe)';
      if (f.kind === 'house-style') message = `House style prefers "${suggestion}" to "${f.text}"`;
      if (f.note) message += ` — ${f.note}`;
      else if (concept.notes && f.kind !== 'house-style') message += ` — ${firstSentence(concept.notes)}`;
      out.push({
        detector: 'glossary',
        kind: f.kind!,
        severity: f.severity!,
        start: m.start,
        end: m.end,
        text,
        suggestion,
        concept: concept.id,
        message,
      });
    }
    return out;
  },
};

const KIND_LABEL: Record<string, string> = {
  'russian-form': 'Russian-derived form',
  transliteration: 'Non-standard transliteration',
  'literal-translation': 'Literal translation of a name',
  mistranslation: 'Mistranslated term',
  misspelling: 'Misspelling',
  'house-style': 'House style',
};

export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(s);
  const one = (m ? m[1]! : s).trim();
  return one.length > 140 ? one.slice(0, 137) + '…' : one;
}
