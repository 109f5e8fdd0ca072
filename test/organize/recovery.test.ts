/**
 * Recovery decides each interrupted move from the disk: the states a crash
 * can leave (journal says 'intent') are built here by hand, one per test.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { partialPath } from "../../src/organize/disk.js";
import { recoverAtOpen, recoverInterrupted } from "../../src/organize/recovery.js";
import { getBook } from "../../src/store/books.js";
import { applyMoves } from "../../src/organize/apply.js";
import { getMove, journalStep, recordIntents, setMoveMethod, startBatch, type MoveIntent } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary;
beforeEach(async () => {
  tmp = makeTempDir("recovery");
  t = await openLibrary(tmp, [
    { at: "old/Folder Book", author: "A", title: "Folder" },
    { at: "single.mp3", author: "B", title: "Single" },
  ]);
});
afterEach(() => {
  t.close();
  removeTempDir(tmp);
});

/** Journals a move of a book to `to` (as apply would) and returns its id. */
function intent(at: string, toRel: string): { id: number; from: string; to: string; bookId: number } {
  const book = t.byAt(at);
  const to = path.join(t.lib, toRel);
  const bookTo = book.kind === "file" ? path.dirname(to) : to;
  const firstNew = path.join(t.lib, toRel.split("/")[0]);
  const m: MoveIntent = {
    kind: "apply", book_id: book.id, book_from: book.path, book_to: bookTo, kind_from: book.kind, kind_to: "folder",
    root_from: t.lib, root_to: t.lib, from_path: book.path, to_path: to, created_dir: fs.existsSync(firstNew) ? null : firstNew,
    fingerprint: book.fingerprint, undoes: null,
  };
  const [id] = recordIntents(t.ctx.db, startBatch(t.ctx.db, "apply"), [m]);
  return { id, from: book.path, to, bookId: book.id };
}

describe("recovery of interrupted moves", () => {
  it("a rename that happened is finished: the book's path follows, emptied folders go", () => {
    const m = intent("old/Folder Book", "new/Folder");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.renameSync(m.from, m.to);
    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ move_id: m.id, outcome: "finished", path: m.to });
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.to);
    expect(getMove(t.ctx.db, m.id)).toMatchObject({ state: "done", recovered: 1 });
    expect(fs.existsSync(path.join(t.lib, "old"))).toBe(false);
  });

  it("a rename that did not happen is rolled back, with the folders the move created", () => {
    const before = treeHash(t.lib);
    const m = intent("old/Folder Book", "new/deeper/Folder");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(getMove(t.ctx.db, m.id)!.state).toBe("rolled_back");
    expect(treeHash(t.lib)).toEqual(before);
  });

  it("a single file linked but not yet unlinked ends under its new name only", () => {
    const m = intent("single.mp3", "B/Single/single.mp3");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.linkSync(m.from, m.to);
    expect(recoverInterrupted(t.ctx.db)[0].outcome).toBe("finished");
    expect(fs.existsSync(m.from)).toBe(false);
    expect(getBook(t.ctx.db, m.bookId)).toMatchObject({ path: path.dirname(m.to), kind: "folder" });
  });

  it("a copy cut short is removed and the book stays at its old place", () => {
    const before = treeHash(t.lib);
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(partial, { recursive: true });
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "01.mp3"));
    expect(recoverInterrupted(t.ctx.db)[0].outcome).toBe("rolled_back");
    expect(treeHash(t.lib)).toEqual(before);
  });

  it("a copy cut short, and a folder of the target's name made since: that folder is not taken for the copy, nothing of the book is removed", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(partial, { recursive: true });
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "01.mp3"));
    // Someone's own folder of that name since the crash, holding the same cover and a file of its own.
    fs.mkdirSync(m.to);
    fs.copyFileSync(path.join(m.from, "cover.jpg"), path.join(m.to, "cover.jpg"));
    fs.writeFileSync(path.join(m.to, "notes.txt"), "mine");
    const before = treeHash(t.lib);
    delete before[`new/${path.basename(partial)}`];
    delete before[`new/${path.basename(partial)}/01.mp3`];

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(r.error).toContain(`${m.to} appeared since the move was interrupted`);
    expect(treeHash(t.lib)).toEqual(before);
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.from);
  });

  it("a verified copy in place whose source was partly removed is finished; every file exists once", () => {
    const before = treeHash(t.lib);
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    fs.rmSync(path.join(m.from, "01.mp3"));
    expect(recoverInterrupted(t.ctx.db)[0].outcome).toBe("finished");
    expect(fs.existsSync(m.from)).toBe(false);
    const after = treeHash(t.lib);
    for (const name of ["01.mp3", "02.mp3", "cover.jpg"]) expect(after[`new/Folder/${name}`]).toBe(before[`old/Folder Book/${name}`]);
  });

  it("a kill amid a chunk (intents journaled together, some renames done, others not) settles each move from the disk", async () => {
    t.close();
    removeTempDir(tmp);
    tmp = makeTempDir("recovery");
    t = await openLibrary(tmp, [
      { at: "in/One", author: "A", title: "One" },
      { at: "in/Two", author: "A", title: "Two" },
      { at: "in/Three", author: "A", title: "Three" },
      { at: "in/four.mp3", author: "B", title: "Four" },
    ]);
    const before = contentCounts(t.lib);
    const books = ["in/One", "in/Two", "in/Three", "in/four.mp3"].map((at) => t.byAt(at));
    // One chunk as execute.ts journals it: every intent in one transaction, before any rename;
    // One and Two share the folder the chunk creates (A/), so both record it as theirs.
    const targets = [path.join(t.lib, "A", "One"), path.join(t.lib, "A", "Two"), path.join(t.lib, "C", "Three"), path.join(t.lib, "B", "Four", "four.mp3")];
    const intents: MoveIntent[] = books.map((book, i) => ({
      kind: "apply", book_id: book.id, book_from: book.path, book_to: book.kind === "file" ? path.dirname(targets[i]) : targets[i],
      kind_from: book.kind, kind_to: "folder", root_from: t.lib, root_to: t.lib, from_path: book.path, to_path: targets[i],
      created_dir: path.join(t.lib, targets[i].slice(t.lib.length + 1).split("/")[0]), fingerprint: book.fingerprint, undoes: null,
    }));
    const ids = journalStep(t.ctx.db, startBatch(t.ctx.db, "apply"), [], intents);
    // The kill came after One was renamed, while Two's folder existed but Two had not moved,
    // after Four was linked but not unlinked, and before Three was touched.
    fs.mkdirSync(path.join(t.lib, "A"));
    fs.renameSync(books[0].path, targets[0]);
    fs.mkdirSync(path.dirname(targets[3]), { recursive: true });
    fs.linkSync(books[3].path, targets[3]);

    const recovered = recoverAtOpen(t.ctx.db, t.data);
    expect(recovered.map((r) => [r.move_id, r.outcome])).toEqual([
      [ids[0], "finished"],
      [ids[1], "rolled_back"],
      [ids[2], "rolled_back"],
      [ids[3], "finished"],
    ]);
    expect(getBook(t.ctx.db, books[0].id)!.path).toBe(targets[0]);
    expect(getBook(t.ctx.db, books[1].id)!.path).toBe(books[1].path);
    expect(getBook(t.ctx.db, books[2].id)!.path).toBe(books[2].path);
    expect(getBook(t.ctx.db, books[3].id)).toMatchObject({ path: path.dirname(targets[3]), kind: "folder" });
    // Every file once; the shared folder stays (One is in it), the folders nothing moved into are gone.
    expect(contentCounts(t.lib)).toEqual(before);
    expect(fs.readdirSync(path.join(t.lib, "A"))).toEqual(["One"]);
    expect(fs.existsSync(path.join(t.lib, "C"))).toBe(false);
    expect(fs.existsSync(books[3].path)).toBe(false);
    // A second apply finishes the job from there.
    const report = await applyMoves(t.ctx);
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.book_id).sort()).toEqual([books[1].id, books[2].id].sort());
    expect(contentCounts(t.lib)).toEqual(before);
  });

  it("opening a database settles interrupted moves once, and never while another process holds the lock", async () => {
    const m = intent("old/Folder Book", "new/Folder");
    expect(recoverAtOpen(t.ctx.db, t.data)).toMatchObject([{ move_id: m.id, outcome: "rolled_back" }]);
    expect(recoverAtOpen(t.ctx.db, t.data)).toEqual([]);
  });
});
