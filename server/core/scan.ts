// The one entry point of the core: text + compiled glossary -> findings. Runs the registered
// detectors, then sorts, de-duplicates and filters their findings in one place.
import { DETECTORS, detectorById } from './detectors/index.ts';
import type { CompiledGlossary } from './glossary/compile.ts';
import type { Mention } from './glossary/matcher.ts';
import { splitLines } from './text.ts';
import { severityRank, type Detector, type Finding, type Line, type ScanContext, type ScanOptions } from './types.ts';

class Context implements ScanContext {
  private _mentions: Mention[] | null = null;
  private _lines: Line[] | null = null;
  constructor(
    readonly text: string,
    readonly glossary: CompiledGlossary,
    readonly options: ScanOptions,
  ) {}
  mentions(): readonly Mention[] {
    return (this._mentions ??= this.glossary.matcher.scan(this.text));
  }
  lines(): readonly Line[] {
    return (this._lines ??= splitLines(this.text));
  }
}

export class UnknownDetectorError extends Error {
  readonly code = 'UNKNOWN_DETECTOR';
  constructor(id: string) {
    super(`There is no detector "${id}". Known detectors: ${DETECTORS.map((d) => d.id).join(', ')}.`);
  }
}

export function selectDetectors(options: ScanOptions = {}): Detector[] {
  for (const id of [...(options.detectors ?? []), ...(options.disable ?? [])]) {
    if (!detectorById(id)) throw new UnknownDetectorError(id);
  }
  return DETECTORS.filter(
    (d) => (!options.detectors || options.detectors.includes(d.id)) && !(options.disable ?? []).includes(d.id),
  );
}

/** Scan one text. Findings come back sorted by position, without duplicates, at or above minSeverity. */
export function scanText(text: string, glossary: CompiledGlossary, options: ScanOptions = {}): Finding[] {
  const ctx = new Context(text, glossary, options);
  const raw: Finding[] = [];
  for (const d of selectDetectors(options)) {
    for (const f of d.detect(ctx)) raw.push(f);
  }
  return finalizeFindings(raw, options);
}

function priorityOf(f: Finding): number {
  return detectorById(f.detector)?.priority ?? 0;
}

function scopeOf(f: Finding): 'span' | 'block' {
  return detectorById(f.detector)?.scope ?? 'span';
}

/**
 * Central ordering and de-duplication:
 * - the same span reported twice keeps the finding of the higher-priority detector (then severity);
 * - span findings that overlap keep the higher-priority one, then the longer one;
 * - block findings never hide span findings;
 * - findings below options.minSeverity are dropped.
 */
export function finalizeFindings(raw: Finding[], options: ScanOptions = {}): Finding[] {
  const min = severityRank(options.minSeverity ?? 'info');
  const better = (a: Finding, b: Finding) =>
    priorityOf(b) - priorityOf(a) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start;
  const ranked = raw.slice().sort(better);
  const keptSpans: Finding[] = []; // sorted by start, non-overlapping
  const seenExact = new Set<string>();
  const kept: Finding[] = [];
  for (const f of ranked) {
    const key = `${f.start}:${f.end}`;
    if (seenExact.has(key)) continue;
    if (scopeOf(f) === 'span') {
      // binary search for the first kept span ending after f.start
      let lo = 0;
      let hi = keptSpans.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keptSpans[mid]!.end <= f.start) lo = mid + 1;
        else hi = mid;
      }
      if (lo < keptSpans.length && keptSpans[lo]!.start < f.end) continue;
      keptSpans.splice(lo, 0, f);
    }
    seenExact.add(key);
    kept.push(f);
  }
  return kept
    .filter((f) => severityRank(f.severity) >= min)
    .sort((a, b) => a.start - b.start || a.end - b.end || a.detector.localeCompare(b.detector));
}
