/**
 * Real-world layouts end to end: a library generated from the conventions of
 * test/domain/real-world-paths.test.ts (Audiobookshelf folders and sidecars,
 * Libation/Audible-tagged m4b files with credits, disc folders, CamelCase and
 * "Author - Series" folders of a published personal library) is scanned and run
 * through the built-in layers; every book's fields are checked, and no book is
 * identified with a wrong author or title.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeM4b, writeMp3, type FixtureTags } from "../../fixtures/audio.js";
import { parseProfile, resolveProfile } from "../../src/domain/profile.js";
import { scanLibrary } from "../../src/library/scan.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { openDatabase } from "../../src/store/database.js";
import { applyScan, listBooks } from "../../src/store/books.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

/** A book folder (default: two untagged mp3 files) or a single audio file; `want` null means "no value". */
type B = { path: string; files?: string[]; tags?: FixtureTags; sidecars?: Record<string, string>; want: Record<string, string | null> };

const BOOKS: B[] = [
  // untagged folders: path only
  { path: "Terry Goodkind/Sword of Truth/Vol 1 - 1994 - Wizards First Rule {Sam Tsoutsouvas}", want: { author: "Terry Goodkind", title: "Wizards First Rule", series: "Sword of Truth", series_num: "1", year: "1994", narrator: "Sam Tsoutsouvas" } },
  { path: "Terry Goodkind/Sword of Truth/Stone of Tears - volume 2 - The Second Book", want: { author: "Terry Goodkind", title: "Stone of Tears", series: "Sword of Truth", series_num: "2" } },
  { path: "Terry Goodkind/Heart of Black Ice - Sister of Darkness", want: { author: "Terry Goodkind", title: "Heart of Black Ice" } },
  { path: "1945 - Animal Farm", want: { title: "Animal Farm", year: "1945", author: null } },
  { path: "Stephen King/The Stand", files: ["CD1/01.mp3", "CD1/02.mp3", "CD2/01.mp3"], want: { author: "Stephen King", title: "The Stand" } },
  { path: "Stephen King/It", files: ["disk 001/a.mp3", "disk 002/a.mp3"], want: { author: "Stephen King", title: "It" } },
  { path: "Brandon Sanderson/Mistborn/Book 1-3 - The Mistborn Trilogy", want: { series: "Mistborn", series_num: "1-3", title: "The Mistborn Trilogy" } },
  { path: "AynRand-AtlasShrugged", want: { author: "Ayn Rand", title: "Atlas Shrugged" } },
  { path: "Hannu Rajaniemi-The Quantum Thief", want: { author: "Hannu Rajaniemi", title: "The Quantum Thief" } },
  { path: "Lee Child - Jack Reacher/14 61 Hours", want: { author: "Lee Child", series: "Jack Reacher", series_num: "14", title: "61 Hours" } },
  { path: "Lee Child - Jack Reacher/12.5 Guy Walks into a Bar", want: { author: "Lee Child", series: "Jack Reacher", series_num: "12.5", title: "Guy Walks into a Bar" } },
  { path: "Stephen King/Es [German]", want: { author: "Stephen King", title: "Es", language: "de" } },
  { path: "Robert Jordan/The Eye of the World - Wheel of Time, Book 1", want: { author: "Robert Jordan", title: "The Eye of the World", series: "Wheel of Time", series_num: "1" } },
  { path: "JRR Tolkien/The Hobbit", want: { author: "JRR Tolkien", title: "The Hobbit" } },
  { path: "Tolkien, J.R.R./The Silmarillion", want: { author: "J.R.R. Tolkien", title: "The Silmarillion" } },
  // tagged m4b (Libation style) under a messy folder; a composer read as the readers is split and joined as a narrator tag is
  { path: "Downloads/[bitsearch.to] Brandon Sanderson - The Way of Kings (Unabridged)", files: ["The Way of Kings.m4b"], tags: { title: "The Way of Kings", album: "The Way of Kings (Unabridged)", artist: "Brandon Sanderson", album_artist: "Brandon Sanderson", composer: "Michael Kramer, Kate Reading", year: "2010" }, want: { author: "Brandon Sanderson", title: "The Way of Kings", narrator: "Michael Kramer & Kate Reading", year: "2010" } },
  // Audible credits in tags
  { path: "CixinLiu-TheThreeBodyProblem", files: ["book.m4b"], tags: { album: "The Three-Body Problem (Remembrance of Earth's Past, Book 1)", artist: "Cixin Liu, Ken Liu - translator", composer: "Luke Daniels" }, want: { author: "Cixin Liu", title: "The Three-Body Problem", narrator: "Luke Daniels", series: "Remembrance of Earth's Past", series_num: "1" } },
  // ABS sidecars
  { path: "Brandon Sanderson/The Stormlight Archive/Book 2 - Words of Radiance", sidecars: { "metadata.json": JSON.stringify({ title: "Words of Radiance", authors: ["Brandon Sanderson"], narrators: ["Michael Kramer", "Kate Reading"], series: ["The Stormlight Archive #2"], publishedYear: "2014", language: "English", abridged: false }) }, want: { author: "Brandon Sanderson", title: "Words of Radiance", series: "The Stormlight Archive", series_num: "2", narrator: "Michael Kramer & Kate Reading", year: "2014", language: "en" } },
  { path: "Brandon Sanderson/The Stormlight Archive/Book 3 - Oathbringer", sidecars: { "metadata.opf": `<?xml version='1.0' encoding='utf-8'?><ns0:package xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:ns0='http://www.idpf.org/2007/opf' version='2.0'><ns0:metadata xmlns:opf="http://www.idpf.org/2007/opf"><dc:title>Oathbringer</dc:title><dc:creator opf:role="aut">Brandon Sanderson</dc:creator><dc:creator opf:role="nrt">Michael Kramer</dc:creator><dc:date>2017</dc:date><ns0:meta name="calibre:series" content="The Stormlight Archive"/><ns0:meta name="calibre:series_index" content="3.0"/></ns0:metadata></ns0:package>`, "reader.txt": "Michael Kramer\n" }, want: { author: "Brandon Sanderson", title: "Oathbringer", series_num: "3", narrator: "Michael Kramer", year: "2017" } },
  { path: "Frank Herbert/Dune Chronicles/Book 2 - Dune Messiah", sidecars: { "metadata.abs": ";ABMETADATA2\n#audiobookshelf v2.4.4\n\nmedia=book\ntitle=Dune Messiah\nauthors=Frank Herbert\nnarrators=Scott Brick\nseries=Dune Chronicles #2\npublishedYear=1969\n" }, want: { author: "Frank Herbert", title: "Dune Messiah", series: "Dune Chronicles", series_num: "2", narrator: "Scott Brick", year: "1969" } },
  // Chinese, Japanese and Korean libraries: volumes of one work, episode files, disc folders, full-width punctuation
  { path: "金庸/射雕英雄传 第一卷", files: ["第001集 风雪惊变.mp3", "第002集 江南七怪.mp3", "第003集 黄沙莽莽.mp3"], want: { author: "金庸", title: "射雕英雄传", series: "射雕英雄传", series_num: "1" } },
  { path: "村上春樹/ノルウェイの森（下）", files: ["ディスク1/01.mp3", "ディスク2/01.mp3"], want: { author: "村上春樹", title: "ノルウェイの森", series: "ノルウェイの森", series_num: "2" } },
  { path: "刘慈欣/三体/三体2：黑暗森林", want: { author: "刘慈欣", title: "黑暗森林", series: "三体", series_num: "2" } },
  { path: "한강/채식주의자", want: { author: "한강", title: "채식주의자" } },
  { path: "Haruki Murakami/1Q84/01 - 1Q84 Book 1", want: { author: "Haruki Murakami", title: "1Q84", series: "1Q84", series_num: "1" } },
  // single files at root
  { path: "Frank Herbert - Dune (1965).m4b", want: { author: "Frank Herbert", title: "Dune", year: "1965" } },
  { path: "Project Hail Mary [B08G9PRS1K].m4b", tags: { album: "Project Hail Mary", artist: "Andy Weir", composer: "Ray Porter" }, want: { author: "Andy Weir", title: "Project Hail Mary", narrator: "Ray Porter" } },
];

let tmp: string;
let root: string;
beforeAll(() => {
  tmp = makeTempDir("real-world");
  root = path.join(tmp, "library");
  for (const b of BOOKS) {
    if (/\.(?:m4b|mp3)$/.test(b.path)) {
      fs.mkdirSync(path.dirname(path.join(root, b.path)), { recursive: true });
      writeM4b(path.join(root, b.path), b.tags ?? {});
      continue;
    }
    const dir = path.join(root, b.path);
    for (const f of b.files ?? ["01.mp3", "02.mp3"]) {
      const file = path.join(dir, f);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (f.endsWith(".m4b")) writeM4b(file, b.tags ?? {});
      else writeMp3(file, b.tags ?? {});
    }
    for (const [name, text] of Object.entries(b.sidecars ?? {})) fs.writeFileSync(path.join(dir, name), text);
  }
});
afterAll(() => removeTempDir(tmp));

describe("a library of real-world layouts", () => {
  it("finds every book once and reads every field right", async () => {
    const db = openDatabase(path.join(tmp, "shelfwise.db"));
    try {
      const scan = await scanLibrary([root]);
      applyScan(db, scan.books, [root]);
      await runPipeline({
        db,
        layers: [createPathLayer(), createEmbeddedTagsLayer(), createSidecarLayer()],
        batchSize: 7,
        confidenceThreshold: 60,
        namingTemplate: "{author}/{series}/{series_num} - {title}",
      });
      const rows = listBooks(db);
      expect(rows.map((r) => path.relative(root, r.path).split(path.sep).join("/")).sort()).toEqual(BOOKS.map((b) => b.path).sort());
      const misses: string[] = [];
      for (const row of rows) {
        const book = BOOKS.find((b) => path.join(root, b.path) === row.path)!;
        const fields = resolveProfile(parseProfile(row.profile)).fields as Record<string, { value: string | null }>;
        for (const [field, want] of Object.entries(book.want)) {
          if (fields[field].value !== want) misses.push(`${book.path}: ${field} ${JSON.stringify(fields[field].value)}, want ${JSON.stringify(want)}`);
        }
        // Trust is never given to a wrong author or title.
        if (row.status === "identified") {
          if ("author" in book.want) expect(fields.author.value).toBe(book.want.author);
          if ("title" in book.want) expect(fields.title.value).toBe(book.want.title);
        }
      }
      expect(misses).toEqual([]);
    } finally {
      db.close();
    }
  });
});
