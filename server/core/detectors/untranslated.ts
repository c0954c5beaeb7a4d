import type { Detector } from '../types.ts';

export const untranslatedDetector: Detector = {
  id: 'untranslated',
  description: 'TODO',
  priority: 0,
  scope: 'span',
  detect() {
    return [];
  },
};
