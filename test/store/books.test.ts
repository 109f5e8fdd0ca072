import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { applyScan, KNOWN_BOOKS_SQL, getBook, listBooks, setBookLocked, type ScanInput } from "../../src/store/books.js";
import {
  clearRuns,
  countPendingForLayer,
  pendingForLayer,
  runsForBook,
  writeLayerBatch,
  type BookUpdate,
} from "../../src/store/layer-runs.js";
import { useTempDatabase } from "../support/db.js";

let db: Db;
useTempDatabase("store", (opened) => (db = opened));

const ROOT = "/lib";
function book(rel: string, fingerprint = "fp-" + rel, root = ROOT): ScanInput {
  const p = `${root}/${rel}`;
  return { path: p, kind: "folder", library_root: root, files: [{ path: `${p}/01.mp3`, size: 10, mtime_ms: 1 }], fingerprint };
}
const statuses = () => Object.fromEntries(listBooks(db).map((b) => [b.path, b.status]));
const emptyFields: BookUpdate["fields"] = { author: null, title: null, narrator: null, series: null, series_num: null, year: null, language: null };

describe("applyScan", () => {
  it("counts new, unchanged, changed, missing and returned books", () => {
    expect(applyScan(db, [book("A"), book("B"), book("C")], [ROOT])).toMatchObject({ found: 3, new: 3 });
    expect(applyScan(db, [book("A"), book("B"), book("C")], [ROOT])).toMatchObject({ new: 0, unchanged: 3, changed: 0 });
    expect(applyScan(db, [book("A"), book("B", "fp-other")], [ROOT])).toMatchObject({ unchanged: 1, changed: 1, missing: 1 });
    expect(statuses()).toEqual({ "/lib/A": "new", "/lib/B": "pending", "/lib/C": "missing" });
    expect(applyScan(db, [book("A"), book("B", "fp-other"), book("C")], [ROOT])).toMatchObject({ returned: 1, unchanged: 2, missing: 0 });
    expect(statuses()["/lib/C"]).toBe("pending");
  });

  it("a changed book loses its layer runs; an unchanged one keeps them", () => {
    applyScan(db, [book("A"), book("B")], [ROOT]);
    const [a, b] = listBooks(db);
    writeLayerBatch(db, "path", [], [
      { book_id: a!.id, status: "ok", error: null },
      { book_id: b!.id, status: "ok", error: null },
    ]);
    applyScan(db, [book("A", "fp-new"), book("B")], [ROOT]);
    expect(runsForBook(db, a!.id)).toEqual([]);
    expect(runsForBook(db, b!.id)).toHaveLength(1);
  });

  it.each<[string, string[], string[], string[]]>([
    ["a root that was not read (unmounted) marks nothing missing", [], [], []],
    ["a book whose own folder is unreadable is not missing", [ROOT], ["/lib/Locked 2"], ["/lib/Locked/Book", "/lib/Other"]],
    ["a book inside an unreadable folder is not missing, a sibling sharing its prefix is", [ROOT], ["/lib/Locked"], ["/lib/Locked 2", "/lib/Other"]],
  ])("%s", (_name, settled, unreadable, expectMissing) => {
    applyScan(db, [book("Locked/Book"), book("Locked 2"), book("Other")], [ROOT]);
    const summary = applyScan(db, [], settled, unreadable);
    expect(summary.missing).toBe(expectMissing.length);
    expect(listBooks(db, { statuses: ["missing"] }).map((b) => b.path)).toEqual(expectMissing);
  });

  it("a rescan reads what it compares from an index, not from the rows with their profile JSON", () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${KNOWN_BOOKS_SQL}`).all() as { detail: string }[];
    expect(plan.map((row) => row.detail)).toEqual(["SCAN books USING COVERING INDEX books_scan"]);
  });

  it("only books of the settled roots can go missing", () => {
    applyScan(db, [book("A"), book("X", "fp-x", "/other")], [ROOT, "/other"]);
    applyScan(db, [], ["/other"]);
    expect(statuses()).toEqual({ "/lib/A": "new", "/other/X": "missing" });
  });
});

describe("layer runs", () => {
  it("pending books exclude missing and locked ones, and clearRuns re-queues per layer", () => {
    applyScan(db, [book("A"), book("B"), book("C")], [ROOT]);
    applyScan(db, [book("A"), book("B")], [ROOT]);
    const [a, b] = listBooks(db);
    setBookLocked(db, b!.id, true);
    expect(pendingForLayer(db, "path", 0, 10).map((r) => r.path)).toEqual(["/lib/A"]);
    expect(countPendingForLayer(db, "path")).toBe(1);
    writeLayerBatch(db, "path", [], [{ book_id: a!.id, status: "ok", error: null }]);
    writeLayerBatch(db, "sidecar", [], [{ book_id: a!.id, status: "ok", error: null }]);
    expect(countPendingForLayer(db, "path")).toBe(0);
    expect(clearRuns(db, "path")).toBe(1);
    expect(runsForBook(db, a!.id).map((r) => r.layer_id)).toEqual(["sidecar"]);
    expect(clearRuns(db)).toBe(1);
  });

  it("a batch is all or nothing: a failing update leaves no runs behind", () => {
    applyScan(db, [book("A")], [ROOT]);
    const a = listBooks(db)[0]!;
    const bad = { id: a.id, profile: null as unknown as string, confidence: 1, fields: emptyFields };
    expect(() => writeLayerBatch(db, "path", [bad], [{ book_id: a.id, status: "ok", error: null }])).toThrow();
    expect(runsForBook(db, a.id)).toEqual([]);
    expect(getBook(db, a.id)!.profile).toBe("{}");
  });

  it("running a layer again on a book replaces its run instead of adding one", () => {
    applyScan(db, [book("A")], [ROOT]);
    const a = listBooks(db)[0]!;
    writeLayerBatch(db, "path", [], [{ book_id: a.id, status: "error", error: "boom" }]);
    writeLayerBatch(db, "path", [], [{ book_id: a.id, status: "ok", error: null }]);
    expect(runsForBook(db, a.id)).toMatchObject([{ layer_id: "path", status: "ok", error: null }]);
  });
});
