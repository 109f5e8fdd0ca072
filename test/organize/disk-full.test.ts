/**
 * The disk filling up during a copy across file systems (output_path on a
 * small tmpfs): the book that did not fit stays whole at its old place, no
 * half-made copy is left behind, the report says the disk is full, and the
 * books that fitted are moved. And either file system made read-only in the
 * middle of an apply.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { applyMoves } from "../../src/organize/apply.js";
import { removalHooks } from "../../src/organize/disk.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { undoMoves } from "../../src/organize/undo.js";
import { runCli } from "../support/cli.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary, treeHash, type TestLibrary } from "./library.js";

let tmp: string;
let mounted: string | null = null;
/** More mounts a test made (unmounted after it, as `mounted`). */
const alsoMounted: string[] = [];
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("disk-full");
});
afterEach(() => {
  t?.close();
  t = undefined;
  delete removalHooks.beforeRemove;
  setNativeFs(true);
  if (mounted) execFileSync("umount", [mounted], { stdio: "ignore" });
  mounted = null;
  for (const at of alsoMounted.splice(0)) execFileSync("umount", [at], { stdio: "ignore" });
  removeTempDir(tmp);
});

/** A 1 MB tmpfs under the test's folder (skips the test where it cannot mount one). */
function smallDisk(ctx: { skip: () => void }): string {
  if (process.getuid?.() !== 0) ctx.skip(); // mounts a file system
  const out = path.join(tmp, "small");
  fs.mkdirSync(out);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", out], { stdio: "ignore" });
    mounted = out;
  } catch {
    ctx.skip(); // no mount here
  }
  return out;
}

/** A file of `kb` KB in the library, written before the scan. */
function fill(at: string, kb: number): void {
  fs.mkdirSync(path.dirname(path.join(tmp, "library", at)), { recursive: true });
  fs.writeFileSync(path.join(tmp, "library", at), Buffer.alloc(kb * 1024, at.length));
}

it("a copy that fills the disk leaves that book whole where it was, and no partial copy", async (ctx) => {
  const out = smallDisk(ctx);
  // Written before the scan: Dune fits (300 KB), Emma does not (two more files of 400 KB).
  fill("inbox/Dune/02.mp3", 300);
  fill("inbox/Emma/02.mp3", 400);
  fill("inbox/Emma/03.mp3", 400);
  t = await openLibrary(tmp, [
    { at: "inbox/Dune", author: "Frank Herbert", title: "Dune", files: ["01.mp3"] },
    { at: "inbox/Emma", author: "Jane Austen", title: "Emma", files: ["01.mp3"] },
  ], { naming_template: "{author}/{title}", output_path: out });
  const emma = treeHash(path.join(t.lib, "inbox", "Emma"));
  const report = await applyMoves(t.ctx, {});
  expect(report.moved.map((m) => m.to)).toEqual([path.join(out, "Frank Herbert", "Dune")]);
  expect(report.failed.map((f) => f.error)).toEqual([expect.stringMatching(/full/)]);
  expect(treeHash(path.join(t.lib, "inbox", "Emma"))).toEqual(emma);
  // Nothing half-made is left on the full disk: no partial copy, no empty author folder.
  expect(fs.readdirSync(out)).toEqual(["Frank Herbert"]);
  // And undo brings Dune back across.
  const undone = await undoMoves(t.ctx, { last: 1 });
  expect(undone.failed).toEqual([]);
  expect(fs.existsSync(path.join(t.lib, "inbox", "Dune", "01.mp3"))).toBe(true);
});

it("a dry run says which books would not fit on the other disk (it said each would move), as the apply after it finds; a smaller book after one too large still fits", async (ctx) => {
  const out = smallDisk(ctx);
  // In apply's order: Dune fits (500 KB), Emma does not (800 KB more), Mort (100 KB) still does.
  fill("inbox/Dune/02.mp3", 500);
  fill("inbox/Emma/02.mp3", 800);
  fill("inbox/Mort/02.mp3", 100);
  t = await openLibrary(tmp, [
    { at: "inbox/Dune", author: "Frank Herbert", title: "Dune", files: ["01.mp3"] },
    { at: "inbox/Emma", author: "Jane Austen", title: "Emma", files: ["01.mp3"] },
    { at: "inbox/Mort", author: "Terry Pratchett", title: "Mort", files: ["01.mp3"] },
  ], { naming_template: "{author}/{title}", output_path: out });
  const before = [treeHash(t.lib), treeHash(out)];
  const dry = await applyMoves(t.ctx, { dryRun: true });
  expect([treeHash(t.lib), treeHash(out)]).toEqual(before);
  expect(dry.moved.map((m) => m.to)).toEqual([path.join(out, "Frank Herbert", "Dune"), path.join(out, "Terry Pratchett", "Mort")]);
  expect(dry.failed.map((f) => [f.book_id, f.error])).toEqual([
    [t.byAt("inbox/Emma").id, expect.stringMatching(new RegExp(`^the disk holding ${out} would be full: this book needs 8\\d\\d KB there, and it has 1\\.0 MB free, 5\\d\\d KB of it taken by the books copied there before this one; .*the book would stay at ${path.join(t.lib, "inbox", "Emma")}$`))],
  ]);
  const report = await applyMoves(t.ctx, {});
  expect(report.moved.map((m) => m.to)).toEqual(dry.moved.map((m) => m.to));
  expect(report.failed.map((f) => f.book_id)).toEqual([t.byAt("inbox/Emma").id]);
});

it("an apply whose every move failed (the disk full) does not offer to undo them", async (ctx) => {
  const out = smallDisk(ctx);
  fs.mkdirSync(path.join(tmp, "library", "inbox", "Emma"), { recursive: true });
  fs.writeFileSync(path.join(tmp, "library", "inbox", "Emma", "02.mp3"), Buffer.alloc(1100 * 1024, 1));
  t = await openLibrary(tmp, [{ at: "inbox/Emma", author: "Jane Austen", title: "Emma", files: ["01.mp3"] }], { naming_template: "{author}/{title}", output_path: out });
  const data = t.data;
  fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ naming_template: "{author}/{title}", output_path: out, library_paths: [t.lib] }));
  t.close();
  t = undefined;
  const run = await runCli(["apply", "--yes"], { dataDir: data });
  expect(run.code, run.stdout + run.stderr).toBe(1);
  // It said "(batch 1; `shelfwise undo --last 0` moves them back)": there is nothing of this batch to move back.
  expect(run.stdout).toContain("0 moved, 1 failed");
  expect(run.stdout).not.toContain("undo --last");
});

it("a file system made read-only during an apply: a copy whose source cannot be removed is taken back (the book once, not moved); a folder not made says read-only", async (ctx) => {
  if (process.getuid?.() !== 0) ctx.skip(); // mounts file systems
  const lib = path.join(tmp, "library");
  const out = path.join(tmp, "out");
  for (const at of [lib, out]) {
    fs.mkdirSync(at, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", at], { stdio: "ignore" });
      alsoMounted.push(at);
    } catch {
      ctx.skip(); // no mount here
    }
  }
  t = await openLibrary(tmp, [
    { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
    { at: "inbox/Emma", author: "Jane Austen", title: "Emma" },
    { at: "loose/Loose.m4b", author: "Ann Author", title: "Loose", beside: ["Loose.jpg"] },
    // A second loose file: one alone in a folder is read as that folder's book.
    { at: "loose/Other.mp3" },
  ], { naming_template: "{author}/{title}", output_path: out });
  const counts = () => {
    const all = contentCounts(lib);
    for (const [hash, n] of contentCounts(out)) all.set(hash, (all.get(hash) ?? 0) + n);
    return all;
  };
  const before = counts();
  const remountOnce = (at: string, how: string) => {
    removalHooks.beforeRemove = () => {
      delete removalHooks.beforeRemove;
      execFileSync("mount", ["-o", `remount,${how}`, at], { stdio: "ignore" });
    };
  };
  // The library read-only once the first book is copied, before its source is removed: it was reported moved, the
  // book whole at both places (and its old place then blocked its undo).
  remountOnce(lib, "ro");
  const first = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune").id] });
  expect(first.moved).toEqual([]);
  expect(first.failed.map((f) => f.error)).toEqual([
    `${path.join(lib, "inbox", "Dune")} could not be changed after the copy (read-only file system): the book stays at ${path.join(lib, "inbox", "Dune")}, and its copy was taken back (nothing moved); fix that and run the command again`,
  ]);
  expect(counts()).toEqual(before);
  expect(fs.readdirSync(out)).toEqual([]);
  execFileSync("mount", ["-o", "remount,rw", lib], { stdio: "ignore" });
  // The output folder read-only once Dune is copied: Emma's folder is not made there, said as such (Node's recursive
  // mkdir said "ENOENT: no such file or directory, mkdir"). Through node:fs, whose mkdir -p makes the folder first.
  setNativeFs(false);
  remountOnce(out, "ro");
  const second = await applyMoves(t.ctx, { ids: [t.byAt("inbox/Dune").id, t.byAt("inbox/Emma").id] });
  expect(second.moved.map((m) => m.to)).toEqual([path.join(out, "Frank Herbert", "Dune")]);
  expect(second.failed.map((f) => f.error)).toEqual([`${path.join(out, "Jane Austen")} is on a read-only file system; remount it read-write (or choose a writable library folder) and run the command again; the book stays at ${path.join(lib, "inbox", "Emma")}`]);
  expect(counts()).toEqual(before);
  // A loose book and its companion, the same way: copied, then the library read-only before the first removal.
  execFileSync("mount", ["-o", "remount,rw", out], { stdio: "ignore" });
  setNativeFs(true);
  remountOnce(lib, "ro");
  const loose = path.join(lib, "loose", "Loose.m4b");
  const third = await applyMoves(t.ctx, { ids: [t.byAt("loose/Loose.m4b").id] });
  expect(third.moved).toEqual([]);
  expect(third.failed.map((f) => f.error)).toEqual([
    `${path.dirname(loose)} could not be changed after the copy (read-only file system): the book stays at ${loose}, and its copy was taken back (nothing moved); fix that and run the command again`,
  ]);
  expect(counts()).toEqual(before);
  expect(fs.existsSync(path.join(out, "Ann Author"))).toBe(false);
});
