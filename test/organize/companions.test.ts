/**
 * A loose book's companions (`Dune.jpg`, `Dune.opf`, `Dune.cue` beside
 * `Dune.m4b`) move with it on real folders: apply and undo round trips byte
 * for byte (rename and copy paths), a taken companion target refusing the
 * whole book, and recovery of each state a crash can leave.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { listHistory } from "../../src/organize/history.js";
import { buildPlan } from "../../src/organize/plan.js";
import { moveWithCompanions } from "../../src/organize/companions.js";
import { MoveRefused, partialPath } from "../../src/organize/disk.js";
import { executeMoves } from "../../src/organize/execute.js";
import { recoverInterrupted } from "../../src/organize/recovery.js";
import { undoMoves } from "../../src/organize/undo.js";
import { getBook } from "../../src/store/books.js";
import { getMove, recordIntents, setMoveMethod, startBatch, type MoveIntent } from "../../src/store/moves.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary, rescan, treeHash, type BookSpec, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("companions");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

const DUNE = ["Dune.jpg", "dune.OPF", "Dune.cue"];
const BOOKS: BookSpec[] = [
  { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: DUNE },
  // Not its companion (another stem): stays.
  { at: "inbox/Emma.mp3", author: "Jane Austen", title: "Emma", beside: ["Emma (cover).jpg"] },
  // Two audio files with one stem: the cover is neither's, and stays.
  { at: "inbox/Twice.m4b", author: "T", title: "Twice A", beside: ["Twice.jpg"] },
  { at: "inbox/Twice.mp3", author: "T", title: "Twice B" },
  { at: "inbox/Folder Book", author: "A", title: "Folder" },
];

/** Dune with a book folder beside it, so that it stays a loose book whatever else leaves the inbox. */
const DUNE_ALONE = [BOOKS[0], BOOKS[4]];

const sidecarsOf = (t: TestLibrary, id: number) => JSON.parse(getBook(t.ctx.db, id)!.sidecars) as string[];

describe("apply and undo with companions", () => {
  for (const forceCopy of [false, true]) {
    it(`move a loose book's companions into its new folder and back, byte for byte (${forceCopy ? "copy-verify-delete" : "within one file system"})`, async () => {
      t = await openLibrary(tmp, BOOKS);
      const dune = t.byAt("inbox/Dune.m4b");
      expect(sidecarsOf(t, dune.id).map((p) => path.basename(p)).sort()).toEqual([...DUNE].sort());
      const before = treeHash(t.lib);
      const report = await applyMoves(t.ctx, { forceCopy });
      expect(report.failed).toEqual([]);
      expect(report.moved).toHaveLength(5);
      // Nothing stayed at the old places: no word of files left behind (a copy once said so of every loose book).
      expect(report.moved.map((m) => m.left_behind)).toEqual([null, null, null, null, null]);
      const after = treeHash(t.lib);
      for (const name of ["Dune.m4b", ...DUNE]) {
        expect(after[`Frank Herbert/Dune/${name}`]).toBe(before[`inbox/${name}`]);
        expect(after[`inbox/${name}`]).toBeUndefined();
      }
      // What is not a companion stays where it was.
      expect(after["inbox/Emma (cover).jpg"]).toBe(before["inbox/Emma (cover).jpg"]);
      expect(after["inbox/Twice.jpg"]).toBe(before["inbox/Twice.jpg"]);
      expect(after["T/Twice A/Twice.m4b"]).toBe(before["inbox/Twice.m4b"]);
      expect(fs.readdirSync(path.join(t.lib, "Frank Herbert", "Dune")).sort()).toEqual(["Dune.m4b", ...DUNE].sort());
      // The journal names them; the book's stored files follow; a rescan sees every book unchanged.
      const move = getMove(t.ctx.db, report.moved.find((m) => m.book_id === dune.id)!.move_id!)!;
      expect(JSON.parse(move.companions!)).toEqual(sidecarsOf(t, dune.id).map((p) => path.basename(p)));
      expect(sidecarsOf(t, dune.id).every((p) => p.startsWith(path.join(t!.lib, "Frank Herbert", "Dune") + path.sep) && fs.existsSync(p))).toBe(true);
      expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 5, new: 0, changed: 0, missing: 0, unchanged: 5, touched: 0 });

      const undo = await undoMoves(t.ctx, { last: 5, forceCopy });
      expect(undo.refused).toEqual([]);
      expect(undo.failed).toEqual([]);
      expect(treeHash(t.lib)).toEqual(before);
      expect(sidecarsOf(t, dune.id).every((p) => path.dirname(p) === path.join(t!.lib, "inbox") && fs.existsSync(p))).toBe(true);
      expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 5, new: 0, changed: 0, missing: 0, unchanged: 5, touched: 0 });
    });
  }

  it("undo refuses when a companion's old place is taken, and moves nothing", async () => {
    t = await openLibrary(tmp, DUNE_ALONE);
    const report = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune.m4b").id] });
    fs.writeFileSync(path.join(t.lib, "inbox", "Dune.jpg"), "a new cover someone saved");
    const before = treeHash(t.lib);
    const undo = await undoMoves(t.ctx, { last: 1 });
    expect(undo.moved).toEqual([]);
    expect(undo.refused).toEqual([
      {
        move_id: report.moved[0].move_id,
        book_id: report.moved[0].book_id,
        reason: `the old place ${path.join(t.lib, "inbox", "Dune.jpg")} of a file that moved with the book is taken; move that away first (nothing is ever overwritten)`,
      },
    ]);
    expect(treeHash(t.lib)).toEqual(before);
  });

  it("undo refuses to take a loose book out of its folder when files were put there since: they would be left behind", async () => {
    t = await openLibrary(tmp, DUNE_ALONE);
    const report = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune.m4b").id] });
    const folder = path.join(t.lib, "Frank Herbert", "Dune");
    fs.writeFileSync(path.join(folder, "notes.txt"), "my notes on the book");
    fs.mkdirSync(path.join(folder, "extras"));
    // A name a scan skips is no part of any book: it does not stop the undo on its own.
    fs.writeFileSync(path.join(folder, ".DS_Store"), "x");
    const before = treeHash(t.lib);
    const undo = await undoMoves(t.ctx, { last: 1 });
    expect(undo.moved).toEqual([]);
    expect(undo.refused.map((r) => r.reason)).toEqual([
      `${folder} now holds files that did not move with the book (extras, notes.txt); undo would leave them behind there: move them out first (or move the book back by hand, with them)`,
    ]);
    expect(treeHash(t.lib)).toEqual(before);
    fs.rmSync(path.join(folder, "notes.txt"));
    fs.rmSync(path.join(folder, "extras"), { recursive: true });
    const again = await undoMoves(t.ctx, { ids: [report.moved[0].move_id!] });
    expect(again.refused).toEqual([]);
    expect(again.moved).toHaveLength(1);
    expect(fs.readdirSync(folder)).toEqual([".DS_Store"]);
  });

  it("a companion edited or removed since the scan keeps the book where it is", async () => {
    t = await openLibrary(tmp, DUNE_ALONE);
    fs.rmSync(path.join(t.lib, "inbox", "Dune.cue"));
    const before = treeHash(t.lib);
    const report = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune.m4b").id] });
    expect(report.moved).toEqual([]);
    expect(report.failed[0].error).toMatch(/changed since the last scan/);
    expect(treeHash(t.lib)).toEqual(before);
  });
});

describe("companions are shown, and one added since the scan is never left behind", () => {
  it("plan, the dry run, apply, undo and history name the files that move with a loose book", async () => {
    t = await openLibrary(tmp, DUNE_ALONE);
    const dune = t.byAt("inbox/Dune.m4b");
    const names = sidecarsOf(t, dune.id).map((p) => path.basename(p));
    expect(names.sort()).toEqual([...DUNE].sort());
    const plan = buildPlan(t.ctx);
    expect(plan.entries.find((e) => e.book_id === dune.id)!.companions).toEqual(names);
    // A folder book: everything in it moves with it; nothing is listed apart.
    expect(plan.entries.find((e) => e.book_id !== dune.id)!.companions).toEqual([]);
    const dry = await applyMoves(t.ctx, { dryRun: true });
    expect(dry.moved.find((m) => m.book_id === dune.id)!.companions).toEqual(names);
    const report = await applyMoves(t.ctx, {});
    expect(report.moved.find((m) => m.book_id === dune.id)!.companions).toEqual(names);
    expect(report.moved.find((m) => m.book_id !== dune.id)!.companions).toEqual([]);
    const undo = await undoMoves(t.ctx, { ids: [report.moved.find((m) => m.book_id === dune.id)!.move_id!] });
    expect(undo.moved[0].companions).toEqual(names);
    const history = listHistory(t.ctx, { bookId: dune.id });
    expect(history.map((h) => [h.kind, h.companions])).toEqual([
      ["undo", names],
      ["apply", names],
    ]);
  });

  for (const forceCopy of [false, true]) {
    it(`a companion put beside a loose book after the scan: apply holds that book (run scan), then takes it along (${forceCopy ? "copy" : "link"})`, async () => {
      t = await openLibrary(tmp, DUNE_ALONE);
      const dune = t.byAt("inbox/Dune.m4b");
      fs.writeFileSync(path.join(t.lib, "inbox", "Dune.nfo"), "saved after the scan");
      // Neither a companion (another stem, a dot file, not a companion's extension) nor new: no reason to refuse.
      fs.writeFileSync(path.join(t.lib, "inbox", "Dune2.nfo"), "x");
      fs.writeFileSync(path.join(t.lib, "inbox", ".Dune.nfo"), "x");
      fs.writeFileSync(path.join(t.lib, "inbox", "Dune.epub"), "x");
      const before = treeHash(t.lib);
      const dry = await applyMoves(t.ctx, { dryRun: true, ids: [dune.id] });
      expect(dry.moved).toEqual([]);
      // Held with plan's kind and words (a state of the disk to fix there), not a failed move.
      const heldOf = (r: { held: { book_id: number; conflict: { kind: string; reason: string } | null }[] }) => r.held.map((e) => [e.book_id, e.conflict?.kind, e.conflict?.reason]);
      expect(dry.failed).toEqual([]);
      expect(heldOf(dry)).toEqual([
        [dune.id, "companions_added", "Dune.nfo was put beside the book since the last scan and would be left behind; run `shelfwise scan` and `shelfwise process` first, then it moves with the book"],
      ]);
      const report = await applyMoves(t.ctx, { ids: [dune.id], forceCopy });
      expect(report.moved).toEqual([]);
      expect(report.failed).toEqual([]);
      expect(heldOf(report)).toEqual(heldOf(dry));
      expect(treeHash(t.lib)).toEqual(before);
      await rescan(t.ctx, t.lib);
      const again = await applyMoves(t.ctx, { ids: [dune.id], forceCopy });
      expect(again.failed).toEqual([]);
      expect(again.moved[0].companions.sort()).toEqual([...DUNE, "Dune.nfo"].sort());
      expect(fs.readdirSync(path.join(t.lib, "Frank Herbert", "Dune")).sort()).toEqual(["Dune.m4b", ...DUNE, "Dune.nfo"].sort());
      expect(fs.readdirSync(path.join(t.lib, "inbox")).sort()).toEqual([".Dune.nfo", "Dune.epub", "Dune2.nfo", "Folder Book"]);
    });
  }
});

describe("a companion whose target is taken", () => {
  for (const forceCopy of [false, true]) {
    it(`refuses the whole book when the name appears after the plan: nothing moved, the journal says rolled back (${forceCopy ? "copy" : "link"})`, async () => {
      t = await openLibrary(tmp, DUNE_ALONE);
      const dune = t.byAt("inbox/Dune.m4b");
      const to = path.join(t.lib, "Frank Herbert", "Dune", "Dune.m4b");
      // Another program saved a cover there between the plan and the move.
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(path.join(path.dirname(to), "Dune.cue"), "someone else's");
      const before = treeHash(t.lib);
      const intent = {
        kind: "apply" as const, book_id: dune.id, book_from: dune.path, book_to: path.dirname(to), kind_from: "file" as const, kind_to: "folder" as const,
        root_from: t.lib, root_to: t.lib, from_path: dune.path, to_path: to, fingerprint: dune.fingerprint, undoes: null, companions: JSON.stringify(DUNE),
      };
      const [result] = await executeMoves(t.ctx.db, startBatch(t.ctx.db, "apply"), [intent], { forceCopy, bookFiles: new Map() });
      expect(result.error).toMatch(/Dune\.cue exists; nothing is ever overwritten/);
      expect(treeHash(t.lib)).toEqual(before);
      expect(getMove(t.ctx.db, result.move_id!)!.state).toBe("rolled_back");
      expect(getBook(t.ctx.db, dune.id)!.path).toBe(dune.path);
    });
  }

  it("a companion whose source vanished is put back with the others moved so far (MoveRefused, nothing changed)", () => {
    const dir = path.join(tmp, "in");
    fs.mkdirSync(dir);
    for (const name of ["B.m4b", "B.jpg", "B.opf"]) fs.writeFileSync(path.join(dir, name), name);
    const before = treeHash(tmp);
    const out = path.join(tmp, "out", "B");
    const pairs = ["B.jpg", "B.opf", "B.cue"].map((name) => ({ from: path.join(dir, name), to: path.join(out, name) }));
    expect(() => moveWithCompanions({ id: 1, from: path.join(dir, "B.m4b"), to: path.join(out, "B.m4b"), kind: "file" }, pairs, { forceCopy: false, onCopy: () => {} })).toThrow(MoveRefused);
    fs.rmSync(path.join(tmp, "out"), { recursive: true });
    expect(treeHash(tmp)).toEqual(before);
  });
});

describe("recovery with companions", () => {
  let dune: ReturnType<TestLibrary["byAt"]>;
  let to: string;
  let before: Record<string, string>;
  let counts: Map<string, number>;
  const inbox = () => path.join(t!.lib, "inbox");
  const newDir = () => path.dirname(to);

  beforeEach(async () => {
    t = await openLibrary(tmp, [BOOKS[0], BOOKS[1], BOOKS[4]]);
    dune = t.byAt("inbox/Dune.m4b");
    to = path.join(t.lib, "Frank Herbert", "Dune", "Dune.m4b");
    before = treeHash(t.lib);
    counts = contentCounts(t.lib);
  });

  function journal(method?: "copy"): number {
    const m: MoveIntent = {
      kind: "apply", book_id: dune.id, book_from: dune.path, book_to: newDir(), kind_from: "file", kind_to: "folder", root_from: t!.lib, root_to: t!.lib,
      from_path: dune.path, to_path: to, created_dir: path.join(t!.lib, "Frank Herbert"), fingerprint: dune.fingerprint, undoes: null,
      companions: JSON.stringify(DUNE),
    };
    const [id] = recordIntents(t!.ctx.db, startBatch(t!.ctx.db, "apply"), [m]);
    if (method) setMoveMethod(t!.ctx.db, id, method);
    fs.mkdirSync(newDir(), { recursive: true });
    return id;
  }

  const expectAtNewPlace = async () => {
    for (const name of ["Dune.m4b", ...DUNE]) expect(treeHash(t!.lib)[`Frank Herbert/Dune/${name}`]).toBe(before[`inbox/${name}`]);
    expect(fs.readdirSync(inbox()).sort()).toEqual(["Emma (cover).jpg", "Emma.mp3", "Folder Book"]);
    expect(contentCounts(t!.lib)).toEqual(counts);
    expect(getBook(t!.ctx.db, dune.id)!.path).toBe(newDir());
    expect(await rescan(t!.ctx, t!.lib)).toMatchObject({ new: 0, changed: 0, missing: 0, unchanged: 3, touched: 0 });
  };

  it("companions moved, the audio file not yet: rolled back, with the folders the move made", () => {
    const id = journal();
    fs.linkSync(path.join(inbox(), "Dune.jpg"), path.join(newDir(), "Dune.jpg")); // linked, not yet unlinked
    fs.renameSync(path.join(inbox(), "dune.OPF"), path.join(newDir(), "dune.OPF"));
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r).toMatchObject({ move_id: id, outcome: "rolled_back", path: dune.path, error: null });
    expect(treeHash(t!.lib)).toEqual(before);
    expect(getBook(t!.ctx.db, dune.id)!.path).toBe(dune.path);
  });

  it("the audio file linked at its new place: finished, and every companion still at the old place is carried over", async () => {
    const id = journal();
    fs.renameSync(path.join(inbox(), "Dune.jpg"), path.join(newDir(), "Dune.jpg"));
    fs.linkSync(path.join(inbox(), "dune.OPF"), path.join(newDir(), "dune.OPF"));
    // Dune.cue not moved at all: recovery does not rely on the order the files were placed in.
    fs.linkSync(dune.path, to);
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r).toMatchObject({ move_id: id, outcome: "finished", path: newDir(), error: null });
    await expectAtNewPlace();
  });

  it("a copy cut short (companion copies placed, the audio file not): the copies are removed, the book stays", () => {
    const id = journal("copy");
    const partial = partialPath(to, id);
    fs.mkdirSync(partial);
    fs.copyFileSync(dune.path, path.join(partial, "file"));
    for (const name of DUNE.slice(0, 2)) fs.copyFileSync(path.join(inbox(), name), path.join(newDir(), name));
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r).toMatchObject({ outcome: "rolled_back", error: null });
    expect(treeHash(t!.lib)).toEqual(before);
  });

  it("a copy cut short whose hidden folder was partly deleted since (the staged audio file gone): rolled back all the same, every file once", () => {
    const id = journal("copy");
    const partial = partialPath(to, id);
    fs.mkdirSync(partial);
    fs.copyFileSync(dune.path, path.join(partial, "companion-2"));
    for (const name of DUNE.slice(0, 2)) fs.copyFileSync(path.join(inbox(), name), path.join(newDir(), name));
    // Someone cleaning up hidden folders took the staged audio file (and left the rest).
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r).toMatchObject({ outcome: "rolled_back", error: null });
    expect(treeHash(t!.lib)).toEqual(before);
  });

  it("a verified copy in place whose sources were partly removed: finished, every file once", async () => {
    journal("copy");
    for (const name of ["Dune.m4b", ...DUNE]) fs.cpSync(path.join(inbox(), name), path.join(newDir(), name), { preserveTimestamps: true });
    fs.rmSync(path.join(inbox(), "Dune.m4b"));
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r).toMatchObject({ outcome: "finished", error: null });
    await expectAtNewPlace();
  });

  it("never removes a file at the other place that is not the same file: both kept, and the recovery says so", () => {
    journal();
    fs.writeFileSync(path.join(newDir(), "Dune.jpg"), "not the book's cover");
    const [r] = recoverInterrupted(t!.ctx.db);
    expect(r.outcome).toBe("rolled_back");
    expect(r.error).toMatch(/both .*Dune\.jpg and .*Dune\.jpg exist and differ; both kept/);
    expect(fs.readFileSync(path.join(newDir(), "Dune.jpg"), "utf8")).toBe("not the book's cover");
    expect(treeHash(t!.lib)["inbox/Dune.jpg"]).toBe(before["inbox/Dune.jpg"]);
  });
});
