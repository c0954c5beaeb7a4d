// The article page's client script: selection -> offsets, a popover to annotate the selection,
// popovers on findings and annotations, and keys (j/k, a, d, n, g, ?). Everything it does can also
// be done without it (the sidebar forms). Built by esbuild (server/web/client-bundle.ts).
import { selectionOffsets } from './offsets.ts';

interface Json {
  [k: string]: unknown;
}

const KEYS: [string, string][] = [
  ['j', 'Next finding'],
  ['k', 'Previous finding'],
  ['a', 'Accept the focused finding (it becomes an annotation)'],
  ['d', 'Dismiss the focused finding (asks the reason)'],
  ['n', 'Annotate the selected text'],
  ['g', 'Propose a glossary entry for the focused finding or the selection'],
  ['?', 'Show this help'],
  ['Esc', 'Close a popover or this help'],
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Place `box` (absolutely positioned in the document) under the rectangle `r`, within the viewport. */
function place(box: HTMLElement, r: DOMRect): void {
  const width = box.offsetWidth;
  const left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
  box.style.left = `${left + window.scrollX}px`;
  box.style.top = `${r.bottom + window.scrollY + 6}px`;
}

async function postJson(url: string, body: Json): Promise<{ ok: boolean; data: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  let data: Json = {};
  try {
    data = (await res.json()) as Json;
  } catch {
    data = { error: { message: `The server answered ${res.status}.` } };
  }
  return { ok: res.ok, data };
}

function errorMessage(data: Json): string {
  const e = data.error as { message?: string } | undefined;
  return e?.message ?? 'Something went wrong.';
}

/** Go to `url` (same page, another #hash) and reload, so that the page shows the change. */
function reloadAt(url: string): void {
  const u = new URL(url, location.href);
  if (u.pathname === location.pathname) {
    history.replaceState(null, '', u.hash || location.pathname);
    location.reload();
  } else location.assign(u.href);
}

function init(): void {
  const text = document.getElementById('rewrite-text');
  if (!text) return;
  const slug = text.dataset.article ?? '';
  const base = `/articles/${encodeURIComponent(slug)}`;
  const sidebar = document.getElementById('review');
  const nameInput = document.getElementById('reviewer-name') as HTMLInputElement | null;
  const reviewer = (): string => nameInput?.value.trim() ?? '';
  document.querySelectorAll<HTMLElement>('.keys-hint').forEach((h) => (h.hidden = false));

  const findingItems = Array.from(document.querySelectorAll<HTMLLIElement>('#review li.finding'));
  const itemByIndex = new Map(findingItems.map((li) => [li.dataset.i ?? '', li]));
  const marks = Array.from(text.querySelectorAll<HTMLElement>('mark'));
  let current: HTMLLIElement | null = null;

  // ------------------------------------------------------------------ toast (status messages)
  const toast = el('div', { class: 'cd-toast', role: 'status', 'aria-live': 'polite' });
  document.body.append(toast);
  let toastTimer = 0;
  const say = (msg: string, isError = false) => {
    toast.textContent = msg;
    toast.classList.toggle('error', isError);
    toast.classList.add('shown');
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => toast.classList.remove('shown'), 6000);
  };

  // ------------------------------------------------------------------ hover/focus popovers on marks
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
      if (li) setCurrent(li, false);
    });
    m.addEventListener('blur', hideTip);
  }

  // ------------------------------------------------------------------ current finding (j/k)
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

  // ------------------------------------------------------------------ dialogs (annotate, dismiss, help)
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

  function nameField(): HTMLElement | null {
    if (reviewer()) return null;
    return el('label', {}, 'Your name ', el('input', { name: 'reviewer', required: '', maxlength: '80', autocomplete: 'name' }));
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

  function fail(error: HTMLElement, message: string): void {
    error.textContent = message;
    error.hidden = false;
  }

  function value(form: HTMLFormElement, name: string): string {
    const f = form.elements.namedItem(name);
    if (f instanceof RadioNodeList) return f.value;
    return f instanceof HTMLInputElement || f instanceof HTMLSelectElement || f instanceof HTMLTextAreaElement ? f.value : '';
  }

  function rememberName(form: HTMLFormElement): void {
    const given = value(form, 'reviewer').trim();
    if (given && nameInput) nameInput.value = given;
  }

  function annotateSelection(): void {
    const span = selectionOffsets(text!);
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
    const who = nameField();
    if (who) fields.push(who);
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
          ...(value(form, 'reviewer') ? { reviewer: value(form, 'reviewer') } : {}),
        });
        if (!ok) return fail(error, errorMessage(data));
        rememberName(form);
        reloadAt(String(data.url));
      },
      rect,
    );
  }

  function requireFinding(verb: string): HTMLLIElement | null {
    if (current) return current;
    say(`Move to a finding first (j / k), then ${verb}.`);
    return null;
  }

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
    if (reviewer()) body.reviewer = reviewer();
    const { ok, data } = await postJson(`${base}/findings/accept`, body);
    if (!ok) {
      say(errorMessage(data), true);
      if (!reviewer()) nameInput?.focus();
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
    if (li.dataset.detector === 'glossary' && li.dataset.concept) {
      scope.append(el('label', {}, el('input', { type: 'radio', name: 'scope', value: 'always' }), ' Always in this context'));
    }
    fields.push(scope);
    const who = nameField();
    if (who) fields.push(who);
    const m = markOf(li);
    formDialog(
      'Dismiss this finding',
      fields,
      'Dismiss',
      async (form, error) => {
        const body: Json = { ...refOf(li), reason: value(form, 'reason'), scope: value(form, 'scope') || 'here' };
        const name = value(form, 'reviewer') || reviewer();
        if (name) body.reviewer = name;
        const { ok, data } = await postJson(`${base}/findings/dismiss`, body);
        if (!ok) return fail(error, errorMessage(data));
        rememberName(form);
        reloadAt(String(data.url));
      },
      (m ?? li).getBoundingClientRect(),
    );
  }

  function propose(): void {
    const span = selectionOffsets(text!);
    if (span) {
      const q = new URLSearchParams({ article: slug, start: String(span.start), end: String(span.end), text: span.text });
      location.assign(`/glossary/propose?${q}`);
      return;
    }
    const li = requireFinding('press g (or select some words)');
    if (li?.dataset.propose) location.assign(li.dataset.propose);
  }

  function help(): void {
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

  // ------------------------------------------------------------------ keys
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      if (dialog) closeDialog();
      else hideTip();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if (dialog && dialog.contains(e.target as Node)) return;
    const run: Record<string, () => void> = {
      j: () => move(1),
      k: () => move(-1),
      a: () => void accept(),
      d: dismiss,
      n: annotateSelection,
      g: propose,
      '?': help,
    };
    const f = run[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  });

  // Sidebar: clicking or focusing a finding makes it the current one.
  sidebar?.addEventListener('focusin', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLLIElement>('li.finding');
    if (li) setCurrent(li, false);
  });

  // Arriving at #finding-… or #annotation-…: show it.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target instanceof HTMLLIElement) {
    target.classList.add('arrived');
    if (target.classList.contains('finding')) setCurrent(target, false);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
