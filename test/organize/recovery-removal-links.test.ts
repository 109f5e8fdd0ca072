/**
 * Recovery's own removals act at the moment they act, never through a link:
 * the look for links before recovery decides (linkOnTheWay) leaves a moment
 * before each removal in which a folder may be swapped for a link. Through it
 * an `rm -r` of the half-made copy folder would delete a folder of that name
 * outside the library with everything in it; the unlink of a hard link's old
 * name, or of a companion's, would delete the user's file of that name
 * wherever the link leads. The swap is made right before each removal through
 * disk.ts's removalHooks, with the fs-batch addon and with node:fs. Before the
 * fix these removals went by path (fs.rmSync / fs.unlinkSync).
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { partialPath, removalHooks, removeTreeBelow } from "../../src/organize/disk.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { recoverInterrupted } from "../../src/organize/recovery.js";
import { recordIntents, setMoveMethod, startBatch, type MoveIntent } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary, RENAME_WAYS, useNativeFs } from "./library.js";

let tmp: string;
let outside: string;
let t: TestLibrary;
beforeEach(async () => {
  tmp = makeTempDir("recovery-removal-links");
  outside = path.join(tmp, "outside");
  fs.mkdirSync(outside);
  t = await openLibrary(tmp, [
    { at: "old/Folder Book", author: "A", title: "Folder" },
    { at: "loose/single.mp3", author: "B", title: "Single", beside: ["single.jpg"] },
    { at: "loose/Other", author: "D", title: "Other" },
  ]);
});
afterEach(() => {
  removalHooks.beforeRemove = undefined;
  setNativeFs(true);
  t.close();
  removeTempDir(tmp);
});

/** Journals a move of a book to `to` (as apply would) and returns it. */
function intent(at: string, toRel: string, companions: string[] = []): { id: number; from: string; to: string } {
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
  return { id, from: book.path, to };
}

/** Moves the library's folder `rel` away and leaves a link to `target` in its place. */
function swapForLink(rel: string, target: string): void {
  const at = path.join(t.lib, rel);
  fs.renameSync(at, path.join(tmp, `moved-${rel.replaceAll("/", "-")}`));
  fs.symlinkSync(target, at);
}

/** Swaps `rel` for a link to `target` right before the removal of `when`, once; returns whether it happened. */
function swapBefore(when: string, rel: string, target: string): () => boolean {
  let swapped = false;
  removalHooks.beforeRemove = (removing) => {
    if (swapped || removing !== when) return;
    swapped = true;
    swapForLink(rel, target);
  };
  return () => swapped;
}

describe.each(RENAME_WAYS)("through $name", ({ native }) => {
  useNativeFs(native);

  it("the half-made copy's folder: its parent swapped for a link right before the rm -r, the folder of that name outside keeps its files", () => {
    const m = intent("old/Folder Book", "new/Folder");
    setMoveMethod(t.ctx.db, m.id, "copy");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(path.join(partial, "CD1"), { recursive: true });
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "CD1", "01.mp3"));
    // Outside: a folder holding one of that name, with the user's files in it.
    const target = path.join(outside, "mine");
    const theirs = path.join(target, path.basename(partial));
    fs.mkdirSync(path.join(theirs, "CD1"), { recursive: true });
    fs.writeFileSync(path.join(theirs, "keep.txt"), "keep");
    fs.writeFileSync(path.join(theirs, "CD1", "01.mp3"), "theirs");
    const swapped = swapBefore(partial, "new", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(swapped()).toBe(true);
    expect(fs.readFileSync(path.join(theirs, "keep.txt"), "utf8")).toBe("keep");
    expect(fs.readFileSync(path.join(theirs, "CD1", "01.mp3"), "utf8")).toBe("theirs");
    // The book is whole at its old place; the hidden folder (now beyond the link) is named, not removed.
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(r.error).toMatch(/could not be removed \(a symbolic link on the way now/);
    expect(fs.existsSync(path.join(m.from, "01.mp3"))).toBe(true);
    // The library's half-made copy, moved away with its folder, is left as it was.
    expect(fs.existsSync(path.join(tmp, "moved-new", path.basename(partial), "CD1", "01.mp3"))).toBe(true);
  });

  it("a hard link's old name: its folder swapped for a link right before the unlink, the user's file of that name outside stays", () => {
    const m = intent("loose/single.mp3", "B/Single/single.mp3");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    // Killed between the link and the unlink: one file under both names.
    fs.linkSync(m.from, m.to);
    const target = path.join(outside, "loose");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "single.mp3"), "theirs");
    const swapped = swapBefore(m.from, "loose", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(swapped()).toBe(true);
    expect(fs.readFileSync(path.join(target, "single.mp3"), "utf8")).toBe("theirs");
    expect(r.outcome).toBe("finished");
    expect(r.error).toMatch(/could not be removed \(a symbolic link on the way now/);
    expect(fs.existsSync(m.to)).toBe(true);
  });

  it("a companion's old name: its folder swapped for a link right before the unlink, the user's file of that name outside stays", () => {
    const m = intent("loose/single.mp3", "B/Single/single.mp3", ["single.jpg"]);
    const fromDir = path.dirname(m.from);
    const toDir = path.dirname(m.to);
    fs.mkdirSync(toDir, { recursive: true });
    // Killed after the audio file moved and while its companion was under both names.
    fs.linkSync(path.join(fromDir, "single.jpg"), path.join(toDir, "single.jpg"));
    fs.renameSync(m.from, m.to);
    const target = path.join(outside, "loose");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "single.jpg"), "theirs");
    const swapped = swapBefore(path.join(fromDir, "single.jpg"), "loose", target);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(swapped()).toBe(true);
    expect(fs.readFileSync(path.join(target, "single.jpg"), "utf8")).toBe("theirs");
    expect(r.outcome).toBe("finished");
    expect(r.error).toMatch(/single\.jpg could not be removed \(a symbolic link on the way now/);
    expect(fs.existsSync(path.join(toDir, "single.jpg"))).toBe(true);
  });

  it("removeTreeBelow: a link inside the folder is removed as a link (what it leads to stays), closed folders are opened up and removed; a link in the folder's place is refused", () => {
    const theirs = path.join(outside, "theirs");
    fs.mkdirSync(theirs);
    fs.writeFileSync(path.join(theirs, "keep.txt"), "keep");
    const partial = path.join(t.lib, "new", ".shelfwise-partial-9");
    fs.mkdirSync(path.join(partial, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(partial, "a", "b", "01.mp3"), "x");
    fs.writeFileSync(path.join(partial, "a", "02.mp3"), "x");
    fs.symlinkSync(theirs, path.join(partial, "a", "link"));
    fs.symlinkSync(path.join(theirs, "keep.txt"), path.join(partial, "file-link"));
    // Our copies keep their sources' modes: a read-only folder, and one closed even to reading.
    fs.chmodSync(path.join(partial, "a", "b"), 0o555);
    fs.chmodSync(path.join(partial, "a"), 0o000);
    removeTreeBelow(partial, t.lib);
    expect(fs.existsSync(partial)).toBe(false);
    expect(fs.readFileSync(path.join(theirs, "keep.txt"), "utf8")).toBe("keep");
    // Nothing there: nothing to do.
    removeTreeBelow(partial, t.lib);
    fs.symlinkSync(theirs, partial);
    expect(() => removeTreeBelow(partial, t.lib)).toThrow(expect.objectContaining({ code: "ELOOP" }));
    expect(fs.readFileSync(path.join(theirs, "keep.txt"), "utf8")).toBe("keep");
  });
});
