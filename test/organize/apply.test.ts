/** apply and undo on real folders: dry run, round trips byte for byte, copies across devices, refusals, the lock. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { listHistory } from "../../src/organize/history.js";
import { setUserFields } from "../../src/organize/corrections.js";
import { buildPlan } from "../../src/organize/plan.js";
import { undoMoves } from "../../src/organize/undo.js";
import { DataLockBusyError } from "../../src/store/data-lock.js";
import { getBook } from "../../src/store/books.js";
import { builtModuleUrl } from "../support/built.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, rescan, treeHash, type BookSpec, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("apply");
});
afterEach(() => {
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

const BOOKS: BookSpec[] = [
  { at: "Jim Butcher - Storm Front", author: "Jim Butcher", title: "Storm Front", series: "The Dresden Files", series_num: "1", files: ["CD1/01.mp3", "CD2/01.mp3", "cover.jpg", "metadata.json"] },
  { at: "misc/Fool Moon", author: "Jim Butcher", title: "Fool Moon", series: "The Dresden Files", series_num: "2" },
  { at: "misc/deep/er/Watchers", author: "Dean Koontz", title: "Watchers" },
  { at: "loose book.m4b", author: "Ann Author", title: "Loose" },
  { at: "Ann Author/Fine", author: "Ann Author", title: "Fine" },
];

describe("apply", () => {
  it("a dry run reports every move and touches nothing, database included", async () => {
    t = await openLibrary(tmp, BOOKS);
    const before = treeHash(t.lib);
    const rows = JSON.stringify(t.rows());
    const report = await applyMoves(t.ctx, { dryRun: true });
    expect(report.dry_run).toBe(true);
    expect(report.moved.map((m) => m.to).sort()).toEqual(buildPlan(t.ctx).entries.filter((e) => e.action === "move").map((e) => (e.kind === "file" ? path.dirname(e.to!) : e.to!)).sort());
    expect(report.moved).toHaveLength(4);
    expect(report.ok).toBe(1);
    expect(treeHash(t.lib)).toEqual(before);
    expect(JSON.stringify(t.rows())).toBe(rows);
    expect(listHistory(t.ctx)).toEqual([]);
  });

  it("apply moves every file of each book, removes emptied folders, and undo restores the tree byte for byte", async () => {
    t = await openLibrary(tmp, BOOKS);
    fs.writeFileSync(path.join(t.lib, "misc", "keep.txt"), "not a book, stays");
    const before = treeHash(t.lib);
    const report = await applyMoves(t.ctx);
    expect(report.failed).toEqual([]);
    expect(report.moved).toHaveLength(4);
    const after = treeHash(t.lib);
    expect(after["Jim Butcher/The Dresden Files/01 - Storm Front/CD2/01.mp3"]).toBe(before["Jim Butcher - Storm Front/CD2/01.mp3"]);
    expect(after["Jim Butcher/The Dresden Files/01 - Storm Front/cover.jpg"]).toBe(before["Jim Butcher - Storm Front/cover.jpg"]);
    expect(after["Ann Author/Loose/loose book.m4b"]).toBe(before["loose book.m4b"]);
    // Emptied folders go, up to the library root; a folder holding anything else stays.
    expect(fs.existsSync(path.join(t.lib, "misc", "deep"))).toBe(false);
    expect(after["misc/keep.txt"]).toBe(before["misc/keep.txt"]);
    // The database follows: paths, kinds, file lists.
    const storm = getBook(t.ctx.db, report.moved.find((m) => m.to.endsWith("01 - Storm Front"))!.book_id)!;
    expect(storm.path).toBe(path.join(t.lib, "Jim Butcher", "The Dresden Files", "01 - Storm Front"));
    expect(JSON.parse(storm.files).map((f: { path: string }) => fs.existsSync(f.path))).toEqual([true, true]);
    const loose = getBook(t.ctx.db, report.moved.find((m) => m.to.endsWith("Loose"))!.book_id)!;
    expect(loose.kind).toBe("folder");
    expect(buildPlan(t.ctx).counts).toEqual({ move: 0, ok: 5, held: 0 });
    // A rescan agrees: same books, unchanged.
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 5, new: 0, changed: 0, missing: 0, unchanged: 5, touched: 0 });

    const undo = await undoMoves(t.ctx, { last: 4 });
    expect(undo.refused).toEqual([]);
    expect(undo.moved).toHaveLength(4);
    expect(treeHash(t.lib)).toEqual(before);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 5, new: 0, changed: 0, missing: 0, unchanged: 5, touched: 0 });
    // Undone books are locked against re-proposal.
    expect(buildPlan(t.ctx).counts).toEqual({ move: 0, ok: 1, held: 0 });
    const history = listHistory(t.ctx);
    expect(history.filter((h) => h.kind === "undo")).toHaveLength(4);
    expect(history.filter((h) => h.kind === "apply").every((h) => h.undone_by !== null && h.state === "done")).toBe(true);
  });

  it("copies, verifies and deletes when forced across devices, keeping mtimes so a rescan sees no change", async () => {
    t = await openLibrary(tmp, BOOKS);
    const before = treeHash(t.lib);
    const report = await applyMoves(t.ctx, { forceCopy: true });
    expect(report.failed).toEqual([]);
    expect(new Set(report.moved.map((m) => m.method))).toEqual(new Set(["copy"]));
    expect(fs.readdirSync(path.join(t.lib, "Jim Butcher", "The Dresden Files")).filter((n) => n.startsWith("."))).toEqual([]);
    expect(await rescan(t.ctx, t.lib)).toMatchObject({ found: 5, new: 0, changed: 0, missing: 0 });
    const undo = await undoMoves(t.ctx, { last: 10, forceCopy: true });
    expect(undo.moved).toHaveLength(4);
    expect(treeHash(t.lib)).toEqual(before);
  });

  it("apply with ids moves only those books", async () => {
    t = await openLibrary(tmp, BOOKS);
    const id = t.byAt("misc/Fool Moon").id;
    const report = await applyMoves(t.ctx, { ids: [id] });
    expect(report.moved.map((m) => m.book_id)).toEqual([id]);
    expect(buildPlan(t.ctx).counts.move).toBe(3);
  });

  it("refuses to move a book whose files changed since the scan; a dry run says so too", async () => {
    t = await openLibrary(tmp, BOOKS.slice(1, 2));
    fs.appendFileSync(path.join(t.lib, "misc", "Fool Moon", "01.mp3"), "more");
    const dry = await applyMoves(t.ctx, { dryRun: true });
    expect(dry.moved).toEqual([]);
    expect(dry.failed[0].error).toMatch(/changed since the last scan/);
    const report = await applyMoves(t.ctx);
    expect(report.moved).toEqual([]);
    expect(report.failed[0].error).toMatch(/changed since the last scan/);
    expect(fs.existsSync(path.join(t.lib, "misc", "Fool Moon", "01.mp3"))).toBe(true);
    // Which files: one grown, one gone (renamed away), each named relative to the book's folder.
    fs.renameSync(path.join(t.lib, "misc", "Fool Moon", "02.mp3"), path.join(t.lib, "misc", "Fool Moon", "02 renamed.mp3"));
    expect((await applyMoves(t.ctx)).failed.map((f) => f.error)).toEqual([
      "the book's files changed since the last scan (01.mp3 has another size, 02.mp3 is gone); run `shelfwise scan` and `shelfwise process` first (a changed book is identified again)",
    ]);
  });
});

describe("the data folder inside a book's folder", () => {
  it("apply and its dry run hold that book, undo refuses it (the database and journal would move with it); the others move", async () => {
    t = await openLibrary(tmp, [
      { at: "in/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "in/Emma", author: "Jane Austen", title: "Emma" },
    ]);
    const data = t.ctx.dataDir;
    // Only where the data folder is matters to the check (the database stays open where it is).
    t.ctx.dataDir = path.join(t.lib, "in", "Dune", ".shelfwise");
    fs.mkdirSync(t.ctx.dataDir);
    const words = (book: string) =>
      `the data folder ${path.join(book, ".shelfwise")} (shelfwise's database and journal) is inside this book's folder ${book}: moving the book would take it along; move the data folder out of the library (or give another with --data-dir / SHELFWISE_DATA_DIR) and run the command again (nothing moved)`;
    const dune = path.join(t.lib, "in", "Dune");
    // Held with plan's kind and words, not failed: where the data folder lies is a state of the disk to fix there.
    const held = (r: { held: { from: string; conflict: { kind: string; reason: string } | null }[] }) => r.held.map((e) => [e.from, e.conflict?.kind, e.conflict?.reason]);
    const dry = await applyMoves(t.ctx, { dryRun: true });
    expect(dry.failed).toEqual([]);
    expect(held(dry)).toEqual([[dune, "holds_data_folder", words(dune)]]);
    const report = await applyMoves(t.ctx);
    // It moved, the data folder with it: every later command found no database (no journal: no undo, no recovery).
    expect(report.failed).toEqual([]);
    expect(held(report)).toEqual([[dune, "holds_data_folder", words(dune)]]);
    expect(report.moved.map((m) => m.to)).toEqual([path.join(t.lib, "Jane Austen", "Emma")]);
    t.ctx.dataDir = path.join(report.moved[0]!.to, ".shelfwise");
    fs.mkdirSync(t.ctx.dataDir);
    const undo = await undoMoves(t.ctx, { last: 1 });
    expect(undo.refused.map((r) => r.reason)).toEqual([words(report.moved[0]!.to)]);
    t.ctx.dataDir = data;
  });
});

describe("plan holds what apply holds or refuses, for the reason apply gives", () => {
  it("a book that clashes with another's target and holds files added since the scan: both plan and apply say the clash", async () => {
    t = await openLibrary(tmp, [
      { at: "a/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "b/Dune", author: "Frank Herbert", title: "Dune" },
    ]);
    fs.writeFileSync(path.join(t.lib, "a", "Dune", "03.mp3"), "added since the scan");
    const kinds = (entries: { from: string; conflict: { kind: string } | null }[]) => Object.fromEntries(entries.map((e) => [path.relative(t!.lib, e.from), e.conflict?.kind]));
    const dry = await applyMoves(t.ctx, { dryRun: true });
    expect(kinds(dry.held)).toEqual({ "a/Dune": "duplicate_target", "b/Dune": "duplicate_target" });
    expect(kinds(buildPlan(t.ctx).entries)).toEqual(kinds(dry.held));
  });
});

describe("undo refusals", () => {
  it("refuses when the old place is taken, the files changed, the move was undone already, or the id is unknown", async () => {
    t = await openLibrary(tmp, BOOKS.slice(0, 3));
    const report = await applyMoves(t.ctx);
    const [storm, fool, watchers] = ["Storm Front", "Fool Moon", "Watchers"].map((name) => report.moved.find((m) => m.to.endsWith(name))!);
    fs.mkdirSync(storm.from);
    fs.appendFileSync(path.join(fool.to, "01.mp3"), "edited");
    const first = await undoMoves(t.ctx, { ids: [storm.move_id!, fool.move_id!, watchers.move_id!, 999] });
    const reasons = Object.fromEntries(first.refused.map((r) => [r.move_id, r.reason]));
    expect(reasons[storm.move_id!]).toMatch(/old place .* is taken/);
    expect(reasons[fool.move_id!]).toMatch(/files changed since it was moved/);
    // The file to look at is named, not left to a guess over the whole book.
    expect(reasons[fool.move_id!]).toContain("files changed since it was moved (01.mp3 has another size); move it back by hand");
    expect(reasons[999]).toMatch(/no move with id 999/);
    expect(first.moved.map((m) => m.book_id)).toEqual([watchers.book_id]);
    const again = await undoMoves(t.ctx, { ids: [watchers.move_id!] });
    expect(again.refused[0].reason).toMatch(/already undone/);
    const undoId = listHistory(t.ctx).find((h) => h.kind === "undo")!.move_id;
    expect((await undoMoves(t.ctx, { ids: [undoId] })).refused[0].reason).toMatch(/itself an undo/);
    // The refused books did not move.
    expect(fs.existsSync(path.join(storm.to, "cover.jpg"))).toBe(true);
    expect(fs.existsSync(path.join(fool.to, "01.mp3"))).toBe(true);
  });
});

describe("undo with a file in the way", () => {
  it("refuses with the reason when a file now stands where the old place needs a folder, and moves nothing", async () => {
    t = await openLibrary(tmp, BOOKS.slice(1, 3));
    const report = await applyMoves(t.ctx);
    const watchers = report.moved.find((m) => m.to.endsWith("Watchers"))!;
    // The emptied folders were removed; a file now takes the name of one of them.
    expect(fs.existsSync(path.join(t.lib, "misc"))).toBe(false);
    fs.writeFileSync(path.join(t.lib, "misc"), "a file");
    const undo = await undoMoves(t.ctx, { ids: [watchers.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.failed).toEqual([]);
    expect(undo.refused[0].reason).toBe(`${path.join(t.lib, "misc")} is a file where the old place needs a folder; move it away first (nothing is ever overwritten)`);
    expect(fs.existsSync(path.join(watchers.to, "01.mp3"))).toBe(true);
    expect(listHistory(t.ctx).filter((h) => h.kind === "undo")).toEqual([]);
  });
});

describe("undo never follows a link out of the library", () => {
  it("refuses when a folder on the way back was replaced by a link to a folder outside, and moves nothing", async () => {
    t = await openLibrary(tmp, BOOKS.slice(2, 3));
    const report = await applyMoves(t.ctx);
    const watchers = report.moved[0];
    expect(fs.existsSync(path.join(t.lib, "misc"))).toBe(false);
    // "misc/deep/er" exists outside; "misc" in the library now leads there.
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(path.join(outside, "deep", "er"), { recursive: true });
    fs.symlinkSync(outside, path.join(t.lib, "misc"));
    const undo = await undoMoves(t.ctx, { ids: [watchers.move_id!] });
    expect(undo.moved).toEqual([]);
    expect(undo.refused[0].reason).toMatch(/leads through a link or out of the library folder/);
    expect(fs.readdirSync(path.join(outside, "deep", "er"))).toEqual([]);
    expect(fs.existsSync(path.join(watchers.to, "01.mp3"))).toBe(true);
  });

  it("refuses when the book's own place was replaced by a link (its files moved out of the library): nothing comes in from outside", async () => {
    t = await openLibrary(tmp, [
      { at: "inbox/Dune.m4b", author: "Frank Herbert", title: "Dune", beside: ["Dune.jpg"] },
      { at: "inbox/Folder", author: "A", title: "Folder" },
    ]);
    const report = await applyMoves(t.ctx);
    expect(report.moved).toHaveLength(2);
    const outside = path.join(tmp, "outside");
    fs.mkdirSync(outside);
    for (const m of report.moved) {
      fs.renameSync(m.to, path.join(outside, path.basename(m.to)));
      fs.symlinkSync(path.join(outside, path.basename(m.to)), m.to);
    }
    const before = [treeHash(t.lib), treeHash(outside)];
    const undo = await undoMoves(t.ctx, { last: 2 });
    expect(undo.moved).toEqual([]);
    expect(undo.refused.map((r) => r.reason)).toEqual(
      report.moved.map((m) => expect.stringMatching(new RegExp(`is reached through a link or lies outside the library folder ${t!.lib} now; shelfwise moves only what is really inside the library$`))),
    );
    expect([treeHash(t.lib), treeHash(outside)]).toEqual(before);
  });
});

describe("a copy across file systems keeps what a rename keeps", () => {
  it("folder modes, times, hidden files, empty folders, links and hard links survive apply and undo", async () => {
    t = await openLibrary(tmp, [{ at: "in/Book", author: "Ann Writer", title: "Book", files: ["Disc 1/01.mp3", "02.mp3", ".hidden/notes.txt", "ro/r.txt"] }]);
    const book = path.join(t.lib, "in", "Book");
    fs.mkdirSync(path.join(book, "empty"), { mode: 0o700 });
    fs.chmodSync(path.join(book, "empty"), 0o700);
    // Names a scan does not list (not audio, not a sidecar) move with the folder all the same.
    fs.linkSync(path.join(book, "02.mp3"), path.join(book, "hard.bin"));
    fs.symlinkSync("02.mp3", path.join(book, "link.bin"));
    fs.chmodSync(path.join(book, "ro", "r.txt"), 0o444);
    fs.chmodSync(path.join(book, "ro"), 0o555);
    fs.chmodSync(book, 0o750);
    fs.utimesSync(path.join(book, "empty"), new Date("2001-01-01"), new Date("2001-01-01"));
    const meta = (dir: string) => {
      const out: Record<string, string> = {};
      const walk = (at: string) => {
        for (const name of fs.readdirSync(at).sort()) {
          const full = path.join(at, name);
          const st = fs.lstatSync(full);
          out[path.relative(dir, full)] = `${(st.mode & 0o7777).toString(8)} ${st.isSymbolicLink() ? "" : Math.floor(st.mtimeMs)} ${st.isFile() ? st.nlink : ""}`;
          if (st.isDirectory()) walk(full);
        }
      };
      out["."] = (fs.statSync(dir).mode & 0o7777).toString(8);
      walk(dir);
      return out;
    };
    const before = { tree: treeHash(book), meta: meta(book) };
    const report = await applyMoves(t.ctx, { forceCopy: true });
    expect(report.moved.map((m) => m.method)).toEqual(["copy"]);
    const moved = report.moved[0].to;
    expect({ tree: treeHash(moved), meta: meta(moved) }).toEqual(before);
    const undo = await undoMoves(t.ctx, { last: 1, forceCopy: true });
    expect(undo.refused).toEqual([]);
    expect({ tree: treeHash(book), meta: meta(book) }).toEqual(before);
  });

  it("times on a whole millisecond (exFAT, SMB and ms-keeping tools give them) come back to the microsecond, not one early", async () => {
    t = await openLibrary(tmp, [{ at: "in/Book", author: "Ann Writer", title: "Book", files: ["Disc 1/01.mp3", "02.mp3", "03.mp3"] }]);
    const book = path.join(t.lib, "in", "Book");
    // The middle of a microsecond, which libuv keeps as that microsecond exactly: the files' times end in .XYZ000000 s.
    const entries = ["Disc 1/01.mp3", "02.mp3", "03.mp3", "Disc 1", "."];
    entries.forEach((rel, i) => {
      const seconds = 1_796_442_249 + (202 + 111 * i) / 1000 + 0.000_000_5;
      fs.utimesSync(path.join(book, rel), seconds, seconds);
    });
    // Scanned again with those times (a book whose files changed is judged again: the user's fields set once more).
    await rescan(t.ctx, t.lib);
    setUserFields(t.ctx, t.byAt("in/Book").id, { set: { author: "Ann Writer", title: "Book" } });
    const times = (dir: string) => entries.map((rel) => String(fs.lstatSync(path.join(dir, rel), { bigint: true }).mtimeNs));
    const before = times(book);
    expect(before.every((ns) => ns.endsWith("000000"))).toBe(true);
    const report = await applyMoves(t.ctx, { forceCopy: true });
    expect(report.moved.map((m) => m.method)).toEqual(["copy"]);
    expect(times(report.moved[0].to)).toEqual(before);
    const undo = await undoMoves(t.ctx, { last: 1, forceCopy: true });
    expect(undo.refused).toEqual([]);
    expect(times(book)).toEqual(before);
  });
});

describe("the data-folder lock", () => {
  it("a second writer is refused, naming the holder, and nothing moves", async () => {
    t = await openLibrary(tmp, BOOKS.slice(0, 2));
    const child = spawn(process.execPath, ["--input-type=module", "-e", `
      const { acquireDataLock } = await import(${JSON.stringify(builtModuleUrl("store/data-lock.js"))});
      await acquireDataLock(${JSON.stringify(t.data)}, { command: "apply" });
      process.stdout.write("held\\n");
      setInterval(() => {}, 1000);
    `], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
        child.once("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
      });
      const before = treeHash(t.lib);
      const error = await applyMoves(t.ctx, { lockWaitMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataLockBusyError);
      expect((error as Error).message).toContain(`pid ${child.pid}`);
      expect((error as Error).message).toContain("`apply`");
      await expect(undoMoves(t.ctx, { last: 1, lockWaitMs: 0 })).rejects.toBeInstanceOf(DataLockBusyError);
      expect(treeHash(t.lib)).toEqual(before);
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("close", resolve));
    }
    // The holder died: the lock died with it.
    expect((await applyMoves(t.ctx, { lockWaitMs: 0 })).moved).toHaveLength(2);
  });
});
