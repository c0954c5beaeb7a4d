// apostrophe: possessives and contractions that lost their apostrophe in a copy-and-paste or a
// machine translation: "Russias" for Russia's (any known name plus a bare "s"), "Russia s",
// "doesn t", "it s", and "doesn?t" where an encoding step turned the apostrophe into "?".
import type { CompiledGlossary } from '../glossary/compile.ts';
import { foldText } from '../glossary/matcher.ts';
import { UPPER, WORD } from '../text.ts';
import type { Detector, Finding } from '../types.ts';
import { possessive } from './glossary.ts';

/**
 * A clitic standing alone after a space (or after "?", where an encoding step ate the apostrophe):
 * the anchor of every contraction and spaced possessive. Finding these first keeps the detector
 * off the rest of the text. Which words may precede each clitic is English grammar, so it lives here.
 */
const CLITIC = /[ ?](?:t|s|m|re|ve|ll)/g;
const BEFORE_T = new Set(['don', 'doesn', 'didn', 'isn', 'aren', 'wasn', 'weren', 'hasn', 'haven', 'hadn', 'won', 'wouldn', 'shouldn', 'couldn', 'can', 'mustn', 'needn', 'ain']);
const BEFORE_S = new Set(['it', 'that', 'there', 'here', 'what', 'who', 'he', 'she', 'let', 'where']);
const BEFORE: Record<string, Set<string>> = {
  t: BEFORE_T,
  s: BEFORE_S,
  m: new Set(['i']),
  re: new Set(['you', 'we', 'they']),
  ve: new Set(['you', 'we', 'they', 'i']),
  ll: new Set(['you', 'we', 'they', 'i']),
};

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
    // Contractions and spaced possessives, found from their clitic.
    CLITIC.lastIndex = 0;
    for (let m = CLITIC.exec(text); m; m = CLITIC.exec(text)) {
      const sep = m.index;
      const end = sep + m[0].length;
      if (WORD[text.charCodeAt(end)] === 1) continue; // "the s|tart": not a lone clitic
      let ws = sep;
      while (ws > 0 && WORD[text.charCodeAt(ws - 1)] === 1) ws--;
      if (ws === sep) continue;
      const word = text.slice(ws, sep);
      const clitic = m[0].slice(1);
      const span = text.slice(ws, end);
      if (BEFORE[clitic]!.has(word.toLowerCase()) && (clitic !== 't' || word.endsWith('n') || word.endsWith('N'))) {
        const fixed = `${word}'${clitic}`;
        out.push(finding(ws, end, span, fixed, null, `Contraction without its apostrophe: write "${fixed}"`));
      } else if (clitic === 's' && word.length >= 2 && UPPER[text.charCodeAt(ws)] === 1 && (text.charCodeAt(sep) === 63 || /^ \p{Ll}/u.test(text.slice(end, end + 2)))) {
        // "Russia s army", "Russia?s army": a capitalised word, a lone s, then running text.
        const fixed = possessive(word);
        out.push(finding(ws, end, span, fixed, null, `Possessive without its apostrophe: write "${fixed}"`));
      }
    }
    return out;
  },
};

function finding(start: number, end: number, text: string, suggestion: string, concept: string | null, message: string): Finding {
  return { detector: 'apostrophe', kind: 'dropped-apostrophe', severity: 'warning', start, end, text, suggestion, concept, message };
}
