// Text renderings of copydesk-glossary's read commands (list, show, history). Pure: strings out.
import type { EntryStatus, EntryVariant, Provenance } from '../core/glossary/model.ts';
import type { ConceptDetail } from '../services/glossary-types.ts';
import type { ConceptSummary, HistoryEntry } from '../store/glossary-types.ts';

/** Glossary text on a terminal: control characters are shown escaped, never sent as they are. */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/[\n\t]/g, ' ');
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ').trimEnd() + '\n')
    .join('');
}

export function renderList(items: readonly ConceptSummary[]): string {
  if (!items.length) return 'No concepts match.\n';
  const rows = [['ID', 'STATUS', 'TYPE', 'VERSION', 'VARIANTS', 'CANONICAL']];
  for (const c of items) {
    const variants = c.proposedVariants ? `${c.variants} (${c.proposedVariants} proposed)` : String(c.variants);
    rows.push([clean(c.id), c.status, c.type, String(c.version), variants, clean(c.canonical)]);
  }
  return table(rows) + `${items.length} concept${items.length === 1 ? '' : 's'}.\n`;
}

function provenance(p: Provenance | undefined, status: EntryStatus): string {
  const parts: string[] = [];
  if (p?.proposedBy) parts.push(`proposed by ${clean(p.proposedBy)}`);
  if (p?.article) {
    const span = typeof p.start === 'number' && typeof p.end === 'number' ? ` at ${p.start}-${p.end}` : '';
    parts.push(`from article ${clean(p.article)}${span}`);
  }
  if (p?.decidedBy && status !== 'proposed') parts.push(`${status} by ${clean(p.decidedBy)}`);
  return parts.join('; ');
}

function variantLines(v: EntryVariant, decidedAt: string | null | undefined): string[] {
  const head = [`${v.kind}`, v.status];
  if (v.severity) head.push(`severity ${v.severity}`);
  if (v.case === 'sensitive') head.push('case-sensitive');
  const lines = [`  - ${clean(v.text)}  (${head.join(', ')})`];
  const more = (label: string, value: string) => lines.push(`      ${label}: ${value}`);
  if (v.suggestion) more('suggestion', clean(v.suggestion));
  if (v.exceptions?.length) more('exceptions', v.exceptions.map(clean).join('; '));
  if (v.styles?.length) more('house styles', v.styles.map(clean).join(', '));
  if (v.note) more('note', clean(v.note));
  const prov = provenance(v.provenance, v.status);
  if (prov) more('provenance', prov + (decidedAt && v.status !== 'proposed' ? ` (${decidedAt})` : ''));
  return lines;
}

export function renderShow(d: ConceptDetail): string {
  const c = d.concept;
  const out: string[] = [];
  out.push(`${clean(c.id)}: ${clean(c.canonical)}`);
  out.push(`  version:   ${d.version}  (give --version ${d.version} to approve, reject or deprecate)`);
  out.push(`  type:      ${c.type}`);
  out.push(`  status:    ${c.status}`);
  const prov = provenance(c.provenance, c.status);
  if (prov) out.push(`  provenance: ${prov}`);
  if (c.notes) out.push(`  notes:     ${clean(c.notes)}`);
  if (c.accepted?.length) out.push(`  accepted:  ${c.accepted.map(clean).join('; ')}`);
  for (const r of c.roles ?? []) out.push(`  role:      ${clean(r.title)}, ${r.from} to ${r.to ?? 'now'}`);
  out.push(`  created:   ${d.createdAt}; updated ${d.updatedAt}${d.decidedAt ? `; decided ${d.decidedAt}` : ''}`);
  const meta = new Map(d.variants.map((v) => [v.text, v]));
  out.push(`  variants:  ${c.variants.length || 'none'}`);
  for (const v of c.variants) out.push(...variantLines(v, meta.get(v.text)?.decidedAt));
  out.push(`  history:   ${d.history.length} change${d.history.length === 1 ? '' : 's'} (copydesk-glossary history ${clean(c.id)})`);
  return out.join('\n') + '\n';
}

function historyTarget(h: HistoryEntry): string {
  if (h.conceptId === null) return 'glossary';
  const of = (x: unknown) => (x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string' ? (x as { text: string }).text : null);
  const text = h.variantId !== null ? of(h.after) ?? of(h.before) : null;
  return text !== null ? `variant "${clean(text)}"` : 'concept';
}

function historyStatus(h: HistoryEntry): string {
  const st = (x: unknown) => (x && typeof x === 'object' && typeof (x as { status?: unknown }).status === 'string' ? (x as { status: string }).status : null);
  const before = st(h.before);
  const after = st(h.after);
  if (before && after && before !== after) return `${before} -> ${after}`;
  return after ?? '';
}

export function renderHistory(id: string, items: readonly HistoryEntry[]): string {
  if (!items.length) return `No history for "${clean(id)}".\n`;
  const rows = [['AT', 'ACTION', 'BY', 'WHAT', 'STATUS']];
  for (const h of items) rows.push([h.at, clean(h.action), clean(h.author), historyTarget(h), historyStatus(h)]);
  return table(rows);
}
