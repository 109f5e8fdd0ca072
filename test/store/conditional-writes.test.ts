/**
 * Writes that cannot be lost: a pipeline write built from rows read before a
 * scan changed them (the path with no data-folder lock, or a future one) never
 * un-marks a `missing` book, never overwrites evidence of a changed book, and
 * leaves such books pending instead of recording a run for stale data.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { applyScan, getBook, listBooks, setBookLocked, type ScanInput } from "../../src/store/books.js";
import {
  booksAwaitingStatus,
  pendingForLayer,
  runsForBook,
  setBookStatus,
  writeLayerBatch,
  type BookUpdate,
} from "../../src/store/layer-runs.js";
import { useTempDatabase } from "../support/db.js";
import { openBook } from "../../src/pipeline/book-view.js";
import { toPluginBook } from "../../src/plugins/protocol/plugin-book.js";

let db: Db;
useTempDatabase("conditional", (opened) => (db = opened));

const ROOT = "/lib";
function book(rel: string, fingerprint = "fp-" + rel): ScanInput {
  const p = `${ROOT}/${rel}`;
  return { path: p, kind: "folder", library_root: ROOT, files: [{ path: `${p}/01.mp3`, size: 10 }], fingerprint };
}
const fields: BookUpdate["fields"] = { author: "Stale Author", title: null, narrator: null, series: null, series_num: null, year: null, language: null };

function update(id: number, extra: Partial<BookUpdate> = {}): BookUpdate {
  return { id, profile: '{"stale":true}', confidence: 90, fields, ...extra };
}

describe("conditional writes", () => {
  it("a batch read before a scan marked books missing leaves them missing, without runs", () => {
    applyScan(db, [book("A"), book("B"), book("C")], [ROOT]);
    const read = pendingForLayer(db, "slowp", 0, 10);
    expect(read).toHaveLength(3);
    // While the layer works, a scan finds B gone and C changed.
    applyScan(db, [book("A"), book("C", "fp-new")], [ROOT]);
    const [a, b, c] = read;
    const stale = writeLayerBatch(
      db,
      "slowp",
      [update(a!.id), update(b!.id, { status: "identified", status_reason: null, proposed_path: "x" }), update(c!.id)],
      read.map((r) => ({ book_id: r.id, status: "error" as const, error: "stale" })),
      read,
    );
    expect([...stale].sort()).toEqual([b!.id, c!.id].sort());
    expect(getBook(db, b!.id)).toMatchObject({ status: "missing", author: null, profile: "{}" });
    expect(getBook(db, c!.id)).toMatchObject({ status: "pending", author: null, profile: "{}" });
    expect(getBook(db, a!.id)).toMatchObject({ author: "Stale Author" });
    expect(runsForBook(db, b!.id)).toEqual([]);
    expect(runsForBook(db, c!.id)).toEqual([]);
    expect(runsForBook(db, a!.id)).toHaveLength(1);
    // C is pending again for the layer: its new files get a fresh run.
    expect(pendingForLayer(db, "slowp", 0, 10).map((r) => r.id)).toEqual([c!.id]);
  });

  it("without what was read, a write still never touches a missing book", () => {
    applyScan(db, [book("A"), book("B")], [ROOT]);
    const [, b] = listBooks(db);
    applyScan(db, [book("A")], [ROOT]);
    writeLayerBatch(db, "path", [update(b!.id, { status: "identified", status_reason: null, proposed_path: "x" })], [
      { book_id: b!.id, status: "ok", error: null },
    ]);
    expect(getBook(db, b!.id)).toMatchObject({ status: "missing", author: null });
    expect(runsForBook(db, b!.id)).toEqual([]);
  });

  it("a final status judged from an older row is not written; a missing book keeps its status", () => {
    applyScan(db, [book("A"), book("B"), book("C")], [ROOT]);
    const judged = booksAwaitingStatus(db, []);
    expect(judged).toHaveLength(3);
    const [a, b, c] = judged;
    applyScan(db, [book("A"), book("C")], [ROOT]); // B missing
    setBookLocked(db, c!.id, true); // C changed (locked by the user) since it was read
    const written = setBookStatus(
      db,
      judged.map((r) => ({ id: r.id, row_version: r.row_version, status: "identified", status_reason: null, proposed_path: "p" })),
    );
    expect(written).toBe(1);
    expect(getBook(db, a!.id)!.status).toBe("identified");
    expect(getBook(db, b!.id)!.status).toBe("missing");
    expect(getBook(db, c!.id)!.status).toBe("new");
    // Even without a version, `missing` is never overwritten.
    expect(setBookStatus(db, [{ id: b!.id, status: "identified", status_reason: null, proposed_path: null }])).toBe(0);
    expect(getBook(db, b!.id)!.status).toBe("missing");
  });

  it("any other UPDATE of status or evidence bumps the row version (trigger), so it is seen as a change", () => {
    applyScan(db, [book("A")], [ROOT]);
    const [read] = pendingForLayer(db, "x", 0, 10);
    db.prepare("UPDATE books SET status = 'needs_attention' WHERE id = ?").run(read!.id);
    expect(getBook(db, read!.id)!.row_version).toBe(read!.row_version + 1);
    const stale = writeLayerBatch(db, "x", [update(read!.id)], [{ book_id: read!.id, status: "ok", error: null }], [read!]);
    expect(stale.has(read!.id)).toBe(true);
    expect(getBook(db, read!.id)!.author).toBeNull();
  });

  it("a write names only the shown values that changed: the indexes of the others (the folded ones call JS) are left alone", () => {
    applyScan(db, [book("A")], [ROOT]);
    const [read] = pendingForLayer(db, "x", 0, 10);
    const id = read!.id;
    // Same fold, counted: SQLite calls it for the author and series indexes whenever an UPDATE names those columns.
    let folds = 0;
    db.function("shelfwise_fold", { deterministic: true }, (text: unknown) => (folds++, typeof text === "string" ? text.toLowerCase() : text));
    writeLayerBatch(db, "x", [update(id, { fields: { ...fields, title: "Dune" } })], [{ book_id: id, status: "ok", error: null }]);
    expect(getBook(db, id)).toMatchObject({ author: "Stale Author", title: "Dune", confidence: 90 });
    folds = 0;
    // Only the confidence and the title differ now.
    writeLayerBatch(db, "y", [update(id, { confidence: 95, fields: { ...fields, title: "Dune Messiah" } })], [{ book_id: id, status: "ok", error: null }]);
    expect(getBook(db, id)).toMatchObject({ author: "Stale Author", title: "Dune Messiah", confidence: 95, series: null });
    expect(folds).toBe(0);
    // A changed author is written, folded index and all.
    writeLayerBatch(db, "z", [update(id, { fields: { ...fields, author: "Frank Herbert", title: "Dune Messiah" } })], [{ book_id: id, status: "ok", error: null }]);
    expect(getBook(db, id)).toMatchObject({ author: "Frank Herbert", title: "Dune Messiah", confidence: 90 });
    expect(folds).toBeGreaterThan(0);
  });
});

describe("what a layer reads of a book", () => {
  // A plugin is told why it is asked about a book (Library Manager's queue reason): the stored status reason.
  it("carries the book's status reason to the plugin's book", () => {
    applyScan(db, [book("Doubtful")], [ROOT]);
    const [row] = pendingForLayer(db, "p", 0, 10);
    setBookStatus(db, [{ id: row!.id, status: "needs_attention", status_reason: "no author", proposed_path: null }]);
    const [read] = pendingForLayer(db, "p", 0, 10);
    const plugin = toPluginBook(openBook(read!, "plugin:p").view, 35);
    expect(plugin).toMatchObject({ status: "needs_attention", reason: "no author" });
  });
});
