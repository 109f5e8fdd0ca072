/**
 * A source written to while its book is copied across file systems (a
 * download still appending, a tag editor saving) after its own copy was
 * verified: the copy in place is the book as it was, and the source, which
 * now holds bytes the copy lacks, is kept rather than removed. The write is
 * made at a known point, inside the copy of the book's next file, by
 * wrapping node:fs's copyFileSync (the disk itself is real).
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type BookSpec, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
const copyFileSync = fs.copyFileSync;
beforeEach(() => {
  tmp = makeTempDir("written-during-copy");
});
afterEach(() => {
  fs.copyFileSync = copyFileSync;
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

/** From the second file copied on, the file copied before it gets more bytes, as from a writer beside the move. */
function appendToEachCopiedSource(): string[] {
  const written: string[] = [];
  let previous: string | null = null;
  fs.copyFileSync = ((src: fs.PathLike, dest: fs.PathLike, mode?: number) => {
    if (previous !== null) {
      fs.appendFileSync(previous, "more bytes, written after its copy was checked");
      written.push(previous);
    }
    previous = String(src);
    return copyFileSync(src, dest, mode);
  }) as typeof fs.copyFileSync;
  return written;
}

const cases: [string, BookSpec][] = [
  ["a folder book", { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front", files: ["01.mp3", "02.mp3"] }],
  ["a loose book with companions", { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg", "Dune.opf"] }],
];

for (const [what, spec] of cases) {
  it(`${what}: a source written to after its copy was checked is kept, never removed`, async () => {
    t = await openLibrary(tmp, [spec, { at: "inbox/Other", author: "O", title: "Other" }]);
    const id = t.byAt(spec.at).id;
    const written = appendToEachCopiedSource();
    const report = await applyMoves(t.ctx, { ids: [id], forceCopy: true });
    fs.copyFileSync = copyFileSync;
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.method)).toEqual(["copy"]);
    expect(written.length).toBeGreaterThan(0);
    for (const file of written) {
      // Still at its old place, with the new bytes; the copy at the new place is the file as it was checked.
      expect(fs.readFileSync(file, "utf8")).toMatch(/more bytes, written after its copy was checked$/);
      const moved = path.join(report.moved[0].to, path.basename(file));
      expect(fs.readFileSync(moved, "utf8")).not.toMatch(/more bytes/);
    }
  });
}
