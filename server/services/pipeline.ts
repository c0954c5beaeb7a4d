// What pipelines send over the API, read and checked in one place: texts to scan (plain text, JSON,
// or JSON Lines) and articles to import (JSON or JSON Lines, all or nothing). The scan answer is the
// scan command's JSON output (see cli/formats.ts), byte for byte the same shape.
import { detectLanguage } from '../core/language.ts';
import { scanText } from '../core/scan.ts';
import { DETECTORS } from '../core/detectors/index.ts';
import type { CompiledGlossary } from '../core/glossary/compile.ts';
import { SEVERITIES, type Severity } from '../core/types.ts';
import { entrySeparator, renderFooter, renderHeader, renderReport, type RenderOptions, type RunMeta, type Summary } from '../cli/formats.ts';
import { packageVersion } from '../cli/run-report.ts';
import { parseRecord } from './article-import.ts';
import type { ImportItem } from './articles.ts';
import { DATE_RE, LANG_RE } from './article-import.ts';

/** A request the caller can fix: 422 (or 400) with the problems in plain words. */
export class PipelineInputError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface ScanDoc {
  path: string;
  text: string;
  date?: string;
  originLanguage?: string;
}

export interface ScanRequestOptions {
  minSeverity?: Severity;
  detectors?: string[];
  disable?: string[];
  language?: boolean;
}

/** At most this many texts per request. */
export const MAX_DOCS = 10_000;

function docOf(v: unknown, where: string, n: number): ScanDoc {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PipelineInputError(`${where}: expected an object with "text".`);
  const r = v as Record<string, unknown>;
  if (typeof r.text !== 'string') throw new PipelineInputError(`${where}: "text" must be a string.`);
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : typeof r.path === 'string' ? r.path : `<text ${n}>`;
  if (r.date !== undefined && r.date !== null && (typeof r.date !== 'string' || !DATE_RE.test(r.date))) throw new PipelineInputError(`${where}: "date" must be written yyyy-mm-dd.`);
  if (r.origin_lang !== undefined && r.origin_lang !== null && (typeof r.origin_lang !== 'string' || !LANG_RE.test(r.origin_lang))) {
    throw new PipelineInputError(`${where}: "origin_lang" must be an ISO 639-3 code such as "vie".`);
  }
  return { path: id, text: r.text, ...(typeof r.date === 'string' ? { date: r.date } : {}), ...(typeof r.origin_lang === 'string' ? { originLanguage: r.origin_lang } : {}) };
}

function jsonLines(body: string): unknown[] {
  const out: unknown[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      throw new PipelineInputError(`Line ${i + 1} is not valid JSON (${(e as Error).message}).`);
    }
  }
  return out;
}

/** The texts of a scan request, by its media type. */
export function scanDocs(type: 'text' | 'json' | 'jsonl', body: unknown): ScanDoc[] {
  let docs: ScanDoc[];
  if (type === 'text') {
    if (typeof body !== 'string') throw new PipelineInputError('Send the text to scan as the request body.');
    docs = [{ path: '<text>', text: body }];
  } else if (type === 'jsonl') {
    if (typeof body !== 'string') throw new PipelineInputError('Send JSON Lines as the request body: one {"id", "text"} object per line.');
    docs = jsonLines(body).map((v, i) => docOf(v, `line ${i + 1}`, i + 1));
  } else {
    const list = Array.isArray(body) ? body : [body];
    docs = list.map((v, i) => docOf(v, Array.isArray(body) ? `item ${i + 1}` : 'the body', i + 1));
  }
  if (docs.length === 0) throw new PipelineInputError('There is nothing to scan: the body holds no text.');
  if (docs.length > MAX_DOCS) throw new PipelineInputError(`At most ${MAX_DOCS} texts per request; this one has ${docs.length}. Split it.`);
  return docs;
}

/** Detector ids from a comma-separated list; unknown ids are an error naming the known ones. */
export function detectorList(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !DETECTORS.some((d) => d.id === id));
  if (unknown.length) throw new PipelineInputError(`Unknown detector ${unknown.join(', ')}: choose from ${DETECTORS.map((d) => d.id).join(', ')}.`);
  return ids;
}

export function severityOf(v: string | undefined): Severity | undefined {
  if (!v) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new PipelineInputError(`"severity" must be one of ${SEVERITIES.join(', ')}.`);
  return v as Severity;
}

/** Scan the texts and answer with the scan command's JSON output, plus its summary (for the status). */
export function scanToJson(glossary: CompiledGlossary, docs: readonly ScanDoc[], opts: ScanRequestOptions): { json: string; summary: Summary } {
  const started = Date.now();
  const ids = DETECTORS.map((d) => d.id).filter((id) => (!opts.detectors || opts.detectors.includes(id)) && !opts.disable?.includes(id));
  const render: RenderOptions = { format: 'json', color: false, ruleIds: ids };
  const meta: RunMeta = {
    version: packageVersion(),
    detectors: ids.map((id) => ({ id, description: DETECTORS.find((d) => d.id === id)!.description })),
    glossary: { name: glossary.name, version: glossary.version, concepts: glossary.concepts.length, variants: glossary.variantCount },
  };
  const summary: Summary = { files: 0, unreadable: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, elapsedMs: 0 };
  const parts: string[] = [];
  for (const d of docs) {
    const findings = scanText(d.text, glossary, {
      ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}),
      ...(opts.detectors ? { detectors: opts.detectors } : {}),
      ...(opts.disable ? { disable: opts.disable } : {}),
      ...(d.date ? { date: d.date } : {}),
      ...(d.originLanguage ? { originLanguage: d.originLanguage } : {}),
    });
    summary.files++;
    summary.findings += findings.length;
    for (const f of findings) summary.bySeverity[f.severity]++;
    parts.push(renderReport({ path: d.path, language: opts.language === false ? null : detectLanguage(d.text), text: d.text, findings }, render));
  }
  summary.elapsedMs = Date.now() - started;
  const json = renderHeader(render, meta) + parts.filter(Boolean).join(entrySeparator('json')) + renderFooter(render, meta, summary, { quiet: true, errors: [], moreErrors: 0 });
  return { json, summary };
}

/** The articles of an import request: every record valid, or nothing (the problems, by line). */
export function importItems(type: 'json' | 'jsonl', body: unknown): ImportItem[] {
  const records: string[] =
    type === 'jsonl'
      ? typeof body === 'string'
        ? body.split('\n').filter((l) => l.trim())
        : []
      : (Array.isArray(body) ? body : [body]).map((v) => JSON.stringify(v));
  if (records.length === 0) throw new PipelineInputError('There is nothing to import: send one {"id", "text", …} object per line (JSON Lines), or a JSON array of them.');
  if (records.length > MAX_DOCS) throw new PipelineInputError(`At most ${MAX_DOCS} articles per request; this one has ${records.length}. Split it.`);
  const items: ImportItem[] = [];
  const problems: string[] = [];
  const enc = new TextEncoder();
  records.forEach((r, i) => {
    const e = parseRecord(enc.encode(r), i + 1);
    if (e.kind === 'item') items.push(e.item);
    else problems.push(e.failure.message.replace('of standard input', type === 'jsonl' ? '' : '').replace(/\s+/g, ' ').replace(/^line (\d+) :/, 'line $1:'));
  });
  if (problems.length) throw new PipelineInputError(`Nothing was imported: ${problems.length} of ${records.length} records ${problems.length === 1 ? 'is' : 'are'} not valid.`, problems);
  return items;
}
