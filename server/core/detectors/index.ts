// The explicit registry of detector kinds. Each detector lives in its own file with a stable id;
// knowledge (names, phrases, labels) lives in the glossary, not here.
import type { Detector } from '../types.ts';
import { glossaryDetector } from './glossary.ts';
import { apostropheDetector } from './apostrophe.ts';
import { untranslatedDetector } from './untranslated.ts';
import { nearMissDetector } from './near-miss.ts';
import { consistencyDetector } from './consistency.ts';
import { furnitureDetector } from './furniture.ts';
import { anachronismDetector } from './anachronism.ts';

export const DETECTORS: readonly Detector[] = [
  glossaryDetector,
  apostropheDetector,
  untranslatedDetector,
  nearMissDetector,
  consistencyDetector,
  furnitureDetector,
  anachronismDetector,
];

const byId = new Map(DETECTORS.map((d) => [d.id, d]));

export function detectorById(id: string): Detector | undefined {
  return byId.get(id);
}
