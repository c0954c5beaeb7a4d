// DOM and fetch helpers for the article page's client script: building elements, placing popovers,
// posting JSON, and reloading the page at the change.

export interface Json {
  [k: string]: unknown;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Place `box` (absolutely positioned in the document) under the rectangle `r`, within the viewport. */
export function place(box: HTMLElement, r: DOMRect): void {
  const width = box.offsetWidth;
  const left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
  box.style.left = `${left + window.scrollX}px`;
  box.style.top = `${r.bottom + window.scrollY + 6}px`;
}

/** The session's CSRF token, from the page's <meta name="csrf-token">. */
export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

export async function postJson(url: string, body: Json): Promise<{ ok: boolean; data: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken() },
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

export function errorMessage(data: Json): string {
  const e = data.error as { message?: string } | undefined;
  return e?.message ?? 'Something went wrong.';
}

/** Go to `url` (same page, another #hash) and reload, so that the page shows the change. */
export function reloadAt(url: string): void {
  const u = new URL(url, location.href);
  if (u.pathname === location.pathname) {
    history.replaceState(null, '', u.hash || location.pathname);
    location.reload();
  } else location.assign(u.href);
}
