/**
 * A folder swapped for a link between the plan's look and the rename (by
 * another program, or someone racing shelfwise): apply must neither move a
 * book out of the library through a link nor take one in from outside, nor
 * copy through a link and then delete what it reached. The swap is made
 * after the plan and its checks, right before the first move, through
 * applyMoves' beforeMoves hook; with the fs-batch addon (renames on its
 * worker thread) and without it (node:fs), and through the copy path.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { removalHooks } from "../../src/organize/disk.js";
import { undoMoves } from "../../src/organize/undo.js";
import { nativeFsAvailable, renameManyNoReplace, renameNoReplace, setNativeFs } from "../../src/organize/native-fs.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { swapForLink, openLibrary, treeHash, type TestLibrary, MOVE_WAYS, useNativeFs } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("link-race");
});
afterEach(() => {
  t?.close();
  t = undefined;
  setNativeFs(true);
  delete removalHooks.beforeRename;
  removeTempDir(tmp);
});

describe.each(MOVE_WAYS)("through $name", ({ native, forceCopy }) => {
  useNativeFs(native);

  it("a target's parent folder swapped for a link out of the library: nothing moves out", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
    ], { naming_template: "{author}/{title}" });
    const outside = path.join(tmp, "outside", "Frank Herbert");
    const report = await applyMoves(t.ctx, { forceCopy, beforeMoves: () => swapForLink(path.join(t!.lib, "Frank Herbert"), outside) });
    expect(fs.readdirSync(outside)).toEqual(["Children of Dune"]);
    expect(fs.existsSync(path.join(t.lib, "inbox", "Dune", "01.mp3"))).toBe(true);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });

  it("a folder the move was to create, made a link out of the library before it: the refusal removes no empty folder outside", async () => {
    t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune", series: "Dune", series_num: "1" }], { naming_template: "{author}/{series}/{title}" });
    // Outside: an empty folder of the series' name, which the refused move's clean-up would reach through the link.
    const outside = path.join(tmp, "outside", "Frank Herbert");
    fs.mkdirSync(path.join(outside, "Dune"), { recursive: true });
    const report = await applyMoves(t.ctx, { forceCopy, beforeMoves: () => fs.symlinkSync(outside, path.join(t!.lib, "Frank Herbert")) });
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
    expect(fs.readdirSync(outside)).toEqual(["Dune"]);
    expect(fs.existsSync(path.join(t.lib, "inbox", "Dune", "01.mp3"))).toBe(true);
  });

  it("a loose book's target parent swapped for a link out of the library: neither the file nor its companion moves out", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg"] },
      // A second loose file: one alone in a folder is read as that folder's book.
      { at: "inbox/Emma.mp3" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
    ], { naming_template: "{author}/{title}" });
    const outside = path.join(tmp, "outside", "Frank Herbert");
    const report = await applyMoves(t.ctx, { forceCopy, beforeMoves: () => swapForLink(path.join(t!.lib, "Frank Herbert"), outside) });
    expect(fs.readdirSync(outside)).toEqual(["Children of Dune"]);
    expect(fs.readdirSync(path.join(t.lib, "inbox")).sort()).toEqual(["Dune.jpg", "Dune.m4b", "Emma.mp3"]);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });

  it("a book's folder swapped for a link to a folder outside: neither the link nor what it leads to is moved, copied or removed", async () => {
    t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune" }], { naming_template: "{author}/{title}" });
    const outside = path.join(tmp, "outside", "Dune");
    let before: Record<string, string> = {};
    const report = await applyMoves(t.ctx, {
      forceCopy,
      beforeMoves: () => {
        swapForLink(path.join(t!.lib, "inbox", "Dune"), outside);
        before = treeHash(outside);
      },
    });
    expect(treeHash(outside)).toEqual(before);
    expect(fs.lstatSync(path.join(t.lib, "inbox", "Dune")).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(t.lib, "Frank Herbert"))).toBe(false);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });

  it("undo: the old place's parent swapped for a link out of the library after undo looked: the book stays in the library", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      // Keeps the inbox after Dune left it.
      { at: "inbox/Notes" },
    ], { naming_template: "{author}/{title}" });
    const applied = await applyMoves(t.ctx, { forceCopy, ids: [t.byAt("inbox/Dune").id] });
    expect(applied.moved).toHaveLength(1);
    const outside = path.join(tmp, "outside", "inbox");
    const report = await undoMoves(t.ctx, { last: 1, forceCopy, beforeMoves: () => swapForLink(path.join(t!.lib, "inbox"), outside) });
    expect(fs.readdirSync(outside)).toEqual(["Notes"]);
    expect(fs.existsSync(path.join(t.lib, "Frank Herbert", "Dune", "01.mp3"))).toBe(true);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });

  it("a book's parent folder swapped for a link out of the library: what lies outside is not taken in", async () => {
    t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune" }], { naming_template: "{author}/{title}" });
    const outside = path.join(tmp, "outside", "inbox");
    let before: Record<string, string> = {};
    const report = await applyMoves(t.ctx, {
      forceCopy,
      beforeMoves: () => {
        swapForLink(path.join(t!.lib, "inbox"), outside);
        before = treeHash(outside);
      },
    });
    expect(treeHash(outside)).toEqual(before);
    expect(fs.existsSync(path.join(t.lib, "Frank Herbert", "Dune"))).toBe(false);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });
});

/**
 * node:fs has no renameat: the ways are looked at right before the rename (or
 * link), and a swap after that look is followed by it. The rename is looked at
 * again after it, and reversed when it went through a link.
 */
describe("through node:fs, a folder swapped for a link after the look, right before the rename itself", () => {
  beforeEach(() => setNativeFs(false));
  /** Runs `swap` once, at the first rename or link. */
  const once = (swap: () => void) => {
    removalHooks.beforeRename = () => {
      delete removalHooks.beforeRename;
      swap();
    };
  };

  it("the target's parent: the book that went out through the link is moved back; nothing stays outside", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
    ], { naming_template: "{author}/{title}" });
    const before = treeHash(path.join(t.lib, "inbox"));
    const outside = path.join(tmp, "outside", "Frank Herbert");
    once(() => swapForLink(path.join(t!.lib, "Frank Herbert"), outside));
    const report = await applyMoves(t.ctx);
    expect(fs.readdirSync(outside)).toEqual(["Children of Dune"]);
    expect(treeHash(path.join(t.lib, "inbox"))).toEqual(before);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringMatching(/link appeared .* during the rename; the book was moved back/)]);
  });

  it("the source's parent, leading to a folder of the same name outside: that folder is put back, not taken in", async () => {
    t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune" }], { naming_template: "{author}/{title}" });
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(path.join(outside, "Dune"), { recursive: true });
    fs.writeFileSync(path.join(outside, "Dune", "theirs.txt"), "not the library's");
    const theirs = treeHash(outside);
    const aside = path.join(tmp, "aside");
    once(() => {
      fs.renameSync(path.join(t!.lib, "inbox"), aside);
      fs.symlinkSync(outside, path.join(t!.lib, "inbox"));
    });
    const report = await applyMoves(t.ctx);
    expect(treeHash(outside)).toEqual(theirs);
    expect(fs.existsSync(path.join(t.lib, "Frank Herbert", "Dune"))).toBe(false);
    expect(fs.readdirSync(path.join(aside, "Dune")).sort()).toEqual(["01.mp3", "02.mp3", "cover.jpg"]);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringMatching(/something else than the book came in by it; it was put back/)]);
  });

  it("the book's folder replaced by a file after apply's checks: the file (which no scan saw) is not moved", async () => {
    t = await openLibrary(tmp, [{ at: "in/Dune", author: "Frank Herbert", title: "Dune" }]);
    const book = path.join(t.lib, "in", "Dune");
    const report = await applyMoves(t.ctx, {
      beforeMoves: () => {
        fs.renameSync(book, path.join(tmp, "aside"));
        fs.writeFileSync(book, "not the book");
      },
    });
    expect(fs.readFileSync(book, "utf8")).toBe("not the book");
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([`${book} is a file now, not the book the plan saw (nothing moved); run \`shelfwise scan\``]);
  });

  it("a loose book's target parent: the link made outside is let go, the file stays where it was", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/Emma.mp3" },
    ], { naming_template: "{author}/{title}" });
    const before = treeHash(path.join(t.lib, "inbox"));
    const outside = path.join(tmp, "outside");
    once(() => {
      fs.mkdirSync(outside);
      fs.rmdirSync(path.join(t!.lib, "Frank Herbert", "Dune"));
      fs.symlinkSync(outside, path.join(t!.lib, "Frank Herbert", "Dune"));
    });
    const report = await applyMoves(t.ctx);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(treeHash(path.join(t.lib, "inbox"))).toEqual(before);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });
});

describe("the fs-batch addon's renames below roots, with no look before them", () => {
  beforeEach((ctx) => {
    if (!nativeFsAvailable()) ctx.skip();
  });

  it("refuse a link on the way or as the book (ELOOP), make missing folders without following one, and rename otherwise", async () => {
    const root = path.join(tmp, "library");
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(path.join(root, "inbox", "Dune"), { recursive: true });
    fs.mkdirSync(path.join(outside, "Frank Herbert"), { recursive: true });
    fs.mkdirSync(path.join(outside, "Emma"), { recursive: true });
    fs.symlinkSync(path.join(outside, "Frank Herbert"), path.join(root, "Frank Herbert"));
    fs.symlinkSync(path.join(outside, "Emma"), path.join(root, "inbox", "Emma"));
    fs.symlinkSync(outside, path.join(root, "elsewhere"));
    const roots = { from: root, to: root };
    const ELOOP = os.constants.errno.ELOOP;
    const pairs = [
      // The target's parent is a link out of the library.
      { from: path.join(root, "inbox", "Dune"), to: path.join(root, "Frank Herbert", "Dune"), roots },
      // A missing folder to make below a link.
      { from: path.join(root, "inbox", "Dune"), to: path.join(root, "elsewhere", "new", "Dune"), roots },
      // The book itself is a link.
      { from: path.join(root, "inbox", "Emma"), to: path.join(root, "Jane Austen", "Emma"), roots },
      // The source's parent is a link.
      { from: path.join(root, "elsewhere", "Emma"), to: path.join(root, "Jane Austen", "Emma"), roots },
      // The book's folder replaced by a file (the batch carries folders only): refused, the file stays.
      { from: path.join(root, "inbox", "Lost"), to: path.join(root, "Someone", "Lost"), roots },
      // Plainly inside: renamed, its new parent made.
      { from: path.join(root, "inbox", "Dune"), to: path.join(root, "F. Herbert", "Dune"), roots },
    ];
    fs.writeFileSync(path.join(root, "inbox", "Lost"), "not the book");
    const result = await renameManyNoReplace(pairs)!;
    expect([...result]).toEqual([ELOOP, ELOOP, ELOOP, ELOOP, os.constants.errno.ENOTDIR, 0]);
    expect(fs.readFileSync(path.join(root, "inbox", "Lost"), "utf8")).toBe("not the book");
    expect(fs.existsSync(path.join(root, "Someone"))).toBe(false);
    expect(fs.readdirSync(path.join(outside, "Frank Herbert"))).toEqual([]);
    expect(fs.existsSync(path.join(outside, "new"))).toBe(false);
    expect(fs.existsSync(path.join(root, "F. Herbert", "Dune"))).toBe(true);
    expect(fs.lstatSync(path.join(root, "inbox", "Emma")).isSymbolicLink()).toBe(true);
    // The one-by-one rename (moveOnDisk's) does the same.
    expect(() => renameNoReplace(path.join(root, "F. Herbert", "Dune"), path.join(root, "Frank Herbert", "Dune"), roots)).toThrow(/ELOOP/);
    expect(renameNoReplace(path.join(root, "F. Herbert", "Dune"), path.join(root, "inbox", "Dune"), roots)).toBe("renamed");
  });
});
