/**
 * A source written to while its book is copied across file systems (a
 * download still appending, a tag editor saving) after its own copy was
 * verified: the copy in place is the book as it was, and the source, which
 * now holds bytes the copy lacks, is kept rather than removed. The write is
 * made at a known point, inside the copy of the book's next file, by
 * wrapping node:fs's copyFileSync (the disk itself is real). Also what else
 * a copy leaves at the old place: files the system will not remove
 * (`chattr +i`) and entries no copy carries (a named pipe).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { listHistory } from "../../src/organize/history.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary, type BookSpec, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
const copyFileSync = fs.copyFileSync;
/** Files made immutable by a test, made removable again before the temporary folder goes. */
const immutable: string[] = [];
beforeEach(() => {
  tmp = makeTempDir("written-during-copy");
});
afterEach(() => {
  for (const file of immutable.splice(0)) execFileSync("chattr", ["-i", file]);
  fs.copyFileSync = copyFileSync;
  setNativeFs(true);
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
      // Told, not kept silently: the move's result and the journal name each file that stayed.
      expect(report.moved[0].left_behind).toContain(`${file} (changed or added during the copy`);
    }
    expect(listHistory(t.ctx)[0].error).toBe(report.moved[0].left_behind);
  });
}

// A source only partly removable (one file the system refuses to remove, which no look before the copy can see: an
// immutable file, a read-only mount inside the book; as root, a read-only folder does not stop the removal) kept its
// remainder silently: reported moved, the stray files found later with no word of which copy is whole, and an undo
// refused for an old place "taken". Root only (chattr +i); skipped where the file system has no such flag.
it("a source the system removes only in part: the move stands, and what stayed where is told in the result, the journal and undo's refusal", async (ctx) => {
  t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune", files: ["01.mp3", "02.mp3", "extras/notes.txt"] }]);
  const stuck = path.join(t.lib, "inbox/Dune/extras/notes.txt");
  try {
    execFileSync("chattr", ["+i", stuck], { stdio: "ignore" });
  } catch {
    ctx.skip();
  }
  immutable.push(stuck);
  const before = contentCounts(t.lib);
  const report = await applyMoves(t.ctx, { forceCopy: true });
  expect(report.failed).toEqual([]);
  const [moved] = report.moved;
  const to = path.join(t.lib, "Frank Herbert", "Dune");
  expect(moved).toMatchObject({ method: "copy", to, error: null });
  expect(moved.left_behind).toBe(
    `moved to ${to}, but 1 file stayed at the old place: ${stuck} (permission denied); the book is whole at ${to}: compare and remove what stayed by hand (an undo needs the old place free)`,
  );
  // The book whole at its new place; at the old place only the file that could not go.
  expect(fs.readdirSync(to).sort()).toEqual(["01.mp3", "02.mp3", "extras"]);
  expect(fs.readdirSync(path.join(t.lib, "inbox/Dune"), { recursive: true }).sort()).toEqual(["extras", path.join("extras", "notes.txt")]);
  const history = listHistory(t.ctx);
  expect(history[0]).toMatchObject({ state: "done", error: moved.left_behind });

  // Undo refuses (nothing is merged into the remainder) and says whose remainder holds the old place.
  const refused = await undoMoves(t.ctx, { last: 1 });
  expect(refused.moved).toEqual([]);
  expect(refused.refused.map((r) => r.reason)).toEqual([
    `the old place ${path.join(t.lib, "inbox/Dune")} is taken by what move ${moved.move_id} could not remove there after its copy (\`shelfwise history\` names it; the book is whole at ${to}); move that away first (nothing is ever overwritten)`,
  ]);
  // Once the user removes the remainder, undo brings the whole book back: every file once, with its content.
  execFileSync("chattr", ["-i", stuck]);
  fs.rmSync(path.join(t.lib, "inbox/Dune"), { recursive: true });
  const back = await undoMoves(t.ctx, { last: 1 });
  expect(back.refused).toEqual([]);
  expect(back.moved.map((m) => m.to)).toEqual([path.join(t.lib, "inbox/Dune")]);
  expect(contentCounts(t.lib)).toEqual(before);
  for (const count of contentCounts(t.lib).values()) expect(count).toBe(1);
});

// A loose book (no companions) copied across file systems whose source the system then refuses to remove: its copy
// was hidden back as a file named `.shelfwise-partial-N`, which the clean-up (folders only) never removed: a full
// spare copy left in a folder the move made, with the result saying "taken back", and the next copy of the book
// refused by it.
for (const native of [true, false]) it(`a loose file the system will not remove after its copy: the copy is taken back, and nothing is left at the target (${native ? "fs-batch addon" : "node:fs"})`, async (ctx) => {
  setNativeFs(native);
  t = await openLibrary(tmp, [
    { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune" },
    // A second loose file: one alone in a folder is read as that folder's book.
    { at: "inbox/Other.mp3" },
  ]);
  const stuck = path.join(t.lib, "inbox/Dune.m4b");
  try {
    execFileSync("chattr", ["+i", stuck], { stdio: "ignore" });
  } catch {
    ctx.skip();
  }
  immutable.push(stuck);
  const before = contentCounts(t.lib);
  const report = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune.m4b").id], forceCopy: true });
  expect(report.moved).toEqual([]);
  expect(report.failed.map((f) => f.error)).toEqual([
    `${path.dirname(stuck)} could not be changed after the copy (permission denied): the book stays at ${stuck}, and its copy was taken back (nothing moved); fix that and run the command again`,
  ]);
  expect(contentCounts(t.lib)).toEqual(before);
  expect(fs.existsSync(path.join(t.lib, "Frank Herbert"))).toBe(false);
  // Once removable, the next apply copies it.
  execFileSync("chattr", ["-i", stuck]);
  immutable.pop();
  const again = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune.m4b").id], forceCopy: true });
  expect(again.failed).toEqual([]);
  expect(again.moved.map((m) => m.method)).toEqual(["copy"]);
  expect(contentCounts(t.lib)).toEqual(before);
});

// A named pipe in a book's folder (left by a player or a script) is not content a copy carries: it stayed at the old
// place, first said to be "changed or added during the copy", then named as a pipe, and the undo was then refused for
// the old place taken. The book is now held before anything is copied, the pipe named (book-contents.test.ts has plan
// and undo); a copy that meets one anyway (a rename turned copy midway) refuses the book the same way.
it("a named pipe in a book's folder holds its copy back before anything is copied, the pipe named", async () => {
  t = await openLibrary(tmp, [{ at: "inbox/Dune", author: "Frank Herbert", title: "Dune" }]);
  const pipe = path.join(t.lib, "inbox/Dune/player.fifo");
  execFileSync("mkfifo", [pipe]);
  const report = await applyMoves(t.ctx, { forceCopy: true });
  expect(report.moved).toEqual([]);
  expect(report.failed).toEqual([]);
  expect(report.held.map((e) => e.conflict?.reason)).toEqual([expect.stringContaining(`${pipe} is a named pipe (FIFO), which a copy across file systems cannot carry`)]);
  expect(fs.existsSync(path.join(t.lib, "Frank Herbert"))).toBe(false);
  expect(fs.readdirSync(path.join(t.lib, "inbox/Dune")).sort()).toEqual(["01.mp3", "02.mp3", "cover.jpg", "player.fifo"]);
  expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
});
