// Map a DOM selection inside the rendered article text back to UTF-16 offsets into the stored text.
// The server renders every piece of text inside an element carrying data-start/data-end (a plain
// <span> or a <mark>), whose own text node is exactly text.slice(start, end); a mark may also hold
// a visually hidden label (.tag) first, which is not part of the article and maps to the mark's start.

function segmentOf(node: Node, root: Element): HTMLElement | null {
  const el = node instanceof Element ? node : node.parentElement;
  const seg = el?.closest<HTMLElement>('[data-start]');
  return seg && root.contains(seg) && seg !== root ? seg : null;
}

function num(el: HTMLElement, key: 'start' | 'end'): number {
  return Number(el.dataset[key]);
}

/** Offset of the start of `node` (a child of a container inside the text root). */
function startOfNode(node: Node, root: Element): number | null {
  if (node instanceof HTMLElement && node.dataset.start !== undefined && node !== root) return num(node, 'start');
  if (node instanceof Element) {
    const inner = node.querySelector<HTMLElement>('[data-start]');
    if (inner) return num(inner, 'start');
  }
  const seg = segmentOf(node, root);
  if (seg) return num(seg, 'start');
  // White space between paragraphs: the next paragraph's start, or the previous one's end.
  for (let n = node.nextSibling; n; n = n.nextSibling) if (n instanceof HTMLElement && n.dataset.start !== undefined) return num(n, 'start');
  for (let n = node.previousSibling; n; n = n.previousSibling) if (n instanceof HTMLElement && n.dataset.end !== undefined) return num(n, 'end');
  return null;
}

/** Offset of the end of element `el`'s content (the end of a segment or paragraph). */
function endOfElement(el: Element, root: Element): number | null {
  if (el instanceof HTMLElement && el.dataset.end !== undefined && el !== root) return num(el, 'end');
  const all = el.querySelectorAll<HTMLElement>('[data-end]');
  if (all.length) return num(all[all.length - 1]!, 'end');
  const seg = segmentOf(el, root);
  return seg ? num(seg, 'end') : null;
}

/** The text offset of a DOM boundary point (container, offset) inside root, or null when outside. */
export function pointToOffset(root: Element, container: Node, offset: number): number | null {
  if (!root.contains(container)) return null;
  if (container.nodeType === Node.TEXT_NODE) {
    const seg = segmentOf(container, root);
    if (!seg) return startOfNode(container, root);
    if (container.parentElement?.closest('.tag')) return num(seg, 'start');
    return Math.min(num(seg, 'start') + offset, num(seg, 'end'));
  }
  const el = container as Element;
  if (offset < el.childNodes.length) return startOfNode(el.childNodes[offset]!, root);
  return endOfElement(el, root);
}

/** The selection's span as [start, end) offsets, or null when it is empty or not inside root. */
export function selectionOffsets(root: Element, sel: Selection | null = window.getSelection()): { start: number; end: number; text: string } | null {
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const start = pointToOffset(root, range.startContainer, range.startOffset);
  const end = pointToOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start, end, text: textBetween(root, start, end) };
}

/** The article text between two offsets, read back from the segments (labels left out). */
export function textBetween(root: Element, start: number, end: number): string {
  let out = '';
  let last = -1;
  root.querySelectorAll<HTMLElement>('p[data-start]').forEach((p) => {
    const ps = num(p, 'start');
    const pe = num(p, 'end');
    if (pe <= start || ps >= end) return;
    if (last >= 0) out += '\n';
    last = pe;
    p.querySelectorAll<HTMLElement>(':scope > [data-start]').forEach((seg) => {
      const s = num(seg, 'start');
      const e = num(seg, 'end');
      if (e <= start || s >= end) return;
      let own = '';
      seg.childNodes.forEach((n) => {
        if (n.nodeType === Node.TEXT_NODE) own += n.nodeValue ?? '';
      });
      out += own.slice(Math.max(0, start - s), Math.min(own.length, end - s));
    });
  });
  return out;
}
