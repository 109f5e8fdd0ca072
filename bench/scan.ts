/**
 * Scan benchmark on a generated library (20,000 books, ~100,000 audio files).
 * Each of 5 runs times `find ROOT > /dev/null` right before each measurement
 * and divides by it, so the machine's drift between runs cancels out; the
 * medians of those ratios are printed. Measured, in each run:
 * - walk: scanLibrary alone;
 * - first scan: walk + database, into a fresh database (target: within 3x);
 * - rescan: walk + database after the books were identified by the path
 *   layer (so rows carry real profile JSON), nothing changed on disk
 *   (target: within 1.5x).
 *
 *   npm run bench:scan [-- --books N]
 *
 * The library is generated once and cached under .bench/scan-library
 * (gitignored); a marker file records what was generated, so changing the
 * book count or the generator version regenerates it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateMessyTree, type MessyTreeSummary } from "../fixtures/messy-tree.js";
import os from "node:os";
import { scanLibrary } from "../src/library/scan.js";
import type { Db } from "../src/store/database.js";
import { applyScan } from "../src/store/books.js";
import { openSession } from "../src/app/open-session.js";
import { pipelineSettings, type Session } from "../src/app/session.js";
import { attachBuiltinLayers } from "../src/app/attach-plugins.js";
import { runPipeline } from "../src/pipeline/orchestrator.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_LIBRARY = path.join(REPO, ".bench", "scan-library");
/** Bump when generateMessyTree changes, so cached libraries are rebuilt. */
const GENERATOR_VERSION = 3;
const MARKER = ".shelfwise-bench.json"; // dot-prefixed: the scanner skips it

export interface BenchLibrary {
  root: string;
  summary: MessyTreeSummary;
}

/** Returns the cached bench library, generating it first when missing or stale. */
export async function ensureBenchLibrary(books = 20_000, root = BENCH_LIBRARY): Promise<BenchLibrary> {
  const markerPath = path.join(root, MARKER);
  try {
    const marker = JSON.parse(fs.readFileSync(markerPath, "utf8")) as { version: number; books: number; summary: MessyTreeSummary };
    if (marker.version === GENERATOR_VERSION && marker.books === books) return { root, summary: marker.summary };
  } catch {
    /* no usable marker: generate */
  }
  fs.rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  const summary = await generateMessyTree(root, { books });
  // Written last: an interrupted generation leaves no marker and is redone.
  fs.writeFileSync(markerPath, JSON.stringify({ version: GENERATOR_VERSION, books, summary }));
  console.log(`generated ${summary.books} books, ${summary.audioFiles} audio files in ${ms(performance.now() - started)}`);
  return { root, summary };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one `find ROOT > /dev/null`, in ms. */
export function timeFind(root: string): number {
  const devNull = fs.openSync("/dev/null", "w");
  try {
    const started = performance.now();
    const child = spawnSync("find", [root], { stdio: ["ignore", devNull, "inherit"] });
    const elapsed = performance.now() - started;
    if (child.status !== 0) throw new Error(`find failed with status ${child.status}`);
    return elapsed;
  } finally {
    fs.closeSync(devNull);
  }
}

/** Wall time of one scanLibrary of `root`, in ms, checking it found `expectedBooks`. */
export async function timeScan(root: string, expectedBooks: number): Promise<number> {
  const started = performance.now();
  const result = await scanLibrary([root]);
  const elapsed = performance.now() - started;
  if (result.books.length !== expectedBooks || result.problems.length > 0) {
    throw new Error(`scan found ${result.books.length} books (expected ${expectedBooks}) and ${result.problems.length} problems`);
  }
  return elapsed;
}

/** Wall time of walk + database reconcile, checking what the reconcile reported. */
async function timeStoredScan(db: Db, root: string, books: number, expect: "new" | "unchanged"): Promise<number> {
  const started = performance.now();
  const result = await scanLibrary([root]);
  const summary = applyScan(db, result.books, [root]);
  const elapsed = performance.now() - started;
  if (summary[expect] !== books) throw new Error(`expected ${books} ${expect} books, got ${JSON.stringify(summary)}`);
  return elapsed;
}

/** Fills the database as a real library would have it: every book identified by the path layer. */
async function identify(session: Session): Promise<void> {
  await attachBuiltinLayers(session);
  const pathLayer = session.registry.all().find((layer) => layer.info.layer_id === "path");
  if (!pathLayer) throw new Error("the path layer is not registered");
  await runPipeline({ ...pipelineSettings(session), layers: [pathLayer] });
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

interface Measure {
  label: string;
  times: number[];
  ratios: number[];
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--books");
  const books = flag > 0 ? Number(process.argv[flag + 1]) : 20_000;
  if (!Number.isInteger(books) || books <= 0) throw new Error("--books needs a positive whole number");
  const { root, summary } = await ensureBenchLibrary(books);
  console.log(`library: ${root} (${summary.books} books, ${summary.audioFiles} audio files, ${summary.folders} folders)`);

  const finds: number[] = [];
  const walk: Measure = { label: "walk", times: [], ratios: [] };
  const first: Measure = { label: "first scan", times: [], ratios: [] };
  const rescan: Measure = { label: "rescan", times: [], ratios: [] };
  const against = async (measure: Measure, timed: () => Promise<number>) => {
    const find = timeFind(root);
    const elapsed = await timed();
    finds.push(find);
    measure.times.push(elapsed);
    measure.ratios.push(elapsed / find);
  };
  for (let run = 0; run < 5; run++) {
    await against(walk, () => timeScan(root, summary.books));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-scan-"));
    const session = openSession(dataDir);
    try {
      await against(first, () => timeStoredScan(session.db, root, summary.books, "new"));
      await identify(session);
      await against(rescan, () => timeStoredScan(session.db, root, summary.books, "unchanged"));
    } finally {
      await session.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`find:         median ${ms(median(finds))}  (${finds.length} runs, ${ms(Math.min(...finds))} to ${ms(Math.max(...finds))})`);
  for (const m of [walk, first, rescan]) {
    const books_s = Math.round(summary.books / (median(m.times) / 1000));
    console.log(`${(m.label + ":").padEnd(13)} median ${ms(median(m.times))}  (${m.times.map(ms).join(", ")})  ${books_s} books/s`);
  }
  console.log(`walk:         ${median(walk.ratios).toFixed(2)}x find (walk only, no database)`);
  console.log(`first scan:   ${median(first.ratios).toFixed(2)}x find (target <= 3x)`);
  console.log(`rescan:       ${median(rescan.ratios).toFixed(2)}x find (target <= 1.5x; identified library, no changes)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
