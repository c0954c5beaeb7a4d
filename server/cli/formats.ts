// Output formats of copydesk-scan. Each file's entry is rendered to a string where the file was
// scanned (in a worker when --jobs > 1), so the main thread only writes strings in input order:
// header, entries joined by the format's separator, footer. Every format streams.
import type { Finding, Severity } from '../core/types.ts';
import { LineIndex } from '../core/text.ts';
import type { Format } from './args.ts';
import type { InputError } from './inputs.ts';
import { renderTextReport, renderTextSummary } from './format-text.ts';
import { renderSarifFooter, renderSarifHeader, renderSarifReport } from './format-sarif.ts';

export interface RenderOptions {
  format: Format;
  /** ANSI colour in the text format. */
  color: boolean;
  /** Detector ids in rule order (SARIF ruleIndex). */
  ruleIds: readonly string[];
}

/** One scanned text. Offsets of the findings are into `text`. */
export interface FileReport {
  path: string;
  language: string | null;
  text: string;
  findings: readonly Finding[];
}

export interface RunMeta {
  version: string;
  detectors: readonly { id: string; description: string }[];
  glossary: { name: string; version: string; concepts: number; variants: number };
}

export interface Summary {
  files: number;
  unreadable: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  elapsedMs: number;
}

export interface FooterExtras {
  quiet: boolean;
  /** Inputs that could not be read (SARIF notifications), possibly capped. */
  errors: readonly InputError[];
  /** How many errors were left out of `errors`. */
  moreErrors: number;
}

/** Written between two non-empty entries. */
export function entrySeparator(format: Format): string {
  return format === 'json' || format === 'sarif' ? ',\n' : '';
}

/** Finding fields, in the documented order. */
export function findingJson(f: Finding): string {
  return JSON.stringify({
    detector: f.detector,
    kind: f.kind,
    severity: f.severity,
    start: f.start,
    end: f.end,
    text: f.text,
    suggestion: f.suggestion,
    concept: f.concept,
    message: f.message,
  });
}

function fileJson(r: FileReport): string {
  const findings = r.findings.map(findingJson).join(',');
  return `{"path":${JSON.stringify(r.path)},"language":${JSON.stringify(r.language)},"findings":[${findings}]}`;
}

function errorJson(e: InputError): string {
  return `{"path":${JSON.stringify(e.path)},"language":null,"findings":[],"error":${JSON.stringify({ code: e.code, message: e.message })}}`;
}

export const CSV_HEADER = ['path', 'line', 'column', 'start', 'end', 'detector', 'kind', 'severity', 'text', 'suggestion', 'concept', 'message'];

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: readonly (string | number | null)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

function fileCsv(r: FileReport): string {
  if (!r.findings.length) return '';
  const idx = new LineIndex(r.text);
  let out = '';
  for (const f of r.findings) {
    const p = idx.position(f.start);
    out += csvRow([r.path, p.line, p.column, f.start, f.end, f.detector, f.kind, f.severity, f.text, f.suggestion, f.concept, f.message]);
  }
  return out;
}

/** The entry of one scanned text ('' when the format writes nothing for it). */
export function renderReport(r: FileReport, o: RenderOptions): string {
  switch (o.format) {
    case 'json':
      return fileJson(r);
    case 'jsonl':
      return fileJson(r) + '\n';
    case 'csv':
      return fileCsv(r);
    case 'sarif':
      return renderSarifReport(r, o);
    case 'text':
      return renderTextReport(r, o);
  }
}

/** The entry of an input that could not be read ('' when the format has no place for it). */
export function renderError(e: InputError, o: RenderOptions): string {
  switch (o.format) {
    case 'json':
      return errorJson(e);
    case 'jsonl':
      return errorJson(e) + '\n';
    default:
      return ''; // text and csv: stderr only; sarif: notifications in the footer
  }
}

export function renderHeader(o: RenderOptions, meta: RunMeta): string {
  switch (o.format) {
    case 'json':
      return (
        `{"tool":${JSON.stringify({ name: 'copydesk', version: meta.version, detectors: meta.detectors.map((d) => d.id) })},` +
        `"glossary":${JSON.stringify(meta.glossary)},\n"files":[\n`
      );
    case 'csv':
      return csvRow(CSV_HEADER);
    case 'sarif':
      return renderSarifHeader(meta);
    default:
      return '';
  }
}

export function renderFooter(o: RenderOptions, meta: RunMeta, summary: Summary, extras: FooterExtras): string {
  switch (o.format) {
    case 'json':
      return `\n],\n"summary":${JSON.stringify(summary)}}\n`;
    case 'sarif':
      return renderSarifFooter(summary, extras);
    case 'text':
      return extras.quiet ? '' : renderTextSummary(summary, o.color);
    default:
      return '';
  }
}
