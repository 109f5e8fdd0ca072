/**
 * apply holds V8's optimizing compiler off while it moves books (compile-tier.ts: it cost a core's worth of CPU on
 * 2 cores for nothing the run gained) and gives it back after: a server or script that applied once must not run
 * everything after at the baseline tier. Each case is its own process (the compiler's flags are the process's).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { HOLD_MS } from "../../src/organize/compile-tier.js";
import { builtModuleUrl } from "../support/built.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let dir: string;
beforeEach(() => {
  dir = makeTempDir("compile-tier-");
});
afterEach(() => removeTempDir(dir));

/**
 * A child that applies moves for 3 books and reports whether a function made hot during the run (in onProgress)
 * and one made hot after it were optimized. Recompilation is synchronous there (--no-concurrent-recompilation), so
 * "optimized" is known on the next line rather than some time later.
 */
const CHILD = `
const lib = process.argv[2];
const fs = await import("node:fs");
const path = await import("node:path");
const { openDatabase } = await import(${JSON.stringify(builtModuleUrl("store/database.js"))});
const { defaultConfig } = await import(${JSON.stringify(builtModuleUrl("config/config-schema.js"))});
const { scanLibrary } = await import(${JSON.stringify(builtModuleUrl("library/scan.js"))});
const { applyScan, listBooks } = await import(${JSON.stringify(builtModuleUrl("store/books.js"))});
const { setUserFields } = await import(${JSON.stringify(builtModuleUrl("organize/corrections.js"))});
const { applyMoves } = await import(${JSON.stringify(builtModuleUrl("organize/apply.js"))});
for (let i = 0; i < 3; i++) {
  fs.mkdirSync(path.join(lib, "inbox", "book " + i), { recursive: true });
  fs.writeFileSync(path.join(lib, "inbox", "book " + i, "01.mp3"), "audio " + i);
}
const dataDir = path.join(path.dirname(lib), "data");
const db = openDatabase(path.join(dataDir, "shelfwise.db"));
const ctx = { db, config: { ...defaultConfig(), library_paths: [lib] }, dataDir };
applyScan(db, (await scanLibrary([lib])).books, [lib]);
for (const row of listBooks(db)) setUserFields(ctx, row.id, { set: { author: "Writer", title: "Title " + row.id } });
function during(n) { let s = 0; for (let i = 0; i < n; i++) s += (i * 7) % 13; return s; }
function after(n) { let s = 0; for (let i = 0; i < n; i++) s += (i * 5) % 11; return s; }
const optimized = (f) => (%GetOptimizationStatus(f) & 16) !== 0;
const heat = (f) => { %PrepareFunctionForOptimization(f); for (let k = 0; k < 3000; k++) f(500); return optimized(f); };
let duringRun = null;
let heatedAfterMs = null;
const began = performance.now();
const report = await applyMoves(ctx, { onProgress: () => { if (duringRun === null) { heatedAfterMs = performance.now() - began; duringRun = heat(during); } } });
db.close();
console.log(JSON.stringify({ moved: report.moved.length, during: duringRun, heatedAfterMs, after: heat(after) }));
`;

async function runChild(flags: string[]): Promise<{ moved: number; during: boolean | null; heatedAfterMs: number; after: boolean }> {
  const lib = path.join(dir, "library");
  const script = path.join(dir, "child.mjs");
  fs.writeFileSync(script, CHILD);
  const child = spawn(process.execPath, ["--allow-natives-syntax", "--no-concurrent-recompilation", ...flags, script, lib], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(err, "the child's stderr").toBe("");
  expect(code).toBe(0);
  return JSON.parse(out);
}

it("holds the optimizing compiler off while books move and gives it back once apply returns", async () => {
  const seen = await runChild([]);
  expect(seen.moved).toBe(3);
  // The hold lasts a run's first second (HOLD_MS): on a machine so loaded that these 3 books took most of it to
  // reach their first move, the compiler may be back already, and this case cannot tell.
  if (seen.heatedAfterMs < HOLD_MS - 200) expect(seen.during, "a function made hot while books moved").toBe(false);
  else console.warn(`compile-tier: the run's first move came ${seen.heatedAfterMs.toFixed(0)} ms after it began; the hold is not judged`);
  expect(seen.after, "a function made hot after apply returned").toBe(true);
});

it("leaves the compiler as it is in a process started with its own choice of tier", async () => {
  const seen = await runChild(["--turbofan"]);
  expect(seen.moved).toBe(3);
  expect(seen.during, "a function made hot while books moved").toBe(true);
  expect(seen.after).toBe(true);
});

it("gives the compiler back to a run that lasts longer than the hold, while it runs", async () => {
  // The module itself, with a hold of 50 ms: a run that outlasts it optimizes what gets hot after that.
  const script = path.join(dir, "long.mjs");
  fs.writeFileSync(
    script,
    `const { withoutOptimizingCompiler } = await import(${JSON.stringify(builtModuleUrl("organize/compile-tier.js"))});
function early(n) { let s = 0; for (let i = 0; i < n; i++) s += (i * 7) % 13; return s; }
function late(n) { let s = 0; for (let i = 0; i < n; i++) s += (i * 5) % 11; return s; }
const optimized = (f) => (%GetOptimizationStatus(f) & 16) !== 0;
const heat = (f) => { %PrepareFunctionForOptimization(f); for (let k = 0; k < 3000; k++) f(500); return optimized(f); };
const seen = await withoutOptimizingCompiler(async () => {
  const first = heat(early);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { early: first, late: heat(late) };
}, 50);
console.log(JSON.stringify(seen));`,
  );
  const child = spawn(process.execPath, ["--allow-natives-syntax", "--no-concurrent-recompilation", script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({ early: false, late: true });
});
