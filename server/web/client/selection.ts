// The selection in the text: annotate it in a dialog (n), or propose a glossary entry for it — or,
// without a selection, for the current finding (g).
import { el, errorMessage, postJson, reloadAt } from './dom.ts';
import { fail, value, type Dialogs } from './dialogs.ts';
import type { Navigator } from './navigation.ts';
import { selectionOffsets } from './offsets.ts';
import type { Page } from './page.ts';

export function selectionActions(page: Page, nav: Navigator, dialogs: Dialogs): { annotateSelection(): void; propose(): void } {
  const { text, slug, base, say } = page;
  const { requireFinding } = nav;
  const { formDialog } = dialogs;

  function annotateSelection(): void {
    const span = selectionOffsets(text);
    if (!span) {
      say('Select some words in the rewrite first, then press n.');
      return;
    }
    const sel = window.getSelection();
    const rect = sel && sel.rangeCount ? sel.getRangeAt(0).getBoundingClientRect() : null;
    const category = el('select', { name: 'category', required: '' }, el('option', { value: '', text: 'Choose a category…' }));
    const source = document.querySelector<HTMLSelectElement>('#annotate select[name=category]');
    source?.querySelectorAll('option').forEach((o) => {
      if (o.value) category.append(el('option', { value: o.value, text: o.textContent ?? o.value }));
    });
    const severity = el('select', { name: 'severity' });
    for (const s of ['minor', 'major', 'critical']) severity.append(el('option', { value: s, text: s }));
    const quote = span.text.length > 120 ? `${span.text.slice(0, 117)}…` : span.text;
    const fields: HTMLElement[] = [
      el('p', { class: 'cd-quote' }, el('q', { text: quote }), ` (${span.start}–${span.end})`),
      el('label', {}, 'Category ', category),
      el('label', {}, 'Severity ', severity),
      el('label', {}, 'Correction ', el('input', { name: 'correction', maxlength: '5000' })),
      el('label', {}, 'Comment ', el('input', { name: 'comment', maxlength: '5000' })),
    ];
    formDialog(
      'Annotate the selection',
      fields,
      'Save annotation',
      async (form, error) => {
        const { ok, data } = await postJson(`${base}/annotations`, {
          start: span.start,
          end: span.end,
          category: value(form, 'category'),
          severity: value(form, 'severity'),
          correction: value(form, 'correction'),
          comment: value(form, 'comment'),
        });
        if (!ok) return fail(error, errorMessage(data));
        reloadAt(String(data.url));
      },
      rect,
    );
  }

  function propose(): void {
    const span = selectionOffsets(text);
    if (span) {
      const q = new URLSearchParams({ article: slug, start: String(span.start), end: String(span.end), text: span.text });
      location.assign(`/glossary/propose?${q}`);
      return;
    }
    const li = requireFinding('press g (or select some words)');
    if (li?.dataset.propose) location.assign(li.dataset.propose);
  }

  return { annotateSelection, propose };
}
