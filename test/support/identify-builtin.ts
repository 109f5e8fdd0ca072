/**
 * A library folder scanned into a fresh database and identified by the built-in layers (path, embedded tags,
 * sidecar), as `scan` and `process` would: the set-up of the table-driven identification tests.
 */
import path from "node:path";
import { parseProfile, resolveProfile, type ResolvedProfile } from "../../src/domain/profile.js";
import { scanLibrary } from "../../src/library/scan.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { openDatabase } from "../../src/store/database.js";
import { applyScan, listBooks } from "../../src/store/books.js";

type Book = ReturnType<typeof listBooks>[number];

/** Scans `root` into the database `dbFile`, runs the built-in layers, and hands each book with its resolved profile to `each`. */
export async function identifyWithBuiltins(root: string, dbFile: string, each: (book: Book, resolved: ResolvedProfile) => void): Promise<void> {
  const db = openDatabase(dbFile);
  try {
    const scan = await scanLibrary([root]);
    applyScan(db, scan.books, [root]);
    await runPipeline({ db, layers: [createPathLayer(), createEmbeddedTagsLayer(), createSidecarLayer()], batchSize: 50, confidenceThreshold: 60, namingTemplate: "{author}/{title}" });
    for (const book of listBooks(db)) each(book, resolveProfile(parseProfile(book.profile)));
  } finally {
    db.close();
  }
}

/** Each book's resolved field values, by the name of the folder under `root` that holds it. */
export async function fieldsByTopFolder(root: string, dbFile: string): Promise<Map<string, Record<string, string | null>>> {
  const got = new Map<string, Record<string, string | null>>();
  await identifyWithBuiltins(root, dbFile, (book, resolved) => {
    got.set(path.relative(root, book.path).split(path.sep)[0]!, Object.fromEntries(Object.entries(resolved.fields).map(([name, field]) => [name, field.value as string | null])));
  });
  return got;
}
