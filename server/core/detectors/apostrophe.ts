// apostrophe: possessives and contractions that lost their apostrophe in a copy-and-paste or a
// machine translation: "Russias" for Russia's (any known name plus a bare "s"), "Russia s",
// "doesn t", "it s", and "doesn?t" where an encoding step turned the apostrophe into "?".
import type { CompiledGlossary } from '../glossary/compile.ts';
import { foldText } from '../glossary/matcher.ts';
import { WORD } from '../text.ts';
import type { Detector, Finding } from '../types.ts';
import { possessive } from './glossary.ts';

/**
 * English contractions written with a space (or "?") where the apostrophe was: the stem and the
 * clitic. Grammar, not desk knowledge, so it lives with the detector.
 */
const CONTRACTION = new RegExp(
  String.raw`\b(?:(do|does|did|is|are|was|were|has|have|had|wo|would|should|could|ca|must|need)n[ ?]t` +
    String.raw`|(it|that|there|here|what|who|he|she|let|where)[ ?]s` +
    String.raw`|(I)[ ?]m|(you|we|they)[ ?](re|ve|ll)|(I)[ ?](ve|ll))\b`,
  'giu',
);

/** A capitalised word followed by a lone "s" and then a lower-case word: "Russia s army". */
const SPACED_POSSESSIVE = /(\p{Lu}[\p{L}\p{M}]+)(?: s|\?s)(?= \p{Ll})/gu;

function notPossessiveSet(g: CompiledGlossary): Set<string> {
  return new Set((g.data.notPossessive ?? []).map((w) => foldText(w)));
}

export const apostropheDetector: Detector = {
  id: 'apostrophe',
  description: 'Possessives and contractions that lost their apostrophe ("Russias", "Russia s", "doesn t").',
  priority: 50,
  scope: 'span',
  detect(ctx) {
    const { text, glossary: g } = ctx;
    const out: Finding[] = [];
    const skip = g.cache('not-possessive', notPossessiveSet);
    for (const m of ctx.mentions()) {
      if (!m.droppedApostrophe) continue;
      const f = g.forms[m.form]!;
      if (f.role === 'variant' && f.kind !== 'house-style') continue; // the glossary finding covers it
      const word = text.slice(m.start, m.end);
      if (skip.has(foldText(word))) continue;
      const name = text.slice(m.start, m.end - 1);
      out.push(finding(m.start, m.end, word, possessive(name), g.concepts[f.concept]!.id, `"${word}" is missing its apostrophe: write "${possessive(name)}"`));
    }
    // Contractions and spaced possessives: cheap pre-checks keep the regexes off most text.
    if (text.includes(' t') || text.includes(' s') || text.includes('?') || text.includes(' m') || text.includes(' re') || text.includes(' ve') || text.includes(' ll')) {
      CONTRACTION.lastIndex = 0;
      for (let m = CONTRACTION.exec(text); m; m = CONTRACTION.exec(text)) {
        if (WORD[text.charCodeAt(m.index - 1)] === 1) continue;
        const word = m[0];
        const fixed = word.replace(/[ ?](?=\S+$)/, "'");
        out.push(finding(m.index, m.index + word.length, word, fixed, null, `Contraction without its apostrophe: write "${fixed}"`));
      }
      SPACED_POSSESSIVE.lastIndex = 0;
      for (let m = SPACED_POSSESSIVE.exec(text); m; m = SPACED_POSSESSIVE.exec(text)) {
        if (WORD[text.charCodeAt(m.index - 1)] === 1) continue;
        const word = m[0];
        const fixed = possessive(m[1]!);
        out.push(finding(m.index, m.index + word.length, word, fixed, null, `Possessive without its apostrophe: write "${fixed}"`));
      }
    }
    return out;
  },
};

function finding(start: number, end: number, text: string, suggestion: string, concept: string | null, message: string): Finding {
  return { detector: 'apostrophe', kind: 'dropped-apostrophe', severity: 'warning', start, end, text, suggestion, concept, message };
}
