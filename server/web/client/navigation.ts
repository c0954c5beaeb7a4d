// The current finding: moving through the open findings in reading order (j/k) and keeping the
// sidebar item and its mark in the text in step.
import type { Page } from './page.ts';

export interface Navigator {
  /** The current finding's sidebar item, if any. */
  current(): HTMLLIElement | null;
  setCurrent(li: HTMLLIElement, focus: boolean): void;
  move(step: 1 | -1): void;
  /** The mark in the text of a finding's sidebar item. */
  markOf(li: HTMLLIElement): HTMLElement | undefined;
  /** The current finding, or null after telling the reviewer to move to one first. */
  requireFinding(verb: string): HTMLLIElement | null;
}

export function createNavigator(page: Page, findingItems: HTMLLIElement[], marks: HTMLElement[]): Navigator {
  const say = page.say;
  let current: HTMLLIElement | null = null;

  function markOf(li: HTMLLIElement): HTMLElement | undefined {
    const i = li.dataset.i ?? '';
    return marks.find((m) => (m.dataset.finding ?? '').split(' ').includes(i));
  }

  function setCurrent(li: HTMLLIElement, focus: boolean): void {
    current?.classList.remove('current');
    current = li;
    li.classList.add('current');
    li.scrollIntoView({ block: 'nearest' });
    if (!focus) return;
    const m = markOf(li);
    if (m) {
      m.focus({ preventScroll: true });
      m.scrollIntoView({ block: 'center' });
    } else li.focus();
  }

  function move(step: 1 | -1): void {
    const open = findingItems.filter((li) => !li.classList.contains('decided'));
    const list = open.length ? open : findingItems;
    if (!list.length) {
      say('This article has no findings.');
      return;
    }
    const at = current ? list.indexOf(current) : -1;
    let next: number;
    if (at >= 0) next = (at + step + list.length) % list.length;
    else if (current) {
      // The current finding is not in the list (decided): the nearest one in reading order.
      const pos = findingItems.indexOf(current);
      const after = list.findIndex((li) => findingItems.indexOf(li) > pos);
      next = step === 1 ? (after < 0 ? 0 : after) : (after <= 0 ? list.length : after) - 1;
    } else next = step === 1 ? 0 : list.length - 1;
    setCurrent(list[next]!, true);
  }

  function requireFinding(verb: string): HTMLLIElement | null {
    if (current) return current;
    say(`Move to a finding first (j / k), then ${verb}.`);
    return null;
  }

  return { current: () => current, setCurrent, move, markOf, requireFinding };
}
