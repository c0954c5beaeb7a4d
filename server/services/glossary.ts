// The shared glossary's business rules: reviewers propose entries, editors approve, reject or
// deprecate them, imports merge whole glossaries; the approved part drives detection.
//
// Every write is one transaction (GlossaryStore.transaction) that reads the current glossary,
// checks the change (concept version, status transition, validation of the resulting glossary),
// and only then writes the rows, the history and the revision bump. A failed check throws before
// anything is written, and any later failure rolls the whole unit back.
//
// Optimistic concurrency: update() and decide() name the concept version the caller read; a stale
// one is a ConflictError. Transactions are serialised (BEGIN IMMEDIATE, also across processes), and
// the version is checked again in the UPDATE itself (WHERE id = ? AND version = ?).
//
// The whole glossary is cached in memory per glossary_state.revision (bumped by every change in the
// same transaction as the change), and so is its compiled form: a revision that did not move means
// nothing changed, whichever process wrote last.
import { compileGlossary, type CompiledGlossary } from '../core/glossary/compile.ts';
import {
  ENTRY_STATUSES,
  STATUS_TRANSITIONS,
  approvedData,
  entriesFromData,
  normalizeEntries,
  type EntryConcept,
  type EntryStatus,
  type EntryVariant,
  type GlossaryEntries,
  type Provenance,
} from '../core/glossary/model.ts';
import {
  GlossaryValidationError,
  validateGlossary,
  type ConceptData,
  type GlossaryData,
  type RoleData,
  type VariantData,
} from '../core/glossary/schema.ts';
import type { EntityType } from '../core/types.ts';
import {
  storedConcept,
  storedVariant,
  type ConceptSummary,
  type ExtraKey,
  type GlossaryStore,
  type GlossaryTx,
  type HistoryEntry,
  type ListFilter,
  type NewHistory,
  type StoredConcept,
} from '../store/glossary.ts';

export { GlossaryValidationError };

export const STARTER_AUTHOR = 'starter glossary';

export type DecideAction = 'approve' | 'reject' | 'deprecate';
const ACTION_STATUS: Record<DecideAction, EntryStatus> = { approve: 'approved', reject: 'rejected', deprecate: 'deprecated' };

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

export interface NewConceptInput {
  /** Slug; generated from the canonical form when not given. */
  id?: string;
  canonical: string;
  type: EntityType;
  notes?: string;
  accepted?: string[];
  roles?: RoleData[];
}

export type ProposeTarget = { conceptId: string } | { concept: NewConceptInput };

/** Where a proposal was made: the article (slug) and span. */
export interface ProposalSource {
  article?: string | null;
  start?: number | null;
  end?: number | null;
}

export interface ProposeResult {
  conceptId: string;
  /** The concept's version after the proposal. */
  version: number;
  /** True when a new concept was created. */
  created: boolean;
  variant: string | null;
}

export interface ConceptPatch {
  canonical?: string;
  type?: EntityType;
  /** null removes the notes. */
  notes?: string | null;
  accepted?: string[] | null;
  roles?: RoleData[] | null;
  /**
   * The complete new list of variants. A variant matched by text keeps its status and provenance
   * (its other fields are replaced); a new text becomes a proposed variant by the author; a
   * variant left out is removed. Statuses change only through decide().
   */
  variants?: VariantData[];
}

export interface WriteResult {
  concept: EntryConcept;
  version: number;
}

export interface ConceptDetail extends StoredConcept {
  history: HistoryEntry[];
}

export interface MergeResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Glossary-wide lists replaced by the import. */
  replaced: ExtraKey[];
  revision: number;
}

/** What changed for detection: forms of concepts whose approved data changed, or everything. */
export interface GlossaryChange {
  revision: number;
  forms: string[];
  /** Furniture, labels or notPossessive changed: every article is affected. */
  all: boolean;
}

/** What recomputeFindings needs from the article side (ArticleService). */
export interface FindingsRescanner {
  setGlossary(glossary: CompiledGlossary): void;
  rescan(articleIds: readonly number[]): Promise<number[]>;
}

export interface GlossaryServiceOptions {
  /** House style the compiled glossary applies (see CompileOptions). */
  houseStyle?: string;
  /**
   * Called after a committed change that affects detection (approved data changed), one call at a
   * time in commit order; the write that caused it resolves after it. Wire it to recomputeFindings.
   */
  onChange?: (change: GlossaryChange) => void | Promise<void>;
  /** Clock for timestamps (ISO 8601). */
  now?: () => string;
}

export interface MergeOptions {
  /** Rows written so far, while the import's rows are inserted (inside its transaction). */
  onProgress?: (done: number, total: number) => void;
}

interface Outcome<T> {
  /** The result, or a function of the new revision (called after the bump). */
  result: T | ((revision: number) => T);
  /** The whole glossary after the change; undefined when nothing changed (no revision bump). */
  next?: GlossaryEntries;
}

const EXTRA_LISTS = ['furniture', 'labels', 'notPossessive'] as const;

export class GlossaryService {
  private cache: { revision: number; entries: GlossaryEntries } | null = null;
  private compiledCache: { revision: number; key: string; glossary: CompiledGlossary } | null = null;
  private notifyChain: Promise<unknown> = Promise.resolve();
  private readonly now: () => string;

  constructor(
    readonly store: GlossaryStore,
    private readonly options: GlossaryServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  // ------------------------------------------------------------------------------------------ reads

  /** The whole glossary (deterministic order; provenance fields only when set). A copy: safe to change. */
  async entries(): Promise<GlossaryEntries> {
    return structuredClone((await this.snapshot()).entries);
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

  list(filter: ListFilter = {}): Promise<ConceptSummary[]> {
    return this.store.list(filter);
  }

  /** One concept with its variants, version, timestamps and history. */
  async show(id: string): Promise<ConceptDetail> {
    const detail = await this.store.transaction(async (t) => {
      const c = await t.concept(id);
      return c ? { ...c, history: await t.history(id) } : undefined;
    });
    if (!detail) throw new NotFoundError(`There is no concept "${id}" in the glossary.`);
    return detail;
  }

  history(id: string): Promise<HistoryEntry[]> {
    return this.store.history(id);
  }

  revision(): Promise<number> {
    return this.store.revision();
  }

  // ----------------------------------------------------------------------------------------- writes

  /**
   * Load the starter glossary into a new database (no concepts, revision 0): everything approved,
   * by "starter glossary". One transaction. Returns the number of concepts loaded (0 if not new).
   * data may be a function, called only when the database is new.
   */
  async seedIfEmpty(data: GlossaryData | (() => GlossaryData)): Promise<number> {
    const counts = await this.store.counts();
    if (counts.concepts > 0 || counts.revision > 0) return 0;
    const raw = typeof data === 'function' ? data() : data;
    const valid = validateGlossary(raw, STARTER_AUTHOR);
    const seed = entriesFromData(valid, STARTER_AUTHOR);
    const concepts = seed.concepts.map(storedConcept);
    // Silent: no onChange. A new glossary is the starter one, which any stored findings were made with.
    return this.write(async (t, current, at) => {
      if (current.concepts.length || (await t.revision()) > 0) return { result: 0 };
      await t.insertConcepts(concepts, at);
      await t.setExtra('name', seed.name);
      for (const k of EXTRA_LISTS) await t.setExtra(k, seed[k]);
      await t.addHistory(concepts.map((c) => ({ conceptId: c.id, action: 'seed', after: c, author: STARTER_AUTHOR, at })));
      return { result: concepts.length, next: normalizeEntries({ ...seed, concepts }) };
    }, { notify: false });
  }

  /**
   * Propose a new concept (with or without a first variant), or a new variant of an existing
   * concept. Everything proposed is "proposed", by author, from the given article span.
   */
  async propose(
    target: ProposeTarget,
    variant: VariantData | null | undefined,
    author: string,
    source: ProposalSource = {},
  ): Promise<ProposeResult> {
    checkAuthor(author);
    const provenance = proposalProvenance(author, source);
    return this.write<ProposeResult>(async (t, current, at) => {
      if ('conceptId' in target) {
        const id = target.conceptId;
        const c = findConcept(current, id);
        if (!c) throw new NotFoundError(`There is no concept "${id}": propose a new concept instead.`);
        if (c.status !== 'proposed' && c.status !== 'approved') {
          throw new InvalidTransitionError(`Concept "${id}"`, c.status, 'proposed');
        }
        if (!variant) throw new GlossaryValidationError([`proposal: concept "${id}": give the variant to add`]);
        const existing = c.variants.find((v) => v.text === variant.text);
        if (existing) {
          throw new GlossaryValidationError([
            `proposal: concept "${id}", variant "${variant.text}": already in the glossary (${existing.status}${existing.provenance?.decidedBy ? ` by ${existing.provenance.decidedBy}` : ''})`,
          ]);
        }
        const nv = storedVariant({ ...variantFields(variant), status: 'proposed', provenance });
        const nc = storedConcept({ ...c, variants: [...c.variants, nv] });
        const next = withConcept(current, nc);
        validateChange(next, [nc], 'proposal');
        const version = (await t.conceptVersion(id))!;
        if (!(await t.bumpConceptVersion(id, version, at))) throw await conflict(t, id, version);
        const variantId = await t.insertVariant(id, nv, at);
        await t.addHistory([{ conceptId: id, variantId, action: 'propose', before: null, after: nv, author, at }]);
        return { result: { conceptId: id, version: version + 1, created: false, variant: nv.text }, next };
      }
      const input = target.concept;
      let id = input.id;
      if (id === undefined) id = await freeSlug(t, slugify(input.canonical ?? ''));
      else if (await t.conceptExists(id)) {
        throw new GlossaryValidationError([`proposal: concept id "${id}" is already used: choose another id, or propose a variant of "${id}"`]);
      }
      const nc = storedConcept({
        ...conceptFields({ ...input, id }),
        status: 'proposed',
        provenance,
        variants: variant ? [{ ...variantFields(variant), status: 'proposed', provenance }] : [],
      });
      const next = withConcept(current, nc);
      validateChange(next, [nc], 'proposal');
      await t.insertConcepts([nc], at);
      await t.addHistory([{ conceptId: id, action: 'propose', before: null, after: nc, author, at }]);
      return { result: { conceptId: id, version: 1, created: true, variant: variant ? variant.text : null }, next };
    });
  }

  /**
   * Approve, reject or deprecate a concept, or one of its variants (target.variantText). With
   * target.withVariants, deciding a concept applies the same decision to each of its variants that
   * can take it (e.g. approving a new concept approves its proposed variants). Bumps the version.
   */
  async decide(
    conceptId: string,
    target: { variantText?: string; withVariants?: boolean },
    action: DecideAction,
    author: string,
    expectedVersion: number,
  ): Promise<WriteResult> {
    checkAuthor(author);
    const to = ACTION_STATUS[action];
    if (!to) throw new GlossaryValidationError([`decision: "${String(action)}" is not one of approve, reject, deprecate`]);
    return this.write(async (t, current, at) => {
      const c = findConcept(current, conceptId);
      if (!c) throw new NotFoundError(`There is no concept "${conceptId}" in the glossary.`);
      const version = (await t.conceptVersion(conceptId))!;
      if (version !== expectedVersion) throw await conflict(t, conceptId, expectedVersion, version);
      const decided = <E extends { status: EntryStatus; provenance?: Provenance }>(e: E): E => ({
        ...e,
        status: to,
        provenance: { ...e.provenance, decidedBy: author },
      });
      const history: NewHistory[] = [];
      let nc: EntryConcept;
      if (target.variantText !== undefined) {
        const v = c.variants.find((x) => x.text === target.variantText);
        if (!v) throw new NotFoundError(`Concept "${conceptId}" has no variant "${target.variantText}".`);
        if (!STATUS_TRANSITIONS[v.status].includes(to)) {
          throw new InvalidTransitionError(`Variant "${v.text}" of concept "${conceptId}"`, v.status, to);
        }
        const nv = storedVariant(decided(v));
        nc = storedConcept({ ...c, variants: c.variants.map((x) => (x === v ? nv : x)) });
        validateChange(withConcept(current, nc), [nc], 'decision');
        if (!(await t.bumpConceptVersion(conceptId, expectedVersion, at))) throw await conflict(t, conceptId, expectedVersion);
        await t.updateVariant(conceptId, nv, at, at);
        const variantId = await t.variantId(conceptId, v.text);
        history.push({ conceptId, variantId, action, before: v, after: nv, author, at });
      } else {
        if (!STATUS_TRANSITIONS[c.status].includes(to)) throw new InvalidTransitionError(`Concept "${conceptId}"`, c.status, to);
        const changed: EntryVariant[] = [];
        const variants = c.variants.map((v) => {
          if (!target.withVariants || !STATUS_TRANSITIONS[v.status].includes(to)) return v;
          const nv = storedVariant(decided(v));
          changed.push(nv);
          return nv;
        });
        nc = storedConcept({ ...decided(c), variants });
        validateChange(withConcept(current, nc), [nc], 'decision');
        if (!(await t.updateConcept(nc, expectedVersion, at, at))) throw await conflict(t, conceptId, expectedVersion);
        for (const v of changed) await t.updateVariant(conceptId, v, at, at);
        history.push({ conceptId, action, before: c, after: nc, author, at });
      }
      await t.addHistory(history);
      return { result: { concept: nc, version: expectedVersion + 1 }, next: withConcept(current, nc) };
    });
  }

  /** Edit a concept's canonical form, type, notes, accepted forms, roles or variants. */
  async update(conceptId: string, patch: ConceptPatch, author: string, expectedVersion: number): Promise<WriteResult> {
    checkAuthor(author);
    return this.write(async (t, current, at) => {
      const c = findConcept(current, conceptId);
      if (!c) throw new NotFoundError(`There is no concept "${conceptId}" in the glossary.`);
      const version = (await t.conceptVersion(conceptId))!;
      if (version !== expectedVersion) throw await conflict(t, conceptId, expectedVersion, version);
      const nc = applyPatch(c, patch, author);
      if (stableJson(nc) === stableJson(c)) return { result: { concept: c, version } };
      validateChange(withConcept(current, nc), [nc], 'update');
      if (!(await t.updateConcept(nc, expectedVersion, at))) throw await conflict(t, conceptId, expectedVersion);
      await t.syncVariants(conceptId, c.variants, nc.variants, at, sameJson);
      await t.addHistory([{ conceptId, action: 'update', before: c, after: nc, author, at }]);
      return { result: { concept: nc, version: expectedVersion + 1 }, next: withConcept(current, nc) };
    });
  }

  /**
   * Merge an imported glossary, all or nothing, in one transaction. By concept id: an identical
   * concept (content, statuses and provenance) is left alone; a new one is added; a changed one is
   * replaced (variants included) as a new version, with a history row. Furniture, labels and
   * notPossessive are replaced only when the import carries them (non-empty). The merged glossary
   * is validated before anything is written; a problem throws GlossaryValidationError naming the entry.
   */
  async mergeEntries(entries: GlossaryEntries, author: string, options: MergeOptions = {}): Promise<MergeResult> {
    checkAuthor(author);
    checkImportShape(entries);
    const incoming = entries.concepts.map(storedConcept);
    return this.write(async (t, current, at) => {
      const byId = new Map(current.concepts.map((c) => [c.id, c]));
      const added: EntryConcept[] = [];
      const changed: { before: EntryConcept; after: EntryConcept }[] = [];
      let unchanged = 0;
      for (const c of incoming) {
        const old = byId.get(c.id);
        if (!old) added.push(c);
        else if (stableJson(old) === stableJson(c)) unchanged++;
        else changed.push({ before: old, after: c });
      }
      const replaced: (typeof EXTRA_LISTS)[number][] = [];
      const extras = { furniture: current.furniture, labels: current.labels, notPossessive: current.notPossessive };
      for (const k of EXTRA_LISTS) {
        const list = entries[k];
        if (Array.isArray(list) && list.length && stableJson(list) !== stableJson(current[k])) {
          (extras as Record<string, unknown>)[k] = JSON.parse(JSON.stringify(list));
          replaced.push(k);
        }
      }
      if (!added.length && !changed.length && !replaced.length) {
        return { result: { added: 0, changed: 0, unchanged, replaced, revision: await t.revision() } };
      }
      // Each imported concept was checked on its own (checkImportShape); now the merged whole.
      for (const { after } of changed) byId.set(after.id, after);
      for (const c of added) byId.set(c.id, c);
      // Stored concepts are normalised already; sorting keeps the untouched ones as the same objects.
      const concepts = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const next: GlossaryEntries = { ...current, ...extras, concepts };
      validateChange(next, [], 'import');

      const history: NewHistory[] = [];
      await t.insertConcepts(added, at, options.onProgress);
      for (const c of added) history.push({ conceptId: c.id, action: 'import', before: null, after: c, author, at });
      for (const { before, after } of changed) {
        const version = (await t.conceptVersion(after.id))!;
        if (!(await t.updateConcept(after, version, at, before.status !== after.status ? at : undefined))) {
          throw await conflict(t, after.id, version);
        }
        await t.syncVariants(after.id, before.variants, after.variants, at, sameJson);
        history.push({ conceptId: after.id, action: 'import', before, after, author, at });
      }
      for (const k of replaced) {
        await t.setExtra(k, extras[k]);
        history.push({ conceptId: null, action: `import ${k}`, before: current[k], after: extras[k], author, at });
      }
      await t.addHistory(history);
      return {
        result: (revision: number) => ({ added: added.length, changed: changed.length, unchanged, replaced, revision }),
        next,
      };
    });
  }

  // ------------------------------------------------------------------------- detection follow-up

  /**
   * Articles whose stored findings may differ between two glossaries: those whose text contains a
   * form of a concept that was added, removed or changed (see changedForms), or every article when
   * furniture, labels or notPossessive changed.
   */
  async affectedArticles(before: GlossaryData | CompiledGlossary, after: GlossaryData | CompiledGlossary): Promise<number[]> {
    const change = changedForms(dataOf(before), dataOf(after));
    return this.articlesFor(change);
  }

  /**
   * Point the article side at the current compiled glossary and rescan the articles a change
   * affects (forms: texts of the changed forms). Returns the ids rescanned. Wire it as onChange.
   */
  async recomputeFindings(
    articles: FindingsRescanner,
    change: Pick<GlossaryChange, 'forms'> & { all?: boolean } | readonly string[],
  ): Promise<number[]> {
    const c = isStringList(change) ? { forms: [...change], all: false } : change;
    articles.setGlossary(await this.compiled());
    const ids = await this.articlesFor({ forms: c.forms, all: c.all ?? false });
    return ids.length ? articles.rescan(ids) : [];
  }

  private articlesFor(change: { forms: readonly string[]; all: boolean }): Promise<number[]> {
    if (change.all) return this.store.articlesContaining('all');
    const needles = formNeedles(change.forms);
    return this.store.articlesContaining(needles);
  }

  // ---------------------------------------------------------------------------------- internals

  /** The current glossary and its revision, from the cache when the revision has not moved. */
  private snapshot(): Promise<{ revision: number; entries: GlossaryEntries }> {
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
  private async write<T>(
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

// ------------------------------------------------------------------------------------- helpers

function checkAuthor(author: unknown): void {
  if (typeof author !== 'string' || !author.trim()) {
    throw new GlossaryValidationError(['author: say who makes the change (a non-empty name)']);
  }
}

function proposalProvenance(author: string, s: ProposalSource): Provenance {
  const problems: string[] = [];
  const isOffset = (n: unknown) => n === null || n === undefined || (Number.isInteger(n) && (n as number) >= 0);
  if (!isOffset(s.start) || !isOffset(s.end)) problems.push('proposal: start and end must be character offsets (whole numbers from 0)');
  else if (s.start != null && s.end != null && s.end <= s.start) problems.push('proposal: end must be after start');
  if (s.article != null && (typeof s.article !== 'string' || !s.article)) problems.push('proposal: article must be an article slug');
  if (problems.length) throw new GlossaryValidationError(problems);
  const p: Provenance = { proposedBy: author };
  if (s.article != null) p.article = s.article;
  if (s.start != null) p.start = s.start;
  if (s.end != null) p.end = s.end;
  return p;
}

/** The known fields of a variant, without status or provenance. */
function variantFields(v: VariantData): VariantData {
  const out: VariantData = { text: v.text, kind: v.kind };
  if (v.severity !== undefined) out.severity = v.severity;
  if (v.case !== undefined) out.case = v.case;
  if (v.suggestion !== undefined) out.suggestion = v.suggestion;
  if (v.exceptions !== undefined) out.exceptions = v.exceptions;
  if (v.styles !== undefined) out.styles = v.styles;
  if (v.note !== undefined) out.note = v.note;
  return out;
}

function conceptFields(c: NewConceptInput & { id: string }): Omit<ConceptData, 'variants'> {
  const out: Omit<ConceptData, 'variants'> = { id: c.id, canonical: c.canonical, type: c.type };
  if (c.notes !== undefined) out.notes = c.notes;
  if (c.accepted !== undefined) out.accepted = c.accepted;
  if (c.roles !== undefined) out.roles = c.roles;
  return out;
}

function applyPatch(c: EntryConcept, patch: ConceptPatch, author: string): EntryConcept {
  const next: EntryConcept = { ...c };
  if (patch.canonical !== undefined) next.canonical = patch.canonical;
  if (patch.type !== undefined) next.type = patch.type;
  for (const k of ['notes', 'accepted', 'roles'] as const) {
    if (patch[k] === null) delete next[k];
    else if (patch[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = patch[k];
  }
  if (patch.variants !== undefined) {
    if (!Array.isArray(patch.variants)) throw new GlossaryValidationError([`update: concept "${c.id}": variants must be a list`]);
    if (patch.variants.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new GlossaryValidationError([`update: concept "${c.id}": each variant must be a mapping with text and kind`]);
    }
    const old = new Map(c.variants.map((v) => [v.text, v]));
    next.variants = patch.variants.map((v) => {
      const o = old.get(v?.text);
      return o
        ? { ...variantFields(v), status: o.status, ...(o.provenance ? { provenance: o.provenance } : {}) }
        : { ...variantFields(v), status: 'proposed' as const, provenance: { proposedBy: author } };
    });
  }
  return storedConcept(next);
}

function findConcept(g: GlossaryEntries, id: string): EntryConcept | undefined {
  const i = conceptIndex(g.concepts, id);
  return g.concepts[i]?.id === id ? g.concepts[i] : undefined;
}

/** Binary search in concepts sorted by id: the index of id, or where it would go. */
function conceptIndex(concepts: readonly EntryConcept[], id: string): number {
  let lo = 0;
  let hi = concepts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (concepts[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The glossary with one concept added or replaced, order kept. */
function withConcept(g: GlossaryEntries, c: EntryConcept): GlossaryEntries {
  const concepts = g.concepts.slice();
  const i = conceptIndex(concepts, c.id);
  if (concepts[i]?.id === c.id) concepts[i] = c;
  else concepts.splice(i, 0, c);
  return { ...g, concepts };
}

/** The entries that take part in detection or may soon: proposed and approved ones. */
function liveData(g: GlossaryEntries): GlossaryData {
  const live = (s: EntryStatus) => s === 'proposed' || s === 'approved';
  return {
    name: g.name,
    concepts: g.concepts
      .filter((c) => live(c.status))
      .map(({ status: _s, provenance: _p, variants, ...c }) => ({
        ...c,
        variants: variants.filter((v) => live(v.status)).map(({ status: _vs, provenance: _vp, ...v }) => v),
      })),
    furniture: g.furniture,
    labels: g.labels,
    notPossessive: g.notPossessive,
  };
}

function stripEntry(c: EntryConcept): ConceptData {
  const { status: _s, provenance: _p, variants, ...rest } = c;
  return { ...rest, variants: (variants ?? []).map(({ status: _vs, provenance: _vp, ...v }) => v) };
}

function conceptProblems(c: EntryConcept, source: string): string[] {
  const problems: string[] = [];
  try {
    validateGlossary({ concepts: [stripEntry(c)] }, source);
  } catch (e) {
    if (e instanceof GlossaryValidationError) problems.push(...e.problems);
    else throw e;
  }
  return problems;
}

/**
 * Check a change before it is written: each touched concept on its own, whatever its status (every
 * field well-formed, no form twice), then the whole glossary as it would be, counting the entries
 * that are live (proposed or approved), so the approved glossary stays valid whatever gets
 * approved next: a form belongs to one concept.
 */
function validateChange(next: GlossaryEntries, touched: readonly EntryConcept[], source: string): void {
  const problems: string[] = [];
  for (const c of touched) problems.push(...conceptProblems(c, source));
  if (problems.length) throw new GlossaryValidationError(problems);
  validateGlossary(liveData(next), source);
}

/** Shape and status checks of an import, before anything is compared or written. */
function checkImportShape(g: GlossaryEntries): void {
  const problems: string[] = [];
  if (typeof g !== 'object' || g === null || !Array.isArray(g.concepts)) {
    throw new GlossaryValidationError(['import: expected a glossary with a "concepts" list']);
  }
  const ids = new Set<string>();
  const statusOk = (s: unknown) => ENTRY_STATUSES.includes(s as EntryStatus);
  const provProblem = (p: unknown): string | null => {
    if (p === undefined || p === null) return null;
    if (typeof p !== 'object' || Array.isArray(p)) return 'provenance must be a mapping';
    const q = p as Record<string, unknown>;
    for (const k of ['proposedBy', 'decidedBy', 'article'] as const) {
      if (q[k] != null && typeof q[k] !== 'string') return `provenance.${k} must be text`;
    }
    for (const k of ['start', 'end'] as const) {
      if (q[k] != null && !(Number.isInteger(q[k]) && (q[k] as number) >= 0)) return `provenance.${k} must be a whole number from 0`;
    }
    return null;
  };
  g.concepts.forEach((c: unknown, i: number) => {
    const before = problems.length;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      problems.push(`import: concept #${i + 1}: must be a mapping with id, canonical, type and variants`);
      return;
    }
    const e = c as EntryConcept;
    const where = typeof e.id === 'string' ? `concept "${e.id}"` : `concept #${i + 1}`;
    if (typeof e.id === 'string') {
      if (ids.has(e.id)) problems.push(`import: ${where}: id is used twice in the import`);
      ids.add(e.id);
    }
    if (!statusOk(e.status)) problems.push(`import: ${where}: status ${JSON.stringify(e.status)} is not one of ${ENTRY_STATUSES.join(', ')}`);
    const pp = provProblem(e.provenance);
    if (pp) problems.push(`import: ${where}: ${pp}`);
    if (e.variants !== undefined && !Array.isArray(e.variants)) {
      problems.push(`import: ${where}: variants must be a list`);
      return;
    }
    (e.variants ?? []).forEach((v: unknown, j: number) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        problems.push(`import: ${where}, variant #${j + 1}: must be a mapping with text and kind`);
        return;
      }
      const ev = v as EntryVariant;
      const vw = `${where}, variant ${typeof ev.text === 'string' ? JSON.stringify(ev.text) : `#${j + 1}`}`;
      if (!statusOk(ev.status)) problems.push(`import: ${vw}: status ${JSON.stringify(ev.status)} is not one of ${ENTRY_STATUSES.join(', ')}`);
      const vp = provProblem(ev.provenance);
      if (vp) problems.push(`import: ${vw}: ${vp}`);
    });
    if (problems.length === before) problems.push(...conceptProblems(e, 'import'));
  });
  for (const k of EXTRA_LISTS) {
    if (g[k] !== undefined && !Array.isArray(g[k])) problems.push(`import: ${k} must be a list`);
  }
  if (problems.length) throw new GlossaryValidationError(problems);
}

async function conflict(t: GlossaryTx, id: string, expected: number, current?: number): Promise<ConflictError> {
  const now = current ?? (await t.conceptVersion(id)) ?? 0;
  const last = await t.latestHistory(id);
  return new ConflictError(id, expected, now, last ? { action: last.action, author: last.author, at: last.at } : null);
}

const SLUG_MAP: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h' };

/** A concept id from a canonical form: "Volodymyr Zelensky" -> "volodymyr-zelensky". */
export function slugify(s: string): string {
  const slug = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđðþßæœıħ]/g, (ch) => SLUG_MAP[ch] ?? ch)
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'concept';
}

async function freeSlug(t: GlossaryTx, base: string): Promise<string> {
  if (!(await t.conceptExists(base))) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!(await t.conceptExists(id))) return id;
  }
}

/** JSON with object keys sorted: equal values give equal strings whatever their key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

function formsOf(c: ConceptData): string[] {
  return [c.canonical, ...(c.accepted ?? []), ...(c.variants ?? []).map((v) => v.text)];
}

/**
 * What detection may see differently between two approved glossaries: every form (canonical,
 * accepted, variant) of each concept that was added, removed or changed in any field (roles and
 * types feed detectors too), before and after; `all` when furniture, labels or notPossessive changed.
 */
export function changedForms(before: GlossaryData, after: GlossaryData): { forms: string[]; all: boolean } {
  const all = EXTRA_LISTS.some((k) => !sameJson(before[k] ?? [], after[k] ?? []));
  const a = new Map(before.concepts.map((c) => [c.id, c]));
  const b = new Map(after.concepts.map((c) => [c.id, c]));
  const forms = new Set<string>();
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (x && y && sameJson(x, y)) continue;
    for (const c of [x, y]) if (c) for (const f of formsOf(c)) forms.add(f);
  }
  return { forms: [...forms].sort(), all };
}

/** changedForms for two whole glossaries; concepts that are the same object (untouched by a write) are skipped. */
function changedEntryForms(before: GlossaryEntries, after: GlossaryEntries): { forms: string[]; all: boolean } {
  const all = EXTRA_LISTS.some((k) => before[k] !== after[k] && !sameJson(before[k], after[k]));
  const a = new Map(before.concepts.map((c) => [c.id, c]));
  const b = new Map(after.concepts.map((c) => [c.id, c]));
  const x: ConceptData[] = [];
  const y: ConceptData[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const ca = a.get(id);
    const cb = b.get(id);
    if (ca === cb) continue;
    if (ca) x.push(...approvedData({ ...before, concepts: [ca] }).concepts);
    if (cb) y.push(...approvedData({ ...after, concepts: [cb] }).concepts);
  }
  return { forms: changedForms({ concepts: x }, { concepts: y }).forms, all };
}

/**
 * Needles for finding articles that may contain a form, in SQL (instr on lower(text), which folds
 * ASCII only). The matcher also folds non-ASCII case, typographic apostrophes and hyphens, and
 * spacing between words, so the needle is the longest ASCII letter-or-digit run of the form, in
 * lower case: a superset of the articles the form can match in. A form without one (all Cyrillic,
 * say) gives 'all'.
 */
export function formNeedles(forms: readonly string[]): string[] | 'all' {
  const needles = new Set<string>();
  for (const f of forms) {
    const runs = f.match(/[A-Za-z0-9]+/g) ?? [];
    const best = runs.reduce((m, r) => (r.length > m.length ? r : m), '');
    if (!best) return 'all';
    needles.add(best.toLowerCase());
  }
  return [...needles];
}

function dataOf(g: GlossaryData | CompiledGlossary): GlossaryData {
  return 'matcher' in g ? g.data : g;
}

function isStringList(v: unknown): v is readonly string[] {
  return Array.isArray(v);
}
