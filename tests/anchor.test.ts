// Annotations re-anchor when an article's text is revised, and are orphaned — never silently
// moved — when they cannot.
import { describe, expect, it } from 'vitest';
import { anchorOf, reanchor } from '../server/core/anchor.ts';

const v1 = 'Talks in Kiev resumed on Friday. Officials in Kiev said the exchange would continue.';
const second = v1.indexOf('Kiev', 20); // the second "Kiev"
const a = anchorOf(v1, second, second + 4);

describe('re-anchoring an annotation after a revision', () => {
  it('keeps its place when the text is unchanged', () => {
    expect(reanchor(a, v1)).toEqual({ status: 'anchored', start: second, end: second + 4, moved: false });
  });
  it('follows its quote when text is inserted before it', () => {
    const v2 = 'UPDATED: ' + v1;
    expect(reanchor(a, v2)).toEqual({ status: 'anchored', start: second + 9, end: second + 13, moved: true });
  });
  it('picks the occurrence whose context agrees, not the first one', () => {
    const v2 = v1.replace('Talks in Kiev resumed', 'Talks in Kiev, the capital, resumed');
    const r = reanchor(a, v2);
    expect(r.status).toBe('anchored');
    if (r.status === 'anchored') expect(v2.slice(r.start - 13, r.end)).toBe('Officials in Kiev');
  });
  it('is orphaned when the quoted text is gone', () => {
    const v2 = v1.replaceAll('Kiev', 'Kyiv');
    expect(reanchor(a, v2)).toMatchObject({ status: 'orphaned', reason: expect.stringContaining('no longer in the article') });
  });
  it('is orphaned when several occurrences fit equally well', () => {
    const b = anchorOf('x Kiev y', 2, 6);
    expect(reanchor(b, 'a Kiev b a Kiev b')).toMatchObject({ status: 'orphaned' });
  });
  it('rejects an empty or out-of-range span', () => {
    expect(() => anchorOf(v1, 5, 5)).toThrow(RangeError);
    expect(() => anchorOf(v1, 0, v1.length + 1)).toThrow(RangeError);
  });
  it('works in UTF-16 offsets with astral characters before the span', () => {
    const t = '😀😀 Kiev';
    const b = anchorOf(t, 5, 9);
    expect(b.exact).toBe('Kiev');
    expect(reanchor(b, '🇺🇦 ' + t)).toMatchObject({ status: 'anchored', start: 5 + 5, end: 9 + 5 });
  });
});
