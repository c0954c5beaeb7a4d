// Versioned schema migrations, applied in order at start inside one transaction each.
// Never edit a released migration: add a new one.
import type { Db } from './db.ts';

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'articles and findings',
    sql: `
      CREATE TABLE articles (
        id            INTEGER PRIMARY KEY,
        slug          TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL,
        outlet        TEXT,
        origin_lang   TEXT,
        detected_lang TEXT,
        date          TEXT,
        url           TEXT,
        story         TEXT,
        text          TEXT NOT NULL,
        source_text   TEXT,
        content_hash  TEXT NOT NULL,
        revision      INTEGER NOT NULL DEFAULT 1,
        glossary_version TEXT,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX articles_story ON articles(story);
      CREATE TABLE findings (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        detector    TEXT NOT NULL,
        kind        TEXT NOT NULL,
        severity    TEXT NOT NULL CHECK (severity IN ('error','warning','info')),
        start       INTEGER NOT NULL CHECK (start >= 0),
        end         INTEGER NOT NULL CHECK (end > start),
        text        TEXT NOT NULL,
        suggestion  TEXT,
        concept     TEXT,
        message     TEXT NOT NULL
      );
      CREATE INDEX findings_article ON findings(article_id, start);
      CREATE INDEX findings_kind ON findings(kind, severity);
    `,
  },
];

export async function migrate(db: Db): Promise<number> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const current = row?.v ?? 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations(version, name) VALUES (?, ?)', [m.version, m.name]);
    });
  }
  return MIGRATIONS[MIGRATIONS.length - 1]!.version;
}
