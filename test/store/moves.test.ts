/**
 * The journal settles a chunk's done moves with a few statements, the books'
 * paths rewritten by SQL; recovery settles one move at a time in JS
 * (settleMoves). Both must leave the same rows, hostile names included.
 */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/database.js";
import { applyScan, getBook, type ScanInput } from "../../src/store/books.js";
import { getMove, journalStep, movedPath, settleMoves, startBatch, type JournaledOutcome, type MoveIntent, type MoveOutcome } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const LIB = "/lib";
const OTHER = "/other root";
// A name with a quote, a backslash, a newline, NFD text, SQL LIKE wildcards, and a folder below it that repeats the
// book's own path after a quote (a text replace on the JSON would rewrite it twice).
const HOSTILE = `${LIB}/in/Quote "a" \\ b\nline e\u0301 100%_x`;

function folderBook(at: string, rels: string[], sidecars: string[], root = LIB): ScanInput {
  return { path: at, kind: "folder", library_root: root, files: rels.map((r, i) => ({ path: `${at}/${r}`, size: i + 1 })), sidecars: sidecars.map((p) => ({ path: p })), fingerprint: `fp ${at}` };
}

const BOOKS: ScanInput[] = [
  folderBook(`${LIB}/in/Plain`, ["01.mp3", "disc 2/02.mp3"], [`${LIB}/in/Plain/metadata.json`]),
  folderBook(HOSTILE, ["01.mp3", `x"${HOSTILE.slice(1)}/02.mp3`], [`${HOSTILE}/desc.txt`]),
  // A sidecar of a sibling folder sharing the name's prefix stays where it is.
  folderBook(`${LIB}/in/Book`, ["01.mp3"], [`${LIB}/in/Book2/reader.txt`, `${LIB}/in/Book/cover.jpg`]),
  { path: `${LIB}/in/single.mp3`, kind: "file", library_root: LIB, files: [{ path: `${LIB}/in/single.mp3`, size: 9 }], sidecars: [{ path: `${LIB}/in/single.opf` }], fingerprint: "fp single" },
  folderBook(`${LIB}/in/Elsewhere`, ["01.mp3"], []),
];

function target(book: ScanInput, i: number): { book_to: string; to_path: string; root_to: string } {
  const root = i === 4 ? OTHER : LIB;
  const folder = `${root}/Author ${i}/Title "${i}" é`;
  return { book_to: folder, to_path: book.kind === "file" ? `${folder}/${path.basename(book.path)}` : folder, root_to: root };
}

/** Moves of every book to its target (book ids follow BOOKS: each test starts from a fresh scan). */
function intentsFor(): MoveIntent[] {
  return BOOKS.map((b, i) => {
    return {
      kind: "apply", book_id: i + 1, book_from: b.path, kind_from: b.kind, kind_to: "folder", root_from: LIB,
      from_path: b.path, created_dir: null, fingerprint: b.fingerprint, undoes: null, ...target(b, i),
    };
  });
}

/** What a reader sees of the books and moves (JSON decoded: only the values matter). */
function snapshot(db: Db) {
  const books = (db.prepare("SELECT * FROM books ORDER BY id").all() as Record<string, unknown>[]).map((b) => ({
    ...b, files: JSON.parse(b.files as string), sidecars: JSON.parse(b.sidecars as string), updated_at: undefined, created_at: undefined, scanned_at: undefined,
  }));
  const moves = (db.prepare("SELECT * FROM moves ORDER BY id").all() as Record<string, unknown>[]).map((m) => ({ ...m, started_at: undefined, finished_at: m.finished_at === null }));
  return { books, moves };
}

let tmp: string;
let bulk: Db;
let single: Db;
beforeEach(() => {
  tmp = makeTempDir("moves");
  bulk = openDatabase(path.join(tmp, "bulk.db"));
  single = openDatabase(path.join(tmp, "single.db"));
  for (const db of [bulk, single]) {
    applyScan(db, BOOKS, [LIB]);
    BOOKS.forEach((b, i) => expect(getBook(db, i + 1)!.path).toBe(b.path));
  }
});
afterEach(() => {
  bulk.close();
  single.close();
  removeTempDir(tmp);
});

/** Journals `intents` in both databases and settles them with `outcome`: in bulk in one, one by one (recovery's way) in the other. */
function settleBoth(kind: "apply" | "undo", intents: () => MoveIntent[], outcome: (i: number) => Omit<MoveOutcome, "id">): number[] {
  const batch = startBatch(bulk, kind);
  startBatch(single, kind);
  const planned = intents();
  const ids = journalStep(bulk, batch, [], planned);
  expect(journalStep(single, batch, [], intents())).toEqual(ids);
  const settled: JournaledOutcome[] = planned.map((m, i) => ({ move: { ...m, id: ids[i] }, outcome: { id: ids[i], ...outcome(i) } }));
  expect(journalStep(bulk, batch, settled, [])).toEqual([]);
  settleMoves(single, settled.map((s) => s.outcome));
  return ids;
}

describe("the journal", () => {
  it("writes a chunk's intents in order with consecutive ids, beyond one statement's rows", () => {
    const many: MoveIntent[] = Array.from({ length: 150 }, (_, i) => ({ ...intentsFor()[i % BOOKS.length], to_path: `/lib/t/${i}`, book_to: `/lib/t/${i}` }));
    const batch = startBatch(bulk, "apply");
    const first = journalStep(bulk, batch, [], many.slice(0, 3));
    const ids = journalStep(bulk, batch, [], many);
    expect(ids).toEqual(Array.from({ length: 150 }, (_, i) => first[2] + 1 + i));
    ids.forEach((id, i) => expect(getMove(bulk, id)).toMatchObject({ state: "intent", to_path: `/lib/t/${i}`, book_id: many[i].book_id, batch_id: batch }));
  });

  it("writes each intent's own kind, kinds and root, whether the rows of a statement share them or not", () => {
    // A statement's rows that share kind, kind_from, kind_to and root_from bind them once: 64 such rows, then groups
    // where one row differs in one of them (each group of 64, 32, ... rows is one statement).
    const base = intentsFor()[0];
    const many: MoveIntent[] = Array.from({ length: 64 + 64 + 32 + 16 + 8 }, (_, i) => ({ ...base, book_id: (i % BOOKS.length) + 1, to_path: `/lib/t/${i}`, book_to: `/lib/t/${i}` }));
    many[64 + 63] = { ...many[64 + 63], root_from: OTHER };
    many[128 + 5] = { ...many[128 + 5], kind: "undo", undoes: null };
    many[160 + 15] = { ...many[160 + 15], kind_from: "file", book_from: "/lib/in/single.mp3", from_path: "/lib/in/single.mp3" };
    many[176] = { ...many[176], kind_to: "file" };
    const ids = journalStep(bulk, startBatch(bulk, "apply"), [], many);
    many.forEach((m, i) => expect(getMove(bulk, ids[i])).toMatchObject({ ...m, id: ids[i], state: "intent" }));
  });

  it("settles done moves in bulk exactly as one by one: paths, files, sidecars, kind, root, versions", () => {
    settleBoth("apply", intentsFor, () => ({ state: "done" }));
    expect(snapshot(bulk)).toEqual(snapshot(single));
    const hostile = getBook(bulk, 2)!;
    const to = target(BOOKS[1], 1).to_path;
    expect(hostile.path).toBe(to);
    expect(JSON.parse(hostile.files)).toEqual([{ path: `${to}/01.mp3`, size: 1 }, { path: `${to}/x"${HOSTILE.slice(1)}/02.mp3`, size: 2 }]);
    expect(JSON.parse(getBook(bulk, 3)!.sidecars)).toEqual([`${LIB}/in/Book2/reader.txt`, `${target(BOOKS[2], 2).to_path}/cover.jpg`]);
    expect(getBook(bulk, 4)).toMatchObject({ kind: "folder", path: target(BOOKS[3], 3).book_to, sidecars: JSON.stringify([`${LIB}/in/single.opf`]) });
    expect(getBook(bulk, 5)).toMatchObject({ library_root: OTHER, path: `${OTHER}/Author 4/Title "4" é` });
    for (const m of intentsFor()) expect(JSON.parse(getBook(bulk, m.book_id)!.files)[0].path).toBe(movedPath(m, BOOKS[m.book_id - 1].files[0].path));
  });

  it("stores a book's path and root once where the move does not change them apart; readers get them whole", () => {
    const ids = settleBoth("apply", intentsFor, () => ({ state: "done" }));
    const raw = (id: number) => bulk.prepare("SELECT book_from, book_to, root_to, from_path, to_path FROM moves WHERE id = ?").get(id);
    // A folder book within its library: all three NULL.
    expect(raw(ids[0])).toEqual({ book_from: null, book_to: null, root_to: null, from_path: BOOKS[0].path, to_path: target(BOOKS[0], 0).to_path });
    // A single-file book: the file is renamed into the book's new folder.
    expect(raw(ids[3])).toMatchObject({ book_from: null, book_to: target(BOOKS[3], 3).book_to, root_to: null });
    // Into another root.
    expect(raw(ids[4])).toMatchObject({ book_from: null, book_to: null, root_to: OTHER });
    intentsFor().forEach((m, i) => expect(getMove(bulk, ids[i])).toMatchObject({ ...m, id: ids[i], state: "done" }));
  });

  it("settles a chunk of mixed outcomes (rolled back, failed, copied with a new fingerprint) like recovery does", () => {
    const outcomes: Omit<MoveOutcome, "id">[] = [
      { state: "done" },
      { state: "rolled_back", error: "exists" },
      { state: "done", fingerprint: "fp after copy" },
      { state: "failed", error: "EACCES" },
      { state: "done" },
    ];
    settleBoth("apply", intentsFor, (i) => outcomes[i]);
    expect(snapshot(bulk)).toEqual(snapshot(single));
    expect(getBook(bulk, 2)!.path).toBe(HOSTILE);
    expect(getBook(bulk, 3)!.fingerprint).toBe("fp after copy");
  });

  it("a bulk-settled undo marks the move it undid and locks the book", () => {
    const applied = settleBoth("apply", intentsFor, () => ({ state: "done" }));
    const back = (): MoveIntent[] =>
      intentsFor().map((m, i) => ({
        ...m, kind: "undo", book_from: m.book_to, book_to: m.book_from, kind_from: "folder", kind_to: m.kind_from,
        root_from: m.root_to, root_to: m.root_from, from_path: m.to_path, to_path: m.from_path, undoes: applied[i],
      }));
    const undos = settleBoth("undo", back, () => ({ state: "done" }));
    expect(snapshot(bulk)).toEqual(snapshot(single));
    applied.forEach((id, i) => expect(getMove(bulk, id)!.undone_by).toBe(undos[i]));
    BOOKS.forEach((b, i) => expect(getBook(bulk, i + 1)).toMatchObject({ path: b.path, kind: b.kind, library_root: LIB, locked: 1 }));
    expect(JSON.parse(getBook(bulk, 2)!.files)).toEqual(b2files());
  });

  it("leaves a move settled meanwhile as it is", () => {
    const batch = startBatch(bulk, "apply");
    const planned = intentsFor();
    const ids = journalStep(bulk, batch, [], planned);
    settleMoves(bulk, [{ id: ids[0], state: "rolled_back", error: "settled elsewhere" }]);
    journalStep(bulk, batch, planned.map((m, i) => ({ move: { ...m, id: ids[i] }, outcome: { id: ids[i], state: "done" as const } })), []);
    expect(getMove(bulk, ids[0])).toMatchObject({ state: "rolled_back", error: "settled elsewhere" });
    expect(getBook(bulk, planned[0].book_id)!.path).toBe(BOOKS[0].path);
    expect(getBook(bulk, planned[1].book_id)!.path).toBe(planned[1].book_to);
  });
});

function b2files() {
  return BOOKS[1].files.map((f) => ({ path: f.path, size: f.size }));
}

describe("the journal with plain names (settled by replacing text in the stored JSON)", () => {
  // Names JSON writes as they are, so the bulk settle replaces text rather than rebuilding the lists with json_each;
  // around them, the cases that must still go through json_each or be left alone.
  const PLAIN: ScanInput[] = [
    folderBook(`${LIB}/p/Plain`, ["01.mp3", "disc 2/02.mp3"], [`${LIB}/p/Plain/metadata.json`]),
    // NFD and non-ASCII text, kept byte for byte.
    folderBook(`${LIB}/p/Cafe\u0301 été`, ["01 – ü.mp3"], []),
    // A sibling folder sharing the name's prefix, and a sidecar path that repeats the book's path below it.
    folderBook(`${LIB}/p/Book`, ["01.mp3", `p/Book/02.mp3`], [`${LIB}/p/Book2/reader.txt`, `${LIB}/p/Book/cover.jpg`]),
    { path: `${LIB}/p/single.mp3`, kind: "file", library_root: LIB, files: [{ path: `${LIB}/p/single.mp3`, size: 9 }], sidecars: [{ path: `${LIB}/p/single.mp3.opf` }], fingerprint: "fp single" },
    // Names with a backslash and a quote: the stored JSON escapes them, so this book's lists go through json_each (a
    // text replace would also rewrite the book's path after the escaped quote).
    folderBook(`${LIB}/p/Slash`, ["a\\b.mp3", `x"${LIB}/p/Slash/02.mp3`], []),
    // The book's own path as a string in its list: rewritten whole (movedPath), not by its prefix.
    folderBook(`${LIB}/p/Self`, ["01.mp3"], [`${LIB}/p/Self`]),
    folderBook(`${LIB}/p/Elsewhere`, ["01.mp3"], [], LIB),
  ];
  const plainTarget = (b: ScanInput, i: number) => {
    const root = i === 6 ? OTHER : LIB;
    const folder = `${root}/Author ${i}/Title ${i} é`;
    return { book_to: folder, to_path: b.kind === "file" ? `${folder}/${path.basename(b.path)}` : folder, root_to: root };
  };
  const plainIntents = (idOf: (p: string) => number): MoveIntent[] =>
    PLAIN.map((b, i) => ({
      kind: "apply", book_id: idOf(b.path), book_from: b.path, kind_from: b.kind, kind_to: "folder", root_from: LIB,
      from_path: b.path, created_dir: null, fingerprint: b.fingerprint, undoes: null, ...plainTarget(b, i),
    }));

  it("settles them in bulk exactly as one by one, there and back", () => {
    // Scanned beside the books of the tests above (ids 1 to 5), which this scan marks missing.
    for (const db of [bulk, single]) applyScan(db, PLAIN, [LIB]);
    const ids = new Map<string, number>();
    for (const db of [bulk, single]) {
      for (const b of PLAIN) {
        const id = (db.prepare("SELECT id FROM books WHERE path = ?").get(b.path) as { id: number }).id;
        expect(ids.get(b.path) ?? id).toBe(id);
        ids.set(b.path, id);
      }
    }
    const book = (i: number) => getBook(bulk, ids.get(PLAIN[i - 1].path)!)!;
    const intents = () => plainIntents((p) => ids.get(p)!);
    const applied = settleBoth("apply", intents, () => ({ state: "done" }));
    expect(snapshot(bulk)).toEqual(snapshot(single));
    const files = (i: number) => JSON.parse(book(i).files).map((f: { path: string }) => f.path);
    const sidecars = (i: number) => JSON.parse(book(i).sidecars);
    const to = (i: number) => plainTarget(PLAIN[i], i).to_path;
    expect(files(1)).toEqual([`${to(0)}/01.mp3`, `${to(0)}/disc 2/02.mp3`]);
    expect(sidecars(1)).toEqual([`${to(0)}/metadata.json`]);
    expect(files(2)).toEqual([`${to(1)}/01 – ü.mp3`]);
    expect(files(3)).toEqual([`${to(2)}/01.mp3`, `${to(2)}/p/Book/02.mp3`]);
    expect(sidecars(3)).toEqual([`${LIB}/p/Book2/reader.txt`, `${to(2)}/cover.jpg`]);
    expect(book(4)).toMatchObject({ path: plainTarget(PLAIN[3], 3).book_to, kind: "folder" });
    expect(files(4)).toEqual([to(3)]);
    expect(sidecars(4)).toEqual([`${LIB}/p/single.mp3.opf`]);
    expect(files(5)).toEqual([`${to(4)}/a\\b.mp3`, `${to(4)}/x"${LIB}/p/Slash/02.mp3`]);
    expect(sidecars(6)).toEqual([to(5)]);
    expect(book(7)).toMatchObject({ library_root: OTHER, path: to(6) });
    intents().forEach((m, i) => {
      expect(files(i + 1)).toEqual(PLAIN[i].files.map((f) => movedPath(m, f.path)));
      expect(sidecars(i + 1)).toEqual((PLAIN[i].sidecars ?? []).map((f) => movedPath(m, f.path)));
    });

    const back = (): MoveIntent[] =>
      intents().map((m, i) => ({
        ...m, kind: "undo", book_from: m.book_to, book_to: m.book_from, kind_from: "folder", kind_to: m.kind_from,
        root_from: m.root_to, root_to: m.root_from, from_path: m.to_path, to_path: m.from_path, undoes: applied[i],
      }));
    settleBoth("undo", back, () => ({ state: "done" }));
    expect(snapshot(bulk)).toEqual(snapshot(single));
    PLAIN.forEach((b, i) => {
      expect(book(i + 1)).toMatchObject({ path: b.path, kind: b.kind, library_root: LIB, locked: 1 });
      expect(files(i + 1)).toEqual(b.files.map((f) => f.path));
      expect(sidecars(i + 1)).toEqual((b.sidecars ?? []).map((f) => f.path));
    });
  });
});
