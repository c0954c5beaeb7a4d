// The shared glossary in SQLite (tables of migration 2): SQL on concepts, variants, history, the
// glossary-wide extras and the revision counter; row <-> entry mapping is in glossary-rows.ts.
// SQL only: the business rules (statuses, validation, conflicts) live in services/glossary.ts.
import { foldForm, type FurnitureData, type LabelData } from '../core/glossary/schema.ts';
import {
  normalizeEntries,
  type EntryConcept,
  type EntryStatus,
  type EntryVariant,
  type GlossaryEntries,
  type Provenance,
} from '../core/glossary/model.ts';
import type { Db } from './db.ts';
import {
  CONCEPT_COLS,
  HISTORY_COLS,
  VARIANT_COLS,
  byText,
  conceptFromRow,
  conceptValues,
  historyFromRow,
  json,
  provenanceCols,
  variantFromRow,
  variantValues,
  type ConceptRow,
  type HistoryRow,
  type VariantRow,
} from './glossary-rows.ts';
import type {
  ConceptSummary,
  ExtraKey,
  GlossaryExtras,
  HistoryEntry,
  ListFilter,
  NewHistory,
  StoredConcept,
} from './glossary-types.ts';

// The store's public names, wherever they are defined.
export { conceptFromRow, storedConcept, storedVariant, variantFromRow, type ConceptRow, type VariantRow } from './glossary-rows.ts';
export type {
  ConceptSummary,
  ExtraKey,
  GlossaryExtras,
  HistoryEntry,
  ListFilter,
  NewHistory,
  StoredConcept,
  VariantMeta,
} from './glossary-types.ts';

/** SQLite allows 32766 bound parameters per statement; stay well below, and keep statements small. */
const MAX_PARAMS = 16_000;
const MAX_ROWS = 500;

/** Multi-row INSERTs, chunked under SQLite's parameter limit: thousands of rows in a few statements. */
async function insertMany(
  db: Db,
  table: string,
  cols: readonly string[],
  rows: unknown[][],
  onChunk?: (rows: number) => void,
): Promise<void> {
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / cols.length)));
  const tuple = `(${cols.map(() => '?').join(',')})`;
  let full: string | null = null;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const sql =
      chunk.length === per
        ? (full ??= `INSERT INTO ${table} (${cols.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`)
        : `INSERT INTO ${table} (${cols.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`;
    await db.run(sql, chunk.flat());
    onChunk?.(chunk.length);
  }
}

const VARIANT_SELECT = `SELECT id, concept_id, text, kind, severity, case_rule, suggestion, exceptions_json, styles_json, note, status,
  proposed_by, article_slug, span_start, span_end, decided_by, decided_at, created_at, updated_at FROM variants`;

/**
 * SQL on the glossary tables, valid only inside the transaction it was handed to.
 *
 * Every operation runs on a GlossaryTx, which only exists inside one db.transaction(): a service
 * call reads, checks and writes in a single BEGIN IMMEDIATE … COMMIT unit, so a failure anywhere
 * leaves nothing behind. Reads go through a transaction too: on the one shared connection, a plain
 * read issued while another transaction is open would see its uncommitted rows.
 */
export class GlossaryTx {
  constructor(readonly db: Db) {}

  async revision(): Promise<number> {
    const r = await this.db.get<{ revision: number }>('SELECT revision FROM glossary_state WHERE id = 1');
    return r?.revision ?? 0;
  }

  /** Bump the glossary revision; returns the new one. Call once per transaction that changed anything. */
  async bumpRevision(at: string): Promise<number> {
    await this.db.run('UPDATE glossary_state SET revision = revision + 1, updated_at = ? WHERE id = 1', [at]);
    return this.revision();
  }

  async conceptCount(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM concepts'))?.n ?? 0;
  }

  async conceptExists(id: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS x FROM concepts WHERE id = ?', [id])) !== undefined;
  }

  async extras(): Promise<GlossaryExtras> {
    const rows = await this.db.all<{ key: ExtraKey; value_json: string }>('SELECT key, value_json FROM glossary_extras');
    const m = new Map(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
    return {
      name: (m.get('name') as string | undefined) ?? 'glossary',
      furniture: (m.get('furniture') as FurnitureData[] | undefined) ?? [],
      labels: (m.get('labels') as LabelData[] | undefined) ?? [],
      notPossessive: (m.get('notPossessive') as string[] | undefined) ?? [],
    };
  }

  async setExtra(key: ExtraKey, value: unknown): Promise<void> {
    await this.db.run(
      'INSERT INTO glossary_extras (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
      [key, JSON.stringify(value)],
    );
  }

  /** The whole glossary: concepts by id, variants by text (normalizeEntries order). */
  async entries(): Promise<GlossaryEntries> {
    const concepts = await this.db.all<ConceptRow>('SELECT * FROM concepts ORDER BY id');
    const variants = await this.db.all<VariantRow>(`${VARIANT_SELECT} ORDER BY concept_id, text`);
    const byConcept = new Map<string, EntryVariant[]>();
    for (const v of variants) {
      let list = byConcept.get(v.concept_id);
      if (!list) byConcept.set(v.concept_id, (list = []));
      list.push(variantFromRow(v));
    }
    const extras = await this.extras();
    return normalizeEntries({
      name: extras.name,
      concepts: concepts.map((c) => conceptFromRow(c, byConcept.get(c.id) ?? [])),
      furniture: extras.furniture,
      labels: extras.labels,
      notPossessive: extras.notPossessive,
    });
  }

  /** One concept with its variants, version and timestamps. */
  async concept(id: string): Promise<StoredConcept | undefined> {
    const row = await this.db.get<ConceptRow>('SELECT * FROM concepts WHERE id = ?', [id]);
    if (!row) return undefined;
    const vrows = await this.db.all<VariantRow>(`${VARIANT_SELECT} WHERE concept_id = ?`, [id]);
    vrows.sort(byText);
    return {
      concept: conceptFromRow(row, vrows.map(variantFromRow)),
      version: row.version,
      decidedAt: row.decided_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      variants: vrows.map((v) => ({
        id: v.id,
        text: v.text,
        status: v.status,
        decidedAt: v.decided_at,
        createdAt: v.created_at,
        updatedAt: v.updated_at,
      })),
    };
  }

  async list(f: ListFilter = {}): Promise<ConceptSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status) {
      where.push('c.status = ?');
      params.push(f.status);
    }
    if (f.type) {
      where.push('c.type = ?');
      params.push(f.type);
    }
    if (f.q && f.q.trim()) {
      const like = `%${likeEscape(foldForm(f.q.trim()))}%`;
      // LIKE folds ASCII case only; variants.folded is folded fully.
      where.push(
        `(c.id LIKE ? ESCAPE '\\' OR c.canonical LIKE ? ESCAPE '\\' OR c.accepted_json LIKE ? ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM variants v WHERE v.concept_id = c.id AND v.folded LIKE ? ESCAPE '\\'))`,
      );
      params.push(like, like, like, like);
    }
    params.push(f.limit ?? -1, f.offset ?? 0);
    return this.db.all<ConceptSummary>(
      `SELECT c.id, c.canonical, c.type, c.status, c.version, c.updated_at AS updatedAt,
         (SELECT COUNT(*) FROM variants v WHERE v.concept_id = c.id) AS variants,
         (SELECT COUNT(*) FROM variants v WHERE v.concept_id = c.id AND v.status = 'proposed') AS proposedVariants
       FROM concepts c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.id LIMIT ? OFFSET ?`,
      params,
    );
  }

  /**
   * Insert whole concepts with their variants, in multi-row statements of up to 500 rows. Versions
   * start at 1; decided_at is set for entries that carry a decision. onProgress reports rows written.
   */
  async insertConcepts(
    concepts: readonly EntryConcept[],
    at: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    const decided = (s: EntryStatus, p: Provenance | undefined) => (s !== 'proposed' || p?.decidedBy ? at : null);
    const conceptRows = concepts.map((c) => conceptValues(c, at, decided(c.status, c.provenance)));
    const variantRows = concepts.flatMap((c) => c.variants.map((v) => variantValues(c.id, v, at, decided(v.status, v.provenance))));
    const total = conceptRows.length + variantRows.length;
    let done = 0;
    const tick = onProgress ? (n: number) => onProgress((done += n), total) : undefined;
    await insertMany(this.db, 'concepts', CONCEPT_COLS, conceptRows, tick);
    await insertMany(this.db, 'variants', VARIANT_COLS, variantRows, tick);
  }

  /** Insert one concept (no variants); returns nothing: the id is the key. */
  async insertConcept(c: EntryConcept, at: string): Promise<void> {
    await insertMany(this.db, 'concepts', CONCEPT_COLS, [conceptValues(c, at, null)]);
  }

  /**
   * Rewrite a concept's own fields (not its variants) and bump its version, only if it is still at
   * expectedVersion. Returns false (and writes nothing) when the version moved on. decidedAt:
   * undefined keeps the stored one.
   */
  async updateConcept(c: EntryConcept, expectedVersion: number, at: string, decidedAt?: string | null): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE concepts SET canonical = ?, type = ?, notes = ?, accepted_json = ?, roles_json = ?, status = ?,
         proposed_by = ?, article_slug = ?, span_start = ?, span_end = ?, decided_by = ?,
         decided_at = CASE WHEN ? THEN ? ELSE decided_at END,
         version = version + 1, updated_at = ?
       WHERE id = ? AND version = ?`,
      [
        c.canonical, c.type, c.notes ?? null, json(c.accepted), json(c.roles), c.status, ...provenanceCols(c.provenance),
        decidedAt !== undefined ? 1 : 0, decidedAt ?? null, at, c.id, expectedVersion,
      ],
    );
    return r.changes === 1;
  }

  /** Bump a concept's version (a change to its variants) if it is still at expectedVersion. */
  async bumpConceptVersion(id: string, expectedVersion: number, at: string): Promise<boolean> {
    const r = await this.db.run('UPDATE concepts SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?', [
      at, id, expectedVersion,
    ]);
    return r.changes === 1;
  }

  async conceptVersion(id: string): Promise<number | undefined> {
    return (await this.db.get<{ version: number }>('SELECT version FROM concepts WHERE id = ?', [id]))?.version;
  }

  async variantId(conceptId: string, text: string): Promise<number | undefined> {
    return (await this.db.get<{ id: number }>('SELECT id FROM variants WHERE concept_id = ? AND text = ?', [conceptId, text]))?.id;
  }

  /** Insert one variant; returns its id. */
  async insertVariant(conceptId: string, v: EntryVariant, at: string, decidedAt: string | null = null): Promise<number> {
    const r = await this.db.run(
      `INSERT INTO variants (${VARIANT_COLS.join(',')}) VALUES (${VARIANT_COLS.map(() => '?').join(',')})`,
      variantValues(conceptId, v, at, decidedAt),
    );
    return r.lastID;
  }

  /** Rewrite a variant (found by concept and text). decidedAt: undefined keeps the stored one. */
  async updateVariant(conceptId: string, v: EntryVariant, at: string, decidedAt?: string | null): Promise<void> {
    await this.db.run(
      `UPDATE variants SET kind = ?, severity = ?, case_rule = ?, suggestion = ?, exceptions_json = ?, styles_json = ?, note = ?,
         status = ?, proposed_by = ?, article_slug = ?, span_start = ?, span_end = ?, decided_by = ?,
         decided_at = CASE WHEN ? THEN ? ELSE decided_at END, updated_at = ?
       WHERE concept_id = ? AND text = ?`,
      [
        v.kind, v.severity ?? null, v.case ?? null, v.suggestion ?? null, json(v.exceptions), json(v.styles), v.note ?? null,
        v.status, ...provenanceCols(v.provenance), decidedAt !== undefined ? 1 : 0, decidedAt ?? null, at, conceptId, v.text,
      ],
    );
  }

  async deleteVariant(conceptId: string, text: string): Promise<void> {
    await this.db.run('DELETE FROM variants WHERE concept_id = ? AND text = ?', [conceptId, text]);
  }

  /**
   * Make the stored variants of a concept equal `after` (matched by text): update the changed ones,
   * insert the new ones, delete the missing ones. `sameVariant` decides what counts as unchanged.
   */
  async syncVariants(
    conceptId: string,
    before: readonly EntryVariant[],
    after: readonly EntryVariant[],
    at: string,
    sameVariant: (a: EntryVariant, b: EntryVariant) => boolean,
  ): Promise<void> {
    const old = new Map(before.map((v) => [v.text, v]));
    const keep = new Set(after.map((v) => v.text));
    for (const v of before) if (!keep.has(v.text)) await this.deleteVariant(conceptId, v.text);
    const fresh: unknown[][] = [];
    for (const v of after) {
      const o = old.get(v.text);
      if (!o) fresh.push(variantValues(conceptId, v, at, v.status !== 'proposed' || v.provenance?.decidedBy ? at : null));
      else if (!sameVariant(o, v)) await this.updateVariant(conceptId, v, at, o.status !== v.status ? at : undefined);
    }
    await insertMany(this.db, 'variants', VARIANT_COLS, fresh);
  }

  async addHistory(rows: readonly NewHistory[]): Promise<void> {
    await insertMany(
      this.db,
      'glossary_history',
      HISTORY_COLS,
      rows.map((h) => [h.conceptId, h.variantId ?? null, h.action, json(h.before), json(h.after), h.author, h.at]),
    );
  }

  async history(conceptId: string): Promise<HistoryEntry[]> {
    const rows = await this.db.all<HistoryRow>('SELECT * FROM glossary_history WHERE concept_id = ? ORDER BY id', [conceptId]);
    return rows.map(historyFromRow);
  }

  async latestHistory(conceptId: string): Promise<HistoryEntry | undefined> {
    const row = await this.db.get<HistoryRow>('SELECT * FROM glossary_history WHERE concept_id = ? ORDER BY id DESC LIMIT 1', [conceptId]);
    return row ? historyFromRow(row) : undefined;
  }

  /** Row counts of the glossary tables (for checks and tests). */
  async counts(): Promise<{ concepts: number; variants: number; history: number; revision: number }> {
    const r = await this.db.get<{ concepts: number; variants: number; history: number; revision: number }>(
      `SELECT (SELECT COUNT(*) FROM concepts) AS concepts, (SELECT COUNT(*) FROM variants) AS variants,
              (SELECT COUNT(*) FROM glossary_history) AS history, (SELECT revision FROM glossary_state WHERE id = 1) AS revision`,
    );
    return r ?? { concepts: 0, variants: 0, history: 0, revision: 0 };
  }

  /**
   * Articles whose text contains one of the needles, compared after SQLite's lower() (ASCII case
   * folding), so callers pass needles already lower-cased in ASCII. 'all' returns every article.
   */
  async articlesContaining(needles: readonly string[] | 'all'): Promise<number[]> {
    if (needles === 'all') return (await this.db.all<{ id: number }>('SELECT id FROM articles ORDER BY id')).map((r) => r.id);
    const list = [...new Set(needles)].filter((n) => n.length > 0);
    if (!list.length) return [];
    const rows = await this.db.all<{ id: number }>(
      `SELECT a.id FROM articles a
       WHERE EXISTS (SELECT 1 FROM json_each(?) n WHERE instr(lower(a.text), n.value) > 0)
       ORDER BY a.id`,
      [JSON.stringify(list)],
    );
    return rows.map((r) => r.id);
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** The glossary tables of one database. */
export class GlossaryStore {
  constructor(readonly db: Db) {}

  /** Run fn in one transaction (BEGIN IMMEDIATE … COMMIT, serialised with every other one). */
  transaction<T>(fn: (t: GlossaryTx) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new GlossaryTx(tx)));
  }

  entries(): Promise<GlossaryEntries> {
    return this.transaction((t) => t.entries());
  }

  concept(id: string): Promise<StoredConcept | undefined> {
    return this.transaction((t) => t.concept(id));
  }

  history(conceptId: string): Promise<HistoryEntry[]> {
    return this.transaction((t) => t.history(conceptId));
  }

  list(filter: ListFilter = {}): Promise<ConceptSummary[]> {
    return this.transaction((t) => t.list(filter));
  }

  revision(): Promise<number> {
    return this.transaction((t) => t.revision());
  }

  counts(): Promise<{ concepts: number; variants: number; history: number; revision: number }> {
    return this.transaction((t) => t.counts());
  }

  articlesContaining(needles: readonly string[] | 'all'): Promise<number[]> {
    return this.transaction((t) => t.articlesContaining(needles));
  }
}
