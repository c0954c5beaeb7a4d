// The article page's client script: wires the popovers, dialogs, selection and finding actions and
// keys (j/k, a, d, n, g, ?) to the page. Everything it does can also be done without it (the sidebar
// forms). Built by esbuild (server/web/client-bundle.ts).
import { createDialogs } from './dialogs.ts';
import { findingActions } from './findings.ts';
import { showHelp } from './help.ts';
import { bindKeys } from './keys.ts';
import { createNavigator } from './navigation.ts';
import { createToast, type Page } from './page.ts';
import { setupTips } from './popovers.ts';
import { selectionActions } from './selection.ts';

function init(): void {
  const text = document.getElementById('rewrite-text');
  if (!text) return;
  const slug = text.dataset.article ?? '';
  const sidebar = document.getElementById('review');
  document.querySelectorAll<HTMLElement>('.keys-hint').forEach((h) => (h.hidden = false));

  const findingItems = Array.from(document.querySelectorAll<HTMLLIElement>('#review li.finding'));
  const itemByIndex = new Map(findingItems.map((li) => [li.dataset.i ?? '', li]));
  const marks = Array.from(text.querySelectorAll<HTMLElement>('mark'));

  const page: Page = {
    text,
    slug,
    base: `/articles/${encodeURIComponent(slug)}`,
    editor: document.querySelector<HTMLElement>('.workbench')?.dataset.role !== 'reviewer',
    say: createToast(),
  };
  const nav = createNavigator(page, findingItems, marks);
  const { hideTip } = setupTips(marks, itemByIndex, (li) => nav.setCurrent(li, false));
  const dialogs = createDialogs(page, hideTip);
  const { accept, dismiss } = findingActions(page, nav, dialogs);
  const { annotateSelection, propose } = selectionActions(page, nav, dialogs);

  bindKeys(
    {
      j: () => nav.move(1),
      k: () => nav.move(-1),
      a: () => void accept(),
      d: dismiss,
      n: annotateSelection,
      g: propose,
      '?': () => showHelp(dialogs),
    },
    dialogs,
    hideTip,
  );

  // Sidebar: clicking or focusing a finding makes it the current one.
  sidebar?.addEventListener('focusin', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLLIElement>('li.finding');
    if (li) nav.setCurrent(li, false);
  });

  // Arriving at #finding-… or #annotation-…: show it.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target instanceof HTMLLIElement) {
    target.classList.add('arrived');
    if (target.classList.contains('finding')) nav.setCurrent(target, false);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
