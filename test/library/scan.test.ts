import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateMessyTree } from "../../fixtures/messy-tree.js";
import { scanLibrary, type ScanResult } from "../../src/library/scan.js";
import { builtModuleUrl } from "../support/built.js";
import { removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let root: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-scan-"));
  root = path.join(tmp, "library");
  fs.mkdirSync(root);
});

afterEach(() => {
  // Tests lock folders and write names that are not valid UTF-8: removeTempDir takes both.
  removeTempDir(tmp);
  expect(fs.existsSync(tmp)).toBe(false);
});

/** Creates files (with a few bytes) under `base`; a path ending in "/" is an empty folder. */
function makeTree(base: string, entries: string[]): void {
  for (const rel of entries) {
    const full = path.join(base, rel);
    if (rel.endsWith("/")) fs.mkdirSync(full, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, `audio ${rel}`);
    }
  }
}

/** Books as `relative path (kind): file, file` lines relative to the root, for readable diffs. */
function summarize(result: ScanResult, base = root): string[] {
  return result.books.map((book) => {
    const rel = path.relative(base, book.path);
    const files = book.files.map((f) => path.relative(book.kind === "folder" ? book.path : base, f.path));
    return `${rel} (${book.kind}): ${files.join(", ")}`;
  });
}

async function scanRoot(): Promise<ScanResult> {
  return scanLibrary([root]);
}

describe("book detection", () => {
  it.each<[string, string[], string[]]>([
    [
      "chapters in Author/Title make one folder book",
      ["Author/Title/01.mp3", "Author/Title/02.mp3", "Author/Title/cover.jpg"],
      ["Author/Title (folder): 01.mp3, 02.mp3"],
    ],
    [
      "extensions are matched case-insensitively, every audio format counts",
      ["A/B/01.MP3", "A/B/02.M4b", "A/B/03.m4a", "A/B/04.AAC", "A/B/05.flac", "A/B/06.ogg", "A/B/07.Opus", "A/B/08.wma", "A/B/09.WAV", "A/B/notes.txt"],
      ["A/B (folder): 01.MP3, 02.M4b, 03.m4a, 04.AAC, 05.flac, 06.ogg, 07.Opus, 08.wma, 09.WAV"],
    ],
    ["a folder without audio is no book", ["A/B/cover.jpg", "A/B/book.cue", "A/C/"], []],
    [
      "disc folders belong to their parent, in disc order",
      ["A/T/CD2/01.mp3", "A/T/CD10/01.mp3", "A/T/CD1/01.mp3", "A/T/CD1/02.mp3"],
      ["A/T (folder): CD1/01.mp3, CD1/02.mp3, CD2/01.mp3, CD10/01.mp3"],
    ],
    [
      "disc name variants",
      ["A/T/Disc 1/a.mp3", "A/T/Disk 2/a.mp3", "A/T/Part 3/a.mp3", "A/T/Pt 4/a.mp3", "A/T/Side A/a.mp3", "A/T/CD 5/a.mp3"],
      ["A/T (folder): CD 5/a.mp3, Disc 1/a.mp3, Disk 2/a.mp3, Part 3/a.mp3, Pt 4/a.mp3, Side A/a.mp3"],
    ],
    [
      "direct files and disc folders together are one book; nested folders in discs too",
      ["A/T/00 - Intro.mp3", "A/T/CD1/01.mp3", "A/T/CD1/Extra/x.mp3"],
      ["A/T (folder): 00 - Intro.mp3, CD1/01.mp3, CD1/Extra/x.mp3"],
    ],
    [
      "a series folder holding book folders is not a book",
      ["A/Series/01 - One/01.mp3", "A/Series/01 - One/02.mp3", "A/Series/02 - Two/01.mp3"],
      ["A/Series/01 - One (folder): 01.mp3, 02.mp3", "A/Series/02 - Two (folder): 01.mp3"],
    ],
    [
      "one loose file beside book folders is a single-file book",
      ["A/Title/01.mp3", "A/Title/02.mp3", "A/Loose Book.m4b"],
      ["A/Loose Book.m4b (file): A/Loose Book.m4b", "A/Title (folder): 01.mp3, 02.mp3"],
    ],
    [
      "several distinct loose m4b files in an author folder are separate books",
      ["Author/Dune.m4b", "Author/Emma.m4b", "Author/1 - Ulysses.m4b"],
      ["Author/1 - Ulysses.m4b (file): Author/1 - Ulysses.m4b", "Author/Dune.m4b (file): Author/Dune.m4b", "Author/Emma.m4b (file): Author/Emma.m4b"],
    ],
    [
      "several distinct unnumbered mp3 files are separate books",
      ["Author/Dune.mp3", "Author/Emma.mp3"],
      ["Author/Dune.mp3 (file): Author/Dune.mp3", "Author/Emma.mp3 (file): Author/Emma.mp3"],
    ],
    [
      "numbered tracks directly in a folder are one book, in track order",
      ["Author/Book/Track 10.mp3", "Author/Book/Track 9.mp3", "Author/Book/Track 1.mp3"],
      ["Author/Book (folder): Track 1.mp3, Track 9.mp3, Track 10.mp3"],
    ],
    [
      "m4b parts sharing a name are one book",
      ["A/Dune/Dune Part 1.m4b", "A/Dune/Dune Part 2.m4b"],
      ["A/Dune (folder): Dune Part 1.m4b, Dune Part 2.m4b"],
    ],
    ["a single m4b in its own folder is that folder's book", ["A/Dune/Dune.m4b", "A/Dune/cover.jpg"], ["A/Dune (folder): Dune.m4b"]],
    [
      "loose files in the library root are single-file books, even numbered ones",
      ["01.mp3", "02.mp3"],
      ["01.mp3 (file): 01.mp3", "02.mp3 (file): 02.mp3"],
    ],
    ["a disc-named folder in the root is an ordinary book folder", ["CD1/01.mp3"], ["CD1 (folder): 01.mp3"]],
    [
      "part and disc folders named in other languages belong to their parent",
      [
        "Sebastian Fitzek/Die Therapie/Teil 1/01.mp3", "Sebastian Fitzek/Die Therapie/Teil 2 von 3/01.mp3",
        "Victor Hugo/Les Misérables/Disque 01/01.mp3", "Victor Hugo/Les Misérables/Partie II/01.mp3",
        "Autor/Libro/Disco 1 de 2/01.mp3", "Autor/Libro/Parte 2/01.mp3",
        "Schrijver/Boek/Schijf 1/01.mp3", "Schrijver/Boek/Schijf 2/01.mp3",
        "Writer/Tapes/Tape 1/Side A/01.mp3", "Writer/Tapes/Cassette 2/01.mp3", "Writer/Tapes/Seite B/01.mp3",
      ],
      [
        "Autor/Libro (folder): Disco 1 de 2/01.mp3, Parte 2/01.mp3",
        "Schrijver/Boek (folder): Schijf 1/01.mp3, Schijf 2/01.mp3",
        "Sebastian Fitzek/Die Therapie (folder): Teil 1/01.mp3, Teil 2 von 3/01.mp3",
        "Victor Hugo/Les Misérables (folder): Disque 01/01.mp3, Partie II/01.mp3",
        "Writer/Tapes (folder): Cassette 2/01.mp3, Seite B/01.mp3, Tape 1/Side A/01.mp3",
      ],
    ],
    [
      "titled part folders and series positions stay books of their own",
      [
        "Writer/Saga/Part 1 - The Gathering Storm/01.mp3", "Writer/Saga/Part 1 - The Gathering Storm/02.mp3",
        "Writer/Saga/Teil 2 - Die Rückkehr/01.mp3", "Writer/Saga/Teil 2 - Die Rückkehr/02.mp3",
        "Schrijver/Reeks/Deel 1/01.mp3", "Schrijver/Reeks/Deel 2/01.mp3",
      ],
      [
        "Schrijver/Reeks/Deel 1 (folder): 01.mp3",
        "Schrijver/Reeks/Deel 2 (folder): 01.mp3",
        "Writer/Saga/Part 1 - The Gathering Storm (folder): 01.mp3, 02.mp3",
        "Writer/Saga/Teil 2 - Die Rückkehr (folder): 01.mp3, 02.mp3",
      ],
    ],
    [
      "a part folder repeating its book folder's name belongs to that book",
      [
        "Stephen King/The Stand/The Stand Part 01/01.mp3",
        "Stephen King/The Stand/The Stand Part 02/01.mp3",
        "Stephen King/Holly (2023)/Holly - Pt. 1 - Captain/01.mp3",
        "Sebastian Fitzek/Die Therapie/Die Therapie Teil 1/01.mp3",
        "Alexandre Dumas/Les Trois Mousquetaires/Les Trois Mousquetaires (Partie 1)/01.mp3",
      ],
      [
        "Alexandre Dumas/Les Trois Mousquetaires (folder): Les Trois Mousquetaires (Partie 1)/01.mp3",
        "Sebastian Fitzek/Die Therapie (folder): Die Therapie Teil 1/01.mp3",
        "Stephen King/Holly (2023) (folder): Holly - Pt. 1 - Captain/01.mp3",
        "Stephen King/The Stand (folder): The Stand Part 01/01.mp3, The Stand Part 02/01.mp3",
      ],
    ],
    [
      "a part folder named after another book stays a book of its own",
      ["Stephen King/The Stand/It Part 1/01.mp3", "Stephen King/The Stand/It Part 2/01.mp3"],
      ["Stephen King/The Stand/It Part 1 (folder): 01.mp3", "Stephen King/The Stand/It Part 2 (folder): 01.mp3"],
    ],
    [
      "a 'Vol' folder is a book of its own, not a disc",
      ["Series/Vol 1/01.mp3", "Series/Vol 2/01.mp3"],
      ["Series/Vol 1 (folder): 01.mp3", "Series/Vol 2 (folder): 01.mp3"],
    ],
  ])("%s", async (_label, entries, expected) => {
    makeTree(root, entries);
    const result = await scanRoot();
    expect(summarize(result)).toEqual(expected);
    expect(result.problems).toEqual([]);
  });

  it("skips hidden, NAS, trash and OS folders but still finds the real book", async () => {
    makeTree(root, [
      "Author/Book/01.mp3",
      "Author/Book/._01.mp3",
      "Author/Book/.DS_Store",
      "Author/Book/@eaDir/01.mp3",
      ".hidden/Book/01.mp3",
      ".Trash-1000/Book/01.mp3",
      "@eaDir/Book/01.mp3",
      "#recycle/Book/01.mp3",
      "__MACOSX/Book/01.mp3",
      "$RECYCLE.BIN/Book/01.mp3",
      "System Volume Information/Book/01.mp3",
    ]);
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["Author/Book (folder): 01.mp3"]);
    expect(result.problems).toEqual([]);
  });

  it("describes each book with absolute paths, its root, sizes and mtimes", async () => {
    makeTree(root, ["A/T/01.mp3"]);
    fs.writeFileSync(path.join(root, "A/T/02.mp3"), Buffer.alloc(1234));
    const when = new Date("2020-01-02T03:04:05Z");
    fs.utimesSync(path.join(root, "A/T/02.mp3"), when, when);
    const [book] = (await scanLibrary([path.relative(process.cwd(), root)])).books;
    expect(book.library_root).toBe(root);
    expect(book.path).toBe(path.join(root, "A/T"));
    expect(book.files[1]).toEqual({ path: path.join(root, "A/T/02.mp3"), size: 1234, mtime_ms: when.getTime() });
    expect(book.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("generated messy library", () => {
  it("finds exactly the books and audio files the generator wrote, with no problems", async () => {
    const summary = await generateMessyTree(root, { books: 400, seed: 7 });
    const result = await scanRoot();
    expect(result.problems).toEqual([]);
    expect(result.books).toHaveLength(summary.books);
    expect(result.books.reduce((n, b) => n + b.files.length, 0)).toBe(summary.audioFiles);
    expect(new Set(result.books.map((b) => b.kind))).toEqual(new Set(["folder", "file"]));
  });

  it("finds the same books, files and fingerprints when a worker thread does the stats", async () => {
    await generateMessyTree(root, { books: 400, seed: 11 });
    const inline = await scanLibrary([root], { inlineStats: Infinity });
    const threaded = await scanLibrary([root], { inlineStats: 0 });
    const mixed = await scanLibrary([root], { inlineStats: 300 });
    expect(inline.books.length).toBeGreaterThan(300);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(inline));
    expect(JSON.stringify(mixed)).toBe(JSON.stringify(inline));
  });
});

describe("roots", () => {
  it("reports a missing root, a file root and an empty path, and still scans the good root", async () => {
    makeTree(root, ["A/T/01.mp3"]);
    const missing = path.join(tmp, "nope");
    const file = path.join(tmp, "file.mp3");
    fs.writeFileSync(file, "x");
    const result = await scanLibrary([missing, file, "", root]);
    expect(summarize(result)).toEqual(["A/T (folder): 01.mp3"]);
    expect(result.problems).toEqual([
      { path: "", message: expect.stringMatching(/empty/) },
      { path: file, message: expect.stringMatching(/^not a folder/) },
      { path: missing, message: expect.stringMatching(/not found.*check the path/) },
    ]);
  });

  it("lists each book once when roots repeat or nest", async () => {
    makeTree(root, ["A/T/01.mp3", "B/U/01.mp3"]);
    const nested = path.join(root, "B");
    const result = await scanLibrary([root, root, nested]);
    expect(result.books.map((b) => [path.relative(root, b.path), b.library_root])).toEqual([
      ["A/T", root],
      ["B/U", nested],
    ]);
  });
});

describe("folders that are never scanned (ScanOptions.skip)", () => {
  it("skips a data folder inside the library, reached directly or through a link, but never a root", async () => {
    makeTree(root, ["A/T/01.mp3", "shelfwise-data/plugins/demo/sample.mp3", "shelfwise-data/cache/x/01.mp3"]);
    const outside = path.join(tmp, "outside");
    makeTree(outside, ["Book/01.mp3", "data/plugins/p/sample.mp3"]);
    fs.symlinkSync(outside, path.join(root, "link"));
    fs.symlinkSync(path.join(root, "shelfwise-data"), path.join(outside, "Book/to-data"));
    const skip = [path.join(root, "shelfwise-data"), path.join(outside, "data")];
    const result = await scanLibrary([root], { skip });
    expect(summarize(result)).toEqual(["A/T (folder): 01.mp3", "link/Book (folder): 01.mp3"]);
    expect(result.problems).toEqual([]);
    // A library root is scanned even when it is (or is inside) a skipped folder: the user asked for it.
    const asRoot = await scanLibrary([path.join(root, "shelfwise-data")], { skip });
    expect(summarize(asRoot, path.join(root, "shelfwise-data"))).toEqual(["cache/x (folder): 01.mp3", "plugins/demo (folder): sample.mp3"]);
  });
});

describe("links", () => {
  it("stops at a link loop, reports it once and finds everything else", async () => {
    makeTree(root, ["A/T/01.mp3"]);
    fs.symlinkSync(root, path.join(root, "A/T/to-root"));
    fs.symlinkSync(path.join(root, "A"), path.join(root, "A/to-author"));
    fs.symlinkSync("self", path.join(root, "A/self"));
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["A/T (folder): 01.mp3"]);
    expect(result.problems).toEqual([
      { path: path.join(root, "A/T/to-root"), message: expect.stringMatching(/^link loop/) },
      { path: path.join(root, "A/self"), message: expect.stringMatching(/^link loop/) },
      { path: path.join(root, "A/to-author"), message: expect.stringMatching(/^link loop/) },
    ]);
  });

  it("follows a link to an outside folder once, even with two links and a loop inside", async () => {
    const outside = path.join(tmp, "outside");
    makeTree(outside, ["Book/01.mp3", "Book/02.mp3"]);
    fs.symlinkSync(outside, path.join(outside, "Book/back"));
    fs.symlinkSync(outside, path.join(root, "link-a"));
    fs.symlinkSync(outside, path.join(root, "link-b"));
    fs.symlinkSync(path.join(outside, "Book"), path.join(root, "link-c"));
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["link-a/Book (folder): 01.mp3, 02.mp3"]);
    // The book's paths go through the link and open.
    for (const file of result.books[0].files) expect(fs.statSync(file.path).size).toBe(file.size);
    expect(result.problems).toEqual([{ path: path.join(root, "link-a/Book/back"), message: expect.stringMatching(/^link loop/) }]);
  });

  it("does not scan a folder twice through a link inside the library", async () => {
    makeTree(root, ["A/T/01.mp3"]);
    fs.symlinkSync(path.join(root, "A/T"), path.join(root, "shortcut"));
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["A/T (folder): 01.mp3"]);
    expect(result.problems).toEqual([]);
  });

  it("counts a link to an audio file as a file and reports a broken link", async () => {
    makeTree(tmp, ["elsewhere/real.mp3"]);
    makeTree(root, ["A/T/01.mp3"]);
    fs.symlinkSync(path.join(tmp, "elsewhere/real.mp3"), path.join(root, "A/T/02.mp3"));
    fs.symlinkSync(path.join(tmp, "gone"), path.join(root, "A/T/03.mp3"));
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["A/T (folder): 01.mp3, 02.mp3"]);
    expect(result.problems).toEqual([{ path: path.join(root, "A/T/03.mp3"), message: expect.stringMatching(/^broken link/) }]);
  });
});

describe("unreadable folders", () => {
  const isRoot = process.getuid?.() === 0;

  /**
   * Root reads through any permission, so as root the scan runs in a child
   * process as "nobody": the permission check is then real, not simulated.
   * Undefined when this checkout is out of nobody's reach (nothing to test).
   */
  async function scanWithPermissions(inlineStats?: number): Promise<ScanResult | undefined> {
    if (!isRoot) return scanLibrary([root], { inlineStats });
    fs.chmodSync(tmp, 0o755);
    // The build of the scanner (dist/): tsx, with its cache off for this other user, spent seconds transforming the sources.
    const scanModule = builtModuleUrl("library/scan.js");
    const script = `let scan;
      try { scan = await import(${JSON.stringify(scanModule)}); }
      catch { process.stdout.write("unreachable"); process.exit(0); }
      process.stdout.write(JSON.stringify(await scan.scanLibrary([${JSON.stringify(root)}], { inlineStats: ${JSON.stringify(inlineStats ?? null)} ?? undefined })));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      uid: 65534,
      gid: 65534,
      encoding: "utf8",
      cwd: tmp,
      env: { ...process.env, HOME: tmp },
    });
    if (child.stdout === "unreachable") return undefined;
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as ScanResult;
  }

  it("reports a folder it may not read and scans the rest", async (ctx) => {
    makeTree(root, ["A/Good/01.mp3", "A/Locked/Book/01.mp3", "B/Good/01.mp3"]);
    const locked = path.join(root, "A/Locked");
    fs.chmodSync(locked, 0o000);
    const result = (await scanWithPermissions()) ?? ctx.skip();
    expect(summarize(result)).toEqual(["A/Good (folder): 01.mp3", "B/Good (folder): 01.mp3"]);
    expect(result.problems).toEqual([{ path: locked, message: expect.stringMatching(/permission denied/) }]);
  });

  // A folder that may be listed but not entered (r without x): its names are
  // readable, its files cannot be stat'ed. Both on the calling thread and in
  // the stat worker, each file is reported and no book is made of it.
  it.for([undefined, 0])("reports files it may list but not stat, and scans the rest (inline stats: %s)", async (inlineStats, ctx) => {
    makeTree(root, ["A/Good/01.mp3", "A/Shut/01.mp3", "A/Shut/02.mp3", "B/Good/01.mp3"]);
    const shut = path.join(root, "A/Shut");
    fs.chmodSync(shut, 0o644);
    const result = (await scanWithPermissions(inlineStats)) ?? ctx.skip();
    expect(summarize(result)).toEqual(["A/Good (folder): 01.mp3", "B/Good (folder): 01.mp3"]);
    expect(result.problems).toEqual([
      { path: path.join(shut, "01.mp3"), message: expect.stringMatching(/^cannot read file: permission denied/) },
      { path: path.join(shut, "02.mp3"), message: expect.stringMatching(/^cannot read file: permission denied/) },
    ]);
  });

  it("reports a link whose target path runs through a file and goes on", async () => {
    makeTree(root, ["A/Good/01.mp3"]);
    // A link to a file named like a folder: followed, it is not a folder, so it is ignored without a crash.
    fs.writeFileSync(path.join(tmp, "not-a-folder"), "x");
    fs.symlinkSync(path.join(tmp, "not-a-folder", "child"), path.join(root, "A/dangling"));
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["A/Good (folder): 01.mp3"]);
    expect(result.problems).toEqual([{ path: path.join(root, "A/dangling"), message: expect.stringMatching(/^broken link: part of its target path is a file/) }]);
  });
});

describe("odd names", () => {
  it("finds books with unicode, 255-byte and newline names, with paths that open", async () => {
    const long = "é".repeat(127) + "x"; // 255 bytes in UTF-8
    expect(Buffer.byteLength(long)).toBe(255);
    makeTree(root, [
      "Ünïcødé 作者/Книга 📚/01 - Глава.mp3",
      `Author/${long}/${"a".repeat(251)}.mp3`,
      "Author/Title\nwith newline/01\n.mp3",
      "Author/Replacement \uFFFD is valid/01.mp3",
    ]);
    const result = await scanRoot();
    expect(summarize(result)).toEqual([
      "Author/Replacement \uFFFD is valid (folder): 01.mp3",
      "Author/Title\nwith newline (folder): 01\n.mp3",
      `Author/${long} (folder): ${"a".repeat(251)}.mp3`,
      "Ünïcødé 作者/Книга 📚 (folder): 01 - Глава.mp3",
    ]);
    for (const book of result.books) for (const file of book.files) expect(fs.statSync(file.path).isFile()).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it("reports each name that is not valid UTF-8 once and scans the rest", async () => {
    makeTree(root, ["Author/Good/01.mp3"]);
    const rootBytes = Buffer.from(root);
    const badFolder = Buffer.concat([rootBytes, Buffer.from("/Author/Bad"), Buffer.from([0xff]), Buffer.from("Folder")]);
    fs.mkdirSync(badFolder);
    fs.writeFileSync(Buffer.concat([badFolder, Buffer.from("/01.mp3")]), "x");
    const badFile = Buffer.concat([rootBytes, Buffer.from("/Author/Good/02"), Buffer.from([0xc3, 0x28]), Buffer.from(".mp3")]);
    fs.writeFileSync(badFile, "x");
    const result = await scanRoot();
    expect(summarize(result)).toEqual(["Author/Good (folder): 01.mp3"]);
    expect(result.problems).toHaveLength(2);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: path.join(root, "Author/Bad\uFFFDFolder"), message: expect.stringMatching(/not valid UTF-8 \(bytes: 42 61 64 ff .*rename it/) },
        { path: path.join(root, "Author/Good/02\uFFFD(.mp3"), message: expect.stringMatching(/not valid UTF-8.*rename it/) },
      ]),
    );
  });

  it("says what was skipped and which name the bytes most likely mean", async () => {
    makeTree(root, ["Author/Good/01.mp3"]);
    const rootBytes = Buffer.from(root);
    // "Niño" and "Café" as a Windows zip or an old share writes them: Windows-1252 bytes.
    fs.mkdirSync(Buffer.concat([rootBytes, Buffer.from("/Author/Ni"), Buffer.from([0xf1]), Buffer.from("o")]));
    fs.writeFileSync(Buffer.concat([rootBytes, Buffer.from("/Author/Good/02 Caf"), Buffer.from([0xe9]), Buffer.from(".mp3")]), "x");
    const result = await scanRoot();
    const byName = Object.fromEntries(result.problems.map((p) => [path.basename(p.path), p.message]));
    expect(byName["Ni\uFFFDo"]).toMatch(/^folder skipped with everything in it: its name is not valid UTF-8 \(bytes: 4e 69 f1 6f; as Windows-1252: "Niño"\); rename it .*convmv/);
    expect(byName["02 Caf\uFFFD.mp3"]).toMatch(/^file skipped \(a book folder holding it still moves whole\): .*as Windows-1252: "02 Café\.mp3"/);
  });
});

describe("fingerprint", () => {
  const book = () => path.join(root, "A/T");

  async function fingerprints(): Promise<Map<string, string>> {
    const result = await scanRoot();
    return new Map(result.books.map((b) => [path.relative(root, b.path), b.fingerprint]));
  }

  beforeEach(() => {
    makeTree(root, ["A/T/01.mp3", "A/T/02.mp3", "A/Other/01.mp3"]);
  });

  it("is stable when nothing changes, even for new non-audio files", async () => {
    const first = await fingerprints();
    fs.writeFileSync(path.join(book(), "cover.jpg"), "jpg");
    expect(await fingerprints()).toEqual(first);
  });

  /** A folder book with a newline name, a disc folder and a sidecar, every mtime 2020-01-02T03:04:05Z. */
  function writeFixedBook(): string {
    const dir = path.join(root, "B/Book");
    const files: [string, number][] = [["02.mp3", 1234], ["01\n.mp3", 5], ["CD2/01.mp3", 7], ["metadata.json", 2]];
    const when = new Date("2020-01-02T03:04:05Z");
    for (const [rel, size] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), Buffer.alloc(size));
      fs.utimesSync(path.join(dir, rel), when, when);
    }
    return dir;
  }

  it("is computed as earlier versions did, so upgrading shelfwise does not re-identify a library", async () => {
    const dir = writeFixedBook();
    const book = (await scanRoot()).books.find((b) => b.path === dir)!;
    // sha1 of "01\n.mp3\0 5\0 1577934245000\n02.mp3\0 1234\0 ..." (no spaces): audio in playback order, then sidecars.
    expect(book.fingerprint).toBe("4cd1476dc55bd01d1a4a9fb69606ba16f6a19945");
  });

  it("lists the exact files and sidecars behind it, odd names included, also as JSON", async () => {
    const dir = writeFixedBook();
    const book = (await scanRoot()).books.find((b) => b.path === dir)!;
    const mtime_ms = Date.parse("2020-01-02T03:04:05Z");
    const files = [
      { path: path.join(dir, "01\n.mp3"), size: 5, mtime_ms },
      { path: path.join(dir, "02.mp3"), size: 1234, mtime_ms },
      { path: path.join(dir, "CD2/01.mp3"), size: 7, mtime_ms },
    ];
    const sidecars = [{ path: path.join(dir, "metadata.json"), size: 2, mtime_ms }];
    expect(book.files).toEqual(files);
    expect(book.sidecars).toEqual(sidecars);
    const ctime_ms = Math.max(...[...files, ...sidecars].map((f) => fs.statSync(f.path).ctimeMs));
    expect(book.ctime_ms).toBe(ctime_ms);
    expect(JSON.parse(JSON.stringify(book))).toEqual({ path: dir, kind: "folder", library_root: root, files, sidecars, fingerprint: book.fingerprint, ctime_ms });
  });

  it.each<[string, () => void]>([
    ["a file is touched", () => fs.utimesSync(path.join(book(), "01.mp3"), new Date(1e12), new Date(1e12))],
    ["a file is resized", () => fs.appendFileSync(path.join(book(), "01.mp3"), "more")],
    ["a file is added", () => fs.writeFileSync(path.join(book(), "03.mp3"), "x")],
    ["a file is added in a new disc folder", () => makeTree(book(), ["CD2/01.mp3"])],
    ["a file is removed", () => fs.rmSync(path.join(book(), "02.mp3"))],
    ["a file is renamed", () => fs.renameSync(path.join(book(), "02.mp3"), path.join(book(), "02b.mp3"))],
  ])("changes when %s, and only for that book", async (_label, change) => {
    const before = await fingerprints();
    change();
    const after = await fingerprints();
    expect(after.get("A/T")).not.toBe(before.get("A/T"));
    expect(after.get("A/Other")).toBe(before.get("A/Other"));
  });
});

describe("progress and abort", () => {
  it("reports progress and ends with the final counts", async () => {
    for (let i = 0; i < 300; i++) makeTree(root, [`Author ${i}/Book/01.mp3`]);
    const seen: { folders: number; books: number }[] = [];
    const result = await scanLibrary([root], { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ folders: 601, books: 300 });
    expect(result.books).toHaveLength(300);
  });

  it("stops when aborted, before or during the walk", async () => {
    for (let i = 0; i < 300; i++) makeTree(root, [`Author ${i}/Book/01.mp3`]);
    await expect(scanLibrary([root], { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    const controller = new AbortController();
    let calls = 0;
    const scan = scanLibrary([root], {
      signal: controller.signal,
      onProgress: () => {
        calls++;
        controller.abort();
      },
    });
    await expect(scan).rejects.toThrow(/abort/i);
    expect(calls).toBe(1);
  });
});
