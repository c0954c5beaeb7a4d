// The keyboard-shortcuts overlay (?): the keys the page answers to, in a modal dialog.
import { el } from './dom.ts';
import type { Dialogs } from './dialogs.ts';

export const KEYS: [string, string][] = [
  ['j', 'Next finding'],
  ['k', 'Previous finding'],
  ['a', 'Accept the focused finding (it becomes an annotation)'],
  ['d', 'Dismiss the focused finding (asks the reason)'],
  ['n', 'Annotate the selected text'],
  ['g', 'Propose a glossary entry for the focused finding or the selection'],
  ['?', 'Show this help'],
  ['Esc', 'Close a popover or this help'],
];

export function showHelp(dialogs: Dialogs): void {
  const { closeDialog, openDialog } = dialogs;
    const list = el('dl', { class: 'cd-keys' });
    for (const [k, what] of KEYS) list.append(el('dt', {}, el('kbd', { text: k })), el('dd', { text: what }));
    const close = el('button', { type: 'button', text: 'Close' });
    const box = el(
      'div',
      { class: 'cd-help', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'cd-help-title' },
      el('div', { class: 'cd-help-box' }, el('h3', { id: 'cd-help-title', text: 'Keyboard shortcuts' }), list, el('p', { class: 'hint', text: 'Keys do nothing while you type in a field.' }), close),
    );
    close.addEventListener('click', closeDialog);
    box.addEventListener('click', (e) => {
      if (e.target === box) closeDialog();
    });
    openDialog(box, null, close);
  }
