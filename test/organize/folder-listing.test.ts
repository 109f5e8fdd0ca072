/**
 * apply's look for files a folder book gained since the last scan, done by the fs-batch addon beside the
 * fingerprint stats (fingerprint-check.ts filesOnDiskAsync): the addon only leaves out the entries that are
 * exactly a known path, and the JS judges the rest by folder-check.ts's rules. Pinned here: both ways give the same
 * answer, book by book, on real folders holding every kind of entry those rules tell apart.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskFingerprints, filesOnDiskAsync, type StoredBookFiles } from "../../src/organize/fingerprint-check.js";
import { unscannedInFolder } from "../../src/organize/folder-check.js";
import { nativeFsAvailable, setNativeFs, statListAsync } from "../../src/organize/native-fs.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir("folder-listing");
});
afterAll(() => {
  setNativeFs(true);
  removeTempDir(tmp);
});

function write(file: string | Buffer, text = "x"): void {
  fs.mkdirSync(path.dirname(file.toString()), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A folder book as stored: `files` and `sidecars` relative to its folder, written to disk, then `extra` written beside them unscanned. */
function book(name: string, files: string[], sidecars: string[] = [], extra: (dir: string) => void = () => {}): StoredBookFiles {
  const dir = path.join(tmp, "inbox", name);
  for (const f of [...files, ...sidecars]) write(path.join(dir, f));
  extra(dir);
  return {
    path: dir,
    kind: "folder",
    files: JSON.stringify(files.map((f) => ({ path: path.join(dir, f), size: 1 }))),
    sidecars: JSON.stringify(sidecars.map((f) => path.join(dir, f))),
  };
}

describe("the addon's listing of folder books", () => {
  let books: StoredBookFiles[];
  beforeAll(() => {
    books = [
      book("Nothing Added", ["01.mp3", "02.mp3"]),
      book("Every Kind", ["01.mp3", "CD 1/01.mp3", "CD 1/02.mp3"], ["cover.jpg"], (dir) => {
        write(path.join(dir, "03.mp3")); // audio at the top
        write(path.join(dir, "metadata.opf")); // a sidecar at the top
        write(path.join(dir, "notes.txt")); // neither: moves with the folder, never refuses it
        write(path.join(dir, ".DS_Store")); // skipped
        write(path.join(dir, "CD 1", "05.mp3")); // audio in a scanned disc folder
        write(path.join(dir, "CD 1", "metadata.opf")); // a sidecar below the top: not the scan's
        write(path.join(dir, "CD 2", "01.mp3")); // a disc folder holding audio
        write(path.join(dir, "CD 3", "readme.txt")); // a disc folder without audio
        write(path.join(dir, "Extras", "bonus.mp3")); // not a disc folder
        write(path.join(dir, "Every Kind Part 2", "01.mp3")); // a part of this folder's book
        fs.symlinkSync(path.join(dir, "01.mp3"), path.join(dir, "link.mp3")); // a link to audio
        fs.mkdirSync(path.join(dir, "folder.mp3")); // a folder named like audio
        write(Buffer.concat([Buffer.from(dir + "/03"), Buffer.from([0xe9]), Buffer.from(".mp3")])); // not valid UTF-8
      }),
      book("Sidecars Known", ["01.m4b"], ["metadata.opf", "cover.jpg"], (dir) => write(path.join(dir, "desc.txt"))),
      book("Gone", ["01.mp3"], [], (dir) => fs.rmSync(dir, { recursive: true })),
      { ...book("Spelled Oddly", ["01.mp3"], [], (dir) => write(path.join(dir, "02.mp3"))) },
      { path: path.join(tmp, "inbox", "Loose.mp3"), kind: "file", files: JSON.stringify([{ path: path.join(tmp, "inbox", "Loose.mp3"), size: 1 }]), sidecars: "[]" },
    ];
    // Folders spelled otherwise than path.join writes them ("/" at the end, "/./", "//"): left to the JS.
    books[4] = { ...books[4], path: books[4].path + "/" };
    for (const spelled of [(dir: string) => dir.replace(/\/([^/]*)$/, "/./$1"), (dir: string) => dir.replace(/\/([^/]*)$/, "//$1")]) {
      const b = book(`Spelled ${books.length}`, ["01.mp3"], [], (dir) => write(path.join(dir, "02.mp3")));
      books.push({ ...b, path: spelled(b.path) });
    }
    // A folder whose name starts with a dot is as plain as any other.
    books.push(book(".Dotted", ["01.mp3"], [], (dir) => write(path.join(dir, "02.mp3"))));
  });

  it("finds what unscannedInFolder finds, book by book, and lists in the addon every plainly spelled folder book", async () => {
    if (!nativeFsAvailable()) return expect.fail("native/build/fs-batch.node is not built: run `node native/build.mjs`");
    const expected = books.map((b) => unscannedInFolder(b));
    expect(expected[1]).toEqual(["03.mp3", "CD 1/05.mp3", "CD 2/", "Every Kind Part 2/", "link.mp3", "metadata.opf"]);
    expect(expected[4]).toEqual(["02.mp3"]);
    const { added, fingerprints } = await filesOnDiskAsync(books);
    expect(added.slice(0, 4)).toEqual(expected.slice(0, 4));
    // The files right in a listed folder are stat'd through its descriptor there: the same fingerprints as by path.
    expect(fingerprints).toEqual(diskFingerprints(books));
    expect(fingerprints[3]).toBeNull();
    // Not listed there: the odd spellings (apply lists them itself), and the loose book (companion-check.ts's).
    expect(added[4]).toBeUndefined();
    expect(added[5]).toBeUndefined();
    expect(added[6]).toBeUndefined();
    expect(added[7]).toBeUndefined();
    expect(expected[6]).toEqual(["02.mp3"]);
    expect(expected[7]).toEqual(["02.mp3"]);
    expect(added[8]).toEqual(["02.mp3"]);
    expect(expected[8]).toEqual(["02.mp3"]);
    // No proposed move at all (every book in place): an empty job.
    expect(await filesOnDiskAsync([])).toEqual({ fingerprints: [], added: [] });
  });

  it("leaves every book to the caller without the addon", async () => {
    setNativeFs(false);
    try {
      const { fingerprints, added } = await filesOnDiskAsync(books);
      expect(added).toEqual(books.map(() => undefined));
      expect(fingerprints[3]).toBeNull();
      expect(typeof fingerprints[0]).toBe("string");
    } finally {
      setNativeFs(true);
    }
  });
});

describe("the addon's job for many books", () => {
  it("gives the answer one thread gives when it splits the books between two (chunks taken in turn)", async () => {
    if (!nativeFsAvailable()) return expect.fail("native/build/fs-batch.node is not built: run `node native/build.mjs`");
    // Over 512 books, so the job runs on two threads, with books holding something unscanned spread over many chunks
    // (64 books each), one gone, and loose books between folder books: every answer must land on its own book.
    const books: StoredBookFiles[] = [];
    for (let i = 0; i < 700; i++) {
      if (i % 50 === 25) {
        const file = path.join(tmp, "many", `Loose ${i}.mp3`);
        write(file);
        books.push({ path: file, kind: "file", files: JSON.stringify([{ path: file, size: 1 }]), sidecars: "[]" });
        continue;
      }
      const dir = path.join(tmp, "many", `Book ${i}`);
      write(path.join(dir, "01.mp3"));
      if (i % 37 === 3) write(path.join(dir, `added ${i}.mp3`));
      if (i === 430) fs.rmSync(dir, { recursive: true });
      books.push({ path: dir, kind: "folder", files: JSON.stringify([{ path: path.join(dir, "01.mp3"), size: 1 }]), sidecars: "[]" });
    }
    const { added, fingerprints } = await filesOnDiskAsync(books);
    expect(fingerprints).toEqual(diskFingerprints(books));
    expect(fingerprints.filter((f) => f === null)).toHaveLength(1);
    const folders = books.map((b, i) => [b, i] as const).filter(([b]) => b.kind === "folder");
    expect(folders.map(([, i]) => added[i])).toEqual(folders.map(([b]) => unscannedInFolder(b)));
    expect(added.filter((a) => a !== undefined && a.length > 0)).toHaveLength(18);
    // Each thread finds a book's folders by its number: folders given out of book order are refused, not misread.
    expect(() => statListAsync([path.join(tmp, "many", "Book 0", "01.mp3"), path.join(tmp, "many", "Book 1", "01.mp3")], Uint32Array.of(1, 2), [path.join(tmp, "many", "Book 1"), path.join(tmp, "many", "Book 0")], Uint32Array.of(1, 0))).toThrow(/book order/);
  });
});
