/**
 * Schema migrations, versioned in code. Each runs once, in order; those a
 * database lacks run together in one write transaction that first reads the
 * version again (store/database.ts); `PRAGMA user_version` records how far a
 * database has come.
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
  {
    version: 5,
    description: "move journal",
    // One row per move of a book (apply or undo), written as 'intent' before
    // anything on disk changes and set to 'done' (or 'rolled_back', 'failed')
    // after: an 'intent' row found later is a move a crash interrupted.
    sql: `
      CREATE TABLE move_batches (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('apply', 'undo')),
        started_at   TEXT NOT NULL,
        finished_at  TEXT
      );
      CREATE TABLE moves (
        id            INTEGER PRIMARY KEY,
        batch_id      INTEGER NOT NULL REFERENCES move_batches (id),
        kind          TEXT NOT NULL CHECK (kind IN ('apply', 'undo')),
        book_id       INTEGER NOT NULL,
        book_from     TEXT NOT NULL,
        book_to       TEXT NOT NULL,
        kind_from     TEXT NOT NULL CHECK (kind_from IN ('folder', 'file')),
        kind_to       TEXT NOT NULL CHECK (kind_to IN ('folder', 'file')),
        root_from     TEXT NOT NULL,
        root_to       TEXT NOT NULL,
        from_path     TEXT NOT NULL,
        to_path       TEXT NOT NULL,
        created_dir   TEXT,
        method        TEXT NOT NULL DEFAULT 'rename' CHECK (method IN ('rename', 'link', 'copy')),
        fingerprint   TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('intent', 'done', 'rolled_back', 'failed')),
        undoes        INTEGER REFERENCES moves (id),
        undone_by     INTEGER REFERENCES moves (id),
        error         TEXT,
        recovered     INTEGER NOT NULL DEFAULT 0,
        started_at    TEXT NOT NULL,
        finished_at   TEXT
      );
      CREATE INDEX moves_open ON moves (state) WHERE state = 'intent';
      CREATE INDEX moves_book ON moves (book_id, id);
    `,
  },
  {
    version: 6,
    description: "books in flight with an at-most-once layer (a plugin); peak calls in flight per plugin",
    // Written (and committed) before a plugin gets a batch, deleted in the
    // batch's own transaction: a row left behind means shelfwise died while
    // the plugin had the book, which must then not be sent again by itself.
    sql: `CREATE TABLE layer_inflight (
        book_id    INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
        layer_id   TEXT NOT NULL,
        started_at TEXT NOT NULL,
        PRIMARY KEY (layer_id, book_id)
      ) WITHOUT ROWID;
      ALTER TABLE plugin_state ADD COLUMN peak_in_flight INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 7,
    description: "indexes for the web app's books list: sort by any column, search, layer errors",
    // Each sort index starts with (column IS NULL) so unknown values sort last
    // and the list's ORDER BY walks the index. Text search is a trigram FTS5
    // table kept up to date lazily: triggers only queue the ids of books whose
    // shown text changed (cheap on the pipeline's hot path), and the queue is
    // folded into the index in one transaction by the writer when it is done
    // (store/book-queries.ts syncBookSearch); a search reads queued books as
    // they are and never writes.
    sql: `
      CREATE INDEX books_by_author ON books (author IS NULL, author COLLATE NOCASE);
      CREATE INDEX books_by_title ON books (title IS NULL, title COLLATE NOCASE);
      CREATE INDEX books_by_series ON books (series IS NULL, series COLLATE NOCASE, series_num);
      CREATE INDEX books_by_narrator ON books (narrator IS NULL, narrator COLLATE NOCASE);
      CREATE INDEX books_by_year ON books (year IS NULL, year);
      CREATE INDEX books_by_language ON books (language IS NULL, language COLLATE NOCASE);
      CREATE INDEX books_by_confidence ON books (confidence);
      CREATE INDEX books_status_path ON books (status, path);
      CREATE INDEX layer_runs_errors ON layer_runs (book_id) WHERE status = 'error';
      CREATE INDEX plugin_calls_errors ON plugin_calls (plugin_id, id) WHERE error IS NOT NULL;
      CREATE INDEX plugin_calls_outcome ON plugin_calls (plugin_id, outcome, id);

      CREATE VIRTUAL TABLE books_search USING fts5 (text, tokenize = 'trigram');
      CREATE TABLE books_search_queue (book_id INTEGER PRIMARY KEY);
      INSERT INTO books_search_queue (book_id) SELECT id FROM books;
      CREATE TRIGGER books_search_insert AFTER INSERT ON books BEGIN
        INSERT OR IGNORE INTO books_search_queue (book_id) VALUES (new.id);
      END;
      CREATE TRIGGER books_search_delete AFTER DELETE ON books BEGIN
        INSERT OR IGNORE INTO books_search_queue (book_id) VALUES (old.id);
      END;
      CREATE TRIGGER books_search_update AFTER UPDATE OF path, author, title, series, narrator ON books
      WHEN old.path IS NOT new.path OR old.author IS NOT new.author OR old.title IS NOT new.title
        OR old.series IS NOT new.series OR old.narrator IS NOT new.narrator
      BEGIN
        INSERT OR IGNORE INTO books_search_queue (book_id) VALUES (new.id);
      END;
    `,
  },
  {
    version: 8,
    description: "identity (code and settings) each layer last ran with; skipped calls per plugin",
    // A layer whose identity differs from the stored one (a plugin edited on
    // disk, its plugin_configs entry changed, a built-in layer's settings
    // changed) runs again on every book; see store/layer-identity.ts.
    sql: `CREATE TABLE layer_identities (
        layer_id     TEXT PRIMARY KEY,
        identity     TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      ) WITHOUT ROWID;
      ALTER TABLE plugin_state ADD COLUMN total_skipped INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 9,
    description: "search looks at a book's path below its library root: index every book again",
    // Folded into the index at the end of the migration (store/database.ts), once.
    sql: `INSERT OR IGNORE INTO books_search_queue (book_id) SELECT id FROM books;`,
  },
  {
    version: 10,
    description: "one index for rescans and status-ordered lists: a book's path in two indexes beside its unique one, not three",
    // books_scan (path, fingerprint, status, library_root) and books_status_path
    // (status, path) both held every book's path, so each move (and each status
    // change) rewrote an entry in both. One index (status, path, fingerprint,
    // library_root) serves both readers: a rescan reads it whole, covering what
    // it compares, and lists of one status in path order walk its prefix.
    // Indexes only: no row changes, nothing to lose.
    sql: `
      DROP INDEX IF EXISTS books_scan;
      DROP INDEX IF EXISTS books_status_path;
      CREATE INDEX books_scan ON books (status, path, fingerprint, library_root);
    `,
  },
  {
    version: 11,
    description: "the move journal stores a book's path and root once when the move does not change them apart",
    // For a folder book, the book's path before and after (book_from, book_to)
    // is what is renamed (from_path, to_path), and a move within one library
    // keeps its root: NULL now stands for "the same as from_path / to_path /
    // root_from", and store/moves.ts reads every row with those filled in, so
    // no reader sees a difference. Each journal row is about a third smaller:
    // fewer pages for an apply to write, sync and checkpoint. Rows already
    // written are copied as they are (full values read the same).
    sql: `
      CREATE TABLE moves_v11 (
        id            INTEGER PRIMARY KEY,
        batch_id      INTEGER NOT NULL REFERENCES move_batches (id),
        kind          TEXT NOT NULL CHECK (kind IN ('apply', 'undo')),
        book_id       INTEGER NOT NULL,
        book_from     TEXT,
        book_to       TEXT,
        kind_from     TEXT NOT NULL CHECK (kind_from IN ('folder', 'file')),
        kind_to       TEXT NOT NULL CHECK (kind_to IN ('folder', 'file')),
        root_from     TEXT NOT NULL,
        root_to       TEXT,
        from_path     TEXT NOT NULL,
        to_path       TEXT NOT NULL,
        created_dir   TEXT,
        method        TEXT NOT NULL DEFAULT 'rename' CHECK (method IN ('rename', 'link', 'copy')),
        fingerprint   TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('intent', 'done', 'rolled_back', 'failed')),
        undoes        INTEGER REFERENCES moves_v11 (id),
        undone_by     INTEGER REFERENCES moves_v11 (id),
        error         TEXT,
        recovered     INTEGER NOT NULL DEFAULT 0,
        started_at    TEXT NOT NULL,
        finished_at   TEXT
      );
      INSERT INTO moves_v11 SELECT * FROM moves;
      DROP TABLE moves;
      ALTER TABLE moves_v11 RENAME TO moves;
      CREATE INDEX moves_open ON moves (state) WHERE state = 'intent';
      CREATE INDEX moves_book ON moves (book_id, id);
    `,
  },
  {
    version: 12,
    description: "a single-file book's companions (cover, OPF, cue sheet: same stem) move with it, named on its journal row",
    // A JSON array of file names that sit beside from_path and go beside
    // to_path with the audio file, so recovery can settle all of them from
    // the row and the disk. NULL: none, which is what every row written
    // before this version means (companions did not move then).
    sql: `ALTER TABLE moves ADD COLUMN companions TEXT;`,
  },
  {
    version: 13,
    description: "a book's latest file ctime: files rewritten in place with their sizes and mtimes kept are read again",
    // A tag editor set to preserve timestamps (Mp3tag, kid3 and puddletag
    // offer it) leaves names, sizes and mtimes, so the fingerprint, as they
    // were; the inode's ctime still moves. NULL (every row before this
    // version) is taken as the baseline at the next scan, re-reading nothing.
    // The rescan's one read stays on the index.
    sql: `
      ALTER TABLE books ADD COLUMN files_ctime REAL;
      DROP INDEX IF EXISTS books_scan;
      CREATE INDEX books_scan ON books (status, path, fingerprint, library_root, files_ctime);
    `,
  },
  {
    version: 14,
    description: "search folds case fully, compares canonically equivalent text and ignores accents: index every book again",
    // The index now holds each book's text folded (domain/search-fold.ts); queued books are searched as they
    // are meanwhile. Folded into the index at the end of the migration (store/database.ts), once.
    sql: `INSERT OR IGNORE INTO books_search_queue (book_id) SELECT id FROM books;`,
  },
  {
    version: 15,
    description: "the books list's author and series filters compare as search does (case, accents, NFC/NFD): folded indexes",
    // Expression indexes on the search's fold (domain/search-fold.ts, the SQL function shelfwise_fold, which
    // store/database.ts registers on every connection it opens, before migrating): a filter is an index lookup
    // at any library size, and SQLite keeps the folded keys in step with every write. Should the fold ever
    // change, a migration must REINDEX these two.
    sql: `
      CREATE INDEX books_by_author_fold ON books (shelfwise_fold(author));
      CREATE INDEX books_by_series_fold ON books (shelfwise_fold(series));
    `,
  },
  {
    version: 16,
    description: "which plugin folder owns each plugin id",
    // A plugin id carries its config, the secrets it declares, its health and data folder: the folder that
    // had it first keeps it, so a folder dropped in later that claims the same id (and sorts first) cannot take
    // them over (plugins/manifest/id-claims.ts). Keyed by the id in lower case, the way ids are compared.
    // `folder` and `held_folder` are folder names directly under plugin_dir, so moving plugin_dir keeps them.
    sql: `
      CREATE TABLE plugin_owners (
        id_key       TEXT PRIMARY KEY,
        plugin_id    TEXT NOT NULL,
        folder       TEXT NOT NULL,
        held_folder  TEXT,
        updated_at   TEXT NOT NULL
      );
    `,
  },
  {
    version: 17,
    description: "which secrets the user gave to which plugin",
    // secrets.json is a flat map (Library Manager's format): without a grant, any plugin dropped in that declares
    // a name gets the key the user added for another plugin (plugins/manager/secret-grants.ts). Keyed by the id
    // in lower case, as plugin_owners. A database that was used before (books, plugins or sources known) is an
    // upgrade: its plugins keep their secrets, granted once at the next load (plugin_grant_upgrade).
    sql: `
      CREATE TABLE plugin_secret_grants (
        id_key       TEXT NOT NULL,
        secret_name  TEXT NOT NULL,
        granted_by   TEXT NOT NULL,
        granted_at   TEXT NOT NULL,
        PRIMARY KEY (id_key, secret_name)
      );
      CREATE TABLE plugin_grant_upgrade (pending INTEGER NOT NULL);
      INSERT INTO plugin_grant_upgrade (pending) SELECT 1
        WHERE EXISTS (SELECT 1 FROM plugin_owners) OR EXISTS (SELECT 1 FROM plugin_state) OR EXISTS (SELECT 1 FROM books);
    `,
  },
  {
    version: 18,
    description: "secrets granted on first use; a revoke is recorded",
    // A secret name belongs to the plugins that first ask for it (granted then, `first_use`); a later plugin
    // asking for it needs the user's grant (plugins/manager/secret-grants.ts). A revoke is a row of its own
    // (revoked_at set), so the next load does not grant the name again as if nobody had decided. The upgrade
    // mark of 17 is folded in: on a database whose plugins hold no grant yet, every installed plugin asks first.
    sql: `
      ALTER TABLE plugin_secret_grants ADD COLUMN revoked_at TEXT;
      DROP TABLE plugin_grant_upgrade;
    `,
  },
  {
    version: 19,
    description: "each book's files with their exact mtimes: a book copied to FAT or exFAT and back (mtimes rounded) is still recognized when moved",
    // `listing` is the book's fingerprint text (library/fingerprint.ts: each file's name relative to the book, size and
    // mtime). A book found at a new path with no exact match is compared with the listings of the books not found
    // (store/books.ts roundedMatches), read only then: nothing else is indexed or hashed per book. NULL on every row
    // before this version: filled by the next scan that finds the book unchanged. A fingerprint changed without a new
    // listing (a move's copy recomputing it) clears it rather than leave a listing that no longer hashes to it.
    sql: `
      ALTER TABLE books ADD COLUMN listing TEXT;
      CREATE INDEX books_unlisted ON books (id) WHERE listing IS NULL;
      CREATE TRIGGER books_listing_stale AFTER UPDATE OF fingerprint ON books
        WHEN NEW.fingerprint IS NOT OLD.fingerprint AND NEW.listing IS OLD.listing AND NEW.listing IS NOT NULL
        BEGIN UPDATE books SET listing = NULL WHERE id = NEW.id; END;
    `,
  },
  {
    version: 20,
    description: "what every stored judgement (confidence, status, proposed path) was made with: a change re-judges the books",
    // One row: the rules' revision (domain/book-status.ts JUDGEMENT_RULES_REVISION) with the settings a judgement
    // reads (confidence_threshold, naming_template, series_num_padding). None (every database before this version):
    // its books were judged by older rules, and are judged again from their stored evidence at the next open
    // (app/rejudge.ts), which then records it.
    sql: `
      CREATE TABLE judgement_rules (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        identity     TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 21,
    description: "the data folder this database belongs to: a copy made elsewhere (cp -a) does not move the original library's files",
    // One row: a random id given to the database once, and the folder (real path) it was last used from. A database
    // opened from another folder while that one still holds a database of the same id is a copy
    // (organize/data-home.ts); one whose folder is gone was moved, and takes its new place. None: recorded at the
    // next open.
    sql: `
      CREATE TABLE data_home (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        instance     TEXT NOT NULL,
        folder       TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 22,
    description: "the web server's job in progress: a job cut short by kill -9 or a power loss is told to the next command",
    // One row while a `serve` job (scan, process) runs, removed when it ends (done, failed or stopped). A row found
    // by a command that can take the data-folder lock is a job whose server died (app/cut-short-job.ts). None: no
    // job was running.
    sql: `
      CREATE TABLE job_marker (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        kind        TEXT NOT NULL,
        label       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        pid         INTEGER NOT NULL
      );
    `,
  },
  {
    version: 23,
    description: "each folder book's folder stamp: apply stats a folder unchanged since the scan instead of listing it",
    // "dev:ino:ctime_ns" of the book's folder, taken by the scan right before it listed the folder (library/folder-stamp.ts),
    // written with the files it describes. NULL (every row before this version, a loose book, a book with disc folders, a
    // stamp too close to a change to trust): apply lists the folder as before. Filled by the next scan that writes the book.
    sql: `
      ALTER TABLE books ADD COLUMN folder_stamp TEXT;
    `,
  },
  {
    version: 24,
    description: "each plugin's last start: `plugins list` and `plugins health` report it without starting plugin code",
    // One row per plugin id, replaced at each start (process, serve, `plugins list --probe`): whether its module and
    // setup came up, why not, and the fingerprint of what it ran (its files, the interpreter) so a later change
    // makes the record stale. None (every plugin before this version): reported as not started until its next start.
    sql: `
      CREATE TABLE plugin_starts (
        plugin_id  TEXT PRIMARY KEY,
        at         TEXT NOT NULL,
        ok         INTEGER NOT NULL,
        reason     TEXT,
        files      TEXT NOT NULL
      );
    `,
  },
  {
    version: 25,
    description: "the job a killed server cut short, kept for the dashboard until it is run again to its end (from the web app or the CLI) or dismissed",
    // One row, written by a `serve` that found a dead server's job marker (migration 22) as it opened, in the same
    // transaction that removes the marker. Removed by a scan or process of the same kind that runs to its end,
    // whichever process runs it, and by the dashboard's Dismiss: every server shows the data folder's truth,
    // not what it knew when it opened. None: nothing cut short waits.
    sql: `
      CREATE TABLE job_cut_short (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        kind        TEXT NOT NULL,
        label       TEXT NOT NULL,
        started_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 26,
    description: "each book's evidence (profile) in a table of its own: a move rewrites a book's row, not its evidence",
    // A move changes a book's path, files and row version; its row held the evidence JSON as well (about a third of
    // the row), so an apply rewrote every page of it: ~30% of the books table's pages, written to the WAL, synced
    // and checkpointed, for nothing that changed. The evidence now sits in book_profiles, one row per book whose
    // evidence is not the empty '{}' (no row: '{}', as the old column's default). Every store read gives `profile` as
    // before (store/book-profiles.ts). A write of the evidence bumps the book's row_version itself (the trigger
    // below no longer sees it); a book deleted takes its evidence with it. Moved in this one transaction.
    sql: `
      CREATE TABLE book_profiles (
        book_id  INTEGER PRIMARY KEY,
        profile  TEXT NOT NULL
      );
      INSERT INTO book_profiles (book_id, profile) SELECT id, profile FROM books WHERE profile <> '{}';
      DROP TRIGGER books_row_version;
      ALTER TABLE books DROP COLUMN profile;
      CREATE TRIGGER books_row_version AFTER UPDATE OF status, fingerprint, files, locked, path ON books
        WHEN NEW.row_version = OLD.row_version
        BEGIN UPDATE books SET row_version = OLD.row_version + 1 WHERE id = NEW.id; END;
      CREATE TRIGGER books_profile_delete AFTER DELETE ON books BEGIN
        DELETE FROM book_profiles WHERE book_id = old.id;
      END;
    `,
  },
  {
    version: 27,
    description: "undo's lock told from the user's in books written before: locked 2 where the book's last move is an undo",
    // Before this version an undo locked each book it moved back as 1, the value of the user's `book --lock`, so a
    // plan called undo's lock the user's (store/moves.ts LOCKED_BY_UNDO). Told apart here, once, rather than on every
    // read: from now on a 1 after an undo is the user's own (`book --lock` takes over undo's lock), which a read of
    // the journal could not tell from an old undo's. A locked book whose last done move is an undo was locked by that
    // undo (it locked every book it moved back, and a locked book is not moved again until unlocked); the user may
    // have locked it as well, before the undo or again since, which nothing recorded: `book ID --unlock` lifts either.
    // A book moved by apply since, never moved, or unlocked keeps its value.
    sql: `
      UPDATE books SET locked = 2
        WHERE locked = 1
          AND (SELECT m.kind FROM moves m WHERE m.book_id = books.id AND m.state = 'done' ORDER BY m.id DESC LIMIT 1) = 'undo';
    `,
  },
  {
    version: 28,
    description: "what each plugin left behind at the end of its last run (a setInterval still running, work still pending), for its health",
    // The runner says so at teardown (teardown_done's warnings); it was in the plugin's log only, where `plugins
    // health` and the web app's health data never looked. One row per plugin, replaced at each teardown after calls:
    // an empty list once the plugin ends cleanly again. No row: nothing recorded yet.
    sql: `
      CREATE TABLE plugin_end_warnings (
        plugin_id  TEXT PRIMARY KEY,
        at         TEXT NOT NULL,
        warnings   TEXT NOT NULL
      );
    `,
  },
  {
    version: 29,
    description: "an apply or undo cut short (killed, a power loss) told as such: how many moves it set out to do, and when its end was found missing",
    // A batch's finished_at stays NULL when its process dies, and the recovery that settles its open moves said so
    // once, on stderr: `status`, `history` and the web app had no way to tell a run cut short from one that ended.
    // planned: the journal rows the run set out to write (NULL before this version). cut_short_at: set, under the
    // data-folder lock, by the first command that finds the batch unended with no process running it. Batches left
    // unended before this version were cut short the same way: their end is the time they started (nothing better
    // is recorded), so no old one is taken for a run now.
    sql: `
      ALTER TABLE move_batches ADD COLUMN planned INTEGER;
      ALTER TABLE move_batches ADD COLUMN cut_short_at TEXT;
      UPDATE move_batches SET cut_short_at = started_at WHERE finished_at IS NULL;
      CREATE INDEX move_batches_unended ON move_batches (id) WHERE finished_at IS NULL AND cut_short_at IS NULL;
    `,
  },
  {
    version: 30,
    description: "books a plugin's give-up left without a call, counted apart from its failures",
    // A batch that gave up (its processes lost again and again) recorded every book left as a `crash`: the
    // plugin's crash count and auto-disable grew by books it never saw. They are `not_run` calls now, counted here.
    sql: `
      ALTER TABLE plugin_state ADD COLUMN total_not_run INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
