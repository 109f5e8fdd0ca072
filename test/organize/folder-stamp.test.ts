/**
 * Folder stamps (library/folder-stamp.ts): the scan records a folder book's folder as dev:ino:ctime, and apply's
 * file check (fingerprint-check.ts filesOnDiskAsync, the addon) stats a folder whose stamp holds instead of listing
 * it. Pinned here: an unchanged folder is not listed, and every way of putting a file into a book's folder after the
 * scan (copied in, renamed in, hard-linked, its folder's mtime set back as rsync -a does, a disc folder filled) is
 * still found; a stamp too close to a change (the racy-git rule) or of a book with folders inside is not recorded.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stampTrusted } from "../../src/library/folder-stamp.js";
import { scanLibrary } from "../../src/library/scan.js";
import { filesOnDiskAsync } from "../../src/organize/fingerprint-check.js";
import { unscannedInFolder } from "../../src/organize/folder-check.js";
import { nativeFsAvailable } from "../../src/organize/native-fs.js";
import { applyScan, listPlanBooks, type PlanBookRow } from "../../src/store/books.js";
import { openDatabase, type Db } from "../../src/store/database.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let lib: string;
let db: Db;

function write(file: string, text = "x"): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function folder(name: string): string {
  return path.join(lib, "inbox", name);
}

/** Resolves once the wall clock is past `margin` ms after the newest ctime under `dir`: the racy-git rule then trusts a stamp taken of it. */
async function clockPast(dir: string, margin: number): Promise<void> {
  let newest = 0;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) newest = Math.max(newest, fs.statSync(path.join(dir, name)).ctimeMs);
  newest = Math.max(newest, fs.statSync(dir).ctimeMs);
  while (Date.now() <= newest + margin) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function scanned(): Promise<Map<string, PlanBookRow>> {
  applyScan(db, (await scanLibrary([lib])).books, [lib]);
  return new Map(listPlanBooks(db, { statuses: ["new"], withProfile: false }).candidates.map((b) => [path.basename(b.path), b]));
}

beforeAll(() => {
  tmp = makeTempDir("folder-stamp");
  lib = path.join(tmp, "library");
  db = openDatabase(path.join(tmp, "data", "shelfwise.db"));
});
afterAll(() => {
  db.close();
  removeTempDir(tmp);
});

describe("the racy-git rule", () => {
  it("trusts a ctime only when it is well before the moment the stamp was taken", () => {
    const taken = 1_800_000_000_000;
    const ns = (ms: number, extra = 123n) => BigInt(ms) * 1_000_000n + extra;
    expect(stampTrusted(ns(taken - 500), taken)).toBe(true);
    // Within a clock tick or so of the stamp: a change right after could get the same ctime.
    expect(stampTrusted(ns(taken - 5), taken)).toBe(false);
    expect(stampTrusted(ns(taken), taken)).toBe(false);
    expect(stampTrusted(ns(taken + 1000), taken)).toBe(false);
    // Whole seconds (a file system without nanoseconds): the same second, or the one before, is not enough.
    expect(stampTrusted(ns(taken - 1000, 0n), taken)).toBe(false);
    expect(stampTrusted(ns(taken - 3000, 0n), taken)).toBe(true);
  });
});

describe("apply's file check with folder stamps", () => {
  let books: Map<string, PlanBookRow>;
  const outside = () => path.join(tmp, "outside");
  beforeAll(async () => {
    for (const name of ["Untouched", "Copied In", "Renamed In", "Hard Linked", "Rsync Set Back", "Replaced"]) {
      write(path.join(folder(name), "01.mp3"), `1 ${name}`);
      write(path.join(folder(name), "02.mp3"), `2 ${name}`);
    }
    write(path.join(folder("Discs"), "CD1", "01.mp3"));
    write(path.join(folder("Discs"), "CD2", "01.mp3"));
    write(path.join(folder("Empty Disc"), "01.mp3"));
    write(path.join(folder("Empty Disc"), "02.mp3"));
    fs.mkdirSync(path.join(folder("Empty Disc"), "CD2"));
    write(path.join(outside(), "new.mp3"), "new");
    write(path.join(outside(), "moved.mp3"), "moved");
    await clockPast(lib, 150);
    books = await scanned();
  });

  it("records a stamp for a folder holding only the book's files, none for one with folders inside", () => {
    expect(books.get("Untouched")!.folder_stamp).toMatch(/^\d+:\d+:\d+$/);
    const st = fs.statSync(folder("Untouched"), { bigint: true });
    expect(books.get("Untouched")!.folder_stamp).toBe(`${st.dev}:${st.ino}:${st.ctimeNs}`);
    expect(books.get("Discs")!.folder_stamp).toBeNull();
    expect(books.get("Empty Disc")!.folder_stamp).toBeNull();
  });

  it("does not list a folder whose stamp holds (a name the scan saw is not looked at again)", async () => {
    if (!nativeFsAvailable()) return expect.fail("native/build/fs-batch.node is not built: run `node native/build.mjs`");
    const untouched = books.get("Untouched")!;
    // The stored files say only 01.mp3: a listing would name 02.mp3; the unchanged stamp says nothing changed, so no listing.
    const fewer = { ...untouched, files: JSON.stringify([{ path: path.join(untouched.path, "01.mp3"), size: 9 }]) };
    expect((await filesOnDiskAsync([fewer])).added).toEqual([[]]);
    expect((await filesOnDiskAsync([{ ...fewer, folder_stamp: null }])).added).toEqual([["02.mp3"]]);
  });

  it("does not list it in the JS either (plan, undo, apply without the addon)", () => {
    const untouched = books.get("Untouched")!;
    const fewer = { ...untouched, files: JSON.stringify([{ path: path.join(untouched.path, "01.mp3"), size: 9 }]) };
    expect(unscannedInFolder(fewer)).toEqual([]);
    expect(unscannedInFolder({ ...fewer, folder_stamp: null })).toEqual(["02.mp3"]);
    // Another folder's stamp, or one of a folder since replaced: listed.
    expect(unscannedInFolder({ ...fewer, folder_stamp: books.get("Copied In")!.folder_stamp })).toEqual(["02.mp3"]);
  });

  it("still finds every file put into a book's folder after the scan", async () => {
    if (!nativeFsAvailable()) return expect.fail("native/build/fs-batch.node is not built: run `node native/build.mjs`");
    write(path.join(folder("Copied In"), "03.mp3"));
    fs.renameSync(path.join(outside(), "moved.mp3"), path.join(folder("Renamed In"), "03.mp3"));
    fs.linkSync(path.join(outside(), "new.mp3"), path.join(folder("Hard Linked"), "03.mp3"));
    // rsync -a: the file arrives, then the folder's mtime is set back to what it was (its ctime is not).
    const before = fs.statSync(folder("Rsync Set Back"));
    write(path.join(folder("Rsync Set Back"), "03.mp3"));
    fs.utimesSync(folder("Rsync Set Back"), before.atime, before.mtime);
    expect(Math.abs(fs.statSync(folder("Rsync Set Back")).mtimeMs - before.mtimeMs)).toBeLessThan(1);
    // A file renamed over one of the book's (same name): the folder's names are the same, the fingerprint tells.
    write(path.join(folder("Replaced"), ".tmp"), "other content");
    fs.renameSync(path.join(folder("Replaced"), ".tmp"), path.join(folder("Replaced"), "02.mp3"));
    write(path.join(folder("Discs"), "CD1", "02.mp3"));
    write(path.join(folder("Empty Disc"), "CD2", "01.mp3"));
    const order = ["Untouched", "Copied In", "Renamed In", "Hard Linked", "Rsync Set Back", "Replaced", "Discs", "Empty Disc"];
    const rows = order.map((name) => books.get(name)!);
    const { added, fingerprints } = await filesOnDiskAsync(rows);
    const expected = [[], ["03.mp3"], ["03.mp3"], ["03.mp3"], ["03.mp3"], [], ["CD1/02.mp3"], ["CD2/"]];
    expect(added).toEqual(expected);
    expect(rows.map((row) => unscannedInFolder(row))).toEqual(expected);
    expect(fingerprints.map((f, i) => f === rows[i].fingerprint)).toEqual([true, true, true, true, true, false, true, true]);
  });

  it("records no stamp for a folder changed right before the scan (the same clock tick could hide a later change)", async () => {
    write(path.join(folder("Just Made"), "01.mp3"));
    write(path.join(folder("Just Made"), "02.mp3"));
    books = await scanned();
    expect(books.get("Just Made")!.folder_stamp).toBeNull();
  });
});
