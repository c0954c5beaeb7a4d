// Property: whatever the text (combining marks, surrogate pairs, right-to-left scripts, CRLF),
// every finding's offsets lie inside the text and slice exactly to its text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlossary } from '../server/core/glossary/compile.ts';
import { scanText } from '../server/core/scan.ts';
import { loadGlossaryData } from '../server/glossary/files.ts';

const glossary = compileGlossary(loadGlossaryData());
const forms = glossary.forms.slice(0, 400).map((f) => f.text);

// Pieces that stress offsets: known forms, dropped-s forms, astral and combining characters, RTL, furniture.
const piece = fc.oneof(
  fc.constantFrom(...forms),
  fc.constantFrom(...forms).map((f) => f + 's'),
  fc.constantFrom(' ', '\n', '\r\n', '. ', ', ', "'s ", '’s ', ' s ', ' | ', '\n\n'),
  fc.constantFrom('e\u0301', '\u{1F600}', '𝒳', 'مرحبا بالعالم', 'שלום', 'Привет мир', '中文新闻', 'Tiranë', 'Bota', 'Leave a Reply', '![]() |', 'Photo: TASS |', '/REL'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const textArb = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

describe('finding offsets', () => {
  it('lie inside the text and slice to the finding text, for arbitrary Unicode', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        for (const f of scanText(text, glossary)) {
          expect(f.start).toBeGreaterThanOrEqual(0);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(f.start).toBeLessThan(f.end);
          expect(text.slice(f.start, f.end)).toBe(f.text);
        }
      }),
      { numRuns: 600 },
    );
  });
  it('are the same when the text is embedded after a prefix of astral characters, shifted by its length', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const prefix = '\u{1F600}\u{1F600} \n';
        const a = scanText(text, glossary).filter((f) => f.detector === 'glossary');
        const b = scanText(prefix + text, glossary).filter((f) => f.detector === 'glossary');
        expect(b.map((f) => [f.start - prefix.length, f.end - prefix.length, f.text])).toEqual(a.map((f) => [f.start, f.end, f.text]));
      }),
      { numRuns: 200 },
    );
  });
});
