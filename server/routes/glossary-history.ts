// The glossary history as the concept page shows it: each history entry summarised as a verb, a
// subject and field-by-field changes.
import type { EntryConcept, EntryVariant } from '../core/glossary/model.ts';
import type { HistoryEntry } from '../store/glossary-types.ts';
import { VERB, when } from './glossary-shared.ts';

interface ChangeLine {
  what: string;
  before?: string;
  after?: string;
}

export interface HistoryView {
  at: string;
  when: string;
  author: string;
  verb: string;
  subject: string;
  changes: ChangeLine[];
}

function short(v: unknown, max = 140): string {
  if (v === undefined || v === null || v === '') return '—';
  const s = Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? roleText(x as Record<string, unknown>) : String(x))).join(', ') : String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function roleText(r: Record<string, unknown>): string {
  return `${String(r.title ?? '')} (${String(r.from ?? '?')}–${r.to ? String(r.to) : 'now'})`;
}

function isVariant(v: unknown): v is EntryVariant {
  return typeof v === 'object' && v !== null && 'text' in v && 'kind' in v && !('canonical' in v);
}

function isConcept(v: unknown): v is EntryConcept {
  return typeof v === 'object' && v !== null && 'canonical' in v;
}

const VARIANT_FIELDS = ['status', 'kind', 'severity', 'case', 'suggestion', 'exceptions', 'styles', 'note'] as const;

function variantChanges(before: EntryVariant, after: EntryVariant, prefix: string): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const k of VARIANT_FIELDS) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ what: `${prefix}${k}`, before: short(before[k]), after: short(after[k]) });
  }
  return out;
}

/** Field by field, what changed between two versions of a concept. */
function conceptChanges(before: EntryConcept, after: EntryConcept): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const k of ['status', 'canonical', 'type', 'notes', 'accepted', 'roles'] as const) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out.push({ what: k, before: short(before[k]), after: short(after[k]) });
  }
  const old = new Map((before.variants ?? []).map((v) => [v.text, v]));
  const now = new Map((after.variants ?? []).map((v) => [v.text, v]));
  for (const [text, v] of now) {
    const o = old.get(text);
    if (!o) out.push({ what: `added variant “${text}”`, after: `${v.kind}, ${v.status}` });
    else out.push(...variantChanges(o, v, `variant “${text}”: `));
  }
  for (const text of old.keys()) if (!now.has(text)) out.push({ what: `removed variant “${text}”` });
  return out;
}

export function summarise(h: HistoryEntry): HistoryView {
  const verb = VERB[h.action] ?? h.action;
  const base = { at: h.at, when: when(h.at), author: h.author, verb };
  if (h.action === 'seed') return { ...base, subject: 'from the starter glossary', changes: [] };
  const { before, after } = h;
  if (isVariant(after) || isVariant(before)) {
    const v = (isVariant(after) ? after : before) as EntryVariant;
    const subject = `variant “${v.text}”`;
    if (!isVariant(before)) return { ...base, subject, changes: [{ what: 'new variant', after: `${v.kind}${v.severity ? `, ${v.severity}` : ''}${v.note ? ` — ${short(v.note, 80)}` : ''}` }] };
    if (!isVariant(after)) return { ...base, subject, changes: [{ what: 'removed' }] };
    return { ...base, subject, changes: variantChanges(before, after, '') };
  }
  if (isConcept(after) && !isConcept(before)) {
    const changes: ChangeLine[] = [{ what: 'new concept', after: `${after.canonical} (${after.type})` }];
    for (const v of after.variants ?? []) changes.push({ what: `with variant “${v.text}”`, after: v.kind });
    return { ...base, subject: 'the concept', changes };
  }
  if (isConcept(after) && isConcept(before)) return { ...base, subject: 'the concept', changes: conceptChanges(before, after) };
  return { ...base, subject: 'the concept', changes: [] };
}

/** "Alice approved variant “X”" — one history row as a sentence (for the conflict explanation). */
export function sentence(h: HistoryView): string {
  return `${h.author} ${h.verb} ${h.subject}`;
}
