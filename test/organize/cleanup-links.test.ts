/**
 * The clean-up after a move that went well (the emptied folders removed up to
 * the library folder, a copy's sources removed) must not act through a link
 * either: a folder swapped for a link after the rename and before the rmdir
 * would have shelfwise remove an empty folder (or a file) outside the
 * library. The swap is made at the last moment, right before each removal,
 * through disk.ts's removalHooks; with the fs-batch addon, with node:fs and
 * through the copy path. Before the fix the clean-up after a rename looked
 * at no link at all.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { removalHooks } from "../../src/organize/disk.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { swapForLink, openLibrary, type TestLibrary, MOVE_WAYS, useNativeFs } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("cleanup-links");
});
afterEach(() => {
  removalHooks.beforeRemove = undefined;
  t?.close();
  t = undefined;
  setNativeFs(true);
  removeTempDir(tmp);
});

describe.each(MOVE_WAYS)("through $name", ({ native, forceCopy }) => {
  useNativeFs(native);

  it("the vacated folder's parent swapped for a link right before the clean-up's first removal: nothing outside is removed", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/sub/Dune", author: "Frank Herbert", title: "Dune" },
      // Stays: the library root is not left empty.
      { at: "Ann Leckie/Ancillary Justice", author: "Ann Leckie", title: "Ancillary Justice" },
    ], { naming_template: "{author}/{title}" });
    const lib = t.lib;
    const outside = path.join(tmp, "outside", "inbox");
    const removals: string[] = [];
    removalHooks.beforeRemove = (target) => {
      removals.push(target);
      // Once, at the first removal under inbox: from then on every way to inbox/... goes through the link.
      if (removals.length === 1) swapForLink(path.join(lib, "inbox"), outside);
    };
    const report = await applyMoves(t.ctx, { forceCopy });
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.to)).toEqual([path.join(lib, "Frank Herbert", "Dune")]);
    expect(fs.readdirSync(path.join(lib, "Frank Herbert", "Dune"))).toContain("01.mp3");
    expect(removals.length).toBeGreaterThan(0);
    // The real inbox, now outside, keeps its (empty) sub folder: no rmdir went through the link.
    expect(fs.lstatSync(path.join(lib, "inbox")).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(outside, "sub"))).toBe(true);
  });

  it("a loose book's folder swapped for a link right before the clean-up: nothing outside is removed", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/a/b/Dune.m4b", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/a/b/Emma.mp3" },
    ], { naming_template: "{author}/{title}" });
    const lib = t.lib;
    const outside = path.join(tmp, "outside", "a");
    let swapped = false;
    removalHooks.beforeRemove = () => {
      if (swapped) return;
      swapped = true;
      swapForLink(path.join(lib, "inbox", "a"), outside);
    };
    // Emma (no author) stays: only Dune moves; its folder is not empty, so the clean-up's rmdir fails anyway. Emma is
    // moved away by hand first, so that the folder is empty and an rmdir through the link would succeed.
    fs.renameSync(path.join(lib, "inbox", "a", "b", "Emma.mp3"), path.join(tmp, "Emma.mp3"));
    const report = await applyMoves(t.ctx, { forceCopy });
    const dune = report.moved.find((m) => m.from.endsWith("Dune.m4b"));
    expect(dune?.error ?? null).toBeNull();
    expect(swapped).toBe(true);
    expect(fs.existsSync(path.join(outside, "b"))).toBe(true);
  });
});
