// SARIF 2.1.0, streamed: the header (tool, one rule per detector) is written first, then one result
// per finding as files complete, then the invocation with a notification per unreadable input.
// Columns are UTF-16 code units (run.columnKind), the same units as the offsets.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../core/text.ts';
import type { Severity } from '../core/types.ts';
import type { FileReport, FooterExtras, RenderOptions, RunMeta, Summary } from './formats.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * A path as a URI reference: relative paths (and absolute ones under the working directory) become
 * relative URIs with forward slashes, each segment percent-encoded (":" too, so that a first
 * segment never reads as a scheme); other absolute paths become file: URIs.
 */
export function toUri(p: string): string {
  let rel = p;
  if (path.isAbsolute(p)) {
    const r = path.relative(process.cwd(), p);
    if (r === '' || r.startsWith('..') || path.isAbsolute(r)) return pathToFileURL(p).href;
    rel = r;
  }
  const parts = path.sep === '\\' ? rel.split(/[\\/]/) : rel.split('/');
  return parts.map((seg) => encodeURIComponent(seg)).join('/');
}

export function renderSarifHeader(meta: RunMeta): string {
  const rules = meta.detectors.map((d) => ({
    id: d.id,
    name: d.id,
    shortDescription: { text: d.description && d.description !== 'TODO' ? d.description : `copydesk detector "${d.id}"` },
  }));
  const driver = { name: 'copydesk', version: meta.version, semanticVersion: meta.version, rules };
  return (
    `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[{` +
    `"tool":${JSON.stringify({ driver })},` +
    `"columnKind":"utf16CodeUnits",` +
    `"properties":${JSON.stringify({ glossary: meta.glossary })},` +
    `"results":[\n`
  );
}

export function renderSarifReport(r: FileReport, o: RenderOptions): string {
  if (!r.findings.length) return '';
  const idx = new LineIndex(r.text);
  const uri = toUri(r.path);
  const out: string[] = [];
  for (const f of r.findings) {
    const s = idx.position(f.start);
    const e = idx.position(f.end);
    const ruleIndex = o.ruleIds.indexOf(f.detector);
    const properties: Record<string, string> = { kind: f.kind, severity: f.severity };
    if (f.suggestion !== null) properties.suggestion = f.suggestion;
    if (f.concept !== null) properties.concept = f.concept;
    const result = {
      ruleId: f.detector,
      ...(ruleIndex >= 0 ? { ruleIndex } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message || f.kind },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri },
            region: {
              startLine: s.line,
              startColumn: s.column,
              endLine: e.line,
              endColumn: e.column,
              charOffset: f.start,
              charLength: f.end - f.start,
              snippet: { text: f.text },
            },
          },
        },
      ],
      properties,
    };
    out.push(JSON.stringify(result));
  }
  return out.join(',\n');
}

export function renderSarifFooter(summary: Summary, extras: FooterExtras): string {
  const notifications: object[] = extras.errors.map((e) => ({
    level: 'error',
    message: { text: e.message },
    descriptor: { id: e.code },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUri(e.path) } } }],
  }));
  if (extras.moreErrors > 0) {
    notifications.push({ level: 'error', message: { text: `${extras.moreErrors} more inputs could not be read.` } });
  }
  const invocation = {
    executionSuccessful: summary.unreadable === 0,
    ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
    properties: { summary },
  };
  return `\n],"invocations":[${JSON.stringify(invocation)}]}]}\n`;
}
