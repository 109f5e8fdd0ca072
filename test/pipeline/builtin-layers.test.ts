/** The built-in layers on real files: scanned, stored and driven by the orchestrator as in `process`. */
import { parseProfile } from "../../src/domain/profile.js";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCorrupt, writeFlac, writeM4b, writeMp3 } from "../../fixtures/audio.js";
import { startOpenLibraryFixture, type OpenLibraryFixture } from "../../fixtures/openlibrary-server.js";
import { scanLibrary } from "../../src/library/scan.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import type { Layer } from "../../src/pipeline/layer.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { openDatabase } from "../../src/store/database.js";
import { applyScan, listBooks } from "../../src/store/books.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import { runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { storedBooks } from "../support/db.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir("builtins");
});
afterAll(() => removeTempDir(tmp));

interface Identified {
  fields: Record<string, string | null>;
  /** Evidence per field as `source=value`. */
  evidence: Record<string, string[]>;
  runs: Record<string, { status: string; error: string | null }>;
  status: string;
}

/** Files (relative path → writer) under a fresh root; scanned, stored, and run through `layers`. */
async function identify(name: string, files: Record<string, (file: string) => void>, layers: Layer[]): Promise<Record<string, Identified>> {
  const root = path.join(tmp, name);
  for (const [rel, write] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    write(path.join(root, rel));
  }
  const db = openDatabase(path.join(tmp, `${name}.db`));
  try {
    const scan = await scanLibrary([root]);
    applyScan(db, scan.books, [root]);
    await runPipeline({ db, layers, batchSize: 3, confidenceThreshold: 60, namingTemplate: "{author}/{series}/{series_num} - {title}" });
    const out: Record<string, Identified> = {};
    for (const row of listBooks(db)) {
      // parseProfile: a book no source said anything about keeps the stored "{}".
      const profile = parseProfile(row.profile);
      out[path.relative(root, row.path)] = {
        fields: { author: row.author, title: row.title, narrator: row.narrator, series: row.series, series_num: row.series_num, year: row.year, language: row.language },
        evidence: Object.fromEntries(Object.entries(profile.evidence).map(([f, list]) => [f, list.map((e) => `${e.source}=${e.value}`)])),
        runs: Object.fromEntries(runsForBook(db, row.id).map((r) => [r.layer_id, { status: r.status, error: r.error }])),
        status: row.status,
      };
    }
    return out;
  } finally {
    db.close();
  }
}

const silentMp3 = (file: string) => writeMp3(file, {});
const text = (content: string) => (file: string) => fs.writeFileSync(file, content);

describe("path layer on a messy tree", () => {
  it("reads author, title, series, number, year and narrator from folder and file names", async () => {
    const books = await identify(
      "messy",
      {
        "Brandon Sanderson/Mistborn/01 - The Final Empire/01.mp3": silentMp3,
        "Brandon Sanderson/Mistborn/01 - The Final Empire/02.mp3": silentMp3,
        "Andy Weir - Project Hail Mary (2021) {Ray Porter}/CD1/Track 01.mp3": silentMp3,
        "Andy Weir - Project Hail Mary (2021) {Ray Porter}/CD2/Track 01.mp3": silentMp3,
        "[bitsearch.to] Dean Koontz - Watchers/part1.mp3": silentMp3,
        "Terry Pratchett/Discworld, Book 2 - The Light Fantastic/tlf.mp3": silentMp3,
        "George Orwell/1984 (Unabridged) [MP3] 128k/1984.mp3": silentMp3,
        "Stephen King - The Stand.mp3": silentMp3,
        "@eaDir/Thumbs/cover.mp3": text("junk the scanner skips"),
      },
      [createPathLayer()],
    );
    const fields = Object.fromEntries(Object.entries(books).map(([p, b]) => [p, Object.fromEntries(Object.entries(b.fields).filter(([, v]) => v !== null))]));
    expect(fields).toEqual({
      "Brandon Sanderson/Mistborn/01 - The Final Empire": { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn", series_num: "1" },
      "Andy Weir - Project Hail Mary (2021) {Ray Porter}": { author: "Andy Weir", title: "Project Hail Mary", year: "2021", narrator: "Ray Porter" },
      "[bitsearch.to] Dean Koontz - Watchers": { author: "Dean Koontz", title: "Watchers" },
      "Terry Pratchett/Discworld, Book 2 - The Light Fantastic": { author: "Terry Pratchett", title: "The Light Fantastic", series: "Discworld", series_num: "2" },
      "George Orwell/1984 (Unabridged) [MP3] 128k": { author: "George Orwell", title: "1984" },
      "Stephen King - The Stand.mp3": { author: "Stephen King", title: "The Stand" },
    });
    // Path evidence alone (weight 40) never reaches the default threshold.
    expect(Object.values(books).every((b) => b.status === "needs_attention" && b.runs.path!.status === "ok")).toBe(true);
  });
});

describe("path layer: a doubtful reading counts for less", () => {
  it("claims a year read from 'YEAR - A Title' (the shape of '2001 - A Space Odyssey') at half weight", async () => {
    const root = path.join(tmp, "doubtful-year");
    const names = ["Anthony Burgess/1962 - A Clockwork Orange", "Stephen King/1986 - It", "Arthur C. Clarke/2001 - A Space Odyssey"];
    for (const name of names) fs.mkdirSync(path.join(root, name), { recursive: true });
    const layer = createPathLayer();
    const books = names.map((name, i) => ({ book_id: i + 1, path: path.join(root, name), kind: "folder", library_root: root }));
    const outcomes = await layer.processBatch(books as unknown as Parameters<Layer["processBatch"]>[0], { signal: new AbortController().signal });
    const claimed = outcomes.map((o) => ("claims" in o ? Object.fromEntries(o.claims.map((c) => [c.field, { value: c.value, weight: c.weight ?? layer.weight }])) : {}));
    const [clockwork, it, odyssey] = claimed;
    expect(clockwork.year!.value).toBe("1962");
    expect(it.year!.value).toBe("1986");
    // Same folder structure, so the same title weight; only the doubtful year is halved.
    expect(clockwork.title!.weight).toBe(it.title!.weight);
    expect(clockwork.year!.weight).toBe(Math.round(it.year!.weight / 2));
    expect(odyssey.title!.value).toBe("2001: A Space Odyssey");
    expect(odyssey.year).toBeUndefined();
  });
});

describe("path layer: a roman numeral is a series' position when its siblings number the same words", () => {
  it("reads 'The Dark Tower V - Wolves of the Calla' beside 'The Dark Tower I - The Gunslinger' as The Dark Tower #5, and a lone 'World War II - A History' as a title", async () => {
    const root = path.join(tmp, "roman-siblings");
    const folders = ["Stephen King/The Dark Tower I - The Gunslinger", "Stephen King/The Dark Tower V - Wolves of the Calla", "Antony Beevor/World War II - A History", "Stephen King/It"];
    for (const name of folders) fs.mkdirSync(path.join(root, name), { recursive: true });
    // A book that is one audio file is listed among its siblings without its extension.
    const file = "Stephen King/The Dark Tower II - The Drawing of the Three.mp3";
    fs.writeFileSync(path.join(root, file), "");
    const layer = createPathLayer();
    const books = [...folders, file].map((name, i) => ({ book_id: i + 1, path: path.join(root, name), kind: name.endsWith(".mp3") ? "file" : "folder", library_root: root }));
    const outcomes = await layer.processBatch(books as unknown as Parameters<Layer["processBatch"]>[0], { signal: new AbortController().signal });
    const claimed = outcomes.map((o) => ("claims" in o ? Object.fromEntries(o.claims.map((c) => [c.field, c.value])) : {}));
    expect(claimed[0]).toMatchObject({ author: "Stephen King", series: "The Dark Tower", series_num: "1", title: "The Gunslinger" });
    expect(claimed[1]).toMatchObject({ author: "Stephen King", series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla" });
    expect(claimed[1]!.subtitle).toBeUndefined();
    expect(claimed[2]).toMatchObject({ author: "Antony Beevor", title: "World War II", subtitle: "A History" });
    expect(claimed[2]!.series).toBeUndefined();
    expect(claimed[3]).toMatchObject({ author: "Stephen King", title: "It" });
    expect(claimed[4]).toMatchObject({ series: "The Dark Tower", series_num: "2", title: "The Drawing of the Three" });
  });
});

describe("path layer: numbered tracks beside a book folder are tracks of their folder's book (path-24)", () => {
  it("reads each loose track of 'Guards! Guards!' (a bonus folder beside them makes the scanner list them one by one) as that book, no series 'Guards! Guards!' #4", async () => {
    const tracks = ["01 - The Night Watch.mp3", "02 - Summoning.mp3", "03 - Dragons.mp3", "04 - Sinister Grey Mists.mp3"];
    const files: Record<string, (file: string) => void> = { "Terry Pratchett/Guards! Guards!/Extras/Interview.mp3": silentMp3 };
    for (const track of tracks) files[`Terry Pratchett/Guards! Guards!/${track}`] = silentMp3;
    const books = await identify("numbered-tracks", files, [createPathLayer()]);
    for (const track of tracks) {
      const book = books[path.join("Terry Pratchett", "Guards! Guards!", track)];
      expect(book?.fields).toMatchObject({ author: "Terry Pratchett", title: "Guards! Guards!", series: null, series_num: null });
    }
  });
});

describe("path layer: what the names beside a book say of its folder", () => {
  it("keeps a biography named for its subject under a writer's folder of several books, swaps a title folder holding only its writer, and reads year-sized positions of a long series from its siblings", async () => {
    const root = path.join(tmp, "folder-siblings");
    const folders = [
      "Ron Chernow/Alexander Hamilton",
      "Ron Chernow/Grant",
      "Project Hail Mary/Andy Weir",
      "Perry Rhodan/Perry Rhodan - 1500 - Die Ennox",
      "Perry Rhodan/Perry Rhodan - 2034 - Die Suche",
      "Agatha Christie/Agatha Christie - 1920 - The Mysterious Affair at Styles",
      "Agatha Christie/Agatha Christie - 1926 - The Murder of Roger Ackroyd",
    ];
    for (const name of folders) fs.mkdirSync(path.join(root, name), { recursive: true });
    const layer = createPathLayer();
    const books = folders.map((name, i) => ({ book_id: i + 1, path: path.join(root, name), kind: "folder", library_root: root }));
    const outcomes = await layer.processBatch(books as unknown as Parameters<Layer["processBatch"]>[0], { signal: new AbortController().signal });
    const claimed = outcomes.map((o) => ("claims" in o ? Object.fromEntries(o.claims.map((c) => [c.field, c.value])) : {}));
    expect(claimed[0]).toMatchObject({ author: "Ron Chernow", title: "Alexander Hamilton" });
    expect(claimed[2]).toMatchObject({ author: "Andy Weir", title: "Project Hail Mary" });
    expect(claimed[3]).toMatchObject({ series: "Perry Rhodan", series_num: "1500", title: "Die Ennox" });
    expect(claimed[3]!.year).toBeUndefined();
    expect(claimed[4]).toMatchObject({ series: "Perry Rhodan", series_num: "2034", title: "Die Suche" });
    expect(claimed[5]).toMatchObject({ author: "Agatha Christie", title: "The Mysterious Affair at Styles", year: "1920" });
    expect(claimed[5]!.series_num).toBeUndefined();
  });
});

describe("embedded_tags layer on real mp3, m4b and flac files", () => {
  let books: Record<string, Identified>;
  beforeAll(async () => {
    books = await identify(
      "tags",
      {
        // Series via TXXX:SERIES / SERIES-PART; narrator only as composer.
        "mp3 book/01.mp3": (f) => writeMp3(f, { title: "Chapter 1", album: "The Final Empire", artist: "Brandon Sanderson", composer: "Michael Kramer", series: "Mistborn", series_part: "1", year: "2006" }),
        "mp3 book/02.mp3": (f) => writeMp3(f, { title: "Chapter 2", album: "The Final Empire", artist: "Brandon Sanderson", composer: "Michael Kramer", series: "Mistborn", series_part: "1", year: "2006" }),
        // Series via ©mvn/©mvi; explicit narrator (©nrt).
        "m4b book/book.m4b": (f) => writeM4b(f, { title: "The Well of Ascension", album: "The Well of Ascension", artist: "Brandon Sanderson", narrator: "Michael Kramer", series: "Mistborn", series_part: "2" }),
        // Explicit narrator tag beside a composer who is then the writer.
        "flac book/dune.flac": (f) => writeFlac(f, { title: "Dune", album: "Dune", composer: "Frank Herbert", narrator: "Scott Brick", language: "eng", year: "1965" }),
        "broken book/book.mp3": (f) => writeCorrupt(f, "mp3"),
        "truncated book/book.m4b": (f) => writeCorrupt(f, "m4b", "truncated"),
      },
      [createPathLayer(), createEmbeddedTagsLayer(), createSidecarLayer()],
    );
  });

  it("mp3: series from TXXX:SERIES, narrator from the composer", () => {
    expect(books["mp3 book"]!.fields).toEqual({ author: "Brandon Sanderson", title: "The Final Empire", narrator: "Michael Kramer", series: "Mistborn", series_num: "1", year: "2006", language: null });
    expect(books["mp3 book"]!.evidence.series).toEqual(["embedded_tags=Mistborn"]);
  });

  it("m4b: series from ©mvn/©mvi, narrator from the explicit tag", () => {
    expect(books["m4b book"]!.fields).toMatchObject({ author: "Brandon Sanderson", title: "The Well of Ascension", narrator: "Michael Kramer", series: "Mistborn", series_num: "2" });
  });

  it("flac: explicit NARRATOR wins the narrator; the composer is the author", () => {
    expect(books["flac book"]!.fields).toMatchObject({ author: "Frank Herbert", title: "Dune", narrator: "Scott Brick", year: "1965" });
    expect(books["flac book"]!.status).toBe("identified");
  });

  it.each(["broken book", "truncated book"])("%s: an error run for that book, the others and later layers go on", (name) => {
    const book = books[name]!;
    expect(book.runs.embedded_tags).toMatchObject({ status: "error", error: expect.any(String) });
    expect(book.runs.embedded_tags!.error!.length).toBeGreaterThan(0);
    expect(book.runs.sidecar!.status).toBe("ok");
    expect(book.runs.path!.status).toBe("ok");
    expect(book.status).toBe("needs_attention");
    expect(books["mp3 book"]!.runs.embedded_tags!.status).toBe("ok");
  });
});

describe("sidecar layer", () => {
  it("reads metadata.json, OPF and reader.txt beside the audio", async () => {
    const opf = `<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" xmlns:opf="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>The Light Fantastic</dc:title><dc:creator opf:role="aut">Terry Pratchett</dc:creator>
<dc:creator opf:role="nrt">Nigel Planer</dc:creator><dc:date>1986</dc:date><dc:language>en</dc:language>
<meta name="calibre:series" content="Discworld"/><meta name="calibre:series_index" content="2"/></metadata></package>`;
    const books = await identify(
      "sidecars",
      {
        "abs/book.mp3": silentMp3,
        "abs/metadata.json": text(JSON.stringify({ title: "The Well of Ascension", authors: ["Brandon Sanderson"], narrators: ["Michael Kramer"], series: ["Mistborn #2"], publishedYear: "2007" })),
        "opf/tlf.mp3": silentMp3,
        "opf/book.opf": text(opf),
        "reader/1984.mp3": silentMp3,
        "reader/reader.txt": text("Simon Prebble\n"),
        "broken json/a.mp3": silentMp3,
        "broken json/metadata.json": text("{ not json"),
      },
      [createSidecarLayer()],
    );
    expect(books.abs!.fields).toMatchObject({ author: "Brandon Sanderson", title: "The Well of Ascension", narrator: "Michael Kramer", series: "Mistborn", series_num: "2", year: "2007" });
    expect(books.abs!.evidence.title).toEqual(["sidecar=The Well of Ascension"]);
    expect(books.opf!.fields).toMatchObject({ author: "Terry Pratchett", title: "The Light Fantastic", narrator: "Nigel Planer", series: "Discworld", series_num: "2", year: "1986" });
    expect(books.reader!.fields).toMatchObject({ narrator: "Simon Prebble", author: null, title: null });
    // A broken sidecar is a problem for that book only, not an error of the layer.
    expect(books["broken json"]!.runs.sidecar!.status).toBe("ok");
  });
});

describe("openlibrary layer through the CLI", () => {
  let fixture: OpenLibraryFixture;
  beforeAll(async () => {
    fixture = await startOpenLibraryFixture();
  });
  afterAll(() => fixture.close());

  it("looks up only books below the threshold and adds its evidence", async () => {
    const root = path.join(tmp, "ol-lib");
    const data = path.join(tmp, "ol-data");
    // Path evidence only, from download-style names (a clean Author/Title layout would be identified by its
    // structure alone): confidence below the threshold.
    fs.mkdirSync(path.join(root, "Andy Weir - Project Hail Mary (Unabridged)"), { recursive: true });
    writeMp3(path.join(root, "Andy Weir - Project Hail Mary (Unabridged)", "01.mp3"), {});
    fs.mkdirSync(path.join(root, "Nobody Known - A Book Not In Any Catalogue"), { recursive: true });
    writeMp3(path.join(root, "Nobody Known - A Book Not In Any Catalogue", "01.mp3"), {});
    // Well tagged: identified before Open Library runs, so never looked up.
    fs.mkdirSync(path.join(root, "Frank Herbert", "Dune"), { recursive: true });
    writeFlac(path.join(root, "Frank Herbert", "Dune", "dune.flac"), { title: "Dune", album: "Dune", artist: "Frank Herbert", year: "1965", narrator: "Scott Brick" });
    fs.mkdirSync(data);
    fs.writeFileSync(
      path.join(data, "config.json"),
      JSON.stringify({ openlibrary_enabled: true, openlibrary_url: fixture.url, openlibrary_rate_per_sec: 50, openlibrary_timeout_ms: 5000 }),
    );
    await runCliOk(["scan", root], { dataDir: data });
    await runCliOk(["process"], { dataDir: data });

    const titles = fixture.requests.map((r) => new URL(r, "http://x").searchParams.get("title"));
    expect(titles.sort()).toEqual(["A Book Not In Any Catalogue", "Project Hail Mary"]);
    expect(fixture.userAgents.every((ua) => ua.startsWith("shelfwise/"))).toBe(true);
    const byPath = Object.fromEntries(storedBooks(data).map((b) => [path.relative(root, b.path), b]));
    const phm = byPath["Andy Weir - Project Hail Mary (Unabridged)"]!;
    expect(phm.status).toBe("identified");
    expect(JSON.parse(phm.profile).evidence.year).toEqual([{ source: "openlibrary", value: "2021", weight: 45 }]);
    expect(byPath["Nobody Known - A Book Not In Any Catalogue"]!.status).toBe("needs_attention");
    expect(JSON.parse(byPath["Frank Herbert/Dune"]!.profile).evidence.year.map((e: { source: string }) => e.source)).toEqual(["embedded_tags"]);
  });
});
