/**
 * The copy back of `undo` onto a vfat/exFAT/NTFS old place checks the names such a disk refuses, as plan and apply
 * do for a copy onto one (book-contents.ts `target_refuses_names`): a file put in the book since (and scanned) whose
 * name the stick refuses made the copy back fail midway. A library on a FAT image mounted by fusefat, its books
 * copied out to output_path on another file system.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
const mounts: string[] = [];
beforeEach(() => {
  tmp = makeTempDir("undo-restricted");
});
afterEach(() => {
  t?.close();
  t = undefined;
  for (const at of mounts.splice(0)) execFileSync("umount", [at], { stdio: "ignore" });
  removeTempDir(tmp);
});

it("undo refuses the copy back onto a FAT stick of a book holding a name the stick refuses, naming it; nothing moves", async (ctx) => {
  const stick = path.join(tmp, "library");
  const image = path.join(tmp, "stick.img");
  const out = path.join(tmp, "out");
  fs.mkdirSync(stick);
  fs.mkdirSync(out);
  try {
    if (process.getuid?.() !== 0) return ctx.skip();
    fs.writeFileSync(image, Buffer.alloc(0));
    fs.truncateSync(image, 8 * 1024 * 1024);
    execFileSync("mkfs.vfat", [image], { stdio: "ignore" });
    execFileSync("fusefat", ["-o", "rw+", image, stick], { stdio: "ignore" });
  } catch {
    return ctx.skip(); // no fusefat, mkfs.vfat or /dev/fuse here
  }
  mounts.push(stick);
  if (fs.statSync(stick).dev === fs.statSync(out).dev) return ctx.skip();
  t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune", files: ["01.mp3"] }], { output_path: out });
  const applied = await applyMoves(t.ctx, {});
  expect(applied.failed).toEqual([]);
  expect(applied.moved.map((m) => m.method)).toEqual(["copy"]);
  const moved = applied.moved[0]!.to;
  const odd = path.join(moved, "Notes: read me.txt");
  fs.writeFileSync(odd, "notes");
  await rescan(t.ctx, out);
  const before = treeHash(out);
  const stickBefore = treeHash(stick);
  const undone = await undoMoves(t.ctx, { ids: [applied.moved[0]!.move_id!] });
  expect(undone.moved).toEqual([]);
  expect(undone.failed).toEqual([]);
  expect(undone.refused.map((r) => r.reason)).toEqual([expect.stringContaining(`the name "Notes: read me.txt" of ${odd}`)]);
  expect(undone.refused[0]!.reason).toContain("(nothing was moved back)");
  expect(treeHash(out)).toEqual(before);
  expect(treeHash(stick)).toEqual(stickBefore);
});
