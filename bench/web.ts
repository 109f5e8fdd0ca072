/**
 * Web API benchmark: 100,000 books and 1,000,000 plugin call records in a real
 * database, then the books list API (first page, a text search, a status
 * filter, a sort) and the plugin health API through the real fastify app
 * (routing, validation, response check). p50 and p95 for each; target p95 <
 * 50 ms. Outside the target: the worst case of a search (every book matches,
 * sorted by another column, a deep page: every book is sorted). The reference,
 * measured in the same run: the same text search as a plain LIKE scan of the
 * table (what the trigram index saves).
 *
 *   npm run bench:web [-- --books N --calls N]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/store/database.js";
import { syncBookSearch } from "../src/store/book-queries.js";
import { writeProfile } from "../src/store/book-profiles.js";
import { ShelfService } from "../src/server/service.js";
import { buildServer } from "../src/server/server.js";

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const BOOKS = arg("books", 100_000);
const CALLS = arg("calls", 1_000_000);
const PLUGINS = 5;
const RUNS = 200;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-web-"));

function seed(): void {
  const started = performance.now();
  const db = openDatabase(path.join(dataDir, "shelfwise.db"));
  const statuses = ["identified", "identified", "identified", "needs_attention", "pending", "missing"];
  const now = new Date().toISOString();
  // A profile of a realistic size: the list must not pay for it.
  const profile = JSON.stringify({ version: 1, evidence: { author: [{ source: "path", value: "x".repeat(40), weight: 40 }], title: [{ source: "embedded_tags", value: "y".repeat(300), weight: 80 }] }, rejected: [] });
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, narrator, series, series_num, year, language, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', '/library', ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < BOOKS; i++) {
      const author = i % 7 === 0 ? null : `Author ${i % 5000}`;
      const series = i % 3 === 0 ? `Series ${i % 2000}` : null;
      const p = `/library/${author ?? "Unknown"}/${series ? `${series}/` : ""}Book ${i}`;
      const { lastInsertRowid } = insert.run(p, statuses[i % statuses.length], author, `Title ${i}`, i % 4 ? `Narrator ${i % 900}` : null, series, series ? String(i % 12) : null, String(1950 + (i % 70)), (i * 37) % 101, String(i), `[{"path":"${p}/01.mp3","size":1000}]`, now, now, now);
      writeProfile(db, Number(lastInsertRowid), profile);
    }
  })();
  const call = db.prepare("INSERT INTO plugin_calls (plugin_id, book_id, at, outcome, duration_ms, resolved, error) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const outcomes = ["ok", "ok", "ok", "ok", "no_result", "ok", "error", "ok", "timeout", "ok"];
  const t0 = Date.now() - CALLS * 100;
  db.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const outcome = outcomes[i % outcomes.length]!;
      const failed = outcome === "error" || outcome === "timeout";
      call.run(`plugin-${i % PLUGINS}`, (i % BOOKS) + 1, new Date(t0 + i * 100).toISOString(), outcome, 5 + (i % 40), outcome === "ok" ? 1 : 0, failed ? `lookup failed (${i})` : null);
    }
    for (let p = 0; p < PLUGINS; p++) {
      db.prepare("INSERT INTO plugin_state (plugin_id, state, total_processed, total_resolved, updated_at) VALUES (?, 'enabled', ?, ?, ?)").run(`plugin-${p}`, CALLS / PLUGINS, CALLS / PLUGINS / 2, now);
    }
  })();
  const indexed = performance.now();
  syncBookSearch(db);
  console.log(`search index of ${BOOKS.toLocaleString("en")} books built in ${((performance.now() - indexed) / 1000).toFixed(1)} s (once; after that only changed books)`);
  db.pragma("optimize");
  db.close();
  for (let p = 0; p < PLUGINS; p++) {
    const folder = path.join(dataDir, "plugins", `plugin-${p}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "index.mjs"), "export default class P { process() { return null; } }\n");
    fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ id: `plugin-${p}`, name: `Plugin ${p}`, entry_point: "index.mjs" }));
  }
  console.log(`seeded ${BOOKS.toLocaleString("en")} books and ${CALLS.toLocaleString("en")} plugin calls in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

async function measure(label: string, run: () => Promise<void>): Promise<{ label: string; p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

seed();
const service = await ShelfService.open(dataDir, { autoRun: false, watch: false });
const app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
let n = 0;
const get = (url: (i: number) => string) => async () => {
  const response = await app.inject({ method: "GET", url: url(n++), headers: { host: "127.0.0.1" } });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${response.body}`);
};

const results = [
  await measure("books: first page", get(() => "/api/books")),
  await measure("books: text search", get((i) => `/api/books?text=${encodeURIComponent(`Title ${4000 + (i % 500)}`)}`)),
  // A search matching one book in eleven, sorted by another column, at a deep page: every match is sorted.
  await measure("books: search (9%) by author, deep page", get((i) => `/api/books?text=${encodeURIComponent("Narrator 1")}&sort=author&order=desc&offset=${Math.floor(BOOKS / 25) + (i % 10) * 50}`)),
  await measure("books: status filter", get((i) => `/api/books?status=needs_attention&offset=${(i % 20) * 50}`)),
  await measure("books: sort by author (desc, page 3)", get(() => "/api/books?sort=author&order=desc&offset=100")),
  await measure("books: filter + sort (series, confidence >= 50)", get(() => "/api/books?sort=series&min_confidence=50")),
  await measure("plugin health (5 plugins, 1M calls)", get(() => "/api/health")),
  await measure("plugin call log (errors)", get(() => "/api/health/plugin-2/calls?outcome=error")),
];
// The worst case, outside the target: a search every book matches, sorted by another column, at a deep page.
const worst = await measure("worst: every book matches, by author, deep", get((i) => `/api/books?text=Book&sort=author&order=desc&offset=${Math.floor(BOOKS / 2) + (i % 20) * 50}`));
// The reference: the same search as a plain LIKE scan over the table.
const db = service.session.db;
const like = db.prepare("SELECT id FROM books WHERE path LIKE ? OR author LIKE ? OR title LIKE ? OR series LIKE ? OR narrator LIKE ? ORDER BY path LIMIT 50");
const reference = await measure("reference: LIKE scan for the same search", async () => {
  const q = `%Title ${4000 + (n++ % 500)}%`;
  like.all(q, q, q, q, q);
});

await app.close();
await service.close();
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(`\n${"".padEnd(48)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}`);
for (const r of [...results, worst, reference]) console.log(`${r.label.padEnd(48)}${r.p50.toFixed(2).padStart(9)}${r.p95.toFixed(2).padStart(9)}${results.includes(r) ? (r.p95 < 50 ? "  ok" : "  SLOW") : ""}`);
const search = results[1]!;
console.log(`\ntext search vs LIKE scan: ${(reference.p50 / search.p50).toFixed(1)}x faster (p50)`);
console.log(`target p95 < 50 ms: ${results.every((r) => r.p95 < 50) ? "met" : "NOT met"}`);
