// What a glossary change means for detection: the forms whose approved data changed, and the SQL
// needles that find the articles which may contain them; stableJson compares entries by value.
import { approvedData, type GlossaryEntries } from '../core/glossary/model.ts';
import type { ConceptData, GlossaryData } from '../core/glossary/schema.ts';
import { EXTRA_LISTS } from './glossary-rules.ts';
import type { CompiledGlossary } from '../core/glossary/compile.ts';

/** JSON with object keys sorted: equal values give equal strings whatever their key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

export const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

function formsOf(c: ConceptData): string[] {
  return [c.canonical, ...(c.accepted ?? []), ...(c.variants ?? []).map((v) => v.text)];
}

/**
 * What detection may see differently between two approved glossaries: every form (canonical,
 * accepted, variant) of each concept that was added, removed or changed in any field (roles and
 * types feed detectors too), before and after; `all` when furniture, labels or notPossessive changed.
 */
export function changedForms(from: GlossaryData | CompiledGlossary, to: GlossaryData | CompiledGlossary): { forms: string[]; all: boolean } {
  const before = dataOf(from);
  const after = dataOf(to);
  const all = EXTRA_LISTS.some((k) => !sameJson(before[k] ?? [], after[k] ?? []));
  const a = new Map(before.concepts.map((c) => [c.id, c]));
  const b = new Map(after.concepts.map((c) => [c.id, c]));
  const forms = new Set<string>();
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (x && y && sameJson(x, y)) continue;
    for (const c of [x, y]) if (c) for (const f of formsOf(c)) forms.add(f);
  }
  return { forms: [...forms].sort(), all };
}

/** changedForms for two whole glossaries; concepts that are the same object (untouched by a write) are skipped. */
export function changedEntryForms(before: GlossaryEntries, after: GlossaryEntries): { forms: string[]; all: boolean } {
  const all = EXTRA_LISTS.some((k) => before[k] !== after[k] && !sameJson(before[k], after[k]));
  const a = new Map(before.concepts.map((c) => [c.id, c]));
  const b = new Map(after.concepts.map((c) => [c.id, c]));
  const x: ConceptData[] = [];
  const y: ConceptData[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const ca = a.get(id);
    const cb = b.get(id);
    if (ca === cb) continue;
    if (ca) x.push(...approvedData({ ...before, concepts: [ca] }).concepts);
    if (cb) y.push(...approvedData({ ...after, concepts: [cb] }).concepts);
  }
  return { forms: changedForms({ concepts: x }, { concepts: y }).forms, all };
}

/**
 * Needles for finding articles that may contain a form, in SQL (instr on lower(text), which folds
 * ASCII only). The matcher also folds non-ASCII case, typographic apostrophes and hyphens, and
 * spacing between words, so the needle is the longest ASCII letter-or-digit run of the form, in
 * lower case: a superset of the articles the form can match in. A form without one (all Cyrillic,
 * say) gives 'all'.
 */
export function formNeedles(forms: readonly string[]): string[] | 'all' {
  const needles = new Set<string>();
  for (const f of forms) {
    const runs = f.match(/[A-Za-z0-9]+/g) ?? [];
    const best = runs.reduce((m, r) => (r.length > m.length ? r : m), '');
    if (!best) return 'all';
    needles.add(best.toLowerCase());
  }
  return [...needles];
}

/** The data of a glossary, compiled or not. */
function dataOf(g: GlossaryData | CompiledGlossary): GlossaryData {
  return 'matcher' in g ? g.data : g;
}
