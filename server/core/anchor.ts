// Anchoring a span of text (an annotation) so that it survives a revision of the article. A span is
// kept as a W3C TextQuoteSelector (the exact quote with some context before and after) plus a
// TextPositionSelector (half-open UTF-16 offsets). After a revision the quote is looked for again:
// at its old position first, then wherever the quote occurs, the occurrence whose context agrees
// best winning. When the quote is gone, or several occurrences fit equally well, the span is
// orphaned: it is never moved silently onto text the reviewer did not mark.

export interface TextAnchor {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export type Reanchored = { status: 'anchored'; start: number; end: number; moved: boolean } | { status: 'orphaned'; reason: string };

/** Characters of context kept on each side. */
export const CONTEXT = 32;
/** Characters of agreeing context needed to choose between several occurrences of a quote. */
const MIN_CONTEXT = 4;

export function anchorOf(text: string, start: number, end: number): TextAnchor {
  if (!(start >= 0 && end > start && end <= text.length)) {
    throw new RangeError(`A span must satisfy 0 <= start < end <= ${text.length} (got ${start}, ${end}).`);
  }
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - CONTEXT), start),
    suffix: text.slice(end, end + CONTEXT),
    start,
    end,
  };
}

/** Length of the common suffix of a and b. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Length of the common prefix of a and b. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export function reanchor(anchor: TextAnchor, text: string): Reanchored {
  const { exact, prefix, suffix, start, end } = anchor;
  if (!exact) return { status: 'orphaned', reason: 'the annotation has no quote' };
  if (text.slice(start, end) === exact) {
    // Same place, same quote: unchanged unless the context shows it is now another occurrence.
    const ctx = commonSuffix(text.slice(Math.max(0, start - CONTEXT), start), prefix) + commonPrefix(text.slice(end, end + CONTEXT), suffix);
    if (ctx >= Math.min(MIN_CONTEXT, prefix.length + suffix.length) || countOf(text, exact, 2) === 1) {
      return { status: 'anchored', start, end, moved: false };
    }
  }
  let best = -1;
  let bestScore = -1;
  let tie = false;
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
    const before = text.slice(Math.max(0, at - CONTEXT), at);
    const after = text.slice(at + exact.length, at + exact.length + CONTEXT);
    // Context agreement dominates; closeness to the old position breaks ties.
    const score = (commonSuffix(before, prefix) + commonPrefix(after, suffix)) * 1e6 - Math.min(Math.abs(at - start), 999_999);
    if (score > bestScore) {
      best = at;
      bestScore = score;
      tie = false;
    } else if (score === bestScore) tie = true;
  }
  if (best < 0) return { status: 'orphaned', reason: `the quoted text "${short(exact)}" is no longer in the article` };
  if (tie) return { status: 'orphaned', reason: `the quoted text "${short(exact)}" occurs several times and the context does not say which` };
  const contextScore = Math.floor((bestScore + 999_999) / 1e6);
  if (contextScore < Math.min(MIN_CONTEXT, prefix.length + suffix.length) && countOf(text, exact, 2) > 1) {
    return { status: 'orphaned', reason: `the text around "${short(exact)}" changed and it occurs several times` };
  }
  return { status: 'anchored', start: best, end: best + exact.length, moved: best !== start };
}

function countOf(text: string, s: string, max: number): number {
  let n = 0;
  for (let at = text.indexOf(s); at >= 0 && n < max; at = text.indexOf(s, at + 1)) n++;
  return n;
}

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}
