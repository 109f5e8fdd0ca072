/**
 * An HTTP source through whole pipeline runs (real database, real server on
 * 127.0.0.1): what a failing service leaves behind for the books the circuit
 * breaker kept it from asking.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpSourceSchema } from "../../src/config/http-source-schema.js";
import { runPipeline } from "../../src/pipeline/orchestrator.js";
import { createHttpSourceLayer } from "../../src/pipeline/sources/http-source-layer.js";
import { applyScan, listBooks } from "../../src/store/books.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import type { Db } from "../../src/store/database.js";
import { startJsonApi, type JsonApiServer } from "../../fixtures/json-api-server.js";
import { claimingLayer } from "../support/test-layers.js";
import { useTempDatabase } from "../support/db.js";

let api: JsonApiServer;
let db: Db;
beforeAll(async () => {
  api = await startJsonApi(() => ({ json: {} }));
});
afterAll(() => api.close());
useTempDatabase("http-source-run", (opened) => (db = opened));

const WORDS = ["Amber", "Beacon", "Cinder", "Drift", "Ember", "Fathom", "Gale", "Harbor", "Island", "Juniper"];

function seed(n: number): void {
  const books = Array.from({ length: n }, (_, i) => {
    const p = `/lib/The ${WORDS[i]} Road`;
    return { path: p, kind: "folder" as const, library_root: "/lib", files: [{ path: `${p}/a.mp3`, size: 1 }], fingerprint: p };
  });
  applyScan(db, books, ["/lib"]);
}

// Gives every book a title, as the path layer would, so the source has something to ask by.
const titles = claimingLayer("titles", (book) => [{ field: "title", value: path.basename(book.path) }], { order: 10, weight: 40 });

async function processRun(clock: () => number) {
  const source = createHttpSourceLayer(
    httpSourceSchema().parse({
      id: "catalogue",
      url_template: `${api.url}/search?q={{title}}`,
      response_mapping: { title: "$.title", year: "$.year" },
      allow_private: true,
      concurrency: 1,
      breaker_failures: 2,
      breaker_cooldown_s: 60,
    }),
    { secrets: {}, confidenceThreshold: 60, now: clock },
  );
  try {
    return await runPipeline({ db, layers: [titles, source], batchSize: 4, confidenceThreshold: 60, namingTemplate: "{author}/{title}" });
  } finally {
    await source.close();
  }
}

describe("the circuit breaker across a process run", () => {
  it("leaves the books it kept from being asked pending, says so once, and the next run asks them", async () => {
    seed(10);
    let now = new Date(2024, 0, 1, 10, 0, 0).getTime();
    api.setHandler(() => ({ status: 503, json: { error: "maintenance" } }));
    const before = api.requests.length;
    const first = await processRun(() => now);
    expect(api.requests.length - before).toBe(2);
    const layer = first.layers.find((l) => l.layer_id === "catalogue")!;
    // Two books failed; the eight the open breaker refused made no request and got no run.
    expect(layer.errors).toBe(2);
    expect(layer.processed).toBe(2);
    expect(layer.warnings).toEqual([
      expect.stringMatching(/^catalogue paused after 2 failures; retrying after 2024-01-01 10:01:00 [+-]\d\d:\d\d: 8 books were not asked and stay pending \(the next run asks them\)$/),
    ]);
    const ids = listBooks(db).map((b) => b.id);
    const statuses = () => ids.map((id) => runsForBook(db, id).find((r) => r.layer_id === "catalogue")?.status ?? "pending");
    expect(statuses()).toEqual(["error", "error", ...Array(8).fill("pending")]);

    now += 60_000;
    api.setHandler((r) => ({ json: { title: new URL(r.url, api.url).searchParams.get("q"), year: "1999" } }));
    const second = await processRun(() => now);
    expect(api.requests.length - before).toBe(10);
    expect(second.layers.find((l) => l.layer_id === "catalogue")!.warnings).toEqual([]);
    expect(statuses()).toEqual(["error", "error", ...Array(8).fill("ok")]);
  });
});
