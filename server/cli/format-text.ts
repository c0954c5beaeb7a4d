// The human format: one block per finding,
//
//   path:line:col severity kind message
//       …the excerpt of the line with the span…
//                                 ^^^^
//       → suggestion
//
// With colour the span is highlighted in the excerpt instead of underlined. Text from the inputs is
// cleaned of control characters before it reaches the terminal.
import type { Finding, Severity } from '../core/types.ts';
import { LineIndex } from '../core/text.ts';
import type { FileReport, RenderOptions, Summary } from './formats.ts';

const CONTEXT = 60;
const INDENT = '    ';

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  green: '\x1b[32m',
  span: '\x1b[1;4m',
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/**
 * Make input text safe for a terminal: tabs and line breaks become spaces, zero-width characters
 * (the BOM among them) are dropped, other control characters (escapes included) become U+FFFD.
 */
export function clean(s: string): string {
  return s
    .replace(/[\t\n\r]/g, ' ')
    .replace(/[\u200b-\u200f\ufeff]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The start and end of the line holding `offset`. */
function lineBounds(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c === 10 || c === 13) break;
    start--;
  }
  let end = offset;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  return { start, end };
}

function renderFinding(path: string, text: string, idx: LineIndex, f: Finding, color: boolean): string {
  const pos = idx.position(f.start);
  const sev = color ? `${SEVERITY_COLOR[f.severity]}${f.severity}${ANSI.reset}` : f.severity;
  const where = color ? `${ANSI.bold}${clean(path)}:${pos.line}:${pos.column}${ANSI.reset}` : `${clean(path)}:${pos.line}:${pos.column}`;
  const kind = color ? `${ANSI.dim}${f.kind}${ANSI.reset}` : f.kind;
  let out = `${where} ${sev} ${kind} ${clean(f.message)}\n`;

  // The excerpt: the finding's line, cut to some context around the span.
  const line = lineBounds(text, f.start);
  const spanEnd = Math.min(f.end, line.end);
  let from = Math.max(line.start, f.start - CONTEXT);
  let to = Math.min(line.end, spanEnd + CONTEXT);
  if (from > line.start) {
    const sp = text.indexOf(' ', from);
    if (sp !== -1 && sp < f.start) from = sp + 1;
    if (isLowSurrogate(text.charCodeAt(from))) from++;
  }
  if (to < line.end) {
    const sp = text.lastIndexOf(' ', to);
    if (sp > spanEnd) to = sp;
    if (isLowSurrogate(text.charCodeAt(to))) to++;
  }
  const pre = (from > line.start ? '…' : '') + clean(text.slice(from, f.start));
  const span = clean(text.slice(f.start, spanEnd));
  const post = clean(text.slice(spanEnd, to)) + (to < line.end || f.end > line.end ? '…' : '');
  if (color) {
    out += `${INDENT}${pre}${SEVERITY_COLOR[f.severity]}${ANSI.span}${span}${ANSI.reset}${post}\n`;
  } else {
    out += `${INDENT}${pre}${span}${post}\n`;
    out += `${INDENT}${' '.repeat(width(pre))}${'^'.repeat(Math.max(1, width(span)))}\n`;
  }
  if (f.suggestion !== null && f.suggestion !== '') {
    const sug = clean(f.suggestion);
    out += `${INDENT}→ ${color ? `${ANSI.green}${sug}${ANSI.reset}` : sug}\n`;
  }
  return out;
}

export function renderTextReport(r: FileReport, o: RenderOptions): string {
  if (!r.findings.length) return '';
  const idx = new LineIndex(r.text);
  let out = '';
  for (const f of r.findings) out += renderFinding(r.path, r.text, idx, f, o.color);
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function renderTextSummary(s: Summary, color: boolean): string {
  const secs = (s.elapsedMs / 1000).toFixed(2);
  const parts = [plural(s.bySeverity.error, 'error'), plural(s.bySeverity.warning, 'warning'), `${s.bySeverity.info} info`];
  let line = `${plural(s.files - s.unreadable, 'file')} scanned in ${secs}s: ${plural(s.findings, 'finding')} (${parts.join(', ')})`;
  if (s.unreadable) line += `; ${plural(s.unreadable, 'input')} could not be read`;
  line += '.';
  return (s.findings ? '\n' : '') + (color ? `${ANSI.bold}${line}${ANSI.reset}` : line) + '\n';
}
