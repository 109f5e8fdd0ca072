/**
 * What inside a book's folder rules its move out, said by plan, apply (and its dry run) and undo alike before
 * anything is touched: a named pipe (or socket, device node) when the move is a copy, which no copy carries; a link
 * into shelfwise's data folder; names a vfat/exFAT target refuses. On real folders; the copy is forced (one file system
 * here), as SHELFWISE_FORCE_COPY=1 does.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { contentsProblem } from "../../src/organize/book-contents.js";
import { buildPlan } from "../../src/organize/plan.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let t: TestLibrary | undefined;
const mounts: string[] = [];
beforeEach(() => {
  tmp = makeTempDir("book-contents");
});
afterEach(() => {
  t?.close();
  t = undefined;
  for (const at of mounts.splice(0)) execFileSync("umount", [at], { stdio: "ignore" });
  removeTempDir(tmp);
});

/** Every entry under `dir` with its kind and size (treeHash would read a pipe, and wait for a writer for ever). */
function entries(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((name) => {
      const st = fs.lstatSync(path.join(dir, name));
      return `${name} ${st.isFIFO() ? "fifo" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "link" : st.size}`;
    })
    .sort();
}

const books = [
  { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
  { at: "inbox/Emma", author: "Jane Austen", title: "Emma" },
];

it("a named pipe in a folder book bound for a copy: plan holds it naming the pipe, apply and its dry run leave the book whole, the other book moves", async () => {
  t = await openLibrary(tmp, books);
  const pipe = path.join(t.lib, "inbox/Dune/extras/player.fifo");
  fs.mkdirSync(path.dirname(pipe));
  execFileSync("mkfifo", [pipe]);
  const dune = t.byAt("inbox/Dune").id;
  const emma = t.byAt("inbox/Emma").id;
  const before = entries(path.join(t.lib, "inbox/Dune"));
  const held = buildPlan(t.ctx, { forceCopy: true }).entries.find((e) => e.book_id === dune)!;
  expect(held.action).toBe("held");
  expect(held.conflict?.kind).toBe("special_file");
  expect(held.conflict?.reason).toContain(`${pipe} is a named pipe (FIFO), which a copy across file systems cannot carry`);
  // A rename carries it: no hold.
  expect(buildPlan(t.ctx).entries.find((e) => e.book_id === dune)!.action).toBe("move");
  for (const dryRun of [true, false]) {
    const report = await applyMoves(t.ctx, { forceCopy: true, dryRun });
    expect(report.held.map((e) => [e.book_id, e.conflict?.kind])).toEqual([[dune, "special_file"]]);
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.book_id)).toEqual([emma]);
  }
  expect(entries(path.join(t.lib, "inbox/Dune"))).toEqual(before);
  expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
  // Taken out, the book moves whole.
  fs.rmSync(pipe);
  const again = await applyMoves(t.ctx, { forceCopy: true });
  expect(again.failed).toEqual([]);
  expect(again.moved.map((m) => [m.book_id, m.method, m.left_behind])).toEqual([[dune, "copy", null]]);
});

it("undo refuses the copy back of a book a named pipe was put in since, naming it; nothing moves and nothing is left behind", async () => {
  t = await openLibrary(tmp, [books[0]!]);
  const applied = await applyMoves(t.ctx, { forceCopy: true });
  expect(applied.moved.map((m) => m.method)).toEqual(["copy"]);
  const to = applied.moved[0]!.to;
  const pipe = path.join(to, "player.fifo");
  execFileSync("mkfifo", [pipe]);
  const before = entries(t.lib);
  const undone = await undoMoves(t.ctx, { ids: [applied.moved[0]!.move_id!], forceCopy: true });
  expect(undone.moved).toEqual([]);
  expect(undone.failed).toEqual([]);
  expect(undone.refused.map((r) => r.reason)).toEqual([expect.stringContaining(`${pipe} is a named pipe (FIFO), which a copy across file systems cannot carry`)]);
  expect(entries(t.lib)).toEqual(before);
});

it("a symbolic link into the data folder inside a book: a copy is held by plan and apply, and refused back by undo; the book and the data folder stay as they are", async () => {
  t = await openLibrary(tmp, books);
  const dune = t.byAt("inbox/Dune").id;
  // One absolute to the database file, one relative to the data folder itself (broken by any move).
  fs.symlinkSync(path.join(t.data, "shelfwise.db"), path.join(t.lib, "inbox/Dune/db"));
  const data = treeHash(t.data);
  const book = treeHash(path.join(t.lib, "inbox/Dune"));
  // A rename carries the link's entry with its folder and reads nothing through it: no walk, nothing held.
  expect(buildPlan(t.ctx).entries.find((e) => e.book_id === dune)!.conflict).toBeNull();
  expect(contentsProblem(path.join(t.lib, "inbox/Dune"), { copy: false, restrictedTarget: null, dataPlaces: [t.data] })).toBeNull();
  const held = buildPlan(t.ctx, { forceCopy: true }).entries.find((e) => e.book_id === dune)!;
  expect(held.conflict?.kind).toBe("links_to_data_folder");
  expect(held.conflict?.reason).toContain(`${path.join(t.lib, "inbox/Dune/db")} is a symbolic link to ${path.join(t.data, "shelfwise.db")}, inside shelfwise's data folder`);
  const report = await applyMoves(t.ctx, { forceCopy: true });
  expect(report.held.map((e) => [e.book_id, e.conflict?.kind])).toEqual([[dune, "links_to_data_folder"]]);
  expect(treeHash(path.join(t.lib, "inbox/Dune"))).toEqual(book);
  expect(fs.readlinkSync(path.join(t.lib, "inbox/Dune/db"))).toBe(path.join(t.data, "shelfwise.db"));
  expect(Object.keys(treeHash(t.data))).toEqual(expect.arrayContaining(Object.keys(data)));

  // Put in after the copy: the copy back refuses, the link stays where it is.
  expect(report.moved.map((m) => m.from)).toEqual([path.join(t.lib, "inbox/Emma")]);
  const emma = report.moved[0]!;
  const link = path.join(emma.to, "data");
  fs.symlinkSync(path.relative(emma.to, t.data), link);
  const undone = await undoMoves(t.ctx, { ids: [emma.move_id!], forceCopy: true });
  expect(undone.moved).toEqual([]);
  expect(undone.refused.map((r) => r.reason)).toEqual([expect.stringContaining(`${link} is a symbolic link to ${t.data}, inside shelfwise's data folder`)]);
  expect(fs.readlinkSync(link)).toBe(path.relative(emma.to, t.data));
});

it("names a vfat or exFAT target refuses or folds together are found before the copy, first one named", () => {
  const book = path.join(tmp, "Book");
  fs.mkdirSync(path.join(book, "Disc 1"), { recursive: true });
  fs.writeFileSync(path.join(book, "Disc 1", "01.mp3"), "a");
  const ask = { copy: true, restrictedTarget: "vfat", dataPlaces: [] };
  expect(contentsProblem(book, ask)).toBeNull();
  fs.writeFileSync(path.join(book, "Disc 1", "What?.txt"), "a");
  expect(contentsProblem(book, ask)).toMatchObject({ kind: "target_refuses_names", reason: expect.stringContaining(`the name "What?.txt" of ${path.join(book, "Disc 1", "What?.txt")}`) });
  fs.rmSync(path.join(book, "Disc 1", "What?.txt"));
  fs.writeFileSync(path.join(book, "cover.jpg"), "a");
  fs.writeFileSync(path.join(book, "Cover.jpg"), "b");
  expect(contentsProblem(book, ask)?.reason).toMatch(/"(cover|Cover)\.jpg" and "(Cover|cover)\.jpg" in .* differ only in case/);
  // On a file system that keeps both, or in a rename, nothing is said.
  expect(contentsProblem(book, { ...ask, restrictedTarget: null })).toBeNull();
  fs.rmSync(path.join(book, "Cover.jpg"));
  fs.symlinkSync("cover.jpg", path.join(book, "front.jpg"));
  expect(contentsProblem(book, ask)?.reason).toContain("is a symbolic link, and the target's file system (vfat) holds none");
});

it("plan and apply hold a book copied onto a FAT stick (output_path there) whose file names the stick refuses", async (ctx) => {
  const stick = path.join(tmp, "stick");
  const image = path.join(tmp, "stick.img");
  fs.mkdirSync(stick);
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
  t = await openLibrary(tmp, [{ ...books[0]!, files: ["01.mp3", "Notes: read me.txt"] }], { output_path: stick });
  const dune = t.byAt("inbox/Dune").id;
  const held = buildPlan(t.ctx).entries.find((e) => e.book_id === dune)!;
  expect(held.conflict).toMatchObject({ kind: "target_refuses_names", reason: expect.stringContaining(`the name "Notes: read me.txt" of ${path.join(t.lib, "inbox/Dune/Notes: read me.txt")}`) });
  const report = await applyMoves(t.ctx, {});
  expect(report.held.map((e) => e.conflict?.kind)).toEqual(["target_refuses_names"]);
  expect(fs.readdirSync(stick)).toEqual([]);
});
