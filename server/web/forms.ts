// Small helpers shared by the form-handling routes: reading query and form values in one way.

/** A single string from a query or form value (the last one when repeated). */
export function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[v.length - 1]);
  return typeof v === 'string' ? v : '';
}

/** A string or number from a form or JSON body as text; anything else (repeated values too) is ''. */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** The value when it is one of `list` (the last one when repeated), else undefined. */
export function oneOf<T extends string>(list: readonly T[], v: unknown): T | undefined {
  const s = str(v);
  return (list as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** A whole number from 0, or null when absent or not one. */
export function wholeNumber(v: unknown): number | null {
  const s = str(v).trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

/** Textarea text: CRLF folded to LF, trimmed. */
export function textBlock(v: unknown): string {
  return str(v).replace(/\r\n?/g, '\n').trim();
}
