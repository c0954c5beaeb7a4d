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
  {
    version: 2,
    name: 'shared glossary',
    // One row per concept (id = its slug) and per variant, each with a review status and where it
    // came from. concepts.version is the optimistic-concurrency counter: every change to a concept
    // or its variants bumps it, and writers name the version they read (WHERE id = ? AND version = ?).
    // JSON columns hold lists; NULL means "not given" (kept apart from an empty list so that exports
    // reproduce their input). glossary_state.revision is bumped by every change to the glossary,
    // so a process knows when to recompile. History keeps no foreign keys: it outlives what it describes.
    sql: `
      CREATE TABLE concepts (
        id            TEXT PRIMARY KEY,
        canonical     TEXT NOT NULL,
        type          TEXT NOT NULL,
        notes         TEXT,
        accepted_json TEXT,
        roles_json    TEXT,
        status        TEXT NOT NULL CHECK (status IN ('proposed','approved','rejected','deprecated')),
        version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        proposed_by   TEXT,
        article_slug  TEXT,
        span_start    INTEGER,
        span_end      INTEGER,
        decided_by    TEXT,
        decided_at    TEXT,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX concepts_status ON concepts(status, type);
      CREATE TABLE variants (
        id              INTEGER PRIMARY KEY,
        concept_id      TEXT NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        text            TEXT NOT NULL,
        folded          TEXT NOT NULL,
        kind            TEXT NOT NULL,
        severity        TEXT CHECK (severity IS NULL OR severity IN ('error','warning','info')),
        case_rule       TEXT CHECK (case_rule IS NULL OR case_rule IN ('sensitive','insensitive')),
        suggestion      TEXT,
        exceptions_json TEXT,
        styles_json     TEXT,
        note            TEXT,
        status          TEXT NOT NULL CHECK (status IN ('proposed','approved','rejected','deprecated')),
        proposed_by     TEXT,
        article_slug    TEXT,
        span_start      INTEGER,
        span_end        INTEGER,
        decided_by      TEXT,
        decided_at      TEXT,
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (concept_id, text)
      );
      CREATE INDEX variants_folded ON variants(folded);
      CREATE INDEX variants_status ON variants(status);
      CREATE TABLE glossary_history (
        id          INTEGER PRIMARY KEY,
        concept_id  TEXT,
        variant_id  INTEGER,
        action      TEXT NOT NULL,
        before_json TEXT,
        after_json  TEXT,
        author      TEXT NOT NULL,
        at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX glossary_history_concept ON glossary_history(concept_id, id);
      CREATE TABLE glossary_extras (
        key        TEXT PRIMARY KEY CHECK (key IN ('name','furniture','labels','notPossessive')),
        value_json TEXT NOT NULL
      );
      CREATE TABLE glossary_state (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        revision   INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      INSERT INTO glossary_state (id, revision) VALUES (1, 0);
    `,
  },
  {
    version: 3,
    name: 'article revisions',
    // Every text an article has had, one row per revision (the articles row holds the current one,
    // with the same revision number). Articles stored before this migration start with their
    // current text as their only known revision.
    sql: `
      CREATE TABLE article_revisions (
        id           INTEGER PRIMARY KEY,
        article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        revision     INTEGER NOT NULL CHECK (revision >= 1),
        text         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (article_id, revision)
      );
      INSERT INTO article_revisions (article_id, revision, text, content_hash, created_at)
        SELECT id, revision, text, content_hash, updated_at FROM articles;
    `,
  },
  {
    version: 4,
    name: 'annotations and finding decisions',
    // Reviewer annotations: a span kept as quote + context + position (see core/anchor.ts), with the
    // article revision it is anchored in; 'orphaned' (with the reason) when a revision lost its quote.
    // finding_key is set when the annotation was made by accepting a finding.
    // Findings are recomputed whenever the glossary changes, so decisions on them are keyed by what
    // identifies a finding across rescans (article, detector, span, text), not by finding row ids.
    sql: `
      CREATE TABLE annotations (
        id            INTEGER PRIMARY KEY,
        article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        revision      INTEGER NOT NULL CHECK (revision >= 1),
        reviewer      TEXT NOT NULL,
        category      TEXT NOT NULL,
        severity      TEXT NOT NULL CHECK (severity IN ('minor','major','critical')),
        start         INTEGER NOT NULL CHECK (start >= 0),
        end           INTEGER NOT NULL CHECK (end > start),
        exact         TEXT NOT NULL,
        prefix        TEXT NOT NULL DEFAULT '',
        suffix        TEXT NOT NULL DEFAULT '',
        correction    TEXT,
        comment       TEXT,
        status        TEXT NOT NULL DEFAULT 'anchored' CHECK (status IN ('anchored','orphaned')),
        orphan_reason TEXT,
        finding_key   TEXT,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX annotations_article ON annotations(article_id, start);
      CREATE TABLE finding_decisions (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL CHECK (revision >= 1),
        detector    TEXT NOT NULL,
        start       INTEGER NOT NULL CHECK (start >= 0),
        end         INTEGER NOT NULL CHECK (end > start),
        text        TEXT NOT NULL,
        decision    TEXT NOT NULL CHECK (decision IN ('accepted','dismissed')),
        reason      TEXT,
        scope       TEXT NOT NULL DEFAULT 'here' CHECK (scope IN ('here','always')),
        reviewer    TEXT NOT NULL,
        annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX finding_decisions_key ON finding_decisions(article_id, detector, start, end);
    `,
  },
  {
    version: 5,
    name: 'accounts, sessions, API tokens and the audit log',
    // Users sign in with a password (scrypt, stored as 'scrypt$N$r$p$salt$hash'); a session row is
    // keyed by the SHA-256 of the cookie's random id (the id itself is never stored), with its CSRF
    // token, and ends at idle or absolute expiry. API tokens are likewise stored as hashes only.
    // login_failures drives throttling (per user name and per address). audit_log records every
    // write: who, what, on what.
    sql: `
      CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role          TEXT NOT NULL CHECK (role IN ('reviewer','editor','admin')),
        password_hash TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE sessions (
        id_hash     TEXT PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf        TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        ip          TEXT,
        user_agent  TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE api_tokens (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        token_hash  TEXT NOT NULL UNIQUE,
        prefix      TEXT NOT NULL,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        last_used   TEXT,
        revoked_at  TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
      CREATE TABLE login_failures (
        id       INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE,
        ip       TEXT NOT NULL,
        at       INTEGER NOT NULL
      );
      CREATE INDEX login_failures_user ON login_failures(username, at);
      CREATE INDEX login_failures_ip ON login_failures(ip, at);
      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        target  TEXT,
        detail  TEXT,
        ip      TEXT
      );
      CREATE INDEX audit_log_actor ON audit_log(actor, id);
    `,
  },
  {
    version: 6,
    name: 'stories and their fact findings',
    // A story groups the rewrites of one event (articles.story holds its key). origin: 'corpus' (the
    // key came with the import), 'auto' (grouped by similarity), 'manual' (made by a split).
    // facts_at: when its fact findings were last computed (NULL: never, so they are computed at start).
    // articles.story_locked = 1 after a manual merge or split: automatic grouping never moves the
    // article, and the trigger keeps its story when an import writes another one (a manual move
    // clears the flag first, then sets the story and the flag again).
    // story_findings: the fact findings of a story (disagreements between its articles, and a
    // headline against its own body), recomputed whenever its articles or their texts change.
    // related_* is the other side of the disagreement. Existing story keys become stories.
    sql: `
      CREATE TABLE stories (
        key        TEXT PRIMARY KEY,
        title      TEXT,
        origin     TEXT NOT NULL DEFAULT 'corpus' CHECK (origin IN ('corpus','auto','manual')),
        facts_at   TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      ALTER TABLE articles ADD COLUMN story_locked INTEGER NOT NULL DEFAULT 0 CHECK (story_locked IN (0,1));
      CREATE TRIGGER articles_story_locked AFTER UPDATE OF story ON articles
        WHEN OLD.story_locked = 1 AND NEW.story_locked = 1 AND NEW.story IS NOT OLD.story
      BEGIN
        UPDATE articles SET story = OLD.story WHERE id = NEW.id;
      END;
      CREATE TABLE story_findings (
        id                 INTEGER PRIMARY KEY,
        story              TEXT NOT NULL,
        article_id         INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        detector           TEXT NOT NULL,
        kind               TEXT NOT NULL,
        severity           TEXT NOT NULL CHECK (severity IN ('error','warning','info')),
        start              INTEGER NOT NULL CHECK (start >= 0),
        end                INTEGER NOT NULL CHECK (end > start),
        text               TEXT NOT NULL,
        suggestion         TEXT,
        concept            TEXT,
        message            TEXT NOT NULL,
        related_article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        related_start      INTEGER,
        related_end        INTEGER,
        related_text       TEXT
      );
      CREATE INDEX story_findings_article ON story_findings(article_id, start);
      CREATE INDEX story_findings_story ON story_findings(story);
      CREATE INDEX story_findings_related ON story_findings(related_article_id);
      CREATE INDEX articles_date ON articles(date);
      INSERT INTO stories (key, title, origin)
        SELECT a.story, (SELECT b.title FROM articles b WHERE b.story = a.story ORDER BY b.date IS NULL, b.date, b.id LIMIT 1), 'corpus'
        FROM articles a WHERE a.story IS NOT NULL GROUP BY a.story;
    `,
  },
  {
    version: 7,
    name: 'every finding of an article, detectors and story comparisons together',
    // The queue counts and filters an article's findings whatever found them: its own text's
    // (findings) and its story's comparisons (story_findings). SQLite pushes WHERE article_id = …
    // into both halves of the UNION ALL, so the per-article indexes still serve.
    sql: `
      CREATE VIEW all_findings AS
        SELECT article_id, detector, kind, severity, start, end, text FROM findings
        UNION ALL
        SELECT article_id, detector, kind, severity, start, end, text FROM story_findings;
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
