/**
 * A library folder that is itself a symbolic link (`~/Audiobooks` linking to
 * a mounted drive) is the library: books move inside it and back, and only
 * links below it count as leading out of the library.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("linked-root");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

it("apply and undo round trip inside a library folder that is a link", async () => {
  const real = path.join(tmp, "drive");
  fs.mkdirSync(real);
  fs.symlinkSync(real, path.join(tmp, "library"));
  t = await openLibrary(tmp, [
    { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
    { at: "inbox/Emma.mp3", author: "Jane Austen", title: "Emma", beside: ["Emma.jpg"] },
    { at: "inbox/Sub/Ubik", author: "Philip K. Dick", title: "Ubik" },
  ], { naming_template: "{author}/{title}" });
  const before = treeHash(real);
  const applied = await applyMoves(t.ctx, {});
  expect(applied.failed).toEqual([]);
  expect(applied.moved).toHaveLength(3);
  expect(fs.existsSync(path.join(real, "inbox"))).toBe(false);
  const undone = await undoMoves(t.ctx, { last: 3 });
  expect(undone.refused).toEqual([]);
  expect(undone.failed).toEqual([]);
  expect(treeHash(real)).toEqual(before);
});
