// The glossary as the service sees it: cached in memory per revision (with its compiled form), and
// changed one write at a time, each a single transaction followed by the onChange hook.
import { compileGlossary, type CompiledGlossary } from '../core/glossary/compile.ts';
import { approvedData, type GlossaryEntries } from '../core/glossary/model.ts';
import type { GlossaryStore, GlossaryTx } from '../store/glossary.ts';
import { changedEntryForms } from './glossary-changes.ts';
import { RecomputeError } from './glossary-errors.ts';
import type { GlossaryServiceOptions } from './glossary-types.ts';

/** What one write reports back to GlossaryState.write. */
export interface Outcome<T> {
  /** The result, or a function of the new revision (called after the bump). */
  result: T | ((revision: number) => T);
  /** The whole glossary after the change; undefined when nothing changed (no revision bump). */
  next?: GlossaryEntries;
}

/**
 * Every write is one transaction (GlossaryStore.transaction) that reads the current glossary,
 * checks the change (concept version, status transition, validation of the resulting glossary),
 * and only then writes the rows, the history and the revision bump. A failed check throws before
 * anything is written, and any later failure rolls the whole unit back.
 *
 * The whole glossary is cached in memory per glossary_state.revision (bumped by every change in the
 * same transaction as the change), and so is its compiled form: a revision that did not move means
 * nothing changed, whichever process wrote last.
 */
export class GlossaryState {
  private cache: { revision: number; entries: GlossaryEntries } | null = null;
  private compiledCache: { revision: number; key: string; glossary: CompiledGlossary } | null = null;
  private notifyChain: Promise<unknown> = Promise.resolve();
  private readonly now: () => string;

  constructor(
    private readonly store: GlossaryStore,
    private readonly options: GlossaryServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** The approved glossary, compiled; rebuilt only when the glossary revision (and its approved data) changed. */
  async compiled(): Promise<CompiledGlossary> {
    const snap = await this.snapshot();
    const cached = this.compiledCache;
    if (cached && cached.revision === snap.revision) return cached.glossary;
    const data = approvedData(snap.entries);
    const key = JSON.stringify(data);
    if (cached && cached.key === key) {
      cached.revision = snap.revision;
      return cached.glossary;
    }
    const glossary = compileGlossary(data, { houseStyle: this.options.houseStyle });
    this.compiledCache = { revision: snap.revision, key, glossary };
    return glossary;
  }

  /** The current glossary and its revision, from the cache when the revision has not moved. */
  snapshot(): Promise<{ revision: number; entries: GlossaryEntries }> {
    return this.store.transaction(async (t) => {
      const revision = await t.revision();
      return { revision, entries: await this.load(t, revision) };
    });
  }

  private async load(t: GlossaryTx, revision?: number): Promise<GlossaryEntries> {
    const rev = revision ?? (await t.revision());
    if (this.cache && this.cache.revision === rev) return this.cache.entries;
    const entries = await t.entries();
    this.cache = { revision: rev, entries };
    return entries;
  }

  /**
   * One write: in a transaction, hand fn the current glossary; if it reports a change, bump the
   * revision. After the commit, cache the new glossary and run onChange for what changed.
   */
  async write<T>(
    fn: (t: GlossaryTx, current: GlossaryEntries, at: string) => Promise<Outcome<T>>,
    { notify = true }: { notify?: boolean } = {},
  ): Promise<T> {
    let committed: { before: GlossaryEntries; after: GlossaryEntries; revision: number } | null = null;
    const result = await this.store.transaction(async (t) => {
      committed = null;
      const current = await this.load(t);
      const at = this.now();
      const out = await fn(t, current, at);
      const revision = out.next ? await t.bumpRevision(at) : await t.revision();
      if (out.next) committed = { before: current, after: out.next, revision };
      return typeof out.result === 'function' ? (out.result as (revision: number) => T)(revision) : out.result;
    });
    const done = committed as { before: GlossaryEntries; after: GlossaryEntries; revision: number } | null;
    if (done) {
      if (!this.cache || this.cache.revision < done.revision) this.cache = { revision: done.revision, entries: done.after };
      if (notify) await this.notify(done.before, done.after, done.revision);
    }
    return result;
  }

  private async notify(before: GlossaryEntries, after: GlossaryEntries, revision: number): Promise<void> {
    const onChange = this.options.onChange;
    if (!onChange) return;
    const change = { revision, ...changedEntryForms(before, after) };
    if (!change.all && !change.forms.length) return;
    const run = this.notifyChain.then(() => onChange(change));
    this.notifyChain = run.catch(() => undefined);
    try {
      await run;
    } catch (e) {
      throw new RecomputeError(revision, e);
    }
  }
}
