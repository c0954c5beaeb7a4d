// Plausible made-up names for the synthetic glossary concepts, and transliteration-like respellings
// of them (the kind of drift a name shows after passing through Russian, German, Chinese or
// Vietnamese on its way into English).
import type { Rng } from './random.ts';

const ONSETS = ['b', 'd', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'kh', 'sh', 'zh', 'ch', 'ts', 'hr', 'br', 'dr', 'kr', 'st', 'sv', 'pr', 'tr', 'y'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'y', 'ia', 'ie', 'iu', 'ai', 'oi', 'ii'];
const CODAS = ['', '', '', 'n', 'r', 'l', 'k', 'v', 'm', 's'];
const SURNAME_ENDINGS = ['enko', 'chuk', 'yuk', 'ovych', 'iak', 'sky', 'ska', 'ov', 'ova', 'in', 'ina', 'ych', 'ko', 'ets', 'iv'];
const PLACE_ENDINGS = ['ivka', 'opil', 'horod', 'iv', 'sk', 'ove', 'ne', 'ka', 'ytsia', 'ychi', 'yn', 'ansk'];
const FIRST_ENDINGS = ['o', 'a', 'ii', 'yr', 'an', 'ia', 'ana', 'ur', 'ko', 'ilo'];

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function syllables(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === n - 1 ? '' : rng.pick(CODAS));
  return s;
}

export function firstName(rng: Rng): string {
  return capitalize(syllables(rng, rng.range(1, 2)) + rng.pick(FIRST_ENDINGS));
}

export function surname(rng: Rng): string {
  return capitalize(syllables(rng, rng.range(1, 3)) + rng.pick(SURNAME_ENDINGS));
}

export function placeName(rng: Rng): string {
  return capitalize(syllables(rng, rng.range(1, 3)) + rng.pick(PLACE_ENDINGS));
}

/** Respelling rules: [what, replacement], applied to the lower-cased word at one random place. */
const RESPELL: [string, string][] = [
  ['kh', 'h'],
  ['h', 'g'],
  ['h', 'kh'],
  ['i', 'y'],
  ['y', 'i'],
  ['ii', 'iy'],
  ['yi', 'ii'],
  ['ia', 'ya'],
  ['iu', 'yu'],
  ['ie', 'ye'],
  ['ts', 'tz'],
  ['ts', 'c'],
  ['v', 'w'],
  ['v', 'ff'],
  ['sh', 'sch'],
  ['sh', 'ch'],
  ['zh', 'j'],
  ['zh', 'sch'],
  ['ch', 'tch'],
  ['ch', 'tsch'],
  ['k', 'c'],
  ['ks', 'x'],
  ['o', 'a'],
  ['e', 'ye'],
  ['u', 'ou'],
  ['l', 'r'],
  ['r', 'l'],
  ['enko', 'jenko'],
  ['sky', 'ski'],
  ['sky', 'skiy'],
  ['ska', 'skaya'],
  ['ov', 'off'],
  ['iv', 'ov'],
  ['horod', 'gorod'],
];

/** One transliteration-like respelling of a word (or null when no rule changes it). */
export function respellWord(rng: Rng, word: string, steps = 1): string | null {
  let w = word.toLowerCase();
  const orig = w;
  for (let step = 0; step < steps; step++) {
    const start = rng.int(RESPELL.length);
    for (let k = 0; k < RESPELL.length; k++) {
      const [from, to] = RESPELL[(start + k) % RESPELL.length]!;
      const places: number[] = [];
      let at = w.indexOf(from);
      while (at >= 0) {
        places.push(at);
        at = w.indexOf(from, at + 1);
      }
      if (!places.length) continue;
      const p = rng.pick(places);
      w = w.slice(0, p) + to + w.slice(p + from.length);
      break;
    }
  }
  return w === orig ? null : capitalize(w);
}
