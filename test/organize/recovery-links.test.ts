/**
 * Recovery never follows a link: a folder swapped for a symbolic link between
 * the crash and the next command (by a person tidying up, or by someone who
 * wants shelfwise to move, pull in or delete what is not the library's) must
 * not make recovery act through it. The book stays where it is, the message
 * says so, and nothing inside or outside the library is moved or removed.
 * Each crash state is built by hand on real folders, then swapped.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { partialPath } from "../../src/organize/disk.js";
import { recoverInterrupted } from "../../src/organize/recovery.js";
import { getBook } from "../../src/store/books.js";
import { getMove, recordIntents, setMoveMethod, startBatch, type MoveIntent } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let outside: string;
let t: TestLibrary;
beforeEach(async () => {
  tmp = makeTempDir("recovery-links");
  outside = path.join(tmp, "outside");
  fs.mkdirSync(outside);
  t = await openLibrary(tmp, [
    { at: "old/Folder Book", author: "A", title: "Folder" },
    { at: "in/sub/Deep Book", author: "C", title: "Deep" },
    { at: "cd/Disc Book", author: "E", title: "Discs", files: ["CD1/01.mp3", "CD1/02.mp3", "cover.jpg"] },
    { at: "loose/single.mp3", author: "B", title: "Single", beside: ["single.jpg"] },
    // A folder book beside it: a lone audio file in a folder is that folder's book, not a loose one.
    { at: "loose/Other", author: "D", title: "Other" },
  ]);
});
afterEach(() => {
  t.close();
  removeTempDir(tmp);
});

/** Journals a move of a book to `to` (as apply would) and returns it. */
function intent(at: string, toRel: string, companions: string[] = []): { id: number; from: string; to: string; bookId: number } {
  const book = t.byAt(at);
  const to = path.join(t.lib, toRel);
  const bookTo = book.kind === "file" ? path.dirname(to) : to;
  const firstNew = path.join(t.lib, toRel.split("/")[0]);
  const m: MoveIntent = {
    kind: "apply", book_id: book.id, book_from: book.path, book_to: bookTo, kind_from: book.kind, kind_to: "folder",
    root_from: t.lib, root_to: t.lib, from_path: book.path, to_path: to, created_dir: fs.existsSync(firstNew) ? null : firstNew,
    fingerprint: book.fingerprint, undoes: null, companions: companions.length > 0 ? JSON.stringify(companions) : null,
  };
  const [id] = recordIntents(t.ctx.db, startBatch(t.ctx.db, "apply"), [m]);
  return { id, from: book.path, to, bookId: book.id };
}

/** Moves the folder `rel` of the library to `away` and leaves a link to `target` in its place. */
function swapForLink(rel: string, target: string, away = path.join(tmp, `moved-${rel.replaceAll("/", "-")}`)): string {
  const at = path.join(t.lib, rel);
  fs.renameSync(at, away);
  fs.symlinkSync(target, at);
  return away;
}

describe("recovery never follows a link", () => {
  it("a copy finished at its new place whose old folder is now a link to a backup: the backup's files are not removed", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    // The kill came after the verified copy was placed, before any source was removed.
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    // Then the user moved old/ to a backup disk and left a link: the same files, outside the library.
    const backup = path.join(outside, "backup");
    swapForLink("old", backup, backup);
    const backupBefore = treeHash(backup);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(treeHash(backup)).toEqual(backupBefore);
    // The verified copy is whole at its new place: that is where the book is; the old side was left alone.
    expect(r).toMatchObject({ move_id: m.id, outcome: "finished", path: m.to });
    expect(r.error).toMatch(/link/);
    expect(r.error).toContain("nothing was removed");
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.to);
  });

  it("a rolled-back move does not remove an empty folder outside the library through a link to it", () => {
    const m = intent("old/Folder Book", "new/deeper/Folder");
    // The kill came after the target's folders were made, before the rename.
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    // new/ swapped for a link to a folder outside that holds an empty `deeper`.
    const target = path.join(outside, "mine");
    fs.mkdirSync(path.join(target, "deeper"), { recursive: true });
    swapForLink("new", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(fs.existsSync(path.join(target, "deeper"))).toBe(true);
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(r.error).toMatch(/link/);
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.from);
  });

  it("a finished move does not remove an empty folder outside the library through its old parent, now a link", () => {
    const m = intent("in/sub/Deep Book", "C/Deep");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.renameSync(m.from, m.to);
    // in/ is now a link to a folder outside whose `sub` is empty.
    const target = path.join(outside, "mine");
    fs.mkdirSync(path.join(target, "sub"), { recursive: true });
    swapForLink("in", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(fs.existsSync(path.join(target, "sub"))).toBe(true);
    expect(r).toMatchObject({ outcome: "finished", path: m.to });
  });

  it("a rollback does not pull a file from outside the library in through a link at the new place", () => {
    const before = contentCounts(t.lib);
    const m = intent("loose/single.mp3", "B/Single/single.mp3", ["single.jpg"]);
    const from = path.dirname(m.from);
    // The kill came after the companion was placed, before the audio file: a rollback carries the companion back.
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.renameSync(path.join(from, "single.jpg"), path.join(path.dirname(m.to), "single.jpg"));
    // B/ is moved away and replaced by a link to a folder outside holding a file of the companion's name.
    const target = path.join(outside, "theirs");
    fs.mkdirSync(path.join(target, "Single"), { recursive: true });
    fs.writeFileSync(path.join(target, "Single", "single.jpg"), "not the library's");
    const away = swapForLink("B", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(fs.readFileSync(path.join(target, "Single", "single.jpg"), "utf8")).toBe("not the library's");
    expect(fs.existsSync(path.join(from, "single.jpg"))).toBe(false);
    // The audio file was never moved: the book stays at its old place, and the message names the link.
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(r.error).toMatch(/link/);
    // Every file of the library still exists exactly once (the companion in the folder moved away).
    const now = contentCounts(t.lib);
    for (const [hash, n] of contentCounts(away)) now.set(hash, (now.get(hash) ?? 0) + n);
    expect(now).toEqual(before);
  });

  it("a finished loose file's companion is not carried out of the library through a link at the new place", () => {
    const m = intent("loose/single.mp3", "B/Single/single.mp3", ["single.jpg"]);
    const from = path.dirname(m.from);
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.renameSync(m.from, m.to);
    // B/ moved out of the library, a link left in its place.
    const target = path.join(outside, "B");
    swapForLink("B", target, target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(fs.existsSync(path.join(from, "single.jpg"))).toBe(true);
    expect(fs.existsSync(path.join(target, "Single", "single.jpg"))).toBe(false);
    // Not plainly at either place: recovery says so and leaves both as they are.
    expect(r.outcome).toBe("failed");
    expect(r.error).toMatch(/link/);
    expect(r.error).toContain("nothing was moved or removed");
    expect(getMove(t.ctx.db, m.id)!.state).toBe("failed");
  });

  it("a half-made copy is not removed through a link: the target's folder is a link to one outside", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(partial, { recursive: true });
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "01.mp3"));
    // new/ swapped for a link to a folder outside that has a folder of that name (its owner's, not ours).
    const target = path.join(outside, "mine");
    fs.mkdirSync(path.join(target, path.basename(partial)), { recursive: true });
    fs.writeFileSync(path.join(target, path.basename(partial), "keep.txt"), "keep");
    swapForLink("new", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(fs.readFileSync(path.join(target, path.basename(partial), "keep.txt"), "utf8")).toBe("keep");
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
  });

  it("the book's new folder replaced by a link to a copy outside: the library's files are not removed as its source", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    // The new folder moved outside and a link left in its place; the old one stays whole.
    const target = path.join(outside, "Folder");
    fs.renameSync(m.to, target);
    fs.symlinkSync(target, m.to);
    const libBefore = treeHash(path.join(t.lib, "old"));
    const outsideBefore = treeHash(target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(treeHash(path.join(t.lib, "old"))).toEqual(libBefore);
    expect(treeHash(target)).toEqual(outsideBefore);
    // Something is at the new place, through a link: the old one may be partly removed already, so neither is
    // declared the book's; both are left as they are and the message says so.
    expect(r).toMatchObject({ outcome: "failed", path: m.from });
    expect(r.error).toContain(`${m.to} is a symbolic link now`);
    expect(r.error).toContain("nothing was moved or removed");
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.from);
  });

  it("a finished copy whose disc folder at the new place was swapped for a link: the sources it matches are kept", () => {
    const m = intent("cd/Disc Book", "E/Discs");
    setMoveMethod(t.ctx.db, m.id, "copy");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    // The copy's CD1 moved out of the library, a link left in its place: the same bytes, but not in the library.
    const target = path.join(outside, "CD1");
    fs.renameSync(path.join(m.to, "CD1"), target);
    fs.symlinkSync(target, path.join(m.to, "CD1"));

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r.outcome).toBe("finished");
    // The files only reachable through the link stay at the old place; the cover, copied plainly, went.
    expect(fs.readdirSync(path.join(m.from, "CD1")).sort()).toEqual(["01.mp3", "02.mp3"]);
    expect(fs.existsSync(path.join(m.from, "cover.jpg"))).toBe(false);
    expect(r.error).toContain(`files left at ${m.from}`);
  });

  it("a finished copy's companion at its new place swapped for a link to the same bytes outside: the library's own copy is kept", () => {
    const m = intent("loose/single.mp3", "B/Single/single.mp3", ["single.jpg"]);
    setMoveMethod(t.ctx.db, m.id, "copy");
    const from = path.dirname(m.from);
    // The kill came after the audio file's copy was placed, before any source was removed.
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.copyFileSync(m.from, m.to);
    // The companion's copy moved out of the library, a link left in its place.
    const target = path.join(outside, "single.jpg");
    fs.copyFileSync(path.join(from, "single.jpg"), target);
    fs.symlinkSync(target, path.join(path.dirname(m.to), "single.jpg"));

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r.outcome).toBe("finished");
    expect(fs.lstatSync(path.join(from, "single.jpg")).isFile()).toBe(true);
    expect(r.error).toContain("single.jpg");
  });

  it("a copy cut short, its old folder now a link and a folder of the target's name made since: neither is taken for the book", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(partial, { recursive: true });
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "01.mp3"));
    fs.mkdirSync(m.to);
    fs.writeFileSync(path.join(m.to, "notes.txt"), "someone else's");
    const backup = path.join(outside, "backup");
    swapForLink("old", backup, backup);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ outcome: "failed", path: m.from });
    expect(r.error).toContain("nothing was moved or removed");
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.from);
    expect(fs.readdirSync(m.to)).toEqual(["notes.txt"]);
  });
});
