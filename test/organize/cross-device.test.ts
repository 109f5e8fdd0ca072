/**
 * A real move across file systems (no forcing): the library on one, its
 * output_path on another, when this machine has two (the tests' temporary
 * folder and /tmp or the work tree). The renames fail with EXDEV and each
 * book is copied, verified and removed instead; undo brings it back the same
 * way, byte for byte, and a rescan sees nothing changed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, treeHash, type TestLibrary } from "./library.js";

let t: TestLibrary | undefined;
const dirs: string[] = [];
afterEach(() => {
  t?.close();
  t = undefined;
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

/** A folder on another file system than `than`, or null when this machine has none to hand. */
function otherDevice(than: string): string | null {
  const dev = fs.statSync(than).dev;
  for (const base of ["/tmp", "/var/tmp", path.resolve("test")]) {
    try {
      if (fs.statSync(base).dev === dev) continue;
      return fs.mkdtempSync(path.join(base, "shelfwise-other-device-"));
    } catch {
      // Not there or not writable: the next one.
    }
  }
  return null;
}

it("books go to an output_path on another file system and back by copy, byte for byte", async (ctx) => {
  const tmp = makeTempDir("cross-device");
  dirs.push(tmp);
  const out = otherDevice(tmp);
  if (out === null) return ctx.skip();
  dirs.push(out);
  t = await openLibrary(
    tmp,
    [
      { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg", "Dune.opf"] },
      { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front", files: ["CD1/01.mp3", "CD2/02.mp3", "cover.jpg"] },
    ],
    { output_path: out },
  );
  const before = treeHash(t.lib);
  const report = await applyMoves(t.ctx, {});
  expect(report.failed).toEqual([]);
  expect(report.moved.map((m) => m.method)).toEqual(["copy", "copy"]);
  expect(fs.readdirSync(path.join(out, "Frank Herbert", "Dune")).sort()).toEqual(["Dune.jpg", "Dune.m4b", "Dune.opf"]);
  expect(fs.readdirSync(path.join(out, "Jim Butcher", "Storm Front")).sort()).toEqual(["CD1", "CD2", "cover.jpg"]);
  // Nothing left of the books at their old places, and no hidden copy folder anywhere.
  expect(Object.keys(treeHash(t.lib))).toEqual([]);
  expect(Object.keys(treeHash(out)).filter((p) => p.includes(".shelfwise-partial"))).toEqual([]);
  expect(await rescan(t.ctx, out)).toMatchObject({ new: 0, changed: 0 });

  const undo = await undoMoves(t.ctx, { last: 2 });
  expect(undo.refused).toEqual([]);
  expect(undo.failed).toEqual([]);
  expect(undo.moved.map((m) => m.method)).toEqual(["copy", "copy"]);
  expect(treeHash(t.lib)).toEqual(before);
  expect(Object.keys(treeHash(out))).toEqual([]);
});
