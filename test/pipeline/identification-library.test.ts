/**
 * The generated library of fixtures/identification-library.ts, scanned and run
 * through the built-in layers (no network): per-field accuracy, the status of
 * clean layouts, and no book identified with a wrong author or title.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_JSON, expectedLibrary, writeLibrary, type ExpectedBook } from "../../fixtures/identification-library.js";
import { parseProfile, resolveProfile } from "../../src/domain/profile.js";
import { scanLibrary } from "../../src/library/scan.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createPathLayer } from "../../src/pipeline/layers/path-layer.js";
import { createEmbeddedTagsLayer } from "../../src/pipeline/layers/embedded-tags-layer.js";
import { createSidecarLayer } from "../../src/pipeline/layers/sidecar-layer.js";
import { openDatabase } from "../../src/store/database.js";
import { applyScan, listBooks } from "../../src/store/books.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const FIELDS = ["author", "title", "subtitle", "series", "series_num", "narrator", "year"] as const;

interface Outcome {
  expected: ExpectedBook;
  got: Record<(typeof FIELDS)[number], string | null>;
  status: string;
  reason: string | null;
}

let tmp: string;
let root: string;
let expected: ExpectedBook[];
beforeAll(() => {
  tmp = makeTempDir("identification");
  root = path.join(tmp, "library");
  expected = writeLibrary(root);
});
afterAll(() => removeTempDir(tmp));

async function identify(batchSize: number): Promise<Outcome[]> {
  const db = openDatabase(path.join(tmp, `batch-${batchSize}.db`));
  try {
    const scan = await scanLibrary([root]);
    applyScan(db, scan.books, [root]);
    await runPipeline({
      db,
      layers: [createPathLayer(), createEmbeddedTagsLayer(), createSidecarLayer()],
      batchSize,
      confidenceThreshold: 60,
      namingTemplate: "{author}/{series}/{series_num} - {title}",
    });
    const rows = new Map(listBooks(db).map((row) => [path.relative(root, row.path).split(path.sep).join("/"), row]));
    return expected.map((book) => {
      const row = rows.get(book.path);
      if (row === undefined) throw new Error(`the scan did not find ${book.path}`);
      const fields = resolveProfile(parseProfile(row.profile)).fields;
      const got = Object.fromEntries(FIELDS.map((f) => [f, fields[f].value])) as Outcome["got"];
      return { expected: book, got, status: row.status, reason: row.status_reason };
    });
  } finally {
    db.close();
  }
}

const same = (a: string | null, b: string | null) => (a ?? "").normalize("NFC") === (b ?? "").normalize("NFC");

describe("generated identification library", () => {
  it("ships its expectations: the JSON file matches the generator", () => {
    const shipped = JSON.parse(fs.readFileSync(EXPECTED_JSON, "utf8")) as ExpectedBook[];
    expect(shipped).toEqual(expectedLibrary());
    expect(shipped.length).toBeGreaterThanOrEqual(200);
    expect(shipped.filter((b) => b.clean).length).toBeGreaterThan(shipped.length / 2);
  });

  it("identifies at least 95% of books fully, trusts clean layouts, and never trusts a wrong author or title", async () => {
    const outcomes = await identify(25);
    const lines: string[] = [];
    for (const field of FIELDS) {
      const right = outcomes.filter((o) => same(o.got[field], o.expected[field])).length;
      lines.push(`  ${field.padEnd(11)} ${((100 * right) / outcomes.length).toFixed(1).padStart(5)}%  (${right}/${outcomes.length})`);
    }
    const fully = outcomes.filter((o) => FIELDS.every((f) => same(o.got[f], o.expected[f])));
    const clean = outcomes.filter((o) => o.expected.clean);
    const cleanIdentified = clean.filter((o) => o.status === "identified");
    const identified = outcomes.filter((o) => o.status === "identified");
    lines.push(`  fully right ${((100 * fully.length) / outcomes.length).toFixed(1).padStart(5)}%  (${fully.length}/${outcomes.length})`);
    lines.push(`  clean layouts identified: ${cleanIdentified.length}/${clean.length}; all identified: ${identified.length}/${outcomes.length}`);
    console.log(`per-field accuracy on ${outcomes.length} books:\n${lines.join("\n")}`);
    const wrong = outcomes
      .filter((o) => !FIELDS.every((f) => same(o.got[f], o.expected[f])))
      .map((o) => `${o.expected.path} [${o.status}]: ${FIELDS.filter((f) => !same(o.got[f], o.expected[f])).map((f) => `${f} ${JSON.stringify(o.got[f])} != ${JSON.stringify(o.expected[f])}`).join(", ")}`);
    if (wrong.length > 0) console.log(`not fully right:\n  ${wrong.join("\n  ")}`);

    const trustedWrong = identified.filter((o) => !same(o.got.author, o.expected.author) || !same(o.got.title, o.expected.title));
    expect(trustedWrong.map((o) => `${o.expected.path}: ${o.got.author} / ${o.got.title}`)).toEqual([]);
    expect(clean.filter((o) => o.status !== "identified").map((o) => `${o.expected.path}: ${o.reason}`)).toEqual([]);
    expect(fully.length / outcomes.length).toBeGreaterThanOrEqual(0.95);
    // An identified book says what it rests on; one that needs attention says what to do.
    for (const o of outcomes) expect(o.reason, o.expected.path).toMatch(/\S/);
    expect(cleanIdentified[0]!.reason).toMatch(/^author and title from path: person-named author folder/);
  });

  it("gives the same answers whatever the batch size", async () => {
    const [small, large] = [await identify(7), await identify(500)];
    expect(small.map((o) => [o.got, o.status, o.reason])).toEqual(large.map((o) => [o.got, o.status, o.reason]));
  });
});
