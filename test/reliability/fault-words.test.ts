/**
 * The words for a fault name the thing to fix: the file that is in the way,
 * the full disk (not "check the disk with fsck"), never the user's good
 * database for a problem of the lock file. In-process: openDatabase, the
 * data-folder lock and the one-line wording, on real files and a real tmpfs.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEnvironmentError } from "../../src/cli/error-report.js";
import { openDatabase } from "../../src/store/database.js";
import { tryAcquireDataLock } from "../../src/store/data-lock.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const isRoot = process.getuid?.() === 0;
let tmp: string;
let counter = 0;
const mounts: string[] = [];
beforeAll(() => {
  tmp = makeTempDir("fault-words");
});
afterAll(() => {
  for (const mount of mounts) execFileSync("umount", ["-l", mount]);
  removeTempDir(tmp);
});

/** A data folder with a database of one book-less schema, closed. */
function dataDir(root = tmp): string {
  const dir = path.join(root, `data-${++counter}`);
  fs.mkdirSync(dir);
  openDatabase(path.join(dir, "shelfwise.db")).close();
  return dir;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("something in the way of shelfwise's own files", () => {
  it.each(["shelfwise.db", "shelfwise.db-wal", "shelfwise.db-shm"])("%s is a folder: a write's line names it, not 'permission denied' on the data folder", (name) => {
    const dir = dataDir();
    const db = path.join(dir, "shelfwise.db");
    const blocked = path.join(dir, name);
    if (name === "shelfwise.db") fs.rmSync(db);
    fs.mkdirSync(blocked);
    // Whether opening fails or a reader falls back to a private copy, the first write names the same fault.
    const message = describeEnvironmentError(
      thrown(() => {
        const opened = openDatabase(db);
        try {
          opened.prepare("DELETE FROM books").run();
        } finally {
          opened.close();
        }
      }),
      dir,
    );
    expect(message).toBe(`${blocked} is a folder, where shelfwise keeps a file of its own; nothing was changed; move it away (or use another --data-dir) and run the command again`);
  });

  it("the lock file is a folder: named as such", () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, "shelfwise.lock"));
    const message = describeEnvironmentError(thrown(() => tryAcquireDataLock(dir, "scan")), dir);
    expect(message).toMatch(/^\S+shelfwise\.lock is a folder, where shelfwise keeps a file of its own/);
  });

  it("a lock file overwritten with junk is cleared and taken, never reported as a damaged database", () => {
    const dir = dataDir();
    const lockFile = path.join(dir, "shelfwise.lock");
    fs.writeFileSync(lockFile, Buffer.alloc(4096, 0xa5));
    const before = fs.readFileSync(path.join(dir, "shelfwise.db"));
    const lock = tryAcquireDataLock(dir, "scan");
    expect(lock).not.toBeNull();
    lock!.release();
    expect(fs.readFileSync(path.join(dir, "shelfwise.db")).equals(before)).toBe(true);
    expect(fs.statSync(lockFile).size).toBe(0);
  });

  it("a symbolic link at the lock file's name is in the way: the file it points to is never emptied nor locked", () => {
    const dir = dataDir();
    const precious = path.join(tmp, `precious-${counter}.txt`);
    fs.writeFileSync(precious, "the user's own words, not a lock\n");
    fs.symlinkSync(precious, path.join(dir, "shelfwise.lock"));
    const message = describeEnvironmentError(thrown(() => tryAcquireDataLock(dir, "scan")), dir);
    expect(message).toBe(
      `${path.join(dir, "shelfwise.lock")} is a symbolic link, where shelfwise keeps a file of its own; nothing was changed; move it away (or use another --data-dir) and run the command again`,
    );
    expect(fs.readFileSync(precious, "utf8")).toBe("the user's own words, not a lock\n");
    // The same for a link to a database elsewhere (SQLite would switch its journal) and a dangling link.
    const other = dataDir();
    const otherDb = fs.readFileSync(path.join(other, "shelfwise.db"));
    fs.rmSync(path.join(dir, "shelfwise.lock"));
    fs.symlinkSync(path.join(other, "shelfwise.db"), path.join(dir, "shelfwise.lock"));
    expect(() => tryAcquireDataLock(dir, "scan")).toThrow(/symbolic link/);
    expect(fs.readFileSync(path.join(other, "shelfwise.db")).equals(otherDb)).toBe(true);
    fs.rmSync(path.join(dir, "shelfwise.lock"));
    fs.symlinkSync(path.join(tmp, "nowhere"), path.join(dir, "shelfwise.lock"));
    expect(() => tryAcquireDataLock(dir, "scan")).toThrow(/symbolic link/);
    expect(fs.existsSync(path.join(tmp, "nowhere"))).toBe(false);
  });

  it("junk in a lock file with another name (a hard link) is not emptied: it is in the way", () => {
    const dir = dataDir();
    const precious = path.join(tmp, `linked-${counter}.txt`);
    fs.writeFileSync(precious, "the user's own words, not a lock\n");
    fs.linkSync(precious, path.join(dir, "shelfwise.lock"));
    const message = describeEnvironmentError(thrown(() => tryAcquireDataLock(dir, "scan")), dir);
    expect(message).toMatch(/shelfwise\.lock is a file with 1 other name \(a hard link\) holding something else, where shelfwise keeps a file of its own; nothing was changed; move it away/);
    expect(fs.readFileSync(precious, "utf8")).toBe("the user's own words, not a lock\n");
  });

  it("a data folder removed before the lock is taken is not made again", () => {
    const dir = dataDir();
    fs.rmSync(dir, { recursive: true });
    expect(() => tryAcquireDataLock(dir, "scan")).toThrow(/the data folder \S+ is gone/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("a data folder whose name holds a newline and an escape still gets one line, the name shown escaped", () => {
    const root = path.join(tmp, "odd\nname \u001b[2J");
    fs.mkdirSync(root);
    const dir = dataDir(root);
    fs.mkdirSync(path.join(dir, "shelfwise.lock"));
    const message = describeEnvironmentError(thrown(() => tryAcquireDataLock(dir, "scan")), dir)!;
    expect(message).not.toMatch(/[\n\u001b]/);
    expect(message).toContain("odd\\nname \\e[2J");
  });
});

describe("a full disk", () => {
  it.skipIf(!isRoot)("readers read, and a write is worded as the full disk, whichever command meets it first", (ctx) => {
    const mount = path.join(tmp, "small");
    fs.mkdirSync(mount);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], { stdio: "ignore" });
    } catch {
      return ctx.skip();
    }
    mounts.push(mount);
    const dir = dataDir(mount);
    const file = path.join(dir, "shelfwise.db");
    fill(mount);

    // Opening a WAL database needs room for its shared-memory file: readers read a private copy.
    const opened = openDatabase(file);
    try {
      expect(opened.prepare("SELECT count(*) AS n FROM books").get()).toEqual({ n: 0 });
      const write = thrown(() => opened.prepare("DELETE FROM books").run());
      expect(describeEnvironmentError(write, dir)).toMatch(/^the disk is full \(writing .*\); everything saved before this point is kept.*free some space/);
    } finally {
      opened.close();
    }
    // Without the fallback copy, the same fault (an I/O error on a disk with no room) is still the full disk.
    const shm = Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_SHMSIZE" });
    expect(describeEnvironmentError(shm, dir)).toMatch(/^the disk is full/);
    const elsewhere = dataDir();
    expect(describeEnvironmentError(shm, elsewhere)).toMatch(/input\/output error/);
    // The copy read above is not the cause of a refusal met later by a database opened read-write (a long
    // `serve` opens several): it is worded as itself, not as the copy's cause (an I/O error, on this folder).
    const later = openDatabase(path.join(elsewhere, "shelfwise.db"));
    later.pragma("query_only = 1");
    const refused = thrown(() => later.prepare("DELETE FROM books").run());
    later.close();
    expect(describeEnvironmentError(refused, elsewhere)).toMatch(/^the database .*shelfwise\.db \(or its folder\) is read-only for this user/);
  });
});

/** Fills the file system at `mount` to the last byte. */
function fill(mount: string): void {
  const fd = fs.openSync(path.join(mount, "filler"), "w");
  try {
    for (const size of [64 * 1024, 512, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
