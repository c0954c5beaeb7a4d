// The page's keys: j/k, a, d, n, g and ? (ignored while typing in a field or inside a dialog), and
// Esc, which closes the dialog or the popover.
import type { Dialogs } from './dialogs.ts';
import { isTyping } from './dom.ts';

export function bindKeys(run: Record<string, () => void>, dialogs: Dialogs, hideTip: () => void): void {
  document.addEventListener('keydown', (e) => {
    const dialog = dialogs.open();
    if (e.key === 'Escape') {
      if (dialog) dialogs.closeDialog();
      else hideTip();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if (dialog && dialog.contains(e.target as Node)) return;
    const f = run[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  });
}
