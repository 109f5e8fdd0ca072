/**
 * Undo on a disk people kept using after apply: the book's folder replaced
 * by a file, its old parent removed or replaced, hidden files left in the
 * folders undo empties. Each on real folders; nothing is lost, nothing is
 * moved through a link, and no folder that holds anything is removed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { setUserFields } from "../../src/organize/corrections.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import type { UndoReportView } from "../../src/app/views/moves.js";
import { contentCounts, openLibrary, rescan, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("undo-messy");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

async function applied(specs: Parameters<typeof openLibrary>[1]) {
  t = await openLibrary(tmp, specs);
  const report = await applyMoves(t.ctx);
  expect(report.failed).toEqual([]);
  return report.moved;
}

/** The move of the book that was at `at` (apply's order is not the specs' order). */
async function appliedOne(specs: Parameters<typeof openLibrary>[1], at: string) {
  const moved = await applied(specs);
  return moved.find((m) => m.from === path.join(t!.lib, at))!;
}

describe("undo on a messy disk", () => {
  it("a book moved twice, both moves undone at once: the later goes back, the earlier says to run it next, and then does", async () => {
    const first = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    setUserFields(t!.ctx, first.book_id, { set: { author: "D. Koontz" } });
    const again = await applyMoves(t!.ctx);
    expect(again.moved.map((m) => m.to)).toEqual([path.join(t!.lib, "D. Koontz", "Watchers")]);
    const undo = await undoMoves(t!.ctx, { last: 2 });
    expect(undo.moved.map((m) => m.to)).toEqual([first.to]);
    expect(undo.refused.map((r) => r.reason)).toEqual([
      `book #${first.book_id} is first moved back by the later move ${again.moved[0].move_id} in this undo; then run \`shelfwise undo ${first.move_id}\` to move it back further`,
    ]);
    const next = await undoMoves(t!.ctx, { ids: [first.move_id!] });
    expect(next.refused).toEqual([]);
    expect(fs.existsSync(path.join(t!.lib, "in", "Watchers"))).toBe(true);
  });

  it("the book's folder replaced by a file: refused, saying so; nothing moves", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    const away = path.join(tmp, "away");
    fs.renameSync(m.to, away);
    fs.writeFileSync(m.to, "a file now");
    const before = treeHash(t!.lib);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.refused[0].reason).toBe(`${m.to} is a file now, not the book's folder; move it away and put the book back there (or run \`shelfwise scan\`)`);
    expect(treeHash(t!.lib)).toEqual(before);
  });

  it("the book moved by hand after apply, and rescanned: refused naming no later move (there is none) but what to do; moved back by hand: journaled as undone, once", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    const elsewhere = path.join(t!.lib, "elsewhere", "Watchers");
    fs.mkdirSync(path.dirname(elsewhere));
    fs.renameSync(m.to, elsewhere);
    await rescan(t!.ctx, t!.lib);
    // It said "undo the later move first, or, if it was moved by hand, move it back by hand": no later move exists.
    let undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.refused.map((r) => r.reason)).toEqual([
      `book #${m.book_id} was moved since outside shelfwise (a scan found it at ${elsewhere}); move it back to ${m.to} and run \`shelfwise scan\`, then undo move ${m.move_id} again; or move it to ${m.from} yourself`,
    ]);
    fs.mkdirSync(path.dirname(m.from), { recursive: true });
    fs.renameSync(elsewhere, m.from);
    await rescan(t!.ctx, t!.lib);
    undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    // Journaled as undone, once: it was refused on every run, and no run could settle it.
    expect(undo.refused).toEqual([]);
    expect(undo.settled.map((s) => [s.move_id, s.note])).toEqual([
      [m.move_id, `book #${m.book_id} is back at its old place ${m.from} already (moved back by hand, found there by a scan): recorded as undone by move ${undo.settled[0]!.undo_id}; nothing moved`],
    ]);
    const undoId = undo.settled[0]!.undo_id;
    undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.settled).toEqual([]);
    expect(undo.refused.map((r) => r.reason)).toEqual([`move ${m.move_id} was already undone (by move ${undoId})`]);
    expect(fs.readdirSync(m.from)).toContain("01.mp3");
  });

  it("--last 1 past books moved away by hand (elsewhere in the library, out of it): set aside once, not counted, passed over by the next run; `undo ID` still explains; back in place, undone", async () => {
    const moved = await applied([
      { at: "in/Watchers", author: "Dean Koontz", title: "Watchers" },
      { at: "in/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "in/Emma", author: "Jane Austen", title: "Emma" },
    ]);
    const [older, middle, newest] = [...moved].sort((a, b) => a.move_id! - b.move_id!);
    const elsewhere = path.join(t!.lib, "elsewhere", path.basename(newest!.to));
    fs.mkdirSync(path.dirname(elsewhere));
    fs.renameSync(newest!.to, elsewhere);
    const outOfLibrary = path.join(tmp, "away");
    fs.renameSync(middle!.to, outOfLibrary);
    await rescan(t!.ctx, t!.lib);
    let undo = await undoMoves(t!.ctx, { last: 1 });
    // Refused (exit 1) on every `--last` run, forever: a user could never get past them without undoing by id.
    expect(undo.refused).toEqual([]);
    expect(undo.set_aside.map((a) => [a.move_id, a.reason])).toEqual([
      [newest!.move_id, expect.stringMatching(/^book #\d+ was moved since outside shelfwise \(a scan found it at .*elsewhere/)],
      [middle!.move_id, expect.stringMatching(/^book #\d+ was not found by the last scan/)],
    ]);
    expect(undo.moved.map((m) => m.to)).toEqual([older!.from]);
    // Said once: the next run passes them over, and finds nothing else to undo.
    undo = await undoMoves(t!.ctx, { last: 1 });
    expect([undo.set_aside, undo.refused, undo.moved]).toEqual([[], [], []]);
    // By id: still explained, and still not undone.
    undo = await undoMoves(t!.ctx, { ids: [newest!.move_id!] });
    expect(undo.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/was moved since outside shelfwise/)]);
    expect(undo.set_aside).toEqual([]);
    // Put back where the move put it, and scanned: `--last` counts it again and undoes it.
    fs.renameSync(elsewhere, newest!.to);
    await rescan(t!.ctx, t!.lib);
    undo = await undoMoves(t!.ctx, { last: 1 });
    expect([undo.refused, undo.set_aside]).toEqual([[], []]);
    expect(undo.moved.map((m) => m.to)).toEqual([newest!.from]);
    expect(fs.existsSync(outOfLibrary)).toBe(true);
  });

  it("the book deleted after apply: before a scan, run scan; after the scan that found it missing, not `run scan` again but what can help", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    fs.rmSync(m.to, { recursive: true });
    let undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.refused.map((r) => r.reason)).toEqual([`${m.to} is not there any more; run \`shelfwise scan\` (it finds where the book went, if it is still in the library)`]);
    await rescan(t!.ctx, t!.lib);
    undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    // It said "was not found by the last scan; run `shelfwise scan`", right after that scan.
    expect(undo.refused.map((r) => r.reason)).toEqual([
      `book #${m.book_id} was not found by the last scan (it was at ${m.to}); if it is somewhere else, put it back there and run \`shelfwise scan\`, then undo move ${m.move_id} again (a deleted book cannot be moved back)`,
    ]);
  });

  // The library folder itself renamed (or its drive not mounted): it said "not there any more; run `shelfwise scan`", and
  // the scan could not read the old folder either (and a scan of the new name finds the books as new ones).
  it("the library folder renamed after apply: refused naming that folder and what helps, not `run scan`; renamed back, undone", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    const renamed = path.join(tmp, "library-renamed");
    fs.renameSync(t!.lib, renamed);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.refused.map((r) => r.reason)).toEqual([
      `the library folder ${t!.lib} is not there any more (renamed, moved away, or a drive not mounted?); undo moves a book back only within the library folders it was moved in: put that folder back (or mount it) and undo move ${m.move_id} again; renamed or moved, scan it under its new name (\`shelfwise scan NEW-FOLDER\`), then undo moves the book back within it; or move the book back by hand`,
    ]);
    expect(fs.readdirSync(renamed)).toEqual(["Dean Koontz"]);
    fs.renameSync(renamed, t!.lib);
    expect((await undoMoves(t!.ctx, { ids: [m.move_id!] })).moved.map((b) => b.to)).toEqual([path.join(t!.lib, "in", "Watchers")]);
  });

  it("the library folder renamed after apply and scanned under its new name: undo moves each book back within the new folder, exactly, by id and by --last", async () => {
    const specs = [
      { at: "in/Watchers", author: "Dean Koontz", title: "Watchers" },
      { at: "in/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg"] },
      { at: "in/Emma", author: "Jane Austen", title: "Emma" },
    ];
    t = await openLibrary(tmp, specs);
    const before = treeHash(t.lib);
    const { moved } = await applyMoves(t.ctx);
    expect(moved).toHaveLength(3);
    const { lib, data } = t;
    t.close();
    t = undefined;
    const renamed = path.join(tmp, "library-renamed");
    fs.renameSync(lib, renamed);
    const scan = await runCliInProcess(["scan", renamed, "--json"], { dataDir: data });
    expect(JSON.parse(scan.stdout)).toMatchObject({ moved: 3, moved_library: 3, new: 0 });
    const watchers = moved.find((m) => m.from === path.join(lib, "in", "Watchers"))!;
    const byId = await runCliInProcess(["undo", String(watchers.move_id), "--json"], { dataDir: data });
    expect(byId.code, byId.stderr).toBe(0);
    expect((JSON.parse(byId.stdout) as UndoReportView).moved.map((m) => [m.from, m.to])).toEqual([[path.join(renamed, "Dean Koontz", "Watchers"), path.join(renamed, "in", "Watchers")]]);
    const last = await runCliInProcess(["undo", "--last", "5", "--json"], { dataDir: data });
    expect(last.code, last.stderr).toBe(0);
    const report = JSON.parse(last.stdout) as UndoReportView;
    expect([report.moved.length, report.refused, report.set_aside]).toEqual([2, [], []]);
    expect(treeHash(renamed)).toEqual(before);
    const books = JSON.parse((await runCliInProcess(["books", "--json"], { dataDir: data })).stdout) as { path: string }[];
    expect(books.map((b) => b.path).sort()).toEqual([path.join(renamed, "in", "Dune.m4b"), path.join(renamed, "in", "Emma"), path.join(renamed, "in", "Watchers")]);
  });

  it("a copy of the library scanned beside the original still there: undo of the original's moves stays with the original", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    const { lib, data } = t!;
    t!.close();
    t = undefined;
    const copy = path.join(tmp, "library-copy");
    fs.cpSync(lib, copy, { recursive: true, preserveTimestamps: true });
    expect((await runCliInProcess(["scan", copy], { dataDir: data })).code).toBe(0);
    const undo = JSON.parse((await runCliInProcess(["undo", String(m.move_id), "--json"], { dataDir: data })).stdout) as UndoReportView;
    expect(undo.moved.map((b) => b.to)).toEqual([path.join(lib, "in", "Watchers")]);
    expect(fs.readdirSync(copy)).toEqual(["Dean Koontz"]);
  });

  it("the book applied again after being moved by hand: the refusal names the later move to undo first", async () => {
    const m = await appliedOne([{ at: "in/Watchers", author: "Dean Koontz", title: "Watchers" }], "in/Watchers");
    const elsewhere = path.join(t!.lib, "elsewhere", "Watchers");
    fs.mkdirSync(path.dirname(elsewhere));
    fs.renameSync(m.to, elsewhere);
    await rescan(t!.ctx, t!.lib);
    // Another template, so that the book has somewhere else to go than the place move 1 put it.
    t!.ctx.config.naming_template = "{author}/{title} (again)";
    const again = await applyMoves(t!.ctx);
    expect(again.moved).toHaveLength(1);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.refused.map((r) => r.reason)).toEqual([`book #${m.book_id} was moved again since, by move ${again.moved[0].move_id} (it is now at ${again.moved[0].to}); undo move ${again.moved[0].move_id} first`]);
  });

  it("a loose book's file replaced by a folder: refused, saying so; nothing moves", async () => {
    const m = await appliedOne([{ at: "in/loose.m4b", author: "Ann Author", title: "Loose" }, { at: "in/Other", author: "O", title: "Other" }], "in/loose.m4b");
    const file = path.join(m.to, "loose.m4b");
    fs.renameSync(file, path.join(tmp, "away.m4b"));
    fs.mkdirSync(file);
    const before = treeHash(t!.lib);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.refused[0].reason).toBe(`${file} is a folder now, not the book's file; move it away and put the book back there (or run \`shelfwise scan\`)`);
    expect(treeHash(t!.lib)).toEqual(before);
  });

  it("the old parent folder removed since: made again, and the book goes back", async () => {
    const m = await appliedOne([{ at: "in/deep/Watchers", author: "Dean Koontz", title: "Watchers" }, { at: "in/Other", author: "O", title: "Other" }], "in/deep/Watchers");
    const counts = contentCounts(t!.lib);
    expect(fs.existsSync(path.join(t!.lib, "in", "deep"))).toBe(false);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.failed).toEqual([]);
    expect(undo.moved).toHaveLength(1);
    expect(fs.existsSync(path.join(m.from, "01.mp3"))).toBe(true);
    expect(contentCounts(t!.lib)).toEqual(counts);
  });

  it("the old parent replaced by a link to another library folder: refused, nothing moves", async () => {
    const m = await appliedOne([{ at: "in/deep/Watchers", author: "Dean Koontz", title: "Watchers" }, { at: "in/Other", author: "O", title: "Other" }], "in/deep/Watchers");
    fs.mkdirSync(path.join(t!.lib, "elsewhere"));
    fs.mkdirSync(path.join(t!.lib, "in"), { recursive: true });
    fs.symlinkSync(path.join(t!.lib, "elsewhere"), path.join(t!.lib, "in", "deep"));
    const before = treeHash(t!.lib);
    const undo = await undoMoves(t!.ctx, { ids: [m.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.refused[0].reason).toMatch(/leads through a link/);
    expect(treeHash(t!.lib)).toEqual(before);
  });

  it("the folders undo empties are removed only when empty: a hidden file keeps its folder", async () => {
    const moved = await applied([
      { at: "in/Watchers", author: "Dean Koontz", title: "Watchers" },
      { at: "in/Phantoms", author: "Dean Koontz", title: "Phantoms" },
      { at: "in/Other", author: "O", title: "Other" },
    ]);
    const author = path.join(t!.lib, "Dean Koontz");
    expect(moved.filter((m) => path.dirname(m.to) === author)).toHaveLength(2);
    fs.writeFileSync(path.join(author, ".DS_Store"), "finder");
    const undo = await undoMoves(t!.ctx, { last: 3 });
    expect(undo.failed).toEqual([]);
    expect(undo.moved).toHaveLength(3);
    expect(fs.readdirSync(author)).toEqual([".DS_Store"]);
    // The other author's folder held nothing else: gone.
    expect(fs.existsSync(path.join(t!.lib, "O"))).toBe(false);
  });
});
