// Checking what a reviewer sends (name, category, severity, notes, numbers) in plain words, and
// finding spans in an article's text: a quote's occurrences, a glossary exception's context.
import { MQM_CATEGORIES, MQM_SEVERITIES, isMqmCategory, isMqmSeverity, type MqmCategory, type MqmSeverity } from '../core/annotations.ts';
import { foldText } from '../core/glossary/matcher.ts';
import { AnnotationError, MAX_NOTE_LENGTH, MAX_REVIEWER_LENGTH } from './annotations-model.ts';

export function checkReviewer(name: unknown): string {
  const s = typeof name === 'string' ? name.trim() : '';
  if (!s) {
    throw new AnnotationError(422, 'REVIEWER_REQUIRED', 'Sign in first: annotations and decisions are recorded under your user name.');
  }
  if (s.length > MAX_REVIEWER_LENGTH) throw new AnnotationError(422, 'REVIEWER_INVALID', `A user name can be at most ${MAX_REVIEWER_LENGTH} characters long.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new AnnotationError(422, 'REVIEWER_INVALID', 'A user name cannot contain control characters.');
  return s;
}

export function checkCategory(c: unknown): MqmCategory {
  if (isMqmCategory(c)) return c;
  const given = typeof c === 'string' && c ? `"${c}" is not an error category` : 'Choose an error category';
  throw new AnnotationError(422, 'CATEGORY_INVALID', `${given}. Pick one of: ${MQM_CATEGORIES.map((x) => x.label).join('; ')}.`);
}

export function checkSeverity(s: unknown): MqmSeverity {
  if (isMqmSeverity(s)) return s;
  const given = typeof s === 'string' && s ? `"${s}" is not a severity` : 'Choose a severity';
  throw new AnnotationError(422, 'SEVERITY_INVALID', `${given}. Pick one of: ${MQM_SEVERITIES.join(', ')}.`);
}

export function checkNote(v: unknown, what: 'correction' | 'comment'): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new AnnotationError(422, 'NOTE_INVALID', `The ${what} must be text.`);
  if (v.length > MAX_NOTE_LENGTH) {
    throw new AnnotationError(422, 'NOTE_TOO_LONG', `The ${what} is ${v.length.toLocaleString('en')} characters long; it can be at most 5,000.`);
  }
  return v.trim() ? v : null;
}

/** Whole number from a form or JSON value, or undefined when empty. */
export function intOrUndefined(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new AnnotationError(422, 'NUMBER_INVALID', `The ${what} must be a whole number (got "${String(v)}").`);
  return n;
}

/**
 * Where `quote` occurs in `text`, any run of white space in the quote matching any run in the text.
 * Returns the spans of all occurrences, in order.
 */
export function occurrencesOf(text: string, quote: string): { start: number; end: number }[] {
  const q = quote.trim();
  if (!q) return [];
  const pattern = q
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  const re = new RegExp(pattern, 'g');
  const out: { start: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length });
    re.lastIndex = m.index + 1;
  }
  return out;
}

/**
 * A few words of context around text[start, end) on its line: the phrase a glossary exception
 * needs. The words before are dropped when they contain the variant themselves (the exception is
 * split at the first occurrence of the variant).
 */
export function exceptionPhrase(text: string, start: number, end: number, variant: string, words = 2): string {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const nl = text.slice(end).search(/[\r\n]/);
  const lineEnd = nl < 0 ? text.length : end + nl;
  const fv = foldText(variant);
  let before = '';
  for (let n = words; n > 0; n--) {
    const m = new RegExp(`(?:\\S+\\s+){1,${n}}$`).exec(text.slice(lineStart, start));
    if (m && !foldText(m[0]).includes(fv)) {
      before = m[0];
      break;
    }
  }
  const after = new RegExp(`^(?:\\s+\\S+){0,${words}}`).exec(text.slice(end, lineEnd))?.[0] ?? '';
  return (before + text.slice(start, end) + after).replace(/\s+/g, ' ').trim();
}
