import type { Detector } from '../types.ts';

export const furnitureDetector: Detector = {
  id: 'furniture',
  description: 'TODO',
  priority: 0,
  scope: 'span',
  detect() {
    return [];
  },
};
