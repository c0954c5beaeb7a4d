// Transliteration-aware keys for near-miss names. Two spellings of one name that went through
// different languages ("Kyiv"/"Kiev", "Poroshenko"/"Poloshenko", "Luhansk"/"Lugansk") differ in
// ways raw spelling similarity cannot see. The key folds those differences away: diacritics,
// digraphs (shch, sh, zh, kh, ch, ts), Ukrainian h / Russian g, the l/r confusion of East Asian
// transliteration, y/i/j, and vowel quality (all vowels become one class, runs merge).

const DIGRAPHS: [RegExp, string][] = [
  [/shch|sch|szcz/g, 'S'],
  [/sh|sz|sch/g, 'S'],
  [/tch|tsch|ch|cz/g, 'C'],
  [/zh|zs/g, 'Z'],
  [/kh|ch/g, 'H'],
  [/ts|tz|c(?=[eiy])/g, 'C'],
  [/ph/g, 'f'],
  [/ck|q|c/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/[gh]/g, 'H'],
  [/l/g, 'r'],
  [/[jy]/g, 'i'],
];

/** The transliteration key of one word or phrase (letters only; spaces dropped). */
export function translitKey(s: string): string {
  let k = s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
  for (const [re, to] of DIGRAPHS) k = k.replace(re, to);
  k = k.replace(/[aeiou]+/g, 'a');
  // Collapse doubled letters (Zaporizhzhia -> Zaporizhia, Tallinn -> Talin).
  k = k.replace(/(.)\1+/g, '$1');
  return k;
}

/** Keys that differ from k by one deleted character (for a symmetric-delete candidate index). */
export function deletions(k: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < k.length; i++) {
    const d = k.slice(0, i) + k.slice(i + 1);
    if (out[out.length - 1] !== d) out.push(d);
  }
  return out;
}
