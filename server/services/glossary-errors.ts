// The glossary service's errors: a stale concept version, a status change the rules forbid, a
// missing concept, and a saved change whose findings recompute failed (plus the validation error).
import { STATUS_TRANSITIONS, type EntryStatus } from '../core/glossary/model.ts';
import type { HistoryEntry } from '../store/glossary-types.ts';
import type { GlossaryTx } from '../store/glossary.ts';

export { GlossaryValidationError } from '../core/glossary/schema.ts';

/** The version a writer read is no longer the stored one: someone else changed the concept. */
export class ConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(
    readonly conceptId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
    readonly lastChange: Pick<HistoryEntry, 'action' | 'author' | 'at'> | null,
  ) {
    super(
      `Concept "${conceptId}" was changed by someone else: you edited version ${expectedVersion}, it is now at version ${currentVersion}` +
        (lastChange ? ` (last change: ${lastChange.action} by ${lastChange.author} at ${lastChange.at})` : '') +
        '. Nothing was saved: reload the concept and make your change again.',
    );
    this.name = 'ConflictError';
  }
}

/** The conflict of a write that expected `expected`, with the concept's current version and last change. */
export async function conflict(t: GlossaryTx, id: string, expected: number, current?: number): Promise<ConflictError> {
  const now = current ?? (await t.conceptVersion(id)) ?? 0;
  const last = await t.latestHistory(id);
  return new ConflictError(id, expected, now, last ? { action: last.action, author: last.author, at: last.at } : null);
}

/** A status change that STATUS_TRANSITIONS does not allow (e.g. approving a rejected entry). */
export class InvalidTransitionError extends Error {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly what: string,
    readonly from: EntryStatus,
    readonly to: EntryStatus,
  ) {
    const allowed = STATUS_TRANSITIONS[from];
    super(
      `${what} is ${from}; it cannot become ${to}. ` +
        (allowed.length ? `A ${from} entry can only become ${allowed.join(' or ')}.` : `A ${from} entry is final.`),
    );
    this.name = 'InvalidTransitionError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The glossary change was saved, but the onChange hook (recomputing findings) failed. */
export class RecomputeError extends Error {
  readonly code = 'RECOMPUTE_FAILED';
  constructor(
    readonly revision: number,
    override readonly cause: unknown,
  ) {
    super(
      `The glossary change was saved (revision ${revision}), but recomputing findings failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'RecomputeError';
  }
}
