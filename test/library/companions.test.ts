/**
 * A loose audio file's companions (same stem: cover, OPF, cue sheet...) on
 * real folders: what the scan records, the ambiguous case, what it does to
 * the fingerprint, and the OPF read for identification.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config-schema.js";
import { parseProfile } from "../../src/domain/profile.js";
import { scanLibrary, type ScannedBook } from "../../src/library/scan.js";
import { setUserFields } from "../../src/organize/corrections.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { applyScan, listBooks } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let root: string;
beforeEach(() => {
  tmp = makeTempDir("companions");
  root = path.join(tmp, "library");
  fs.mkdirSync(root);
});
afterEach(() => removeTempDir(tmp));

function write(rel: string, content = `bytes of ${rel}`): void {
  const full = path.join(root, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
}

async function scan(): Promise<Map<string, ScannedBook>> {
  const result = await scanLibrary([root], { inlineStats: 0 });
  expect(result.problems).toEqual([]);
  return new Map(result.books.map((b) => [path.relative(root, b.path), b]));
}

const names = (book: ScannedBook | undefined) => book!.sidecars.map((f) => path.relative(root, f.path));

describe("companions of a loose audio file", () => {
  it("are the files beside it with its stem (any case) and a companion extension, listed as its sidecars with their stats", async () => {
    for (const rel of ["inbox/Dune.m4b", "inbox/Dune.jpg", "inbox/dune.OPF", "inbox/Dune.cue", "inbox/Dune.nfo", "inbox/Dune.pdf"]) write(rel);
    // Not companions: another stem, a longer name, an ebook, a hidden file, a folder named like one.
    for (const rel of ["inbox/Dune (cover).jpg", "inbox/Dune.epub", "inbox/.Dune.jpg", "inbox/cover.jpg", "inbox/Dune.txt/x.txt"]) write(rel);
    write("inbox/Emma.mp3");
    write("inbox/Emma.lrc");
    write("inbox/Mistborn/01.mp3"); // a book folder beside: the loose files are single-file books
    const books = await scan();
    expect([...books.keys()]).toEqual(["inbox/Dune.m4b", "inbox/Emma.mp3", "inbox/Mistborn"]);
    expect(names(books.get("inbox/Dune.m4b"))).toEqual(["inbox/Dune.cue", "inbox/Dune.jpg", "inbox/Dune.nfo", "inbox/dune.OPF", "inbox/Dune.pdf"]);
    expect(books.get("inbox/Dune.m4b")!.files.map((f) => path.relative(root, f.path))).toEqual(["inbox/Dune.m4b"]);
    const cover = books.get("inbox/Dune.m4b")!.sidecars.find((f) => f.path.endsWith("Dune.jpg"))!;
    expect(cover.size).toBe(fs.statSync(cover.path).size);
    expect(names(books.get("inbox/Emma.mp3"))).toEqual(["inbox/Emma.lrc"]);
  });

  it("are left alone when two audio files share the stem (whose would they be?)", async () => {
    for (const rel of ["inbox/Book.m4b", "inbox/book.mp3", "inbox/Book.jpg", "inbox/Book.opf", "inbox/Other.m4b", "inbox/Other.jpg"]) write(rel);
    const books = await scan();
    expect(names(books.get("inbox/Book.m4b"))).toEqual([]);
    expect(names(books.get("inbox/book.mp3"))).toEqual([]);
    expect(names(books.get("inbox/Other.m4b"))).toEqual(["inbox/Other.jpg"]);
  });

  it("in a library root too; a folder book lists its audio files' companions beside its sidecars, not those inside disc folders", async () => {
    for (const rel of ["Loose.mp3", "Loose.cue", "Author/Title/Title.m4b", "Author/Title/Title.jpg", "Author/Title/metadata.json", "Author/Title/Title.opf"]) write(rel);
    for (const rel of ["Set/CD1/Part.mp3", "Set/CD1/Part.cue", "Set/Set.opf"]) write(rel);
    const books = await scan();
    expect(names(books.get("Loose.mp3"))).toEqual(["Loose.cue"]);
    // Title.opf is a sidecar and a companion: listed once.
    expect(names(books.get("Author/Title"))).toEqual(["Author/Title/metadata.json", "Author/Title/Title.jpg", "Author/Title/Title.opf"]);
    expect(names(books.get("Set"))).toEqual(["Set/Set.opf"]);
  });

  it("are part of the fingerprint: adding or removing one changes it, and the folder apply gives the book keeps it", async () => {
    write("inbox/Dune.m4b");
    write("inbox/Emma.m4b");
    const bare = (await scan()).get("inbox/Dune.m4b")!.fingerprint;
    write("inbox/Dune.jpg");
    const withCover = (await scan()).get("inbox/Dune.m4b")!.fingerprint;
    expect(withCover).not.toBe(bare);
    expect((await scan()).get("inbox/Emma.m4b")!.sidecars).toEqual([]);
    // The book's own folder with the same files (what apply makes of it): the same fingerprint, so a rescan sees no change.
    fs.mkdirSync(path.join(root, "Frank Herbert", "Dune"), { recursive: true });
    for (const name of ["Dune.m4b", "Dune.jpg"]) fs.renameSync(path.join(root, "inbox", name), path.join(root, "Frank Herbert", "Dune", name));
    expect((await scan()).get("Frank Herbert/Dune")!.fingerprint).toBe(withCover);
    fs.rmSync(path.join(root, "Frank Herbert", "Dune", "Dune.jpg"));
    expect((await scan()).get("Frank Herbert/Dune")!.fingerprint).toBe(bare);
  });
});

describe("a loose file's OPF", () => {
  const opf = (title: string, author: string) => `<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" xmlns:opf="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>${title}</dc:title><dc:creator opf:role="aut">${author}</dc:creator></metadata></package>`;

  it("is read by the sidecar layer for that file only; a cover added later re-identifies the book and keeps the user's corrections", async () => {
    write("inbox/dune_x1.m4b");
    write("inbox/dune_x1.opf", opf("Dune", "Frank Herbert"));
    write("inbox/emma.m4b");
    // Another book's OPF and a folder-wide one describe neither loose book.
    write("inbox/unrelated.opf", opf("Wrong", "Nobody"));
    write("inbox/metadata.json", JSON.stringify({ title: "Wrong too", authors: ["Nobody"] }));
    const db = openDatabase(path.join(tmp, "shelfwise.db"));
    try {
      const run = async () => {
        const result = await scanLibrary([root]);
        const summary = applyScan(db, result.books, [root]);
        await runPipeline({ db, layers: [createSidecarLayer()], batchSize: 4, confidenceThreshold: 60, namingTemplate: "{author}/{title}" });
        const rows = new Map(listBooks(db).map((r) => [path.basename(r.path), r]));
        return { summary, dune: rows.get("dune_x1.m4b")!, emma: rows.get("emma.m4b")! };
      };
      const first = await run();
      expect(first.dune).toMatchObject({ title: "Dune", author: "Frank Herbert" });
      expect(first.emma).toMatchObject({ title: null, author: null });

      setUserFields({ db, config: defaultConfig() }, first.dune.id, { set: { title: "Dune (corrected)" } });
      write("inbox/dune_x1.jpg");
      const second = await run();
      expect(second.summary).toMatchObject({ changed: 1, unchanged: 1, new: 0, missing: 0 });
      expect(second.dune.id).toBe(first.dune.id);
      expect(JSON.parse(second.dune.sidecars).map((p: string) => path.basename(p))).toEqual(["dune_x1.jpg", "dune_x1.opf"]);
      expect(second.dune).toMatchObject({ title: "Dune (corrected)", author: "Frank Herbert" });
      expect(parseProfile(second.dune.profile).evidence.title!.map((e) => e.source)).toContain("sidecar");
    } finally {
      db.close();
    }
  });
});
