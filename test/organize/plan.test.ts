/** The plan on real folders: proposals, books in place, and every kind of conflict. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPlan } from "../../src/organize/plan.js";
import { undoMoves } from "../../src/organize/undo.js";
import { setBookLocked, setUserFields } from "../../src/organize/corrections.js";
import type { PlanEntry } from "../../src/organize/types.js";
import { mountExfat } from "../support/exfat.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { openLibrary, rescan, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("plan");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

const entryOf = (lib: TestLibrary, at: string): PlanEntry => {
  const id = lib.byAt(at).id;
  return buildPlan(lib.ctx).entries.find((e) => e.book_id === id)!;
};

/** `Audiobooks/Dune` of three part files, its own library folder scanned: each part a book of its own. */
async function duneScannedAsParts(): Promise<{ data: string; top: string; dune: string; parts: { id: number; path: string }[] }> {
  const data = path.join(tmp, "data");
  const top = path.join(tmp, "Audiobooks");
  const dune = path.join(top, "Dune");
  fs.mkdirSync(dune, { recursive: true });
  for (const n of ["01", "02", "03"]) fs.writeFileSync(path.join(dune, `Part ${n}.mp3`), `part ${n}`);
  await runCliInProcessOk(["init"], { dataDir: data });
  await runCliInProcessOk(["scan", dune], { dataDir: data });
  const parts = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string }[];
  return { data, top, dune, parts };
}

describe("plan", () => {
  it("proposes a move with the fields that change, and counts a book already in place as ok", async () => {
    t = await openLibrary(tmp, [
      { at: "Jim Butcher - Storm Front", author: "Jim Butcher", title: "Storm Front", series: "The Dresden Files", series_num: "1" },
      { at: "Ann Author/Fine Title", author: "Ann Author", title: "Fine Title" },
    ]);
    const plan = buildPlan(t.ctx);
    expect(plan.counts).toEqual({ move: 1, ok: 1, held: 0 });
    const move = plan.entries.find((e) => e.action === "move")!;
    expect(move.to).toBe(path.join(t.lib, "Jim Butcher", "The Dresden Files", "01 - Storm Front"));
    expect(move.proposed_path).toBe("Jim Butcher/The Dresden Files/01 - Storm Front");
    expect(move.confidence).toBe(100);
    // No pipeline ran here, so the folder name gave no evidence: every shown field is new.
    expect(move.changes).toEqual([
      { field: "author", from: null, to: "Jim Butcher" },
      { field: "series", from: null, to: "The Dresden Files" },
      { field: "series_num", from: null, to: "1" },
      { field: "title", from: null, to: "Storm Front" },
    ]);
    expect(plan.entries.find((e) => e.action === "ok")!.from).toBe(path.join(t.lib, "Ann Author", "Fine Title"));
  });

  it("a plan changes nothing on disk", async () => {
    t = await openLibrary(tmp, [{ at: "A - B", author: "A", title: "B" }]);
    const before = treeHash(t.lib);
    buildPlan(t.ctx);
    expect(treeHash(t.lib)).toEqual(before);
  });

  it("follows series_num_padding, the template and output_path from config", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Jim Butcher", title: "Storm Front", series: "Dresden", series_num: "2.5" }]);
    t.ctx.config = { ...t.ctx.config, naming_template: "{author_lf}/{series} {series_num} - {title}", series_num_padding: 3, output_path: path.join(tmp, "out") };
    const e = buildPlan(t.ctx).entries[0];
    expect(e.to).toBe(path.join(tmp, "out", "Butcher, Jim", "Dresden 002.5 - Storm Front"));
    expect(e.target_root).toBe(path.join(tmp, "out"));
  });

  it("a single-file book gets a folder of its own, the file keeps its name", async () => {
    t = await openLibrary(tmp, [{ at: "loose.m4b", author: "Ann Author", title: "Loose" }]);
    expect(entryOf(t, "loose.m4b").to).toBe(path.join(t.lib, "Ann Author", "Loose", "loose.m4b"));
  });

  it("two books proposing one place: both held, case and normalization folded", async () => {
    t = await openLibrary(tmp, [
      { at: "one", author: "Ann Author", title: "Café" },
      { at: "two", author: "ann author", title: "Cafe\u0301" },
      { at: "three", author: "Ann Author", title: "Other" },
    ]);
    // Case differs only in the second: the author field keeps its spelling from the user.
    const plan = buildPlan(t.ctx);
    const held = plan.entries.filter((e) => e.action === "held");
    expect(held.map((e) => e.conflict!.kind)).toEqual(["duplicate_target", "duplicate_target"]);
    expect(held.map((e) => e.conflict!.other_book_id)).toEqual(held.map((e) => e.book_id).reverse());
    expect(plan.counts).toEqual({ move: 1, ok: 0, held: 2 });
  });

  it("a target that exists (a folder that is no book) is held: nothing is merged", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Ann Author", title: "Taken" }]);
    fs.mkdirSync(path.join(t.lib, "Ann Author", "Taken"), { recursive: true });
    fs.writeFileSync(path.join(t.lib, "Ann Author", "Taken", "notes.txt"), "mine");
    expect(entryOf(t, "x").conflict).toMatchObject({ kind: "target_exists" });
  });

  it("a target that exists under a name differing only in case or Unicode form is held: one folder on macOS and Windows", async () => {
    t = await openLibrary(tmp, [
      { at: "x", author: "Ann Author", title: "Taken" },
      { at: "y", author: "Ann Author", title: "Café" },
      { at: "jim butcher/storm front", author: "jim butcher", title: "storm front" },
      { at: "z", author: "Jim Butcher", title: "Storm Front" },
      { at: "Ann Author/own case", author: "Ann Author", title: "Own Case" },
      // Copied from macOS: its own name decomposed (NFD), the template's composed (NFC).
      { at: "Ann Author/Nin\u0303o", author: "Ann Author", title: "Ni\u00f1o" },
    ]);
    fs.mkdirSync(path.join(t.lib, "Ann Author", "TAKEN"), { recursive: true });
    fs.writeFileSync(path.join(t.lib, "Ann Author", "TAKEN", "notes.txt"), "mine");
    fs.mkdirSync(path.join(t.lib, "Ann Author", "Cafe\u0301"), { recursive: true });
    const plan = buildPlan(t.ctx);
    const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
    expect(of("x").conflict).toMatchObject({ kind: "target_exists", reason: expect.stringContaining("TAKEN") });
    expect(of("y").conflict).toMatchObject({ kind: "target_exists" });
    // A book already in place whose path differs only in case: the other book is held, naming it.
    expect(of("jim butcher/storm front").action).toBe("ok");
    expect(of("z").conflict).toMatchObject({ kind: "target_exists", other_book_id: t.byAt("jim butcher/storm front").id });
    // A book renamed only in case is its own twin: it moves.
    expect(of("Ann Author/own case")).toMatchObject({ action: "move", to: path.join(t.lib, "Ann Author", "Own Case") });
    // Renamed only in Unicode form, it would look the same before and after (and be the same name on macOS): in place.
    expect(of("Ann Author/Nin\u0303o")).toMatchObject({ action: "ok", to: path.join(t.lib, "Ann Author", "Nin\u0303o"), proposed_path: "Ann Author/Nin\u0303o" });
  });

  it("a book recorded at a path that folds like a target (case, Unicode form) holds it back though its folder is gone since the scan", async () => {
    t = await openLibrary(tmp, [
      { at: "Jim Butcher/storm front", author: "Someone", title: "Else" },
      { at: "Jim Butcher/keep", author: "Jim Butcher", title: "keep" },
      { at: "z", author: "Jim Butcher", title: "Storm Front" },
      // Decomposed (NFD, one code unit longer than its folded form): folded only after normalizing.
      { at: "Ann Author/Nin\u0303o Book", author: "Someone", title: "Other" },
      { at: "Ann Author/keep", author: "Ann Author", title: "keep" },
      { at: "w", author: "Ann Author", title: "Ni\u00f1o Book" },
    ]);
    // Gone from disk since the scan, still recorded (not missing): only the record tells of them.
    fs.rmSync(path.join(t.lib, "Jim Butcher", "storm front"), { recursive: true });
    fs.rmSync(path.join(t.lib, "Ann Author", "Nin\u0303o Book"), { recursive: true });
    const plan = buildPlan(t.ctx);
    const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
    for (const [at, twin] of [["z", "Jim Butcher/storm front"], ["w", "Ann Author/Nin\u0303o Book"]]) {
      expect(of(at)).toMatchObject({ action: "held", conflict: { kind: "target_exists", other_book_id: t.byAt(twin).id } });
      expect(of(at).conflict!.reason).toContain("only in case or Unicode form; nothing is ever merged");
    }
  });

  // A library on a file system that folds case (exFAT here, through FUSE; vfat and NTFS alike): nothing merged, nothing
  // lost, and the reasons name the folders as they are spelled on disk. Root only, skipped without exfat-fuse.
  it("on a case-insensitive file system: look-alike targets are held, naming the spelling on disk; a rename by case alone of the book's own folder is made", async (ctx) => {
    const mount = mountExfat(path.join(tmp, "library"), 8);
    if ("skip" in mount) return ctx.skip(mount.skip);
    const lib = mount.at;
    try {
      t = await openLibrary(tmp, [
        { at: "inbox/a", author: "J.R.R. Tolkien", title: "The Hobbit" },
        { at: "inbox/b", author: "j.r.r. tolkien", title: "the hobbit" },
        { at: "inbox/c", author: "terry pratchett", title: "mort" },
        { at: "Ann Author/own case", author: "Ann Author", title: "Own Case" },
      ]);
      fs.mkdirSync(path.join(lib, "Terry Pratchett", "Mort"), { recursive: true });
      fs.writeFileSync(path.join(lib, "Terry Pratchett", "Mort", "notes.txt"), "mine");
      const before = treeHash(lib);
      const plan = buildPlan(t.ctx);
      const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
      expect(of("inbox/a").conflict).toMatchObject({ kind: "duplicate_target", other_book_id: t.byAt("inbox/b").id });
      expect(of("inbox/b").conflict).toMatchObject({ kind: "duplicate_target", other_book_id: t.byAt("inbox/a").id });
      expect(of("inbox/c").conflict!.reason).toBe(
        `${path.join(lib, "Terry Pratchett", "mort")} already exists (as ${path.join(lib, "Terry Pratchett", "Mort")}: this file system ignores case or Unicode form); nothing is ever overwritten or merged`,
      );
      expect(of("Ann Author/own case")).toMatchObject({ action: "move", to: path.join(lib, "Ann Author", "Own Case") });
      expect(of("Ann Author/own case").conflict ?? null).toBeNull();
      const report = await applyMoves(t.ctx, {});
      expect(report.moved.map((m) => m.to)).toEqual([path.join(lib, "Ann Author", "Own Case")]);
      const renamed = (at: string) => at.replace(/^Ann Author\/own case/, "Ann Author/Own Case");
      expect(treeHash(lib)).toEqual(Object.fromEntries(Object.entries(before).map(([at, hash]) => [renamed(at), hash])));
    } finally {
      t?.close();
      t = undefined;
      mount.release();
    }
  });

  describe("folders above the target that differ only in case or Unicode form", () => {
    it("an existing author folder is used in its own spelling: the author is not split in two (nor merged unasked)", async () => {
      t = await openLibrary(tmp, [
        { at: "ursula k. le guin/The Lathe of Heaven", author: "ursula k. le guin", title: "The Lathe of Heaven" },
        { at: "inbox/Earthsea", author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" },
        { at: "inbox/Zola", author: "\u00c9mile Zola", title: "Germinal" },
      ]);
      // Written on macOS: the name in NFD.
      fs.mkdirSync(path.join(t.lib, "E\u0301mile Zola"));
      const plan = buildPlan(t.ctx);
      const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
      expect(of("inbox/Earthsea")).toMatchObject({
        action: "move",
        to: path.join(t.lib, "ursula k. le guin", "A Wizard of Earthsea"),
        proposed_path: "ursula k. le guin/A Wizard of Earthsea",
        conflict: null,
      });
      expect(of("inbox/Zola")).toMatchObject({ action: "move", to: path.join(t.lib, "E\u0301mile Zola", "Germinal"), proposed_path: "E\u0301mile Zola/Germinal" });
      const report = await applyMoves(t.ctx, {});
      expect(report.failed).toEqual([]);
      expect(fs.readdirSync(t.lib).sort()).toEqual(["E\u0301mile Zola", "ursula k. le guin"]);
      expect(fs.readdirSync(path.join(t.lib, "ursula k. le guin")).sort()).toEqual(["A Wizard of Earthsea", "The Lathe of Heaven"]);
      // Once there, the book is in place: the author folder is never renamed under the other books in it.
      expect(buildPlan(t.ctx).counts).toEqual({ move: 0, ok: 3, held: 0 });
    });

    it("a book already under a look-alike author folder is in place", async () => {
      t = await openLibrary(tmp, [
        { at: "ursula k. le guin/A Wizard of Earthsea", author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" },
        { at: "ursula k. le guin/The Lathe of Heaven", author: "ursula k. le guin", title: "The Lathe of Heaven" },
      ]);
      expect(buildPlan(t.ctx).counts).toEqual({ move: 0, ok: 2, held: 0 });
    });

    it("two existing look-alikes, neither spelled as the target: held, naming both", async () => {
      t = await openLibrary(tmp, [{ at: "inbox/Earthsea", author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" }]);
      fs.mkdirSync(path.join(t.lib, "ursula k. le guin"));
      fs.mkdirSync(path.join(t.lib, "URSULA K. LE GUIN"));
      const e = entryOf(t, "inbox/Earthsea");
      expect(e.conflict).toMatchObject({ kind: "target_exists" });
      expect(e.conflict!.reason).toContain(path.join(t.lib, "URSULA K. LE GUIN"));
      expect(e.conflict!.reason).toContain(path.join(t.lib, "ursula k. le guin"));
      // The exact spelling among them is simply used.
      fs.mkdirSync(path.join(t.lib, "Ursula K. Le Guin"));
      expect(entryOf(t, "inbox/Earthsea")).toMatchObject({ action: "move", to: path.join(t.lib, "Ursula K. Le Guin", "A Wizard of Earthsea") });
    });

    it("folders the plan makes take the first proposal's spelling, and nested look-alike targets are held", async () => {
      t = await openLibrary(tmp, [
        { at: "inbox/a", author: "Ann Author", title: "One" },
        { at: "inbox/b", author: "ann author", title: "Two" },
        { at: "inbox/c", author: "Cy", title: "Book" },
        { at: "inbox/d", author: "cy", series: "book", title: "Part" },
      ]);
      const plan = buildPlan(t.ctx);
      const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
      expect(of("inbox/a").to).toBe(path.join(t.lib, "Ann Author", "One"));
      expect(of("inbox/b")).toMatchObject({ action: "move", to: path.join(t.lib, "Ann Author", "Two"), proposed_path: "Ann Author/Two" });
      // Cy/Book and cy/book/Part: one inside the other where names fold.
      expect(of("inbox/c").conflict).toMatchObject({ kind: "target_inside_other_book", other_book_id: t.byAt("inbox/d").id });
      expect(of("inbox/d").conflict).toMatchObject({ kind: "target_inside_other_book", other_book_id: t.byAt("inbox/c").id });
    });
  });

  it("a target a scan would not see as the book (a skipped folder, a disc or part folder name) is held: the book would vanish", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/a", author: "#recycle", title: "Emptied On A Schedule" },
      { at: "inbox/b", author: "@eaDir", title: "Thumbnails" },
      { at: "inbox/c", author: "Ann Author", title: "Part 3" },
      { at: "inbox/d", author: "Ann Author", series: "CD 1", title: "Inside A Disc" },
      { at: "inbox/e", author: "Ann Author", title: "The Hobbit - Disc 2" },
      // The scan's words in other languages (domain/part-words.ts).
      { at: "inbox/g", author: "Ann Author", title: "Teil 2 von 3" },
      { at: "inbox/h", author: "Ann Author", title: "Le Hobbit - Disque 2" },
      // A part named after the folder above it (book-detect.ts isPartOfFolder): the scan would give it to that folder's book.
      { at: "inbox/i", author: "Ann Author", series: "The Stand", title: "The Stand Part 2" },
      // At the top of a library folder a disc-like name is a folder like any: the scan sees a book there.
      { at: "inbox/f", author: "CD 1", title: "Fine" },
    ]);
    const before = treeHash(t.lib);
    const plan = buildPlan(t.ctx);
    const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
    for (const at of ["inbox/a", "inbox/b", "inbox/c", "inbox/d", "inbox/e", "inbox/g", "inbox/h", "inbox/i"]) expect(of(at).conflict).toMatchObject({ kind: "unscannable_name" });
    expect(of("inbox/i").conflict!.reason).toMatch(/^"The Stand Part 2" reads to a scan as a disc or part folder/);
    expect(of("inbox/a").conflict!.reason).toMatch(/^"#recycle" is a folder name a scan skips .*would vanish from the library at the next scan/);
    expect(of("inbox/d").conflict!.reason).toMatch(/^"CD 1" reads to a scan as a disc or part folder/);
    expect(of("inbox/f")).toMatchObject({ action: "move", conflict: null });
    const report = await applyMoves(t.ctx, { ids: ["inbox/a", "inbox/b", "inbox/c", "inbox/d", "inbox/e", "inbox/g", "inbox/h", "inbox/i"].map((at) => t!.byAt(at).id) });
    expect(report.moved).toEqual([]);
    expect(treeHash(t.lib)).toEqual(before);
    // Below output_path, even the first name may be a disc folder of the folder above.
    t.ctx.config = { ...t.ctx.config, output_path: path.join(t.lib, "sorted") };
    expect(buildPlan(t.ctx).entries.find((e) => e.book_id === t!.byAt("inbox/f").id)!.conflict).toMatchObject({ kind: "unscannable_name" });
  });

  it("loose audio files at the top of a library folder that read as one book's parts are held (a library folder that is one book's folder): moved one by one, the book would be split", async () => {
    t = await openLibrary(tmp, [
      { at: "Frank Herbert - Dune - Part 01.mp3", author: "Frank Herbert", title: "Dune (Part 1)" },
      { at: "Frank Herbert - Dune - Part 02.mp3", author: "Frank Herbert", title: "Dune (Part 2)" },
      { at: "Frank Herbert - Dune - Part 03.mp3", author: "Frank Herbert", title: "Dune (Part 3)" },
      // Below the top, loose files beside a book folder are no part of this rule.
      { at: "inbox/Emma.mp3", author: "Jane Austen", title: "Emma" },
      { at: "inbox/Persuasion.mp3", author: "Jane Austen", title: "Persuasion" },
      { at: "inbox/Watchers", author: "Dean Koontz", title: "Watchers" },
    ]);
    const before = treeHash(t.lib);
    const plan = buildPlan(t.ctx);
    const parts = ["Frank Herbert - Dune - Part 01.mp3", "Frank Herbert - Dune - Part 02.mp3", "Frank Herbert - Dune - Part 03.mp3"];
    for (const at of parts) {
      expect(plan.entries.find((e) => e.book_id === t!.byAt(at).id)!.conflict).toEqual({
        kind: "parts_at_library_top",
        reason: `the audio files at the top of the library folder ${t.lib} read as one book's parts (${parts.join(", ")}): moved one by one, that book would be split over several folders; put them in a folder of their own and run \`shelfwise scan\` (or, if ${t.lib} is that book's folder, make the folder above it the library folder)`,
        other_book_id: null,
      });
    }
    const report = await applyMoves(t.ctx);
    expect(report.held.map((h) => h.conflict?.kind)).toEqual(["parts_at_library_top", "parts_at_library_top", "parts_at_library_top"]);
    expect(report.moved.map((m) => path.relative(t!.lib, m.to)).sort()).toEqual(["Dean Koontz/Watchers", "Jane Austen/Emma", "Jane Austen/Persuasion"]);
    for (const at of parts) expect(treeHash(t.lib)[at]).toBe(before[at]);
  });

  it("a scan of a library folder that is one book's folder (Dune/Part 01-03.mp3) warns naming the fix (exit 0, parts_at_top in --json); a library of separate loose books does not", async () => {
    const data = path.join(tmp, "data");
    const dune = path.join(tmp, "Audiobooks", "Dune");
    fs.mkdirSync(dune, { recursive: true });
    for (const n of ["01", "02", "03"]) fs.writeFileSync(path.join(dune, `Part ${n}.mp3`), `part ${n}`);
    const loose = path.join(tmp, "Loose");
    fs.mkdirSync(loose);
    fs.writeFileSync(path.join(loose, "Frank Herbert - Dune.m4b"), "dune");
    fs.writeFileSync(path.join(loose, "Jane Austen - Emma.mp3"), "emma");
    await runCliInProcessOk(["init"], { dataDir: data });
    const run = await runCliInProcess(["scan", dune], { dataDir: data });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `shelfwise: warning: the 3 audio files at the top of the library folder ${dune} read as one book's parts (Part 01.mp3, Part 02.mp3, Part 03.mp3): each is recorded as a book of its own, and apply leaves them where they are; if ${dune} is that book's folder, give the folder above it instead (\`shelfwise library remove ${dune}\`, then \`shelfwise scan ${path.dirname(dune)}\`); otherwise put them in a folder of their own and run \`shelfwise scan\` again\n`,
    );
    await runCliInProcessOk(["library", "add", loose], { dataDir: data });
    // Both folders read: only the one book's folder is said.
    const json = await runCliInProcess(["scan", "--json"], { dataDir: data });
    expect(JSON.parse(json.stdout).parts_at_top).toEqual([{ path: dune, files: ["Part 01.mp3", "Part 02.mp3", "Part 03.mp3"] }]);
    expect(json.stderr).toMatch(/^shelfwise: warning: the 3 audio files at the top of the library folder /);
    expect(json.stderr.split("\n")).toHaveLength(2);
  });

  it("after the parts_at_top advice is followed (library remove, scan the folder above), the parts' records are the new book's files: retired, one holding a correction kept as missing naming the book, which status counts as joined into it; no plan holds them as library_removed", async () => {
    const { data, top, dune, parts } = await duneScannedAsParts();
    expect(parts).toHaveLength(3);
    const corrected = parts.find((b) => b.path.endsWith("Part 02.mp3"))!.id;
    await runCliInProcessOk(["book", String(corrected), "--set", "author=Frank Herbert"], { dataDir: data });
    const before = treeHash(top);
    await runCliInProcessOk(["library", "remove", dune], { dataDir: data });
    const scan = await runCliInProcess(["scan", top, "--json"], { dataDir: data });
    expect(scan.code, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ found: 1, new: 1, parts_joined: 3, missing: 0 });
    expect(treeHash(top)).toEqual(before);
    const books = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string; status: string }[];
    // The book, and the part holding the user's correction, kept as missing (nothing of theirs lost) with a reason naming the book.
    expect(books.map((b) => [b.path, b.status]).sort()).toEqual([[dune, "new"], [path.join(dune, "Part 02.mp3"), "missing"]].sort());
    const newBook = books.find((b) => b.path === dune)!.id;
    const reasonOf = async () => (JSON.parse((await runCliInProcessOk(["book", String(corrected), "--json"], { dataDir: data })).stdout) as { status_reason: string | null }).status_reason;
    // The book named as every message names one: by id (and path; its title once it has one, below).
    expect(await reasonOf()).toContain(`its files are part of book ${newBook} at ${dune} now`);
    expect(await reasonOf()).toContain(`put what you want of them on book ${newBook} (\`shelfwise book ${newBook} --set FIELD=VALUE\`)`);
    const plan = JSON.parse((await runCliInProcessOk(["plan", "--all", "--json"], { dataDir: data })).stdout) as { entries: PlanEntry[] };
    expect(plan.entries.filter((e) => e.conflict?.kind === "library_removed")).toEqual([]);
    // status tells it apart from a missing book: joined into the book holding its files, not missing nor "there again".
    const status = JSON.parse((await runCliInProcessOk(["status", "--json"], { dataDir: data })).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ by_status: { missing: 1 }, joined: 1, joined_books: [{ book_id: corrected, into_book_id: newBook, into_title: null }], back: 0, back_book_ids: [] });
    const text = (await runCliInProcessOk(["status"], { dataDir: data })).stdout;
    expect(text).toContain(" 0 missing, 1 joined into another book;");
    expect(text).toContain(`book ${corrected} is joined into book ${newBook}: its files are part of that book now; your corrections are kept on book ${corrected}`);
    expect(text).not.toMatch(/there again/);
    // Once the book has a title, the part's reason and status name it by that title too, as it is now.
    await runCliInProcessOk(["book", String(newBook), "--set", "title=Dune", "--set", "author=Frank Herbert"], { dataDir: data });
    expect(await reasonOf()).toContain(`its files are part of book ${newBook} ("Dune") at ${dune} now`);
    expect(JSON.parse((await runCliInProcessOk(["status", "--json"], { dataDir: data })).stdout)).toMatchObject({ joined_books: [{ book_id: corrected, into_book_id: newBook, into_title: "Dune" }] });
    expect((await runCliInProcessOk(["status"], { dataDir: data })).stdout).toContain(`book ${corrected} is joined into book ${newBook} ("Dune"): its files are part of that book now`);
    // The next scan changes nothing more.
    expect(JSON.parse((await runCliInProcessOk(["scan", "--json"], { dataDir: data })).stdout)).toMatchObject({ found: 1, new: 0, parts_joined: 0 });
  });

  it("a part retired into another book, given by id: `book ID --set` is refused naming that book (nothing changed), --unset still clears what is kept; apply holds it saying so, not \"put it back and scan\"", async () => {
    const { data, top, dune, parts } = await duneScannedAsParts();
    const part = String(parts.find((b) => b.path.endsWith("Part 02.mp3"))!.id);
    await runCliInProcessOk(["book", part, "--set", "author=Frank Herbert", "--set", "title=Dune"], { dataDir: data });
    await runCliInProcessOk(["library", "remove", dune], { dataDir: data });
    await runCliInProcessOk(["scan", top], { dataDir: data });
    const books = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string }[];
    const into = books.find((b) => b.path === dune)!.id;
    const shown = async () => JSON.parse((await runCliInProcessOk(["book", part, "--json"], { dataDir: data })).stdout) as { title: string | null; author: string | null };
    const set = await runCliInProcess(["book", part, "--set", "title=Dune Messiah"], { dataDir: data });
    expect(set.code).toBe(2);
    expect(set.stderr).toContain(`shelfwise: book ${part} is not a book of its own any more, so nothing was changed: its files are part of book ${into} at ${dune} now`);
    expect(set.stderr).toContain(`\`shelfwise book ${into} --set FIELD=VALUE\``);
    expect(await shown()).toMatchObject({ title: "Dune", author: "Frank Herbert" });
    await runCliInProcessOk(["book", part, "--unset", "title"], { dataDir: data });
    expect(await shown()).toMatchObject({ title: null, author: "Frank Herbert" });
    // The only book given is held back: exit 3 (none of the given books moved), the report on stdout.
    const applied = await runCliInProcess(["apply", part, "--yes", "--json"], { dataDir: data });
    expect(applied.code, applied.stderr).toBe(3);
    const apply = JSON.parse(applied.stdout) as { held: { book_id: number; conflict: { kind: string; reason: string } }[] };
    expect(apply.held).toHaveLength(1);
    expect(apply.held[0]!.conflict.kind).toBe("missing");
    expect(apply.held[0]!.conflict.reason).toMatch(new RegExp(`^not a book of its own any more: its files are part of book ${into} at `));
    expect(apply.held[0]!.conflict.reason).not.toContain("put it back");
  });

  it("a library folder holding one book's only file, given up for the folder above: the record keeps its id and corrections as the folder book", async () => {
    const data = path.join(tmp, "data");
    const top = path.join(tmp, "Audiobooks");
    const dune = path.join(top, "Dune");
    fs.mkdirSync(dune, { recursive: true });
    fs.writeFileSync(path.join(dune, "Dune.m4b"), "dune");
    await runCliInProcessOk(["init"], { dataDir: data });
    await runCliInProcessOk(["scan", dune], { dataDir: data });
    const [only] = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number }[];
    await runCliInProcessOk(["book", String(only!.id), "--set", "author=Frank Herbert", "--set", "title=Dune"], { dataDir: data });
    await runCliInProcessOk(["library", "remove", dune], { dataDir: data });
    const scan = JSON.parse((await runCliInProcessOk(["scan", top, "--json"], { dataDir: data })).stdout);
    expect(scan).toMatchObject({ found: 1, new: 0, parts_joined: 1 });
    const books = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string; author: string | null }[];
    expect(books.map((b) => [b.id, b.path, b.author])).toEqual([[only!.id, dune, "Frank Herbert"]]);
  });

  it("loose books of different titles at the top of a library folder move as ever", async () => {
    t = await openLibrary(tmp, [
      { at: "Frank Herbert - Dune.m4b", author: "Frank Herbert", title: "Dune" },
      { at: "Jane Austen - Emma.mp3", author: "Jane Austen", title: "Emma" },
    ]);
    expect(buildPlan(t.ctx).entries.map((e) => [e.action, e.conflict])).toEqual([
      ["move", null],
      ["move", null],
    ]);
  });

  it("a file where the target needs a folder is held before anything moves", async () => {
    t = await openLibrary(tmp, [
      { at: "x", author: "Ann Author", title: "T" },
      { at: "y", author: "Bob", title: "Deep" },
      { at: "loose.m4b", author: "Cy", title: "Loose" },
    ]);
    fs.writeFileSync(path.join(t.lib, "Ann Author"), "a file, not a folder");
    fs.mkdirSync(path.join(t.lib, "Bob"));
    fs.writeFileSync(path.join(t.lib, "Bob", "Deep"), "a file named like the target");
    fs.writeFileSync(path.join(t.lib, "Cy"), "in the way of a single-file book's new folder");
    const plan = buildPlan(t.ctx);
    const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
    expect(of("x").conflict).toMatchObject({ kind: "target_exists", reason: expect.stringContaining(`${path.join(t.lib, "Ann Author")} is a file`) });
    expect(of("y").conflict).toMatchObject({ kind: "target_exists" });
    expect(of("loose.m4b").conflict).toMatchObject({ kind: "target_exists" });
  });

  it("an output_path inside a book's folder holds every other book's target as inside that book", async () => {
    t = await openLibrary(tmp, [
      { at: "Host", author: "H", title: "Host" },
      { at: "x", author: "Ann Author", title: "T" },
    ]);
    t.ctx.config = { ...t.ctx.config, output_path: path.join(t.lib, "Host", "sorted") };
    const plan = buildPlan(t.ctx);
    const of = (at: string) => plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
    expect(of("x").conflict).toMatchObject({ kind: "target_inside_other_book", other_book_id: t.byAt("Host").id });
    expect(of("Host").conflict).toMatchObject({ kind: "target_inside_book" });
  });

  it("a target inside the book itself is held", async () => {
    // The book folder is named for the author; its target lies inside it.
    t = await openLibrary(tmp, [{ at: "Ann Author", author: "Ann Author", title: "Inside" }]);
    expect(entryOf(t, "Ann Author").conflict).toMatchObject({ kind: "target_inside_book" });
  });

  it("a target inside another book's folder is held, naming that book", async () => {
    t = await openLibrary(tmp, [
      { at: "Ann Author", author: "Someone", title: "Host" },
      { at: "elsewhere", author: "Ann Author", title: "Guest" },
    ]);
    const host = t.byAt("Ann Author").id;
    expect(entryOf(t, "elsewhere").conflict).toMatchObject({ kind: "target_inside_other_book", other_book_id: host });
  });

  it("nested targets of two proposals are held, both", async () => {
    t = await openLibrary(tmp, [
      { at: "a", author: "Ann", title: "T" },
      { at: "b", author: "Ann", title: "T" },
    ]);
    t.ctx.config = { ...t.ctx.config, naming_template: "{author}/{series}/{title}" };
    // a → Ann/T, b → Ann/T/X.
    setUserFields(t.ctx, t.byAt("b").id, { set: { author: "Ann", series: "T", title: "X" } });
    const plan = buildPlan(t.ctx);
    expect(plan.entries.map((e) => e.conflict?.kind)).toEqual(["target_inside_other_book", "target_inside_other_book"]);
  });

  it("a target reached through a link out of the library is held", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Ann Author", title: "Linked" }]);
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(t.lib, "Ann Author"));
    expect(entryOf(t, "x").conflict).toMatchObject({ kind: "outside_root" });
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it("a book reached through a link is held (never moved out from under a link)", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Ann Author", title: "Real" }]);
    const outside = path.join(tmp, "outside-book");
    fs.renameSync(path.join(t.lib, "x"), outside);
    fs.symlinkSync(outside, path.join(t.lib, "x"));
    expect(buildPlan(t.ctx).entries[0].conflict).toMatchObject({ kind: "outside_root" });
  });

  it("a book whose folder is gone, a locked book and a book without title are held with the reason", async () => {
    t = await openLibrary(tmp, [
      { at: "gone", author: "A", title: "Gone" },
      { at: "locked", author: "B", title: "Locked" },
      { at: "untitled" },
    ]);
    fs.rmSync(path.join(t.lib, "gone"), { recursive: true });
    setBookLocked(t.ctx, t.byAt("locked").id, true);
    const ids = [t.byAt("gone").id, t.byAt("locked").id, t.byAt("untitled").id];
    expect(buildPlan(t.ctx).entries.map((e) => e.conflict?.kind)).toEqual(["source_missing"]);
    const asked = buildPlan(t.ctx, { ids });
    expect(asked.entries.map((e) => e.conflict?.kind)).toEqual(["source_missing", "locked", "no_proposal"]);
  });

  it("a book undo moved back is held as locked by undo (naming the undo and how to unlock), one the user locked as locked by the user", async () => {
    t = await openLibrary(tmp, [
      { at: "x/Undone", author: "Ann Author", title: "Undone" },
      { at: "y/Mine", author: "Bea Writer", title: "Mine" },
    ]);
    const undone = t.byAt("x/Undone").id;
    const mine = t.byAt("y/Mine").id;
    const before = treeHash(t.lib);
    const applied = await applyMoves(t.ctx, { ids: [undone] });
    expect(applied.failed).toEqual([]);
    const undo = await undoMoves(t.ctx, { last: 1 });
    expect(undo.moved).toHaveLength(1);
    expect(treeHash(t.lib)).toEqual(before);
    setBookLocked(t.ctx, mine, true);
    const asked = buildPlan(t.ctx, { ids: [undone, mine] });
    const moveId = applied.moved[0].move_id!;
    expect(asked.entries.map((e) => [e.book_id, e.conflict?.kind, e.conflict?.reason])).toEqual([
      [undone, "locked", `locked by undo, not by you: move ${undo.moved[0].move_id} undoing move ${moveId} moved it back and locked it so that apply would not move it again (\`shelfwise book ${undone} --unlock\` lets apply propose it again)`],
      [mine, "locked", `locked by the user (\`shelfwise book ${mine} --unlock\`)`],
    ]);
    // Locked by the user since (`book --lock`): the lock is theirs.
    setBookLocked(t.ctx, undone, true);
    expect(buildPlan(t.ctx, { ids: [undone] }).entries[0].conflict?.reason).toBe(`locked by the user (\`shelfwise book ${undone} --unlock\`)`);
    // Unlocked, it is proposed again.
    setBookLocked(t.ctx, undone, false);
    expect(buildPlan(t.ctx, { ids: [undone] }).entries[0].action).toBe("move");
  });

  it("a library folder renamed between plan and apply: its books are held saying the folder is gone and the way on, not only 'run scan'; nothing moves", async () => {
    t = await openLibrary(tmp, [
      { at: "x/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "Ann Author/Fine", author: "Ann Author", title: "Fine" },
    ]);
    expect(buildPlan(t.ctx).counts).toEqual({ move: 1, ok: 1, held: 0 });
    const renamed = path.join(tmp, "Books");
    fs.renameSync(t.lib, renamed);
    const before = treeHash(renamed);
    const report = await applyMoves(t.ctx);
    expect(report.moved).toEqual([]);
    expect(report.failed).toEqual([]);
    const gone = (at: string) =>
      `${path.join(t!.lib, at)}: not found at its recorded place, and its library folder ${t!.lib} is gone (renamed or moved, or a drive not mounted); mount it again, or scan the folder under its new name (\`shelfwise scan NEW_FOLDER\`: its books keep their ids) and then \`shelfwise library remove ${t!.lib}\``;
    expect(report.held.map((e) => [e.conflict!.kind, e.conflict!.reason]).sort()).toEqual([["source_missing", gone("Ann Author/Fine")], ["source_missing", gone("x/Dune")]].sort());
    expect(treeHash(renamed)).toEqual(before);
    expect(fs.existsSync(t.lib)).toBe(false);
  });

  it("a book at its proposed place whose folder was deleted or moved away is held as source_missing, not ok; apply and its dry run say the same", async () => {
    t = await openLibrary(tmp, [
      { at: "Ann Author/Fine Title", author: "Ann Author", title: "Fine Title" },
      { at: "Ann Author/Gone Title", author: "Ann Author", title: "Gone Title" },
      { at: "Bea Writer/Moved Away", author: "Bea Writer", title: "Moved Away" },
    ]);
    expect(buildPlan(t.ctx).counts).toEqual({ move: 0, ok: 3, held: 0 });
    fs.rmSync(path.join(t.lib, "Ann Author", "Gone Title"), { recursive: true });
    fs.renameSync(path.join(t.lib, "Bea Writer"), path.join(tmp, "elsewhere"));
    const plan = buildPlan(t.ctx);
    expect(plan.counts).toEqual({ move: 0, ok: 1, held: 2 });
    for (const at of ["Ann Author/Gone Title", "Bea Writer/Moved Away"]) {
      const entry = plan.entries.find((e) => e.book_id === t!.byAt(at).id)!;
      expect(entry.action).toBe("held");
      expect(entry.conflict).toEqual({ kind: "source_missing", reason: `${path.join(t!.lib, at)}: not found at its recorded place: run \`shelfwise scan\``, other_book_id: null });
    }
    for (const dryRun of [true, false]) {
      const report = await applyMoves(t.ctx, { dryRun });
      expect(report.ok).toBe(1);
      expect(report.held.map((e) => e.conflict?.kind)).toEqual(["source_missing", "source_missing"]);
    }
  });

  it("a book the last scan found missing, asked for by id: held saying where it was and what helps (not `run scan` again)", async () => {
    t = await openLibrary(tmp, [{ at: "gone", author: "A", title: "Gone" }]);
    const id = t.byAt("gone").id;
    fs.rmSync(path.join(t.lib, "gone"), { recursive: true });
    await rescan(t.ctx, t.lib);
    expect(buildPlan(t.ctx, { ids: [id] }).entries.map((e) => e.conflict)).toEqual([
      { kind: "missing", reason: `the last scan did not find this book at ${path.join(t.lib, "gone")}, nor its files unchanged anywhere else in the library; put it back and run \`shelfwise scan\``, other_book_id: null },
    ]);
  });

  it("holds the books of a library folder taken out of library_paths, also with output_path set", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Ann Author", title: "T" }]);
    expect(buildPlan(t.ctx).counts.move).toBe(1);
    // `shelfwise library remove`: the books stay recorded, but the folder is no longer the user's library.
    const held = {
      kind: "library_removed",
      reason: `its library folder ${t.lib} is no longer in library_paths; \`shelfwise library add ${t.lib}\` (then \`shelfwise scan\`) to organize it again`,
      other_book_id: null,
    };
    for (const output_path of [null, path.join(tmp, "out")]) {
      t.ctx.config = { ...t.ctx.config, library_paths: [path.join(tmp, "other")], output_path };
      const plan = buildPlan(t.ctx);
      expect(plan.counts).toEqual({ move: 0, ok: 0, held: 1 });
      expect(plan.entries[0].conflict).toEqual(held);
    }
    // Gone too (renamed, a drive gone for good): `library add` would refuse it.
    fs.renameSync(t.lib, path.join(tmp, "renamed"));
    expect(buildPlan(t.ctx).entries[0].conflict!.reason).toBe(
      `its library folder ${t.lib} is no longer in library_paths, nor on disk; if you moved it, \`shelfwise library add\` its new place and \`shelfwise scan\`: its books keep their ids there`,
    );
  });

  it("filters by confidence and status", async () => {
    t = await openLibrary(tmp, [{ at: "x", author: "Ann Author", title: "T" }, { at: "Someone - Unsure" }]);
    expect(buildPlan(t.ctx).counts.move).toBe(1);
    expect(buildPlan(t.ctx, { minConfidence: 101 }).counts.move).toBe(0);
    expect(buildPlan(t.ctx, { statuses: ["new", "pending"] }).entries.map((e) => e.from)).toEqual([path.join(t.lib, "Someone - Unsure")]);
  });
});
