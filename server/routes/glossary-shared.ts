// What the glossary pages share: constants, the service
// lookup, timestamps and validation problems in plain words.
import type { Request } from 'express';
import type { AppDeps } from '../app.ts';
import type { EntryStatus } from '../core/glossary/model.ts';
import type { DecideAction, GlossaryService, GlossaryValidationError } from '../services/glossary.ts';
import { HttpError } from '../web/errors.ts';

export type Fields = Record<string, unknown>;

export const PER_PAGE = 50;
export const OCCURRENCE_LIMIT = 50;
export const STYLES = ['glossary.css'];
export const DECIDE_ACTIONS: readonly DecideAction[] = ['approve', 'reject', 'deprecate'];
export const ACTION_FOR: Record<EntryStatus, DecideAction | undefined> = { approved: 'approve', rejected: 'reject', deprecated: 'deprecate', proposed: undefined };
export const DONE: Record<string, string> = {
  approved: 'Approved. Detection uses it from now on; the articles it affects were checked again.',
  rejected: 'Rejected. It stays in the history but is never used for detection.',
  deprecated: 'Deprecated. Detection no longer uses it; the articles it affected were checked again.',
  edited: 'Saved.',
  unchanged: 'Nothing to save: the entry already had those values.',
  proposed: 'Proposed. An editor can approve or reject it below.',
};
export const VERB: Record<string, string> = {
  seed: 'loaded',
  propose: 'proposed',
  approve: 'approved',
  reject: 'rejected',
  deprecate: 'deprecated',
  update: 'edited',
  import: 'imported',
};
/** The shared glossary, or 503 when this copydesk has none. */
export function glossaryOf(deps: AppDeps): GlossaryService {
  if (!deps.glossary) throw new HttpError(503, 'GLOSSARY_UNAVAILABLE', 'The shared glossary is not available in this copydesk.');
  return deps.glossary;
}

/** "2025-06-01 14:03 UTC" from an ISO timestamp. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** The glossary problems of a validation error, in plain words (without the "proposal:" prefix). */
export function problemsOf(e: GlossaryValidationError): string[] {
  return e.problems.map((p) => p.replace(/^(proposal|update|decision|author): /, '')).map((p) => p.charAt(0).toUpperCase() + p.slice(1));
}

/** A form as the proposal form holds it: spacing folded, trimmed. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
