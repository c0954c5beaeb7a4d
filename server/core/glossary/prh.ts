// Export a glossary as a prh rules file (the format read by prh and textlint-rule-prh), so desks that
// already run textlint get the same checks. Each rule's regular expression reproduces what the
// glossary detector matches, as far as one JavaScript regex per rule allows:
//   - whole words only, with Unicode word characters (\p{L}\p{M}\p{N}), not JavaScript's ASCII \b;
//   - case: insensitive variants get the i flag, case-sensitive ones are matched as written;
//   - a space in a form matches any run of whitespace; typographic apostrophes and hyphens match
//     their ASCII forms, as in the matcher;
//   - exceptions ("chicken Kiev"), and correct forms of any concept that contain the variant, become
//     negative lookarounds, since the matcher would match the longer correct form there instead;
//   - optionally, the dropped-apostrophe possessive ("Kievs" -> "Kyiv's") as a rule of its own.
// Known differences, which prh cannot express: prh checks each paragraph (text between blank lines)
// on its own, so a multi-word form split by a blank line is not found; overlapping matches of
// different rules are resolved by prh (same start: longer wins; otherwise the earlier wins), which
// is the matcher's leftmost-longest rule except when a correct form only partly overlaps a variant.
// Pure: no I/O. The caller writes the returned text where it wants.
import { stringify } from 'yaml';
import type { VariantKind } from '../types.ts';
import type { ConceptData, GlossaryData, VariantData } from './schema.ts';
import { foldText } from './matcher.ts';
import { WORD } from '../text.ts';

export interface PrhOptions {
  /** Export house-style variants too (default false: only artefact kinds). */
  includeHouseStyle?: boolean;
  /** The house style to apply, as in CompileOptions: its preferred variants become the expected form. */
  houseStyle?: string;
  /** Add a rule per group for the possessive that lost its apostrophe ("Kievs" -> "Kyiv's"). Default true. */
  droppedApostrophe?: boolean;
  /** Add specs (prh checks them when it loads the file). Default true. */
  specs?: boolean;
  /** A comment for the top of the file. Default: names the glossary and the counts. */
  header?: string | false;
}

export interface PrhSpec {
  from: string;
  to: string;
}

export interface PrhRule {
  expected: string;
  pattern: string;
  prh?: string;
  specs?: PrhSpec[];
}

export interface PrhExport {
  rules: PrhRule[];
  /** Variants written into some rule. */
  variants: number;
  /** Variants left out, with the reason (e.g. a form that does not start with a letter or digit never matches). */
  skipped: { concept: string; text: string; reason: string }[];
}

const W = '[\\p{L}\\p{M}\\p{N}]';
const NOT_BEFORE = `(?<!${W})`;
const NOT_AFTER = `(?!${W})`;
/** The whitespace the matcher treats as a space (isSpaceCode). */
const SPACE_RUN = '[ \\t\\n\\r\\u00a0\\u2009\\u202f\\u3000]+';
const APOSTROPHES = "['\\u2018\\u2019\\u02bc\\u2032]";
const HYPHENS = '[\\-\\u2010\\u2011\\u2012\\u2013\\u2212]';
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

const KIND_LABEL: Record<VariantKind, string> = {
  'russian-form': 'Russian-derived form',
  transliteration: 'Non-standard transliteration',
  'literal-translation': 'Literal translation of a name',
  mistranslation: 'Mistranslated term',
  misspelling: 'Misspelling',
  'house-style': 'House style',
};

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x3000;
}

/** One character as a regex atom that matches what the matcher accepts for it. */
function charAtom(ch: string, caseless: boolean): string {
  const c = ch.charCodeAt(0);
  if (c === 0x27 || c === 0x2018 || c === 0x2019 || c === 0x02bc || c === 0x2032) return APOSTROPHES;
  if (c === 0x2d || c === 0x2010 || c === 0x2011 || c === 0x2012 || c === 0x2013 || c === 0x2212) return HYPHENS;
  if (SYNTAX.has(ch)) return '\\' + ch;
  if (c < 0x20 || c === 0x2028 || c === 0x2029 || c === 0x7f) return `\\u${c.toString(16).padStart(4, '0')}`;
  if (caseless) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    const alts = [...new Set([ch, lo.length === 1 ? lo : ch, up.length === 1 ? up : ch])];
    if (alts.length > 1) return `[${alts.join('')}]`;
  }
  return ch;
}

/**
 * A form as a regex body. `caseless` expands letters into [xX] classes (for case-insensitive text
 * inside a rule without the i flag); otherwise letters are written as they are.
 */
export function formRegex(form: string, caseless = false): string {
  let out = '';
  let i = 0;
  while (i < form.length) {
    if (isSpace(form.charCodeAt(i))) {
      while (i < form.length && isSpace(form.charCodeAt(i))) i++;
      out += SPACE_RUN;
      continue;
    }
    const cp = form.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out += charAtom(ch, caseless);
    i += ch.length;
  }
  return out;
}

interface Context {
  before: string;
  after: string;
}

const isWordChar = (s: string, i: number) => i >= 0 && i < s.length && WORD[s.charCodeAt(i)] === 1;

/** The negative lookaround that keeps `body` from matching inside one context phrase. */
function contextGuard(ctx: Context, body: string, caseless: boolean): { pre: string; post: string } {
  const b = ctx.before
    ? (isWordChar(ctx.before, 0) ? NOT_BEFORE : '') + formRegex(ctx.before, caseless)
    : '';
  const a = ctx.after ? formRegex(ctx.after, caseless) + (isWordChar(ctx.after, ctx.after.length - 1) ? NOT_AFTER : '') : '';
  if (b && a) return { pre: `(?!(?<=${b})${body}${a})`, post: '' };
  if (b) return { pre: `(?<!${b})`, post: '' };
  return { pre: '', post: `(?!${a})` };
}

/** Every word-aligned occurrence of `needle` in `hay` (both folded), as before/after contexts. */
function containedAt(hay: string, needle: string): Context[] {
  const out: Context[] = [];
  if (!needle || hay === needle) return out;
  let at = hay.indexOf(needle);
  while (at >= 0) {
    const end = at + needle.length;
    const startOk = !(isWordChar(hay, at - 1) && isWordChar(needle, 0));
    const endOk = !(isWordChar(hay, end) && isWordChar(needle, needle.length - 1));
    if (startOk && endOk) out.push({ before: hay.slice(0, at), after: hay.slice(end) });
    at = hay.indexOf(needle, at + 1);
  }
  return out;
}

/** All word n-grams of a folded form, for finding which variants a correct form contains. */
function wordGrams(folded: string): string[] {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const w = isWordChar(folded, i);
    if (w && !isWordChar(folded, i - 1)) starts.push(i);
    if (w && !isWordChar(folded, i + 1)) ends.push(i + 1);
  }
  const grams: string[] = [];
  for (const s of starts) for (const e of ends) if (e > s && e - s < folded.length) grams.push(folded.slice(s, e));
  return grams;
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

interface Entry {
  v: VariantData;
  text: string;
  folded: string;
  sensitive: boolean;
  contexts: Context[];
}

/** The rules, as data. toPrhYaml() writes them out. */
export function toPrhRules(glossary: GlossaryData, options: PrhOptions = {}): PrhExport {
  const withHouse = options.includeHouseStyle ?? false;
  const dropped = options.droppedApostrophe ?? true;
  const wantSpecs = options.specs ?? true;
  const style = options.houseStyle;
  const skipped: PrhExport['skipped'] = [];

  // Per concept: the preferred form and the variants to export (with the canonical as a house-style
  // variant when the house style prefers one of its variants, as compileGlossary does).
  type Item = { concept: ConceptData; pref: string; variants: VariantData[]; correct: string[] };
  const items: Item[] = glossary.concepts.map((c) => {
    const styled = style ? c.variants?.find((v) => v.kind === 'house-style' && v.styles?.includes(style)) : undefined;
    const pref = styled ? styled.text : c.canonical;
    const variants = (c.variants ?? []).filter((v) => v !== styled);
    if (styled) variants.unshift({ text: c.canonical, kind: 'house-style' });
    const correct = [styled ? styled.text : c.canonical, ...(c.accepted ?? [])];
    return { concept: c, pref, variants, correct };
  });

  // folded variant text -> entries, to find the correct forms that contain a variant.
  const entries: Entry[][] = [];
  const byFolded = new Map<string, Entry[]>();
  for (const it of items) {
    const list: Entry[] = [];
    for (const v of it.variants) {
      if (v.kind === 'house-style' && !withHouse) continue;
      const text = v.text.replace(/\s+/g, ' ').trim();
      if (!isWordChar(text, 0)) {
        skipped.push({ concept: it.concept.id, text: v.text, reason: 'does not start with a letter or digit, so the matcher never finds it' });
        continue;
      }
      const folded = foldText(text);
      const e: Entry = { v, text, folded, sensitive: v.case === 'sensitive', contexts: [] };
      for (const ex of v.exceptions ?? []) {
        const fe = foldText(ex);
        const at = fe.indexOf(folded);
        if (at >= 0) e.contexts.push({ before: fe.slice(0, at), after: fe.slice(at + folded.length) });
      }
      list.push(e);
      const same = byFolded.get(folded);
      if (same) same.push(e);
      else byFolded.set(folded, [e]);
    }
    entries.push(list);
  }
  // Correct forms (canonical, accepted; a house-style preferred variant) that contain a variant
  // mask it: the matcher finds the longer correct form there.
  for (const it of items) {
    for (const form of it.correct) {
      const fg = foldText(form.replace(/\s+/g, ' ').trim());
      for (const gram of wordGrams(fg)) {
        for (const e of byFolded.get(gram) ?? []) {
          for (const ctx of containedAt(fg, gram)) {
            if (!e.contexts.some((x) => x.before === ctx.before && x.after === ctx.after)) e.contexts.push(ctx);
          }
        }
      }
    }
  }

  const rules: PrhRule[] = [];
  let exported = 0;
  items.forEach((it, ci) => {
    // Group by what prh needs to be shared within a rule: expected text, flags and kind.
    const groups = new Map<string, Entry[]>();
    for (const e of entries[ci]!) {
      const expected = e.v.suggestion ?? it.pref;
      const key = `${expected}\u0000${e.sensitive ? 's' : 'i'}\u0000${e.v.kind}`;
      const g = groups.get(key);
      if (g) g.push(e);
      else groups.set(key, [e]);
    }
    for (const [key, group] of groups) {
      const [expected, flag, kind] = key.split('\u0000') as [string, 's' | 'i', VariantKind];
      const sensitive = flag === 's';
      group.sort((a, b) => b.folded.length - a.folded.length);
      exported += group.length;
      const label = `${KIND_LABEL[kind]} (${it.concept.id}): write "${expected}"`;
      // droppedS: the possessive rule. It has no i flag (under /iu, \p{Lu} matches lower case too,
      // and the word must start with a capital), so case-insensitive text is spelled out as [kK].
      const alt = (e: Entry, droppedS: boolean) => {
        const body = formRegex(e.text, droppedS && !sensitive);
        let pre = '';
        let post = '';
        for (const ctx of e.contexts) {
          const g = contextGuard(ctx, body, sensitive || droppedS);
          pre += g.pre;
          post += g.post;
        }
        if (droppedS) return `${pre}(?=[\\p{Lu}\\p{Lt}])${body}${post}[sS]`;
        return `${pre}${body}${post}`;
      };
      const flags = sensitive ? '' : 'i';
      const main: PrhRule = {
        expected,
        pattern: `/${NOT_BEFORE}(?:${group.map((e) => alt(e, false)).join('|')})${NOT_AFTER}/${flags}`,
        prh: label,
      };
      if (wantSpecs) {
        main.specs = [];
        for (const e of group) {
          const masked = e.contexts.some((c) => !c.before && !c.after);
          main.specs.push({ from: e.text, to: masked ? e.text : expected });
          for (const ex of e.v.exceptions ?? []) main.specs.push({ from: ex, to: ex });
        }
        main.specs = dedupeSpecs(main.specs);
      }
      rules.push(main);
      if (dropped) {
        // The matcher reports "<form>s" for a form ending in a letter or digit, when the word starts
        // with a capital; a one-word form needs at least three characters.
        const eligible = group.filter(
          (e) => isWordChar(e.text, e.text.length - 1) && (/[^\p{L}\p{M}\p{N}]/u.test(e.text) || e.text.length >= 3),
        );
        if (eligible.length) {
          const rule: PrhRule = {
            expected: possessive(expected),
            pattern: `/${NOT_BEFORE}(?:${eligible.map((e) => alt(e, true)).join('|')})${NOT_AFTER}/`,
            prh: `${KIND_LABEL[kind]} (${it.concept.id}), possessive without its apostrophe: write "${possessive(expected)}"`,
          };
          if (wantSpecs) {
            const specs: PrhSpec[] = [];
            for (const e of eligible) {
              if (!/^[\p{Lu}\p{Lt}]/u.test(e.text)) continue;
              const masked = e.contexts.some((c) => !c.before && !c.after);
              specs.push({ from: `${e.text}s`, to: masked ? `${e.text}s` : possessive(expected) });
            }
            if (specs.length) rule.specs = dedupeSpecs(specs);
          }
          rules.push(rule);
        }
      }
    }
  });
  return { rules, variants: exported, skipped };
}

function dedupeSpecs(specs: PrhSpec[]): PrhSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const k = `${s.from}\u0000${s.to}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The glossary's variants as a prh rules file (YAML text). */
export function toPrhYaml(glossary: GlossaryData, options: PrhOptions = {}): string {
  const exp = toPrhRules(glossary, options);
  const doc = { version: 1, rules: exp.rules };
  let header = '';
  if (options.header !== false) {
    const lines = (
      options.header ??
      `prh rules generated by copydesk from ${glossary.name ?? 'a glossary'}: ${exp.rules.length} rules for ${exp.variants} variants.\n` +
        'Generated file: edit the glossary, not this file.'
    ).split('\n');
    for (const s of exp.skipped) lines.push(`Left out: ${s.concept}: "${s.text}" ${s.reason}.`);
    header = lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';
  }
  return header + stringify(doc, { lineWidth: 0 });
}
