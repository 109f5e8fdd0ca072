/**
 * Recovery on a messy machine: a data folder whose disk is full, a library
 * folder mounted read-only since the crash. Each interrupted state is built
 * by hand on real folders (real tmpfs mounts, as root; skipped elsewhere),
 * then the next command runs. Nothing is lost, the words say where the book
 * is and what is left to do, and a reader still answers.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { partialPath } from "../../src/organize/disk.js";
import { recoverInterrupted } from "../../src/organize/recovery.js";
import { openDatabase } from "../../src/store/database.js";
import { tryAcquireDataLock } from "../../src/store/data-lock.js";
import { getBook } from "../../src/store/books.js";
import { getMove, recordIntents, setMoveMethod, startBatch, type MoveIntent } from "../../src/store/moves.js";
import { runCli } from "../support/cli.js";
import { requireBuilt } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type TestLibrary } from "./library.js";

beforeAll(() => requireBuilt());

let tmp: string;
let t: TestLibrary | undefined;
const mounts: string[] = [];
afterEach(() => {
  t?.close();
  t = undefined;
  for (const m of mounts.splice(0).reverse()) execFileSync("umount", ["-l", m], { stdio: "ignore" });
  if (tmp) removeTempDir(tmp);
});

/** A 1 MB tmpfs at `dir` (made), or the test is skipped: mounting needs root. */
function mountSmall(ctx: TestContext, dir: string): void {
  if (process.getuid?.() !== 0) ctx.skip();
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" });
  } catch {
    ctx.skip();
  }
  mounts.push(dir);
}

function readOnly(dir: string): void {
  execFileSync("mount", ["-o", "remount,ro", dir], { stdio: "ignore" });
}

function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, "filler"), "w");
  try {
    for (const size of [64 * 1024, 512, 1]) {
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(size, 1));
      } catch {
        // full at this size; smaller writes next
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Journals a copy of a book to `to` (as apply does once it turned to copying) and returns it. */
function copyIntent(lib: TestLibrary, at: string, toRel: string): { id: number; from: string; to: string; bookId: number } {
  const book = lib.byAt(at);
  const to = path.join(lib.lib, toRel);
  const m: MoveIntent = {
    kind: "apply", book_id: book.id, book_from: book.path, book_to: to, kind_from: book.kind, kind_to: "folder",
    root_from: lib.lib, root_to: lib.lib, from_path: book.path, to_path: to, created_dir: null,
    fingerprint: book.fingerprint, undoes: null,
  };
  const [id] = recordIntents(lib.ctx.db, startBatch(lib.ctx.db, "apply"), [m]);
  setMoveMethod(lib.ctx.db, id, "copy");
  return { id, from: book.path, to, bookId: book.id };
}

describe("recovery on a messy machine", () => {
  it("a reader on a full data disk answers, and the interrupted move waits for a command that can journal it", async (ctx) => {
    tmp = makeTempDir("recovery-env");
    mountSmall(ctx, path.join(tmp, "data"));
    t = await openLibrary(tmp, [{ at: "old/Folder Book", author: "A", title: "Folder" }]);
    const m = copyIntent(t, "old/Folder Book", "new/Folder");
    // The kill came after the verified copy was placed, before its sources were removed.
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    // The lock file exists (any earlier writer made it): on the full disk the reader can still take the lock.
    tryAcquireDataLock(t.data, "test")!.release();
    t.close();
    t = undefined;
    const before = treeHash(path.join(tmp, "library"));
    fill(path.join(tmp, "data"));

    const list = await runCli(["books", "--json"], { dataDir: path.join(tmp, "data") });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    // Nothing was done on disk that the journal could not record.
    expect(treeHash(path.join(tmp, "library"))).toEqual(before);

    fs.rmSync(path.join(tmp, "data", "filler"));
    const next = await runCli(["books", "--json"], { dataDir: path.join(tmp, "data") });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/finished|recover/i);
    expect(fs.existsSync(m.from)).toBe(false);
    const db = openDatabase(path.join(tmp, "data", "shelfwise.db"));
    try {
      expect(getMove(db, m.id)).toMatchObject({ state: "done", recovered: 1 });
    } finally {
      db.close();
    }
  });

  it("a half-made copy on a folder mounted read-only since: the book stays whole at its old place, and the words say what is left", async (ctx) => {
    tmp = makeTempDir("recovery-env");
    t = await openLibrary(tmp, [{ at: "old/Folder Book", author: "A", title: "Folder" }]);
    mountSmall(ctx, path.join(t.lib, "new"));
    const m = copyIntent(t, "old/Folder Book", "new/Folder");
    const partial = partialPath(m.to, m.id);
    fs.mkdirSync(partial);
    fs.copyFileSync(path.join(m.from, "01.mp3"), path.join(partial, "01.mp3"));
    readOnly(path.join(t.lib, "new"));
    const before = treeHash(t.lib);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(treeHash(t.lib)).toEqual(before);
    expect(r).toMatchObject({ outcome: "rolled_back", path: m.from });
    expect(r.error).toContain(`the unfinished copy ${partial} could not be removed`);
    expect(r.error).toContain("read-only");
    expect(getBook(t.ctx.db, m.bookId)!.path).toBe(m.from);
  });

  it("a finished copy whose old folder is read-only since: the book is at its new place, the old files kept and said why", async (ctx) => {
    tmp = makeTempDir("recovery-env");
    t = await openLibrary(tmp, [{ at: "old/Folder Book", author: "A", title: "Folder" }]);
    const held = path.join(tmp, "held");
    fs.renameSync(path.join(t.lib, "old"), held);
    mountSmall(ctx, path.join(t.lib, "old"));
    fs.cpSync(held, path.join(t.lib, "old"), { recursive: true, preserveTimestamps: true });
    const m = copyIntent(t, "old/Folder Book", "new/Folder");
    fs.mkdirSync(path.dirname(m.to), { recursive: true });
    fs.cpSync(m.from, m.to, { recursive: true, preserveTimestamps: true });
    readOnly(path.join(t.lib, "old"));

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ outcome: "finished", path: m.to });
    expect(fs.readdirSync(m.from).sort()).toEqual(["01.mp3", "02.mp3", "cover.jpg"]);
    expect(r.error).toContain(`3 files left at ${m.from} could not be removed`);
    expect(r.error).toContain("read-only");
    expect(r.error).not.toContain("differ");
  });

  it("a loose file linked at its new place but not yet unlinked, its folder read-only since: finished, the old name named", async (ctx) => {
    tmp = makeTempDir("recovery-env");
    const lib = path.join(tmp, "library");
    mountSmall(ctx, lib);
    t = await openLibrary(tmp, [{ at: "in/single.mp3", author: "B", title: "Single" }, { at: "in/Other", author: "O", title: "Other" }]);
    const book = t.byAt("in/single.mp3");
    const to = path.join(lib, "B", "Single", "single.mp3");
    const [id] = recordIntents(t.ctx.db, startBatch(t.ctx.db, "apply"), [{
      kind: "apply", book_id: book.id, book_from: book.path, book_to: path.dirname(to), kind_from: "file", kind_to: "folder",
      root_from: lib, root_to: lib, from_path: book.path, to_path: to, created_dir: path.join(lib, "B"), fingerprint: book.fingerprint, undoes: null,
    }]);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.linkSync(book.path, to);
    readOnly(lib);

    const [r] = recoverInterrupted(t.ctx.db);
    expect(r).toMatchObject({ move_id: id, outcome: "finished", path: path.dirname(to) });
    expect(r.error).toContain(`the old name ${book.path} could not be removed (read-only file system)`);
    expect(getBook(t.ctx.db, book.id)!.path).toBe(path.dirname(to));
  });
});
