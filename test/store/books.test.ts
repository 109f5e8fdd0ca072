import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/database.js";
import { applyScan, KNOWN_BOOKS_SQL, getBook, listBookPlaces, listBooks, listPlanBooks, setBookLocked, type ScanInput } from "../../src/store/books.js";
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

  it("new books, many to a statement, are recorded as one at a time: every field, in scan order, queued for search", () => {
    // 150 books: two full statements and a shorter last one; beside a known book that moved (its row is reused).
    // openDatabase keeps temporary storage in memory; a handle set otherwise gets its setting back after a scan.
    db.pragma("temp_store = DEFAULT");
    applyScan(db, [book("Moved")], [ROOT]);
    const scanned: ScanInput[] = Array.from({ length: 150 }, (_, i) => {
      const p = `${ROOT}/B${String(i).padStart(3, "0")}`;
      const file = i % 3 === 0;
      return {
        path: file ? `${p}.m4b` : p,
        kind: file ? "file" : "folder",
        library_root: ROOT,
        files: [{ path: file ? `${p}.m4b` : `${p}/01.mp3`, size: i, mtime_ms: 5 }, ...(file ? [] : [{ path: `${p}/02.mp3`, size: i + 1 }])],
        ...(i % 2 === 0 ? { sidecars: [{ path: `${p}.jpg` }] } : {}),
        fingerprint: `fp-${i}`,
        ...(i % 5 === 0 ? {} : { ctime_ms: 1000 + i }),
      };
    });
    // Scan order, not path order (ids follow it): the moved book in the middle.
    scanned.reverse();
    const movedTo = book("Elsewhere", "fp-Moved");
    const all = [...scanned.slice(0, 70), movedTo, ...scanned.slice(70)];
    expect(applyScan(db, all, [ROOT])).toMatchObject({ found: 151, new: 150, moved: 1, missing: 0 });
    const rows = db.prepare("SELECT b.*, coalesce((SELECT profile FROM book_profiles WHERE book_id = b.id), '{}') AS profile FROM books b WHERE status = 'new' AND path != ? ORDER BY id").all(movedTo.path) as Record<string, unknown>[];
    expect(rows.map((row) => row.path)).toEqual(scanned.map((b) => b.path));
    rows.forEach((row, i) => {
      const b = scanned[i]!;
      expect(row).toMatchObject({
        kind: b.kind,
        library_root: ROOT,
        status: "new",
        status_reason: null,
        author: null,
        confidence: 0,
        profile: "{}",
        fingerprint: b.fingerprint,
        files: JSON.stringify(b.files.map((f) => ({ path: f.path, size: f.size }))),
        sidecars: JSON.stringify((b.sidecars ?? []).map((f) => f.path)),
        locked: 0,
        row_version: 0,
        files_ctime: b.ctime_ms ?? null,
      });
      expect(row.updated_at).toBe(row.created_at);
      expect(row.scanned_at).toBe(row.created_at);
    });
    expect(getBook(db, 1)).toMatchObject({ path: movedTo.path });
    const queued = db.prepare("SELECT book_id FROM books_search_queue ORDER BY book_id").pluck().all();
    expect(queued).toEqual(expect.arrayContaining(rows.map((row) => row.id)));
    // The statement journal went to memory for the scan only: the connection's setting is as it was.
    expect(db.pragma("temp_store", { simple: true })).toBe(0);
  });

  it("a scan that cannot record one new book records none (a path twice within one statement)", () => {
    db.pragma("temp_store = DEFAULT");
    applyScan(db, [book("Known")], [ROOT]);
    const many = Array.from({ length: 100 }, (_, i) => book(`N${i}`));
    many[80] = book("N10", "fp-copy");
    expect(() => applyScan(db, many, [ROOT])).toThrow(/UNIQUE/);
    expect(listBooks(db).map((b) => b.path)).toEqual(["/lib/Known"]);
    expect(db.pragma("temp_store", { simple: true })).toBe(0);
  });

  it("only books of the settled roots can go missing", () => {
    applyScan(db, [book("A"), book("X", "fp-x", "/other")], [ROOT, "/other"]);
    applyScan(db, [], ["/other"]);
    expect(statuses()).toEqual({ "/lib/A": "new", "/other/X": "missing" });
  });
});

describe("listPlanBooks", () => {
  it("pairs each considered book with its own place, whatever the statuses, locks and ids around it in path order", () => {
    // Ids in another order than the paths, and the books the plan does not consider between those it does.
    const names = ["M", "B", "Y", "A", "K", "C", "Z", "D", "L", "E"];
    applyScan(db, names.map((n) => book(n)), [ROOT]);
    const ids = new Map(listBooks(db).map((b) => [b.path, b.id]));
    const setStatus = db.prepare("UPDATE books SET status = ?, author = ? WHERE path = ?");
    const status: Record<string, string> = { M: "identified", B: "pending", Y: "identified", A: "identified", K: "missing", C: "identified", Z: "identified", D: "new", L: "identified", E: "identified" };
    for (const n of names) setStatus.run(status[n], `author of ${n}`, `${ROOT}/${n}`);
    setBookLocked(db, ids.get("/lib/C")!, true);
    const considered = (filter: Parameters<typeof listPlanBooks>[1]) => {
      const { candidates, places } = listPlanBooks(db, filter);
      expect(places).toEqual([...listBookPlaces(db)].sort((a, b) => (a[1] < b[1] ? -1 : 1)));
      for (const row of candidates) {
        const stored = getBook(db, row.id)!;
        expect(row).toMatchObject({ path: stored.path, kind: stored.kind, status: stored.status, author: stored.author, locked: stored.locked, files: stored.files });
      }
      return candidates.map((row) => row.path.slice(ROOT.length + 1));
    };
    expect(considered({ statuses: ["identified"], withProfile: false })).toEqual(["A", "E", "L", "M", "Y", "Z"]);
    expect(considered({ statuses: ["identified", "pending"], withProfile: true })).toEqual(["A", "B", "E", "L", "M", "Y", "Z"]);
    // Given ids: any status, locked ones included.
    expect(considered({ ids: ["C", "K", "D", "Z"].map((n) => ids.get(`/lib/${n}`)!), statuses: [], withProfile: false })).toEqual(["C", "D", "K", "Z"]);
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
