/**
 * Path and sidecar in one pass (orchestrator.ts runPassGroup) identify exactly as the two layers in separate passes:
 * same stored values, profiles, statuses, runs and summaries, also for books that already have one of the runs.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { scanLibrary } from "../../src/library/scan.js";
import { runPipeline, type LayerSummary } from "../../src/pipeline/orchestrator.js";
import type { Layer } from "../../src/pipeline/layer.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { openDatabase, type Db } from "../../src/store/database.js";
import { applyScan } from "../../src/store/books.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let root: string;
let scanned: Awaited<ReturnType<typeof scanLibrary>>;
const SETTINGS = { batchSize: 2, confidenceThreshold: 60, namingTemplate: "{author}/{series}/{series_num} - {title}" };
const BOTH = ["path", "sidecar"];

beforeAll(async () => {
  tmp = makeTempDir("shared-pass");
  root = path.join(tmp, "library");
  const book = (rel: string, extra: Record<string, string> = {}) => {
    const dir = path.join(root, rel);
    fs.mkdirSync(dir, { recursive: true });
    writeMp3(path.join(dir, "01 - Chapter 1.mp3"), { title: "Chapter 1" });
    for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  };
  // The sidecar agrees, disagrees, adds a narrator, fails to parse, or is absent; folders of several shapes.
  book("Brandon Sanderson/Mistborn/01 - The Final Empire", { "metadata.json": JSON.stringify({ title: "The Final Empire", authors: ["Brandon Sanderson"], narrators: ["Michael Kramer"] }) });
  book("Brandon Sanderson/Mistborn/02 - The Well of Ascension", { "metadata.json": JSON.stringify({ title: "Well of Ascension", authors: ["B. Sanderson"], series: ["Mistborn #2"] }) });
  book("Brandon Sanderson/Mistborn/03 - The Hero of Ages", { "metadata.json": "{ not json" });
  book("Ursula K. Le Guin - A Wizard of Earthsea", { "reader.txt": "Rob Inglis\n" });
  book("Terry Pratchett/Guards! Guards!");
  book("Unsorted/some folder", { "metadata.json": JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], publishedYear: "1965" }) });
  book("Octavia E. Butler/Kindred", { "desc.txt": "A novel." });
  scanned = await scanLibrary([root]);
});
afterAll(() => removeTempDir(tmp));

function freshDb(name: string): Db {
  const db = openDatabase(path.join(tmp, `${name}.db`));
  applyScan(db, scanned.books, [root]);
  return db;
}

const layers = (): Record<string, Layer> => ({ path: createPathLayer(), sidecar: createSidecarLayer() });

/** Everything identification leaves in the store, per book path. */
function state(db: Db): unknown {
  const books = db
    .prepare("SELECT id, path, status, status_reason, proposed_path, confidence, coalesce((SELECT profile FROM book_profiles WHERE book_id = books.id), '{}') AS profile, author, title, narrator, series, series_num, year, language FROM books ORDER BY path")
    .all() as { id: number; path: string }[];
  const runs = db.prepare("SELECT book_id, layer_id, status, error FROM layer_runs ORDER BY book_id, layer_id").all() as { book_id: number }[];
  return books.map(({ id, ...book }) => ({ ...book, runs: runs.filter((r) => r.book_id === id).map(({ book_id: _, ...r }) => r) }));
}

const counts = (s: LayerSummary) => ({ layer_id: s.layer_id, processed: s.processed, evidence_added: s.evidence_added, errors: s.errors, skipped: s.skipped, warnings: s.warnings });

it("gives the same books, runs and summaries as separate passes, and runs only the layers a book lacks", async () => {
  const separateDb = freshDb("separate");
  const sharedDb = freshDb("shared");
  const partialDb = freshDb("partial");
  try {
    const l = layers();
    const separate = [
      ...(await runPipeline({ db: separateDb, ...SETTINGS, layers: [l.path!], statusLayerIds: BOTH })).layers,
      ...(await runPipeline({ db: separateDb, ...SETTINGS, layers: [l.sidecar!], statusLayerIds: BOTH })).layers,
    ];
    const s = layers();
    const shared = await runPipeline({ db: sharedDb, ...SETTINGS, layers: [s.path!, s.sidecar!] });
    expect(shared.layers.map(counts)).toEqual(separate.map(counts));
    expect(shared.layers.find((x) => x.layer_id === "sidecar")!.warnings.length).toBeGreaterThan(0);
    expect(state(sharedDb)).toEqual(state(separateDb));

    // A book with the path run already (an earlier `process --layer path`) gets only the sidecar in the pass.
    const p = layers();
    await runPipeline({ db: partialDb, ...SETTINGS, layers: [p.path!], statusLayerIds: BOTH });
    const rest = await runPipeline({ db: partialDb, ...SETTINGS, layers: [p.path!, p.sidecar!] });
    expect(rest.layers.map((x) => [x.layer_id, x.processed])).toEqual([
      ["path", 0],
      ["sidecar", scanned.books.length],
    ]);
    expect(state(partialDb)).toEqual(state(separateDb));
  } finally {
    for (const db of [separateDb, sharedDb, partialDb]) db.close();
  }
});
