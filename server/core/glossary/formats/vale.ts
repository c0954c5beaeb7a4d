// The glossary as a Vale rule, so prose linters flag the same artefacts: one
// `substitution` rule whose swap map sends each approved artefact variant to the form to write
// (the variant's suggestion, else the concept's canonical form). Export only.
//
// What goes in: approved variants of approved concepts (approvedData), except house-style
// spellings (they are correct in some styles). Proposed, rejected and deprecated entries stay out.
// How the keys are written, and the Vale behaviour this relies on (Vale 3, internal/check/
// substitution.go): keys are regular expressions for regexp2 (Vale 3's engine, RE2 syntax plus
// lookaround), joined as (key1)|(key2)|... so a key must not hold a capturing group - Vale counts
// "(" against "(?" and "\(", so a literal parenthesis is written \x28 / \x29;
//   - `ignorecase: false`: case-insensitive variants spell each letter as a class ([kK][iI][eE][vV]),
//     case-sensitive ones ("Tass", which must not match the agency's "TASS") are written as they are;
//   - `nonword: true` turns off Vale's \b (ASCII-minded, and wrong next to a final "." or "ï"); each
//     key carries its own Unicode word boundaries, (?<![\p{L}\p{M}\p{N}]) ... (?![\p{L}\p{M}\p{N}]);
//   - a space matches any run of whitespace, apostrophes and hyphens their typographic forms;
//   - exceptions ("chicken Kiev") and correct forms that contain the variant ("Kiev Pechersk Lavra"
//     accepted) become negative lookarounds, as in the prh export. So the rule needs Vale 3 or later.
// Replacements are literal: `action: replace` makes "|" separate alternatives, so a "|" in a form
// is written \|, and "$" before a digit is doubled (Vale expands $1).
// Level: Vale has one level per rule. It is the most common severity among the exported variants
// (info -> suggestion; ties go to the more severe), unless `level` is given.
import { stringify } from 'yaml';
import { severityRank, type Severity } from '../../types.ts';
import { approvedData, type GlossaryEntries } from '../model.ts';
import { DEFAULT_SEVERITY } from '../schema.ts';
import { canonicalEntries } from './common.ts';

export type ValeLevel = 'suggestion' | 'warning' | 'error';

export interface ValeOptions {
  /** Override the rule level (default: by majority, see above). */
  level?: ValeLevel;
  /** A comment for the top of the file; false for none. Default: names the glossary and the count. */
  header?: string | false;
}

const WORD = '[\\p{L}\\p{M}\\p{N}]';
const NOT_BEFORE = `(?<!${WORD})`;
const NOT_AFTER = `(?!${WORD})`;
const SPACES = /[\s\u00a0\u2009\u202f\u3000]/;
const APOSTROPHE = /['\u2018\u2019\u02bc\u2032]/;
const HYPHEN = /[-\u2010\u2011\u2012\u2013\u2212]/;
const SYNTAX = new Set('\\.+*?|[]{}^$'.split(''));
const isWordChar = (ch: string | undefined) => !!ch && /[\p{L}\p{M}\p{N}]/u.test(ch);

/** A form as a regex body (see above). `caseless` spells letters as [xX] classes. */
export function valeRegex(form: string, caseless: boolean): string {
  let out = '';
  const chars = [...form.trim()];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (SPACES.test(ch)) {
      while (i + 1 < chars.length && SPACES.test(chars[i + 1]!)) i++;
      out += '\\s+';
    } else if (APOSTROPHE.test(ch)) out += "['\\u2018\\u2019\\u02bc\\u2032]";
    else if (HYPHEN.test(ch)) out += '[\\-\\u2010\\u2011\\u2012\\u2013\\u2212]';
    else if (ch === '(') out += '\\x28';
    else if (ch === ')') out += '\\x29';
    else if (SYNTAX.has(ch)) out += `\\${ch}`;
    else if (ch.charCodeAt(0) < 0x20) out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else {
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      const alts = [...new Set([ch, lo, up])].filter((c) => [...c].length === 1);
      out += caseless && alts.length > 1 ? `[${alts.join('')}]` : ch;
    }
  }
  return out;
}

interface Context {
  before: string;
  after: string;
}

/** Word-aligned places where `needle` occurs in `hay` (both lower-cased), as before/after text. */
function containedAt(hay: string, needle: string): Context[] {
  const out: Context[] = [];
  if (!needle || hay === needle) return out;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if (isWordChar(hay[at - 1]) && isWordChar(needle[0])) continue;
    if (isWordChar(hay[end]) && isWordChar(needle[needle.length - 1])) continue;
    out.push({ before: hay.slice(0, at), after: hay.slice(end) });
  }
  return out;
}

/** The negative lookaround that keeps `body` from matching inside one context phrase. */
function guard(ctx: Context, body: string): { pre: string; post: string } {
  // valeRegex trims, so the whitespace between the context and the variant is added back here.
  const bt = ctx.before.trim();
  const at = ctx.after.trim();
  const b = bt ? (isWordChar(bt[0]) ? NOT_BEFORE : '') + valeRegex(bt, true) + (ctx.before !== ctx.before.trimEnd() ? '\\s+' : '') : '';
  const a = at ? (ctx.after !== ctx.after.trimStart() ? '\\s+' : '') + valeRegex(at, true) + (isWordChar(at[at.length - 1]) ? NOT_AFTER : '') : '';
  if (b && a) return { pre: `(?!(?<=${b})${body}${a})`, post: '' };
  if (b) return { pre: `(?<!${b})`, post: '' };
  return { pre: '', post: a ? `(?!${a})` : '' };
}

/** The swap value: literal text for `action: replace`. */
function replacement(form: string): string {
  return form.replace(/\|/g, '\\|').replace(/\$(?=\d)/g, '$$$$');
}

/** The glossary's approved artefact variants as a Vale substitution rule (YAML text). */
export function writeVale(entries: GlossaryEntries, options: ValeOptions = {}): string {
  const data = approvedData(canonicalEntries(entries));
  const correct = data.concepts.flatMap((c) => [c.canonical, ...(c.accepted ?? [])]).map((f) => f.toLowerCase().replace(/\s+/g, ' ').trim());
  const swap: Record<string, string> = {};
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const skipped: string[] = [];
  for (const c of data.concepts) {
    for (const v of c.variants ?? []) {
      if (v.kind === 'house-style') continue;
      const caseless = v.case !== 'sensitive';
      const body = valeRegex(v.text, caseless);
      const folded = v.text.toLowerCase().replace(/\s+/g, ' ').trim();
      const contexts: Context[] = [];
      for (const e of v.exceptions ?? []) {
        const fe = e.toLowerCase().replace(/\s+/g, ' ').trim();
        const at = fe.indexOf(folded);
        if (at >= 0) contexts.push({ before: fe.slice(0, at), after: fe.slice(at + folded.length) });
      }
      for (const f of correct) for (const ctx of containedAt(f, folded)) contexts.push(ctx);
      let pre = '';
      let post = '';
      const seen = new Set<string>();
      for (const ctx of contexts) {
        const k = `${ctx.before}\u0000${ctx.after}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const g = guard(ctx, body);
        pre += g.pre;
        post += g.post;
      }
      const key = `${NOT_BEFORE}${pre}${body}${post}${NOT_AFTER}`;
      if (key in swap) {
        skipped.push(`${c.id}: "${v.text}" (same pattern as another variant)`);
        continue;
      }
      swap[key] = replacement(v.suggestion ?? c.canonical);
      counts[v.severity ?? DEFAULT_SEVERITY[v.kind]]++;
    }
  }
  const majority = (Object.keys(counts) as Severity[]).sort((a, b) => counts[b] - counts[a] || severityRank(b) - severityRank(a))[0]!;
  const level: ValeLevel = options.level ?? (majority === 'info' ? 'suggestion' : majority);
  const n = Object.keys(swap).length;
  const doc = { extends: 'substitution', message: "Use '%s' instead of '%s'.", level, ignorecase: false, nonword: true, action: { name: 'replace' }, swap };
  let header = '';
  if (options.header !== false) {
    const lines = (
      options.header ??
      `Vale rule generated by copydesk from ${data.name || 'a glossary'}: ${n} substitutions (approved artefact variants).\n` +
        'Put it in a style folder (e.g. styles/Copydesk/Glossary.yml). Needs Vale 3 or later.\n' +
        `Level ${level}: the most common severity of the variants (errors ${counts.error}, warnings ${counts.warning}, info ${counts.info}).\n` +
        'Generated file: edit the glossary, not this file.'
    ).split('\n');
    for (const s of skipped) lines.push(`Left out: ${s}`);
    header = lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';
  }
  return header + stringify(doc, { lineWidth: 0 });
}
