// Dialogs (annotate, dismiss, help): one open at a time, closed with Esc or Cancel, focus returned
// to where it was; form dialogs post with their submit button disabled and show errors inline.
import { el, place } from './dom.ts';
import type { Page } from './page.ts';

export interface Dialogs {
  /** The open dialog, if any. */
  open(): HTMLElement | null;
  closeDialog(): void;
  openDialog(box: HTMLElement, at: DOMRect | null, first: HTMLElement | null): void;
  formDialog(title: string, fields: HTMLElement[], submitLabel: string, onSubmit: (form: HTMLFormElement, error: HTMLElement) => Promise<void>, at: DOMRect | null): void;
}

/** Show `message` in a form dialog's error line. */
export function fail(error: HTMLElement, message: string): void {
  error.textContent = message;
  error.hidden = false;
}

export function value(form: HTMLFormElement, name: string): string {
  const f = form.elements.namedItem(name);
  if (f instanceof RadioNodeList) return f.value;
  return f instanceof HTMLInputElement || f instanceof HTMLSelectElement || f instanceof HTMLTextAreaElement ? f.value : '';
}

export function createDialogs(page: Page, hideTip: () => void): Dialogs {
  let dialog: HTMLElement | null = null;
  let returnFocus: HTMLElement | null = null;

  function closeDialog(): void {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    returnFocus?.focus({ preventScroll: true });
    returnFocus = null;
  }

  function openDialog(box: HTMLElement, at: DOMRect | null, first: HTMLElement | null): void {
    closeDialog();
    hideTip();
    returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog = box;
    document.body.append(box);
    if (at) place(box, at);
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeDialog();
      }
    });
    first?.focus();
  }

  function formDialog(title: string, fields: HTMLElement[], submitLabel: string, onSubmit: (form: HTMLFormElement, error: HTMLElement) => Promise<void>, at: DOMRect | null): void {
    const error = el('p', { class: 'form-error', role: 'alert' });
    error.hidden = true;
    const form = el(
      'form',
      { class: 'cd-dialog-form' },
      ...fields,
      error,
      el('div', { class: 'cd-buttons' }, el('button', { type: 'submit', text: submitLabel }), el('button', { type: 'button', class: 'cancel', text: 'Cancel' })),
    );
    const titleId = `cd-dialog-title-${Date.now()}`;
    const box = el('div', { class: 'cd-dialog', role: 'dialog', 'aria-labelledby': titleId }, el('h3', { id: titleId, text: title }), form);
    form.querySelector('.cancel')!.addEventListener('click', closeDialog);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
      button.disabled = true;
      error.hidden = true;
      try {
        await onSubmit(form, error);
      } finally {
        button.disabled = false;
      }
    });
    openDialog(box, at, form.querySelector<HTMLElement>('input, select, textarea'));
  }

  return { open: () => dialog, closeDialog, openDialog, formDialog };
}
