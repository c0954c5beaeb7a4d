// Decisions on the current finding from the keyboard: accept it (a), or dismiss it with a reason,
// here only or always in this context (d).
import { el, errorMessage, postJson, reloadAt, type Json } from './dom.ts';
import { fail, value, type Dialogs } from './dialogs.ts';
import type { Navigator } from './navigation.ts';
import type { Page } from './page.ts';

export function findingActions(page: Page, nav: Navigator, dialogs: Dialogs): { accept(): Promise<void>; dismiss(): void } {
  const { base, say, editor } = page;
  const { requireFinding, markOf } = nav;
  const { formDialog } = dialogs;

  function refOf(li: HTMLLIElement): Json {
    return { detector: li.dataset.detector, start: Number(li.dataset.start), end: Number(li.dataset.end), text: li.dataset.text };
  }

  async function accept(): Promise<void> {
    const li = requireFinding('press a to accept it');
    if (!li) return;
    if (li.classList.contains('decided-accepted')) {
      say('This finding is accepted already.');
      return;
    }
    const body: Json = refOf(li);
    const { ok, data } = await postJson(`${base}/findings/accept`, body);
    if (!ok) {
      say(errorMessage(data), true);
      return;
    }
    reloadAt(String(data.url));
  }

  function dismiss(): void {
    const li = requireFinding('press d to dismiss it');
    if (!li) return;
    const fields: HTMLElement[] = [
      el('p', { class: 'cd-quote' }, el('q', { text: li.dataset.text ?? '' }), ` — ${li.querySelector('.badge')?.textContent ?? ''}`),
      el('label', {}, 'Reason ', el('input', { name: 'reason', required: '', maxlength: '1000', placeholder: 'e.g. correct in a quotation' })),
    ];
    const scope = el('fieldset', {}, el('legend', { text: 'Where' }), el('label', {}, el('input', { type: 'radio', name: 'scope', value: 'here', checked: '' }), ' Here only'));
    if (editor && li.dataset.detector === 'glossary' && li.dataset.concept) {
      scope.append(el('label', {}, el('input', { type: 'radio', name: 'scope', value: 'always' }), ' Always in this context'));
    }
    fields.push(scope);
    const m = markOf(li);
    formDialog(
      'Dismiss this finding',
      fields,
      'Dismiss',
      async (form, error) => {
        const body: Json = { ...refOf(li), reason: value(form, 'reason'), scope: value(form, 'scope') || 'here' };
        const { ok, data } = await postJson(`${base}/findings/dismiss`, body);
        if (!ok) return fail(error, errorMessage(data));
        reloadAt(String(data.url));
      },
      (m ?? li).getBoundingClientRect(),
    );
  }

  return { accept, dismiss };
}
