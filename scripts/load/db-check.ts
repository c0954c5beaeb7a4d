// What the database holds after the load: PRAGMA integrity_check, and every acknowledged
// annotation looked up by id and compared with what was sent (reviewer, article, span, comment:
// annotation ids are rowids and could be handed out again if a row had been lost).
// Opened on its own connection; WAL mode lets this run while the server is up.
import { Db } from '../../server/store/db.ts';
import type { Ack } from './traffic.ts';

export interface DbCheck {
  integrity: string;
  acknowledged: number;
  /** Acknowledged annotations found with the same reviewer, article, span and comment. */
  found: number;
  /** Acknowledged ids with no row. */
  missing: number[];
  /** Acknowledged ids whose row is another annotation (the acknowledged one was lost and its id reused). */
  mismatched: number[];
  /** Rows written by the load's reviewers. */
  loadRows: number;
  /** Of those, rows no response acknowledged (committed while the answer was lost: at a kill, or at the end of a run). */
  unacknowledgedRows: number;
}

interface Row {
  id: number;
  reviewer: string;
  start: number;
  end: number;
  comment: string | null;
  slug: string;
}

export async function checkDatabase(dbPath: string, acked: readonly Ack[], reviewerPrefix: string): Promise<DbCheck> {
  const db = await Db.open(dbPath);
  try {
    const integrity = (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ');
    const rows = await db.all<Row>(
      `SELECT n.id, n.reviewer, n.start, n."end" AS "end", n.comment, a.slug
         FROM annotations n JOIN articles a ON a.id = n.article_id
        WHERE substr(n.reviewer, 1, ?) = ?`,
      [reviewerPrefix.length, reviewerPrefix],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing: number[] = [];
    const mismatched: number[] = [];
    const ackedIds = new Set<number>();
    // Comments are unique, so of two acknowledgements with one id (a lost row's id handed out
    // again) at most one matches the row; the other is counted as another row.
    for (const a of acked) {
      ackedIds.add(a.id);
      const r = byId.get(a.id) ?? (await db.get<Row>('SELECT n.id, n.reviewer, n.start, n."end" AS "end", n.comment, a.slug FROM annotations n JOIN articles a ON a.id = n.article_id WHERE n.id = ?', [a.id]));
      if (!r) missing.push(a.id);
      else if (r.reviewer !== a.reviewer || r.slug !== a.slug || r.start !== a.start || r.end !== a.end || r.comment !== a.comment) mismatched.push(a.id);
    }
    return {
      integrity,
      acknowledged: acked.length,
      found: acked.length - missing.length - mismatched.length,
      missing,
      mismatched,
      loadRows: rows.length,
      unacknowledgedRows: rows.filter((r) => !ackedIds.has(r.id)).length,
    };
  } finally {
    await db.close();
  }
}

/**
 * After the load, with the server still up: wait (up to timeoutMs) until every acknowledged
 * annotation is visible to another connection. Returns how long that took, and the ids still not
 * visible when it gave up (acknowledged writes the server has not committed).
 */
export async function waitCommitted(dbPath: string, acked: readonly Ack[], timeoutMs: number): Promise<{ ms: number; notCommitted: number[] }> {
  const db = await Db.open(dbPath);
  const t0 = performance.now();
  let left = [...new Set(acked.map((a) => a.id))];
  try {
    for (;;) {
      const seen = new Set<number>();
      for (let i = 0; i < left.length; i += 500) {
        const ids = left.slice(i, i + 500);
        for (const r of await db.all<{ id: number }>(`SELECT id FROM annotations WHERE id IN (${ids.map(() => '?').join(',')})`, ids)) seen.add(r.id);
      }
      left = left.filter((id) => !seen.has(id));
      const ms = performance.now() - t0;
      if (!left.length || ms >= timeoutMs) return { ms, notCommitted: left };
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.close();
  }
}
