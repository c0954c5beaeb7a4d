// Glossary data is validated at load time: every problem is reported, naming the entry and the fix.
import { describe, expect, it } from 'vitest';
import { GlossaryValidationError, validateGlossary } from '../server/core/glossary/schema.ts';

function problems(raw: unknown): string[] {
  try {
    validateGlossary(raw, 'test.yaml');
    return [];
  } catch (e) {
    if (e instanceof GlossaryValidationError) return e.problems;
    throw e;
  }
}
const kyiv = { id: 'kyiv', canonical: 'Kyiv', type: 'place', variants: [{ text: 'Kiev', kind: 'russian-form' }] };

describe('glossary validation', () => {
  it('accepts a well-formed glossary', () => expect(problems({ concepts: [kyiv] })).toEqual([]));
  it.each([
    ['no concepts list', {}, /concepts: missing/],
    ['a bad id', { concepts: [{ ...kyiv, id: 'Kyiv City' }] }, /concept "Kyiv City": id "Kyiv City" is not valid: use lowercase/],
    ['a duplicate id', { concepts: [kyiv, { ...kyiv, canonical: 'Kyiv2', variants: [] }] }, /id is used twice/],
    ['an empty canonical', { concepts: [{ ...kyiv, canonical: '' }] }, /canonical must not be empty/],
    ['an unknown type', { concepts: [{ ...kyiv, type: 'city' }] }, /type "city" is not one of person, place/],
    ['an unknown kind', { concepts: [{ ...kyiv, variants: [{ text: 'Kiev', kind: 'russian' }] }] }, /variant "Kiev": kind "russian" is not one of/],
    ['a house-style error', { concepts: [{ ...kyiv, variants: [{ text: 'Kyyiv', kind: 'house-style', severity: 'error' }] }] }, /house-style spelling is never an error/],
    ['an exception without the variant', { concepts: [{ ...kyiv, variants: [{ text: 'Kiev', kind: 'russian-form', exceptions: ['chicken Kyiv'] }] }] }, /must contain the variant text "Kiev"/],
    [
      'a variant equal to another concept’s canonical form',
      { concepts: [kyiv, { id: 'kiev-oblast', canonical: 'Kiev Oblast', type: 'place', variants: [{ text: 'KYIV', kind: 'misspelling' }] }] },
      /variant "KYIV" is also the canonical form of concept "kyiv"/,
    ],
    ['a duplicate variant', { concepts: [{ ...kyiv, variants: [{ text: 'Kiev', kind: 'russian-form' }, { text: 'kiev', kind: 'misspelling' }] }] }, /listed twice/],
    ['an unknown field (a comma-split YAML note)', { concepts: [{ ...kyiv, variants: [{ text: 'Kiev', kind: 'russian-form', note: 'old', 'check context': null }] }] }, /unknown field "check context".*quotes/],
    ['a pattern that matches everything', { concepts: [], furniture: [{ id: 'x', pattern: '.*' }] }, /matches the empty string/],
    ['a broken pattern', { concepts: [], furniture: [{ id: 'x', pattern: '(' }] }, /not a valid regular expression/],
    ['a label without its language', { concepts: [], labels: [{ text: 'Bota', meaning: 'World' }] }, /lang must be an ISO 639-3 code/],
  ])('reports %s', (_what, raw, message) => {
    const ps = problems(raw);
    expect(ps.some((p) => message.test(p)), ps.join('\n')).toBe(true);
    expect(ps.every((p) => p.startsWith('test.yaml: '))).toBe(true);
  });
  it('reports every problem at once', () => {
    expect(problems({ concepts: [{ ...kyiv, id: 'X' }, { ...kyiv, id: 'y', canonical: '' }] }).length).toBeGreaterThanOrEqual(2);
  });
  it('lets a case-sensitive variant differ from its own concept’s form only in case', () => {
    expect(problems({ concepts: [{ id: 'tass', canonical: 'TASS', type: 'outlet', variants: [{ text: 'Tass', kind: 'misspelling', case: 'sensitive' }] }] })).toEqual([]);
  });
});
