// A small reader of regular-expression source, enough to find what a pattern cannot match
// without: a literal run ("cookie", "all rights reserved", "<img") or a short set of alternatives.
// Used only to choose a cheap pre-filter; when in doubt it finds nothing and the pattern runs as is.
// Also the other questions the compile step asks of a pattern's source: is it cheaply anchored,
// and how to combine several patterns into one regex (group renaming, escaping a literal).

/** A set of literals, one of which every match contains; null when none is known. */
export type Lits = string[] | null;

/** Index just past the group that opens at src[i] === '(' (or src.length). */
function groupEnd(src: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}

/** Split a disjunction at its top-level "|". */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, j));
      from = j + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** Reads a quantifier at src[i]; returns its minimum and the index after it. */
function quantifier(src: string, i: number): { min: number; next: number } {
  const c = src[i];
  let min = 1;
  let next = i;
  if (c === '?' || c === '*') {
    min = 0;
    next = i + 1;
  } else if (c === '+') next = i + 1;
  else if (c === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(i));
    if (m) {
      min = Number(m[1]);
      next = i + m[0].length;
    }
  }
  if (next > i && src[next] === '?') next++;
  return { min, next };
}

/** How good a gate a literal set makes: its shortest literal counts for it, each extra alternative against it; -1 for none. */
export function score(l: Lits): number {
  if (!l || !l.length) return -1;
  const shortest = Math.min(...l.map((x) => x.length));
  return shortest * 4 - (l.length - 1) * 3;
}

/** The best required literal set of a disjunction (every alternative must contribute one). */
export function requiredLiterals(src: string): Lits {
  const alts = topLevelAlternatives(src);
  if (alts.length > 1) {
    const all: string[] = [];
    for (const a of alts) {
      const l = requiredLiterals(a);
      if (!l) return null;
      all.push(...l);
    }
    return all.length <= 6 ? [...new Set(all)] : null;
  }
  let best: Lits = null;
  let run = '';
  const flush = () => {
    if (run && score([run]) > score(best)) best = [run];
    run = '';
  };
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    let atom: { lit: string | null; group: Lits; zero: boolean };
    let next: number;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      next = i + 2;
      if (/[bB]/.test(e)) atom = { lit: null, group: null, zero: true };
      else if (/[pPuxck]/.test(e)) {
        // \p{..}, \u...., \x.., \cX, \k<..>: skip the argument
        const m = /^\\(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>)/.exec(src.slice(i));
        next = i + (m ? m[0].length : 2);
        atom = { lit: null, group: null, zero: false };
      } else if (/[^A-Za-z0-9]/.test(e)) atom = { lit: e, group: null, zero: false };
      else atom = { lit: null, group: null, zero: false };
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      next = j + 1;
      atom = { lit: null, group: null, zero: false };
    } else if (c === '(') {
      next = groupEnd(src, i);
      const inner = src.slice(i + 1, next - 1);
      if (/^\?(?:=|!|<=|<!)/.test(inner)) atom = { lit: null, group: null, zero: true };
      else {
        const body = inner.replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, '');
        atom = { lit: null, group: requiredLiterals(body), zero: false };
      }
    } else if (c === '^' || c === '$') {
      next = i + 1;
      atom = { lit: null, group: null, zero: true };
    } else if (c === '.') {
      next = i + 1;
      atom = { lit: null, group: null, zero: false };
    } else {
      next = i + 1;
      // a surrogate pair is one literal character
      if (/[\uD800-\uDBFF]/.test(c) && next < src.length) next++;
      atom = { lit: src.slice(i, next), group: null, zero: false };
    }
    const q = quantifier(src, next);
    const quantified = q.next > next;
    next = q.next;
    i = next;
    if (atom.zero) continue;
    if (q.min === 0) {
      flush();
      continue;
    }
    if (atom.lit !== null) {
      run += atom.lit;
      if (quantified) flush();
      continue;
    }
    flush();
    if (atom.group && score(atom.group) > score(best)) best = atom.group;
  }
  flush();
  return best;
}

/** True when the pattern starts at the line start and then on something definite (not a scan). */
export function isCheapAnchored(src: string): boolean {
  if (!src.startsWith('^')) return false;
  if (topLevelAlternatives(src).length > 1) return false;
  // after ^: a lookaround, a negated class or "." would scan the whole line
  return !/^\^(?:\(\?(?:=|!|<=|<!)|\[\^|\.)/.test(src);
}

/** Rename named groups so several patterns can share one regex. */
export function renameGroups(src: string, suffix: string): string {
  return src
    .replace(/\(\?<([A-Za-z_$][\w$]*)>/g, (_m, n: string) => `(?<${n}${suffix}>`)
    .replace(/\\k<([A-Za-z_$][\w$]*)>/g, (_m, n: string) => `\\k<${n}${suffix}>`);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
}
