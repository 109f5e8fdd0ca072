/**
 * The target check before each rename and the fingerprint check, both ways
 * they run: through the fs-batch addon (rename with RENAME_NOREPLACE, one
 * stat call per book) when it is built, and through node:fs (lstat, then
 * rename; statSync per file) when it is not.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config/package-root.js";
import { applyMoves } from "../../src/organize/apply.js";
import { MoveRefused, moveOnDisk } from "../../src/organize/disk.js";
import { diskFingerprint, diskFingerprints } from "../../src/organize/fingerprint-check.js";
import { accessManyAsync, nativeFsAvailable, renameManyNoReplace, setNativeFs } from "../../src/organize/native-fs.js";
import { undoMoves } from "../../src/organize/undo.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, type TestLibrary } from "./library.js";

const built = nativeFsAvailable();
let tmp: string;
let t: TestLibrary | undefined;
beforeEach(() => {
  tmp = makeTempDir("no-clobber");
});
afterEach(() => {
  setNativeFs(true);
  t?.close();
  t = undefined;
  removeTempDir(tmp);
});

function book(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "01.mp3"), "audio");
  return dir;
}

describe.skipIf(!built)("many access(2) calls on a worker thread (accessManyAsync)", () => {
  it("answers each path as fs.accessSync would: 0 when allowed, else its errno", async () => {
    const writable = path.join(tmp, "writable");
    fs.mkdirSync(writable);
    const readOnlyFile = path.join(tmp, "read-only");
    fs.writeFileSync(readOnlyFile, "");
    fs.chmodSync(readOnlyFile, 0o444);
    const paths = [writable, path.join(tmp, "gone"), readOnlyFile, "/proc/self/cmdline", "x".repeat(5000)];
    const errnos = Array.from((await accessManyAsync(paths, fs.constants.W_OK))!);
    const expected = paths.map((p) => {
      try {
        fs.accessSync(p, fs.constants.W_OK);
        return 0;
      } catch (error) {
        return -(error as NodeJS.ErrnoException).errno!;
      }
    });
    // A path too long for the kernel is not passed to it: EINVAL from the addon, ENAMETOOLONG from node:fs.
    expect(errnos.slice(0, 4)).toEqual(expected.slice(0, 4));
    expect(errnos[0]).toBe(0);
    expect(errnos[1]).not.toBe(0);
    expect(errnos[4]).not.toBe(0);
    setNativeFs(false);
    expect(accessManyAsync(paths, fs.constants.W_OK)).toBeNull();
  });
});

const modes = [
  { name: "with the fs-batch addon", native: true },
  { name: "with node:fs only", native: false },
];

describe.skipIf(!built)("many renames on a worker thread (renameManyNoReplace)", () => {
  it("renames in order, makes missing parent folders, and changes nothing for a pair it refuses", async () => {
    const lib = path.join(tmp, "lib");
    const a = book(path.join(lib, "in", "A"));
    const b = book(path.join(lib, "in", "B"));
    const c = book(path.join(lib, "in", "C"));
    fs.mkdirSync(path.join(lib, "taken"));
    fs.writeFileSync(path.join(lib, "file"), "not yours");
    const before = treeHash(path.join(lib, "in"));
    const pairs = [
      { from: a, to: path.join(lib, "New Author", "New Series", "A") },
      // An empty folder at the target: rename(2) alone would replace it.
      { from: b, to: path.join(lib, "taken") },
      { from: path.join(lib, "in", "gone"), to: path.join(lib, "Gone", "G") },
      { from: c, to: path.join(lib, "file") },
      // The same folder again, now gone from its old place.
      { from: a, to: path.join(lib, "New Author", "A again") },
    ];
    const errnos = Array.from((await renameManyNoReplace(pairs))!);
    expect(errnos[0]).toBe(0);
    expect(errnos.slice(1).every((e) => e !== 0)).toBe(true);
    expect(fs.readFileSync(path.join(lib, "New Author", "New Series", "A", "01.mp3"), "utf8")).toBe("audio");
    expect(fs.readdirSync(path.join(lib, "taken"))).toEqual([]);
    expect(fs.readFileSync(path.join(lib, "file"), "utf8")).toBe("not yours");
    expect(fs.existsSync(path.join(lib, "New Author", "A again"))).toBe(false);
    expect(treeHash(path.join(lib, "in"))).not.toEqual(before);
    expect(fs.readdirSync(path.join(lib, "in")).sort()).toEqual(["B", "C"]);
  });

  it("syncs the given file first on its own thread, and renames nothing when that sync fails", async () => {
    const lib = path.join(tmp, "lib");
    const a = book(path.join(lib, "in", "A"));
    const journal = path.join(tmp, "journal");
    fs.writeFileSync(journal, "intents");
    const fd = fs.openSync(journal, "r");
    try {
      expect(Array.from((await renameManyNoReplace([{ from: a, to: path.join(lib, "Author", "A") }], fd))!)).toEqual([0]);
    } finally {
      fs.closeSync(fd);
    }
    const b = book(path.join(lib, "in", "B"));
    // A descriptor that names nothing (far above any open one): fdatasync fails (EBADF), as with EIO on a failing disk.
    const failed = renameManyNoReplace([{ from: b, to: path.join(lib, "Author", "B") }], 2 ** 30)!;
    await expect(failed).rejects.toMatchObject({ code: "EBADF", syscall: "fdatasync" });
    expect(fs.existsSync(path.join(b, "01.mp3"))).toBe(true);
    expect(fs.existsSync(path.join(lib, "Author", "B"))).toBe(false);
  });

  it("never lets a path holding a NUL shift the pairs after it (the batch is one string, each path ended by a NUL)", async () => {
    const lib = path.join(tmp, "lib");
    const a = book(path.join(lib, "in", "A"));
    const b = book(path.join(lib, "in", "B"));
    const roots = { from: lib, to: lib };
    // Read as pairs at its NULs, this batch would rename A to B's place and B into the library's root.
    const shifted = [
      { from: `${a}\0${path.join(lib, "in", "B")}`, to: path.join(lib, "X") },
      { from: b, to: path.join(lib, "Y") },
    ];
    // The pairs are moved one by one instead (node:fs refuses the path with a NUL).
    expect(renameManyNoReplace(shifted)).toBeNull();
    expect(renameManyNoReplace(shifted.map((p) => ({ ...p, roots })))).toBeNull();
    // The addon itself refuses a string that does not hold exactly two NUL-ended paths per pair, and a root index past the roots.
    const addon = createRequire(import.meta.url)(path.join(packageRoot(), "native", "build", "fs-batch.node")) as {
      renameManyJoined(joined: string, count: number, syncFd?: number, roots?: string[], rootIndex?: Uint32Array): Promise<Int32Array>;
    };
    expect(() => addon.renameManyJoined(`${a}\0x\0${lib}\0`, 1)).toThrow(TypeError);
    expect(() => addon.renameManyJoined(`${a}\0${path.join(lib, "X")}`, 1)).toThrow(TypeError);
    expect(() => addon.renameManyJoined(`${a}\0${path.join(lib, "X")}\0`, 1, undefined, [lib], new Uint32Array([0, 1]))).toThrow(RangeError);
    expect(fs.readdirSync(path.join(lib, "in")).sort()).toEqual(["A", "B"]);
    expect(fs.readdirSync(lib).sort()).toEqual(["in"]);
    // Well formed, with each root once and two indexes per pair: renamed.
    const joined = `${a}\0${path.join(lib, "X")}\0${b}\0${path.join(lib, "Y", "B")}\0`;
    expect(Array.from(await addon.renameManyJoined(joined, 2, undefined, [lib, path.join(lib, "in")], new Uint32Array([1, 0, 0, 0])))).toEqual([0, 0]);
    expect(fs.readdirSync(path.join(lib, "Y"))).toEqual(["B"]);
  });

  it("opens each folder once per batch, books alternating between folders (a rename each, not an openat2 and a close more)", () => {
    if (spawnSync("strace", ["-V"]).status !== 0) return;
    const lib = path.join(tmp, "lib");
    // As a plan orders them (by old path): consecutive books go to different author and series folders, made by the batch.
    const pairs = Array.from({ length: 48 }, (_, i) => ({ from: book(path.join(lib, "inbox", `Book ${String(i).padStart(2, "0")}`)), to: path.join(lib, `Author ${i % 3}`, `Saga ${i % 2}`, `Book ${i}`) }));
    const joined = pairs.map((p) => `${p.from}\0${p.to}\0`).join("");
    const script = `require(${JSON.stringify(path.join(packageRoot(), "native", "build", "fs-batch.node"))})
      .renameManyJoined(${JSON.stringify(joined)}, ${pairs.length}, undefined, [${JSON.stringify(lib)}], new Uint32Array(${pairs.length * 2}))
      .then((r) => console.log(JSON.stringify(Array.from(r))));`;
    const trace = path.join(tmp, "trace");
    const run = spawnSync("strace", ["-f", "-qq", "-o", trace, "-e", "trace=openat2,mkdirat,renameat2,close", process.execPath, "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(pairs.map(() => 0));
    for (const p of pairs) expect(fs.readFileSync(path.join(p.to, "01.mp3"), "utf8")).toBe("audio");
    const lines = fs.readFileSync(trace, "utf8").split("\n");
    const calls = (name: string) => lines.filter((l) => new RegExp(`\\b${name}\\(`).test(l)).length;
    expect(calls("renameat2")).toBe(pairs.length);
    // 9 folders (the inbox, 3 authors, 6 series), each opened once (twice when it is made: the open that finds it
    // missing, then the one after mkdirat); one open per book before.
    expect(calls("openat2")).toBeLessThanOrEqual(2 * 10);
    expect(calls("mkdirat")).toBe(9);
  });

  it("opens afresh a folder the batch moved away: each book goes where its path says, never through a folder opened before it moved", async () => {
    const lib = path.join(tmp, "lib");
    const a = book(path.join(lib, "X", "A"));
    book(path.join(lib, "X", "B"));
    const c = book(path.join(lib, "in", "C"));
    const d = book(path.join(lib, "in", "D"));
    const roots = { from: lib, to: lib };
    const pairs = [
      // Opens (and keeps) X as a source folder, and P/Q (and P) as a target folder.
      { from: a, to: path.join(lib, "P", "Q", "A"), roots },
      // X itself moves away, and so does P (a folder above a target folder).
      { from: path.join(lib, "X"), to: path.join(lib, "Y", "X"), roots },
      { from: c, to: path.join(lib, "R", "C"), roots },
      { from: path.join(lib, "P"), to: path.join(lib, "R", "P"), roots },
      // X/B is gone from its path (ENOENT), not taken from where X went; P/Q is made again at its path.
      { from: path.join(lib, "X", "B"), to: path.join(lib, "T", "B"), roots },
      { from: d, to: path.join(lib, "P", "Q", "D"), roots },
    ];
    const errnos = Array.from((await renameManyNoReplace(pairs))!);
    expect(errnos[4]).not.toBe(0);
    expect(errnos.filter((e, i) => i !== 4)).toEqual([0, 0, 0, 0, 0]);
    expect(fs.existsSync(path.join(lib, "Y", "X", "B", "01.mp3"))).toBe(true);
    expect(fs.existsSync(path.join(lib, "T"))).toBe(false);
    expect(fs.readdirSync(path.join(lib, "P", "Q"))).toEqual(["D"]);
    expect(fs.readdirSync(path.join(lib, "R", "P", "Q"))).toEqual(["A"]);
  });

  it("is not used without the addon: apply then moves books one by one", () => {
    setNativeFs(false);
    expect(renameManyNoReplace([{ from: "/nonexistent/a", to: "/nonexistent/b" }])).toBeNull();
  });
});

for (const mode of modes) {
  describe.skipIf(mode.native && !built)(`no clobbering, ${mode.name}`, () => {
    beforeEach(() => setNativeFs(mode.native));

    it("refuses a target that appeared after the plan: an empty folder (rename(2) would replace it), a folder, a file", () => {
      const from = book(path.join(tmp, "lib", "in", "Book"));
      const targets = [path.join(tmp, "lib", "empty"), path.join(tmp, "lib", "full"), path.join(tmp, "lib", "file")];
      fs.mkdirSync(targets[0]);
      book(targets[1]);
      fs.writeFileSync(targets[2], "not yours");
      const before = treeHash(path.join(tmp, "lib"));
      for (const to of targets) {
        expect(() => moveOnDisk({ id: 1, from, to, kind: "folder" }, { forceCopy: false, onCopy: () => {}, ready: new Set() })).toThrow(MoveRefused);
      }
      expect(treeHash(path.join(tmp, "lib"))).toEqual(before);
      expect(fs.readdirSync(targets[0])).toEqual([]);
    });

    it("moves into folders it makes, once per folder, and makes a folder again when someone removed it", () => {
      const ready = new Set<string>();
      const opts = { forceCopy: false, onCopy: () => {}, ready };
      const a = book(path.join(tmp, "lib", "in", "A"));
      const b = book(path.join(tmp, "lib", "in", "B"));
      const parent = path.join(tmp, "lib", "Author", "Series");
      expect(moveOnDisk({ id: 1, from: a, to: path.join(parent, "A"), kind: "folder" }, opts)).toBe("rename");
      expect(ready.has(parent)).toBe(true);
      fs.rmSync(path.join(tmp, "lib", "Author"), { recursive: true });
      expect(moveOnDisk({ id: 2, from: b, to: path.join(parent, "B"), kind: "folder" }, opts)).toBe("rename");
      expect(fs.readFileSync(path.join(parent, "B", "01.mp3"), "utf8")).toBe("audio");
      expect(() => moveOnDisk({ id: 3, from: b, to: path.join(parent, "C"), kind: "folder" }, opts)).toThrow(/is gone/);
    });

    it("a book's fingerprint is the same as a scan's (mtimes to the nanosecond), and null once a file is gone", async () => {
      t = await openLibrary(tmp, [{ at: "in/Book", author: "A", title: "T", files: ["01.mp3", "CD2/02.mp3", "cover.jpg", "metadata.json"] }]);
      const row = t.byAt("in/Book");
      fs.utimesSync(path.join(row.path, "01.mp3"), new Date(1_700_000_000_123.456), new Date(1_700_000_000_987.654));
      const stored = { path: row.path, kind: row.kind, files: row.files, sidecars: row.sidecars };
      const now = diskFingerprint(stored);
      setNativeFs(!mode.native);
      expect(diskFingerprint(stored)).toBe(now);
      setNativeFs(mode.native);
      fs.rmSync(path.join(row.path, "CD2", "02.mp3"));
      expect(diskFingerprint(stored)).toBeNull();
    });

    it("many books' fingerprints at once (the addon splits a long list between two threads) match one by one, and node:fs", () => {
      const books = Array.from({ length: 300 }, (_, i) => {
        const dir = book(path.join(tmp, "lib", `B${i}`));
        fs.writeFileSync(path.join(dir, "02.mp3"), `b${i}`);
        fs.utimesSync(path.join(dir, "02.mp3"), new Date(1_600_000_000_000 + i * 1.001), new Date(1_600_000_000_000 + i * 7.007));
        const files = ["01.mp3", "02.mp3"].map((n) => ({ path: path.join(dir, n), size: 0 }));
        if (i % 7 === 0) files.push({ path: path.join(dir, "gone.mp3"), size: 0 });
        return { path: dir, kind: "folder" as const, files: JSON.stringify(files), sidecars: "[]" };
      });
      const together = diskFingerprints(books);
      expect(together).toEqual(books.map((b) => diskFingerprint(b)));
      expect(together.filter((f) => f === null)).toHaveLength(43);
      setNativeFs(!mode.native);
      expect(diskFingerprints(books)).toEqual(together);
    });

    it("apply and undo round trip byte for byte; a book edited since the scan is not moved", async () => {
      t = await openLibrary(tmp, [
        { at: "in/One", author: "A", title: "One" },
        { at: "in/Two", author: "A", title: "Two" },
        { at: "in/single.mp3", author: "B", title: "Single" },
      ]);
      const [one, two, single] = ["in/One", "in/Two", "in/single.mp3"].map((at) => t!.byAt(at).id);
      fs.appendFileSync(path.join(t.byAt("in/Two").path, "01.mp3"), "edited");
      const before = treeHash(t.lib);
      const report = await applyMoves(t.ctx);
      expect(report.moved.map((m) => m.book_id).sort()).toEqual([one, single].sort());
      expect(report.failed).toMatchObject([{ book_id: two, error: expect.stringMatching(/changed since the last scan/) }]);
      expect((await undoMoves(t.ctx, { last: 2 })).moved).toHaveLength(2);
      expect(treeHash(t.lib)).toEqual(before);
    });
  });
}
