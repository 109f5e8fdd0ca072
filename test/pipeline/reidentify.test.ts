/**
 * `process` after a change: a book whose tags or sidecar changed is identified
 * again from its new evidence (the old source's claims replaced, never kept
 * beside the new ones), and the other books are not touched.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeMp3, type FixtureTags } from "../../fixtures/audio.js";
import { parseProfile, resolveProfile } from "../../src/domain/profile.js";
import { scanLibrary } from "../../src/library/scan.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { BUILTIN_LAYER_IDS } from "../../src/pipeline/layers/builtin-ids.js";
import { applyScan, FILE_CONTENT_LAYERS, listBooks } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let root: string;
beforeEach(() => {
  tmp = makeTempDir("shelfwise-reidentify-");
  root = path.join(tmp, "library");
});
afterEach(() => removeTempDir(tmp));

function writeBook(folder: string, tags: FixtureTags, sidecar?: object): void {
  const dir = path.join(root, folder);
  fs.mkdirSync(dir, { recursive: true });
  writeMp3(path.join(dir, "01.mp3"), tags);
  if (sidecar !== undefined) fs.writeFileSync(path.join(dir, "metadata.json"), JSON.stringify(sidecar));
}

async function process(db: ReturnType<typeof openDatabase>): Promise<void> {
  const scan = await scanLibrary([root]);
  applyScan(db, scan.books, [root]);
  await runPipeline({
    db,
    layers: [createPathLayer(), createEmbeddedTagsLayer(), createSidecarLayer()],
    batchSize: 5,
    confidenceThreshold: 60,
    namingTemplate: "{author}/{title}",
  });
}

// [name, change to book A, A's title after, A's narrator after]
const ROWS: [string, () => void, string, string | null][] = [
  ["changed album tag", () => writeMp3(path.join(root, "Frank Herbert/Dune/01.mp3"), { album: "Dune Messiah", artist: "Frank Herbert", narrator: "Scott Brick" }), "Dune Messiah", "Scott Brick"],
  ["narrator tag removed", () => writeMp3(path.join(root, "Frank Herbert/Dune/01.mp3"), { album: "Dune", artist: "Frank Herbert", year: "1965" }), "Dune", null],
  ["sidecar added that names another narrator", () => fs.writeFileSync(path.join(root, "Frank Herbert/Dune/metadata.json"), JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Simon Vance"] })), "Dune", "Scott Brick"],
];

describe("process after a change re-identifies only the changed book", () => {
  it.each(ROWS)("%s", async (_name, change, title, narrator) => {
    writeBook("Frank Herbert/Dune", { album: "Dune", artist: "Frank Herbert", narrator: "Scott Brick" });
    writeBook("Ann Leckie/Ancillary Justice", { album: "Ancillary Justice", artist: "Ann Leckie" }, { title: "Ancillary Justice", authors: ["Ann Leckie"] });
    const db = openDatabase(path.join(tmp, "shelfwise.db"));
    try {
      await process(db);
      const before = new Map(listBooks(db).map((b) => [b.title, b]));
      const other = before.get("Ancillary Justice")!;
      change();
      // A file rewritten within the same second keeps its mtime on some file systems: move it on so the scan sees it.
      const later = new Date(Date.now() + 5_000);
      for (const f of fs.readdirSync(path.join(root, "Frank Herbert/Dune"))) fs.utimesSync(path.join(root, "Frank Herbert/Dune", f), later, later);
      await process(db);
      const after = listBooks(db);
      const a = after.find((b) => b.path.endsWith("Dune"))!;
      expect(a.title).toBe(title);
      expect(a.narrator).toBe(narrator);
      // Each source speaks once per field: the rerun replaced its claims, never added to them.
      const profile = parseProfile(a.profile);
      for (const [field, list] of Object.entries(profile.evidence)) {
        const sources = list.map((e) => e.source);
        expect(new Set(sources).size, field).toBe(sources.length);
      }
      expect(resolveProfile(profile).fields.title.value).toBe(title);
      // The untouched book was not written again.
      const b = after.find((x) => x.id === other.id)!;
      expect(b.row_version).toBe(other.row_version);
      expect(b.profile).toBe(other.profile);
    } finally {
      db.close();
    }
  });
});

describe("a file rewritten in place with its size and mtime kept (a tag editor that preserves timestamps)", () => {
  it("re-reads with the built-in layers that read files (the store names them without importing the pipeline)", () => {
    for (const id of FILE_CONTENT_LAYERS) expect(BUILTIN_LAYER_IDS).toContain(id);
  });

  const dune = () => path.join(root, "Frank Herbert/Dune/01.mp3");

  // Whole seconds, so that setting the time back gives exactly the mtime the scan saw (as touch -r does to the nanosecond).
  const TIME = 1_700_000_000;

  /** Rewrites the album tag keeping the file's size and times, as Mp3tag or kid3 do with "preserve timestamps" on. */
  function retagInPlace(album: string): void {
    const size = fs.statSync(dune()).size;
    writeMp3(dune(), { album, artist: "Frank Herbert", narrator: "Scott Brick" });
    expect(fs.statSync(dune()).size).toBe(size);
    fs.utimesSync(dune(), TIME, TIME);
  }

  it("is read again: its tags and sidecars run again, nothing else, and its status stays until they say otherwise", async () => {
    writeBook("Frank Herbert/Dune", { album: "Dune", artist: "Frank Herbert", narrator: "Scott Brick" });
    fs.utimesSync(dune(), TIME, TIME);
    writeBook("Ann Leckie/Ancillary Justice", { album: "Ancillary Justice", artist: "Ann Leckie" });
    const db = openDatabase(path.join(tmp, "shelfwise.db"));
    try {
      await process(db);
      const before = listBooks(db).find((b) => b.path.endsWith("Dune"))!;
      expect(before.title).toBe("Dune");
      retagInPlace("Emud"); // same length, so the same size
      const scan = await scanLibrary([root]);
      const summary = applyScan(db, scan.books, [root]);
      expect(summary).toMatchObject({ touched: 1, changed: 0, unchanged: 2 });
      const runs = (id: number) => (db.prepare("SELECT layer_id FROM layer_runs WHERE book_id = ? ORDER BY layer_id").all(id) as { layer_id: string }[]).map((r) => r.layer_id);
      expect(runs(before.id)).toEqual(["path"]);
      expect(listBooks(db).find((b) => b.id === before.id)!.status).toBe(before.status);
      await process(db);
      expect(listBooks(db).find((b) => b.id === before.id)!.title).toBe("Emud");
      // Read once: the next scan sees nothing new.
      expect(applyScan(db, (await scanLibrary([root])).books, [root])).toMatchObject({ touched: 0, unchanged: 2 });
    } finally {
      db.close();
    }
  });

  it("a database from before ctimes were kept takes the first scan's as its baseline, reading nothing again", async () => {
    writeBook("Frank Herbert/Dune", { album: "Dune", artist: "Frank Herbert", narrator: "Scott Brick" });
    fs.utimesSync(dune(), TIME, TIME);
    const db = openDatabase(path.join(tmp, "shelfwise.db"));
    try {
      await process(db);
      db.prepare("UPDATE books SET files_ctime = NULL").run();
      retagInPlace("Emud");
      expect(applyScan(db, (await scanLibrary([root])).books, [root])).toMatchObject({ touched: 0, unchanged: 1 });
      retagInPlace("Dune");
      expect(applyScan(db, (await scanLibrary([root])).books, [root])).toMatchObject({ touched: 1, unchanged: 1 });
    } finally {
      db.close();
    }
  });
});
