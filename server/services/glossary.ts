// The shared glossary's business operations: reviewers propose entries, editors approve, reject or
// deprecate them, imports merge whole glossaries; the approved part drives detection.
import type { CompiledGlossary } from '../core/glossary/compile.ts';
import {
  STATUS_TRANSITIONS,
  entriesFromData,
  normalizeEntries,
  type EntryConcept,
  type EntryStatus,
  type EntryVariant,
  type GlossaryEntries,
  type Provenance,
} from '../core/glossary/model.ts';
import { GlossaryValidationError, validateGlossary, type GlossaryData, type VariantData } from '../core/glossary/schema.ts';
import {
  storedConcept,
  storedVariant,
  type ConceptSummary,
  type GlossaryStore,
  type HistoryEntry,
  type ListFilter,
  type NewHistory,
} from '../store/glossary.ts';
import { changedForms, formNeedles, sameJson, stableJson } from './glossary-changes.ts';
import { conflict, ConflictError, InvalidTransitionError, NotFoundError } from './glossary-errors.ts';
import {
  EXTRA_LISTS,
  applyPatch,
  checkAuthor,
  checkImportShape,
  conceptFields,
  findConcept,
  proposalProvenance,
  freeSlug,
  slugify,
  validateChange,
  variantFields,
  withConcept,
} from './glossary-rules.ts';
import { GlossaryState } from './glossary-state.ts';
import type {
  ConceptDetail,
  ConceptPatch,
  DecideAction,
  FindingsRescanner,
  GlossaryChange,
  GlossaryServiceOptions,
  MergeOptions,
  MergeResult,
  ProposalSource,
  ProposeResult,
  ProposeTarget,
  WriteResult,
} from './glossary-types.ts';

// The service's public names, wherever they are defined.
export { changedForms, formNeedles, stableJson } from './glossary-changes.ts';
export { ConflictError, GlossaryValidationError, InvalidTransitionError, NotFoundError, RecomputeError } from './glossary-errors.ts';
export { slugify } from './glossary-rules.ts';
export type * from './glossary-types.ts';

export const STARTER_AUTHOR = 'starter glossary';
const ACTION_STATUS: Record<DecideAction, EntryStatus> = { approve: 'approved', reject: 'rejected', deprecate: 'deprecated' };

/**
 * Optimistic concurrency: update() and decide() name the concept version the caller read; a stale
 * one is a ConflictError. Transactions are serialised (BEGIN IMMEDIATE, also across processes), and
 * the version is checked again in the UPDATE itself (WHERE id = ? AND version = ?). Every write runs
 * in GlossaryState.write: one transaction, then the cache and onChange.
 */
export class GlossaryService {
  private readonly state: GlossaryState;

  constructor(
    readonly store: GlossaryStore,
    options: GlossaryServiceOptions = {},
  ) {
    this.state = new GlossaryState(store, options);
  }

  // ------------------------------------------------------------------------------------------ reads

  /** The whole glossary (deterministic order; provenance fields only when set). A copy: safe to change. */
  async entries(): Promise<GlossaryEntries> {
    return structuredClone((await this.state.snapshot()).entries);
  }

  /** The approved glossary, compiled; rebuilt only when the glossary revision (and its approved data) changed. */
  compiled(): Promise<CompiledGlossary> {
    return this.state.compiled();
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
    return this.state.write(async (t, current, at) => {
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
    return this.state.write<ProposeResult>(async (t, current, at) => {
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
    return this.state.write(async (t, current, at) => {
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
    return this.state.write(async (t, current, at) => {
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
    return this.state.write(async (t, current, at) => {
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
    const change = changedForms(before, after);
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

  /**
   * Add an exception phrase (a context in which the variant is correct, containing it) to one
   * variant of a concept, as an update by `author`. Already there: nothing changes. Retries a few
   * times when another write bumps the concept's version in between.
   */
  async addException(conceptId: string, variantText: string, phrase: string, author: string): Promise<WriteResult> {
    for (let attempt = 0; ; attempt++) {
      const detail = await this.show(conceptId);
      const c = detail.concept;
      const v = c.variants.find((x) => x.text === variantText);
      if (!v) throw new NotFoundError(`Concept "${conceptId}" has no variant "${variantText}".`);
      if (v.exceptions?.includes(phrase)) return { concept: c, version: detail.version };
      const variants = c.variants.map((x) => (x === v ? { ...variantFields(x), exceptions: [...(x.exceptions ?? []), phrase] } : variantFields(x)));
      try {
        return await this.update(conceptId, { variants }, author, detail.version);
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= 3) throw e;
      }
    }
  }
}

// ------------------------------------------------------------------------------------- helpers


function isStringList(v: unknown): v is readonly string[] {
  return Array.isArray(v);
}
