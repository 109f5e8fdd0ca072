/**
 * Scan benchmark: times `find ROOT > /dev/null` and a first scanLibrary of the
 * same generated library (20,000 books, ~100,000 audio files), median of 3
 * each, and prints books/s and the ratio to find (target: within 3x).
 *
 *   npx tsx bench/scan.ts [--books N]
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
import { openDatabase } from "../src/store/database.js";
import { applyScan } from "../src/store/books.js";

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
async function timeStoredScan(db: ReturnType<typeof openDatabase>, root: string, books: number, expect: "new" | "unchanged"): Promise<number> {
  const started = performance.now();
  const result = await scanLibrary([root]);
  const summary = applyScan(db, result.books, [root]);
  const elapsed = performance.now() - started;
  if (summary[expect] !== books) throw new Error(`expected ${books} ${expect} books, got ${JSON.stringify(summary)}`);
  return elapsed;
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--books");
  const books = flag > 0 ? Number(process.argv[flag + 1]) : 20_000;
  if (!Number.isInteger(books) || books <= 0) throw new Error("--books needs a positive whole number");
  const { root, summary } = await ensureBenchLibrary(books);
  console.log(`library: ${root} (${summary.books} books, ${summary.audioFiles} audio files, ${summary.folders} folders)`);

  const finds: number[] = [];
  const scans: number[] = [];
  for (let run = 0; run < 3; run++) {
    finds.push(timeFind(root));
    scans.push(await timeScan(root, summary.books));
  }
  // What `shelfwise scan` does: walk, then reconcile with the database (a fresh
  // one for the first scan; the same one, unchanged library, for the rescan).
  const firsts: number[] = [];
  const rescans: number[] = [];
  for (let run = 0; run < 3; run++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-scan-"));
    const db = openDatabase(path.join(dir, "shelfwise.db"));
    try {
      firsts.push(await timeStoredScan(db, root, summary.books, "new"));
      rescans.push(await timeStoredScan(db, root, summary.books, "unchanged"));
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const find = median(finds);
  const scan = median(scans);
  const first = median(firsts);
  const rescan = median(rescans);
  console.log(`find:         median ${ms(find)}  (${finds.map(ms).join(", ")})`);
  console.log(`scanLibrary:  median ${ms(scan)}  (${scans.map(ms).join(", ")})`);
  console.log(`books/s:      ${Math.round(summary.books / (scan / 1000))}`);
  console.log(`ratio:        ${(scan / find).toFixed(2)}x find (walk only)`);
  console.log(`first scan:   median ${ms(first)}  (${firsts.map(ms).join(", ")})  walk + database`);
  console.log(`rescan:       median ${ms(rescan)}  (${rescans.map(ms).join(", ")})  no changes`);
  console.log(`books/s:      first ${Math.round(summary.books / (first / 1000))}, rescan ${Math.round(summary.books / (rescan / 1000))}`);
  console.log(`first scan:   ${(first / find).toFixed(2)}x find (target <= 3x)`);
  console.log(`rescan:       ${(rescan / find).toFixed(2)}x find (target <= 1.5x)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
