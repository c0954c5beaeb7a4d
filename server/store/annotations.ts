// Reviewer annotations and decisions on findings: the SQL. Rules (who may edit, what is valid, how
// spans are re-anchored) live in services/annotations.ts.
import type { Db } from './db.ts';

export interface AnnotationRow {
  id: number;
  article_id: number;
  revision: number;
  reviewer: string;
  category: string;
  severity: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  correction: string | null;
  comment: string | null;
  status: 'anchored' | 'orphaned';
  orphan_reason: string | null;
  finding_key: string | null;
  created_at: string;
  updated_at: string;
}

/** An annotation with its article's slug (for exports). */
export interface AnnotationWithSlug extends AnnotationRow {
  slug: string;
}

export type NewAnnotationRow = Omit<AnnotationRow, 'id' | 'status' | 'orphan_reason' | 'created_at' | 'updated_at'>;

export interface DecisionRow {
  id: number;
  article_id: number;
  revision: number;
  detector: string;
  start: number;
  end: number;
  text: string;
  decision: 'accepted' | 'dismissed';
  reason: string | null;
  scope: 'here' | 'always';
  reviewer: string;
  annotation_id: number | null;
  created_at: string;
}

export type NewDecisionRow = Omit<DecisionRow, 'id' | 'created_at'>;

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

export class AnnotationStore {
  constructor(readonly db: Db) {}

  byId(id: number): Promise<AnnotationRow | undefined> {
    return this.db.get<AnnotationRow>('SELECT * FROM annotations WHERE id = ?', [id]);
  }

  /** An article's annotations in reading order (orphaned ones keep their last position). */
  forArticle(articleId: number): Promise<AnnotationRow[]> {
    return this.db.all<AnnotationRow>('SELECT * FROM annotations WHERE article_id = ? ORDER BY start, end, id', [articleId]);
  }

  /** Every annotation of the corpus, by article then reading order. */
  all(): Promise<AnnotationWithSlug[]> {
    return this.db.all<AnnotationWithSlug>(
      'SELECT n.*, a.slug FROM annotations n JOIN articles a ON a.id = n.article_id ORDER BY a.slug, n.start, n.end, n.id',
    );
  }

  async insert(a: NewAnnotationRow, db: Db = this.db): Promise<number> {
    const r = await db.run(
      `INSERT INTO annotations (article_id, revision, reviewer, category, severity, start, end, exact, prefix, suffix, correction, comment, finding_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.article_id, a.revision, a.reviewer, a.category, a.severity, a.start, a.end, a.exact, a.prefix, a.suffix, a.correction, a.comment, a.finding_key],
    );
    return r.lastID;
  }

  /** Change the assessment of an annotation (not its span). False when it is gone. */
  async updateAssessment(
    id: number,
    patch: Pick<AnnotationRow, 'category' | 'severity' | 'correction' | 'comment'>,
  ): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE annotations SET category = ?, severity = ?, correction = ?, comment = ?, updated_at = ${NOW} WHERE id = ?`,
      [patch.category, patch.severity, patch.correction, patch.comment, id],
    );
    return r.changes === 1;
  }

  async delete(id: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM finding_decisions WHERE annotation_id = ? AND decision = 'accepted'", [id]);
      const r = await tx.run('DELETE FROM annotations WHERE id = ?', [id]);
      return r.changes === 1;
    });
  }

  /** Record where an annotation now is after a revision of its article (or that it is orphaned). */
  reanchored(
    id: number,
    to: { revision: number } & ({ status: 'anchored'; start: number; end: number; prefix: string; suffix: string } | { status: 'orphaned'; reason: string }),
    db: Db = this.db,
  ): Promise<unknown> {
    if (to.status === 'anchored') {
      return db.run(
        `UPDATE annotations SET revision = ?, start = ?, end = ?, prefix = ?, suffix = ?, status = 'anchored', orphan_reason = NULL, updated_at = ${NOW} WHERE id = ?`,
        [to.revision, to.start, to.end, to.prefix, to.suffix, id],
      );
    }
    return db.run(`UPDATE annotations SET revision = ?, status = 'orphaned', orphan_reason = ?, updated_at = ${NOW} WHERE id = ?`, [
      to.revision,
      to.reason,
      id,
    ]);
  }

  /** Decisions on an article's findings, oldest first (a later decision on the same finding wins). */
  decisions(articleId: number): Promise<DecisionRow[]> {
    return this.db.all<DecisionRow>('SELECT * FROM finding_decisions WHERE article_id = ? ORDER BY id', [articleId]);
  }

  async insertDecision(d: NewDecisionRow, db: Db = this.db): Promise<number> {
    const r = await db.run(
      `INSERT INTO finding_decisions (article_id, revision, detector, start, end, text, decision, reason, scope, reviewer, annotation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.article_id, d.revision, d.detector, d.start, d.end, d.text, d.decision, d.reason, d.scope, d.reviewer, d.annotation_id],
    );
    return r.lastID;
  }

  /** Accepting a finding: the annotation and the decision in one transaction. */
  acceptFinding(a: NewAnnotationRow, d: Omit<NewDecisionRow, 'annotation_id'>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const id = await this.insert(a, tx);
      await this.insertDecision({ ...d, annotation_id: id }, tx);
      return id;
    });
  }
}
