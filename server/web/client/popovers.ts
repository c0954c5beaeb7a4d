// Hover/focus popovers on the marks in the text: what the findings and annotations at a mark say,
// taken from their sidebar items (the popover replaces the mark's native tooltip).
import { el, place } from './dom.ts';

export interface Tips {
  hideTip(): void;
}

/** Popovers on `marks`; focusing a mark calls onFocusFinding with its (last) finding's sidebar item. */
export function setupTips(marks: HTMLElement[], itemByIndex: Map<string, HTMLLIElement>, onFocusFinding: (li: HTMLLIElement) => void): Tips {
  const tip = el('div', { class: 'cd-pop', role: 'tooltip', id: 'cd-tip' });
  tip.hidden = true;
  document.body.append(tip);
  let tipFor: HTMLElement | null = null;

  const tipContent = (mark: HTMLElement): Node[] => {
    const out: Node[] = [];
    const fi = (mark.dataset.finding ?? '').split(' ').filter(Boolean).reverse();
    for (const i of fi) {
      const li = itemByIndex.get(i);
      if (!li) continue;
      const label = li.querySelector('.badge')?.textContent ?? li.dataset.kind ?? '';
      const block = el('div', { class: 'cd-pop-item' }, el('strong', { text: label }), ' ', el('span', { class: 'sev', text: li.querySelector('.sev')?.textContent ?? '' }));
      block.append(el('p', { class: 'cd-pop-msg', text: li.dataset.message ?? '' }));
      if (li.dataset.suggestion) block.append(el('p', { class: 'sugg', text: `→ ${li.dataset.suggestion}` }));
      const decision = li.querySelector('.decision')?.textContent;
      if (decision) block.append(el('p', { class: 'cd-pop-decision', text: decision.trim() }));
      out.push(block);
    }
    for (const id of (mark.dataset.annotation ?? '').split(' ').filter(Boolean)) {
      const li = document.getElementById(`annotation-${id}`);
      if (!li) continue;
      const block = el('div', { class: 'cd-pop-item anno' }, el('strong', { text: `✎ ${li.querySelector('.badge')?.textContent ?? 'Annotation'}` }), ' ', el('span', { class: 'sev', text: li.querySelector('.sev')?.textContent ?? '' }));
      const sugg = li.querySelector('.sugg')?.textContent;
      if (sugg) block.append(el('p', { class: 'sugg', text: sugg }));
      const msg = li.querySelector('.msg')?.textContent;
      if (msg) block.append(el('p', { class: 'cd-pop-msg', text: msg }));
      block.append(el('p', { class: 'cd-pop-by', text: li.querySelector('.by')?.textContent ?? '' }));
      out.push(block);
    }
    return out;
  };

  const showTip = (mark: HTMLElement) => {
    const content = tipContent(mark);
    if (!content.length) return;
    tip.replaceChildren(...content);
    tip.hidden = false;
    place(tip, mark.getBoundingClientRect());
    tipFor = mark;
    mark.setAttribute('aria-describedby', 'cd-tip');
  };
  const hideTip = () => {
    tip.hidden = true;
    tipFor?.removeAttribute('aria-describedby');
    tipFor = null;
  };

  for (const m of marks) {
    // The popover replaces the native tooltip (which would show the same thing twice).
    if (m.title) {
      m.dataset.title = m.title;
      m.removeAttribute('title');
    }
    m.addEventListener('mouseenter', () => showTip(m));
    m.addEventListener('mouseleave', () => {
      if (document.activeElement !== m) hideTip();
    });
    m.addEventListener('focus', () => {
      showTip(m);
      const fi = (m.dataset.finding ?? '').split(' ').filter(Boolean);
      const li = itemByIndex.get(fi[fi.length - 1] ?? '');
      if (li) onFocusFinding(li);
    });
    m.addEventListener('blur', hideTip);
  }

  return { hideTip };
}
