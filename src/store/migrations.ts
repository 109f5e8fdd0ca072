/**
 * Schema migrations, versioned in code. Each runs once, in order, inside a
 * transaction; `PRAGMA user_version` records how far a database has come.
 * Never edit a released migration: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: "books and layer runs",
    sql: `
      CREATE TABLE books (
        id             INTEGER PRIMARY KEY,
        path           TEXT NOT NULL UNIQUE,
        kind           TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
        library_root   TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'new',
        status_reason  TEXT,
        author         TEXT,
        title          TEXT,
        narrator       TEXT,
        series         TEXT,
        series_num     TEXT,
        year           TEXT,
        language       TEXT,
        confidence     REAL NOT NULL DEFAULT 0,
        profile        TEXT NOT NULL DEFAULT '{}',
        proposed_path  TEXT,
        fingerprint    TEXT NOT NULL,
        files          TEXT NOT NULL DEFAULT '[]',
        sidecars       TEXT NOT NULL DEFAULT '[]',
        tags           TEXT,
        locked         INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        scanned_at     TEXT NOT NULL
      );
      CREATE INDEX books_status ON books (status);
      CREATE INDEX books_root ON books (library_root);

      CREATE TABLE layer_runs (
        book_id   INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
        layer_id  TEXT NOT NULL,
        status    TEXT NOT NULL,
        ran_at    TEXT NOT NULL,
        error     TEXT,
        PRIMARY KEY (book_id, layer_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: "plugin state and call metrics",
    sql: `
      CREATE TABLE plugin_state (
        plugin_id             TEXT PRIMARY KEY,
        state                 TEXT NOT NULL,
        reason                TEXT,
        consecutive_failures  INTEGER NOT NULL DEFAULT 0,
        total_processed       INTEGER NOT NULL DEFAULT 0,
        total_resolved        INTEGER NOT NULL DEFAULT 0,
        updated_at            TEXT NOT NULL
      );

      CREATE TABLE plugin_calls (
        id           INTEGER PRIMARY KEY,
        plugin_id    TEXT NOT NULL,
        book_id      INTEGER,
        at           TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        duration_ms  REAL NOT NULL,
        resolved     INTEGER NOT NULL DEFAULT 0,
        error        TEXT
      );
      CREATE INDEX plugin_calls_plugin ON plugin_calls (plugin_id, id);
    `,
  },
  {
    version: 3,
    description: "covering index for rescans",
    // A rescan reads path, fingerprint and status of every book. Without this
    // index that read walks the whole table, profile and tag JSON included
    // (kilobytes per identified book); with it, a few megabytes of index.
    sql: `CREATE INDEX books_scan ON books (path, fingerprint, status, library_root);`,
  },
  {
    version: 4,
    description: "row versions for conditional writes",
    // Every change to a book's status, evidence, files or lock bumps its
    // row_version; a writer that read version N writes only while the row is
    // still at N, so a stale pipeline write never undoes a scan's `missing`.
    // Store functions bump it themselves; the trigger covers any other UPDATE.
    sql: `
      ALTER TABLE books ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER books_row_version AFTER UPDATE OF status, profile, fingerprint, files, locked, path ON books
        WHEN NEW.row_version = OLD.row_version
        BEGIN UPDATE books SET row_version = OLD.row_version + 1 WHERE id = NEW.id; END;
    `,
  },
];
