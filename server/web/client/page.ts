// What the client modules share about the article page: its text, the user's role, and
// the toast that shows status messages.
import { el } from './dom.ts';

export interface Page {
  /** The rendered rewrite (#rewrite-text). */
  text: HTMLElement;
  slug: string;
  /** The article's address, "/articles/<slug>". */
  base: string;
  /** The signed-in user may dismiss findings everywhere (editor or admin). */
  editor: boolean;
  /** Show a status message (or an error) for a few seconds. */
  say(msg: string, isError?: boolean): void;
}

/** The toast (status messages), added to the page; returns the function that shows a message. */
export function createToast(): (msg: string, isError?: boolean) => void {
  const toast = el('div', { class: 'cd-toast', role: 'status', 'aria-live': 'polite' });
  document.body.append(toast);
  let toastTimer = 0;
  return (msg: string, isError = false) => {
    toast.textContent = msg;
    toast.classList.toggle('error', isError);
    toast.classList.add('shown');
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => toast.classList.remove('shown'), 6000);
  };
}
