/**
 * Two moments a folder may be swapped for a link that the renames' openat2
 * did not cover: a single file's link-then-unlink (placeFile), and the
 * clean-up of names that are not valid UTF-8 (no string reaches them, so the
 * link-checked removal was skipped for them). The swap is made at the last
 * moment through disk.ts's removalHooks; with the fs-batch addon and with
 * node:fs.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { removalHooks } from "../../src/organize/disk.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { content, swapForLink, openLibrary, type TestLibrary, RENAME_WAYS, useNativeFs } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("placement-links");
});
afterEach(() => {
  removalHooks.beforeRemove = undefined;
  removalHooks.beforePlace = undefined;
  t?.close();
  t = undefined;
  setNativeFs(true);
  removeTempDir(tmp);
});

const BAD_FILE = Buffer.from([0x4e, 0x6f, 0x74, 0x65, 0x73, 0xff, 0x2e, 0x74, 0x78, 0x74]); // "Notes\xff.txt"
const BAD_DIR = Buffer.from([0x45, 0x78, 0x74, 0x72, 0x61, 0xe9]); // "Extra\xe9" (Latin-1 é)
const bytes = (dir: string, name: Buffer) => Buffer.concat([Buffer.from(dir + "/"), name]);

describe.each(RENAME_WAYS)("through $name", ({ native }) => {
  useNativeFs(native);

  it("a loose file's folder swapped for a link right before its link-then-unlink: no file outside is brought in or removed", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg"] },
      { at: "inbox/Emma.mp3" },
    ], { naming_template: "{author}/{title}" });
    const lib = t.lib;
    const outside = path.join(tmp, "outside", "inbox");
    let places = 0;
    removalHooks.beforePlace = () => {
      // The first placement (the companion): from then on the way to inbox/... leads outside.
      if (places++ === 0) swapForLink(path.join(lib, "inbox"), outside);
    };
    const report = await applyMoves(t.ctx, {});
    expect(places).toBeGreaterThan(0);
    // The files outside (the library's, moved there by the swap) stay there, all of them; nothing arrived in the library.
    expect(fs.readdirSync(outside).sort()).toEqual(["Dune.jpg", "Dune.m4b", "Emma.mp3"]);
    expect(fs.readFileSync(path.join(outside, "Dune.m4b"))).toEqual(content("inbox/Dune.m4b"));
    expect(fs.existsSync(path.join(lib, "Frank Herbert"))).toBe(false);
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual([expect.stringContaining("link")]);
  });

  it("a copy's source folder swapped for a link before its clean-up: names that are not UTF-8 are not removed outside either", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      // Keeps the inbox.
      { at: "inbox/Notes" },
    ], { naming_template: "{author}/{title}" });
    const lib = t.lib;
    const book = path.join(lib, "inbox", "Dune");
    fs.writeFileSync(bytes(book, BAD_FILE), "notes");
    fs.mkdirSync(bytes(book, BAD_DIR)); // left empty: the clean-up's rmdir reaches it
    const outside = path.join(tmp, "outside", "inbox");
    let swapped = false;
    removalHooks.beforeRemove = () => {
      // The first removal (the copy's hidden folder) comes before the sources' removal.
      if (swapped) return;
      swapped = true;
      swapForLink(path.join(lib, "inbox"), outside);
    };
    const report = await applyMoves(t.ctx, { forceCopy: true, ids: [t.byAt("inbox/Dune").id] });
    expect(swapped).toBe(true);
    expect(report.moved.map((m) => m.to)).toEqual([path.join(lib, "Frank Herbert", "Dune")]);
    const there = path.join(outside, "Dune");
    expect(fs.readFileSync(bytes(there, BAD_FILE), "utf8")).toBe("notes");
    expect(fs.statSync(bytes(there, BAD_DIR)).isDirectory()).toBe(true);
    expect(fs.readFileSync(bytes(path.join(lib, "Frank Herbert", "Dune"), BAD_FILE), "utf8")).toBe("notes");
  });
});
