/**
 * A move the system refuses is told in words that say what to fix and keep
 * the path (not `EACCES: permission denied, rename '/a' -> '/b'`), in apply's
 * and undo's plain and JSON output and in the journal.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ApplyReportView } from "../../src/app/views/moves.js";
import { applyMoves } from "../../src/organize/apply.js";
import { moveErrorText } from "../../src/organize/move-error.js";
import { runCli } from "../support/cli.js";
import { chmodTree, makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash } from "./library.js";

let tmp: string;
beforeEach(() => {
  tmp = makeTempDir("move-errors");
});
afterEach(() => {
  fs.chmodSync(tmp, 0o700);
  if (fs.existsSync(path.join(tmp, "library"))) fs.chmodSync(path.join(tmp, "library"), 0o755);
  removeTempDir(tmp);
});

const RAW_ERRNO = /\bE[A-Z]+: |rename '|mkdir '/;

describe("a refused move", () => {
  // Root writes through any permission, so as root apply runs as "nobody": the permission check is then real.
  it("permission denied names the folder this user may not write in, in the JSON and plain output: held back (exit 0), as plan holds it", async (ctx) => {
    const t = await openLibrary(tmp, [{ at: "Dune - Frank Herbert", author: "Frank Herbert", title: "Dune" }]);
    const { lib, data } = t;
    const from = path.join(lib, "Dune - Frank Herbert");
    t.close();
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534, env: { HOME: tmp } } : {};
    if (asRoot) {
      fs.chmodSync(tmp, 0o755);
      chmodTree("a+rwX", data, lib);
      // Owned by root, not writable by others: nobody may not make the author folder in it.
      fs.chmodSync(lib, 0o755);
      if ((await runCli(["--version"], user)).code !== 0) ctx.skip(); // a checkout out of nobody's reach
    } else {
      fs.chmodSync(lib, 0o555);
    }
    const expected = `permission denied: this user may not write in ${lib}; give it write access there (or move the book by hand) and run the command again; the book stays at ${from}`;

    const json = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ApplyReportView;
    expect(report.moved).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => [e.conflict!.kind, e.conflict!.reason])).toEqual([["permission_denied", expected]]);
    expect(fs.existsSync(from)).toBe(true);

    const plain = await runCli(["apply", "--yes"], { dataDir: data, ...user });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`held back:\\n[^]*\\n1 +permission_denied +${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`));
    expect(plain.stdout).toContain("0 moved, 0 failed, 1 held back, 0 already in place");
    expect(plain.stderr).not.toMatch(RAW_ERRNO);
  });

  // An immutable book folder or loose file refuses the rename or link with EPERM while every folder is writable: the
  // message told the user (root, often) to "give it write access" to a file, which changes nothing.
  it("an immutable book folder or loose file: said to be immutable and how to lift it, not a lack of write access", async (ctx) => {
    const t = await openLibrary(tmp, [
      { at: "in/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "loose/Emma.m4b", author: "Jane Austen", title: "Emma" },
      // A second loose file: one alone in a folder is read as that folder's book.
      { at: "loose/Other.mp3" },
    ]);
    const folder = path.join(t.lib, "in/Dune");
    const file = path.join(t.lib, "loose/Emma.m4b");
    try {
      execFileSync("chattr", ["+i", folder, file], { stdio: "ignore" });
    } catch {
      t.close();
      ctx.skip();
    }
    try {
      const report = await applyMoves(t.ctx, { ids: [t.byAt("in/Dune").id, t.byAt("loose/Emma.m4b").id] });
      expect(report.moved).toEqual([]);
      const words = (at: string) =>
        `operation not permitted on ${at}: it (or its folder) is probably marked immutable or append-only (\`lsattr -d\` shows the i or a flag, \`chattr -i\` / \`chattr -a\` lifts it), or its file system refuses the change; lift that (or move the book by hand) and run the command again; the book stays at ${at}`;
      expect(report.failed.map((f) => f.error).sort()).toEqual([words(folder), words(file)].sort());
      expect(fs.readdirSync(t.lib).sort()).toEqual(["in", "loose"]);
    } finally {
      execFileSync("chattr", ["-i", folder, file]);
      t.close();
    }
  });

  // Across file systems the book is copied first: a source that could not be removed afterwards was left whole beside
  // its verified copy (the book twice, and a report saying it moved). Refused before copying, as a rename is.
  it("across file systems, a source this user may not remove is held before anything is copied", async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip(); // needs a second user: the test runs as nobody over root's files
    const t = await openLibrary(tmp, [
      { at: "inbox/Dune - Frank Herbert", author: "Frank Herbert", title: "Dune" },
      { at: "sticky/Emma.mp3", author: "Jane Austen", title: "Emma", beside: ["Emma.jpg"] },
      { at: "sticky/Folder", author: "A", title: "Folder" },
    ]);
    const { lib, data } = t;
    const dune = t.byAt("inbox/Dune - Frank Herbert").id;
    const emma = t.byAt("sticky/Emma.mp3").id;
    t.close();
    fs.chmodSync(tmp, 0o755);
    chmodTree("a+rwX", data, lib);
    // A read-only book folder; a shared inbox where only the owner (root) may remove the files in it.
    fs.chmodSync(path.join(lib, "inbox", "Dune - Frank Herbert"), 0o555);
    fs.chmodSync(path.join(lib, "sticky"), 0o1777);
    const user = { uid: 65534, gid: 65534, env: { HOME: tmp, SHELFWISE_FORCE_COPY: "1" } };
    if ((await runCli(["--version"], user)).code !== 0) ctx.skip();
    const before = treeHash(lib);
    const json = await runCli(["apply", "--yes", "--json", String(dune), String(emma)], { dataDir: data, ...user });
    // Every given book held back, none moved: exit 3 (acli34), with the report on stdout all the same.
    expect(json.code, json.stderr).toBe(3);
    const report = JSON.parse(json.stdout) as ApplyReportView;
    expect(report.moved).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => e.conflict!.kind)).toEqual(["permission_denied", "permission_denied"]);
    expect(report.held.map((e) => [e.book_id, e.conflict!.reason])).toEqual([
      [dune, expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${path.join(lib, "inbox", "Dune - Frank Herbert")}; .*the book stays at `))],
      [emma, expect.stringMatching(new RegExp(`^permission denied: ${path.join(lib, "sticky")} is a shared folder \\(sticky bit, as /tmp is\\) where only the owner of ${path.join(lib, "sticky", "Emma.mp3")} \\(or of the folder\\) may move or remove it; .*the book stays at `))],
    ]);
    // Nothing copied, nothing left over: the library is as it was.
    expect(treeHash(lib)).toEqual(before);
    fs.chmodSync(path.join(lib, "inbox", "Dune - Frank Herbert"), 0o755);
  });

  it("a file or folder of the book this user may not read (met only when copying across file systems) is said to be unreadable, not unwritable", () => {
    for (const [syscall, at] of [["copyfile", "/lib/Old/01.mp3"], ["scandir", "/lib/Old/CD2"], ["open", "/lib/Old.mp3"]] as const) {
      const error = Object.assign(new Error(`EACCES: permission denied, ${syscall} '${at}'`), { code: "EACCES", syscall, path: at });
      const from = syscall === "open" ? "/lib/Old.mp3" : "/lib/Old";
      expect(moveErrorText(error, { bookId: 3, from, to: "/lib/Author/Title", kind: syscall === "open" ? "file" : "folder" })).toBe(
        `permission denied: this user may not read ${at}; give it read access (or move the book by hand) and run the command again; the book stays at ${from} (any partial copy was removed)`,
      );
    }
  });

  it("a name too long for the file system says which name and how to shorten it (a real ENAMETOOLONG)", () => {
    const from = path.join(tmp, "Book");
    fs.mkdirSync(from);
    const to = path.join(tmp, "Author", "T".repeat(300));
    let error: unknown;
    try {
      fs.mkdirSync(to, { recursive: true });
    } catch (e) {
      error = e;
    }
    expect((error as NodeJS.ErrnoException).code).toBe("ENAMETOOLONG");
    const text = moveErrorText(error, { bookId: 7, from, to, kind: "folder" });
    expect(text).toBe(
      `the new name is too long for the file system (300 bytes in "${"T".repeat(300)}"; most allow 255, and the whole path at most 4096): shorten the book's title or series (\`shelfwise book 7 --set title=...\`) or naming_template, then run the command again; the book stays at ${from}`,
    );
  });

  // The machine's other refusals cannot be made on demand in a test (a read-only mount, a full disk): each is
  // given as node:fs reports it, with the path it names.
  it.each<[string, string, RegExp, Record<string, string>?]>([
    ["EROFS", "/lib/Author", /^\/lib\/Author is on a read-only file system; remount it read-write/],
    ["ENOSPC", "/lib/Author/.shelfwise-partial-3/01.mp3", /^the disk holding \/lib\/Author is full; free some space there/],
    ["EDQUOT", "/lib/Author", /^this user's disk quota is used up on the disk holding \/lib\/Author/],
    // Seen with `ulimit -f` under a forced copy: "EFBIG: file too large, copyfile ..." as the whole message.
    ["EFBIG", "/lib/Old/02.mp3", /^a file of the book is larger than \/lib\/Author may hold \(the file system's limit, such as FAT32's 4 GiB, or this process's file-size limit, ulimit -f\)/],
    ["EBUSY", "/lib/Old", /^\/lib\/Old is in use \(a mount point, or held by another program\)/],
    ["EIO", "/lib/Old/01.mp3", /^the disk reported an input\/output error at \/lib\/Old\/01\.mp3; check the disk/],
    ["ENOTDIR", "/lib/Author", /^a file stands where a folder is needed on the way to \/lib\/Author\/Title; move that file away/],
    ["EMFILE", "/lib/Old/01.mp3", /^too many open files while moving \/lib\/Old; close other programs/],
    // A copy to an exFAT or vfat disk of a book holding a symbolic link (seen on exFAT through FUSE: ENOSYS on symlink).
    ["ENOSYS", "01.mp3", /^the file system of \/lib\/Author cannot hold symbolic links \(vfat and exFAT have none\), and the book holds one \(\/lib\/Old\/link\.mp3\); replace the link/, { syscall: "symlink", dest: "/lib/Author/.shelfwise-partial-3/link.mp3" }],
    // A name vfat and exFAT refuse, copied there (seen on exFAT through FUSE as ENOENT; the kernel's vfat says EINVAL).
    ["ENOENT", "/lib/Old/01 what?.mp3", /^the file system of \/lib\/Author does not accept the name "01 what\?\.mp3" of a file in the book/, { syscall: "copyfile", dest: "/lib/Author/.shelfwise-partial-3/01 what?.mp3" }],
    ["EINVAL", "/lib/Old/a:b.mp3", /^the file system of \/lib\/Author does not accept the name "a:b\.mp3" of a file in the book/, { syscall: "copyfile", dest: "/lib/Author/.shelfwise-partial-3/a:b.mp3" }],
  ])("%s is said in words with its path, and where the book is", (code, at, words, extra) => {
    const error = Object.assign(new Error(`${code}: something, rename '${at}' -> '/lib/Author/Title'`), { code, path: at, syscall: "rename", ...extra });
    const text = moveErrorText(error, { bookId: 3, from: "/lib/Old", to: "/lib/Author/Title", kind: "folder" });
    expect(text).toMatch(words);
    expect(text).toMatch(/run the command again; the book stays at \/lib\/Old( \(any partial copy was removed\))?$/);
    expect(text).not.toMatch(RAW_ERRNO);
  });
});
