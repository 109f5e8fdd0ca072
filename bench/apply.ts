/**
 * Apply benchmark: 5,000 folder books (two files each) moved from an inbox
 * into `{author}/{series}/{series_num} - {title}` folders by applyMoves
 * (plan, checks, journal with full-sync commits, folder fsyncs included),
 * timed against a bare loop of mkdir -p + rename on an identical copy of the
 * same folders to the same targets: the physical floor. Prints books/s of
 * both and the ratio (target: within 3x).
 *
 *   npm run bench:apply [-- --books N] [-- --sync]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultConfig } from "../src/config/config-schema.js";
import { scanLibrary } from "../src/library/scan.js";
import { applyMoves, type ApplyTimings } from "../src/organize/apply.js";
import { setUserFields } from "../src/organize/corrections.js";
import { buildPlan } from "../src/organize/plan.js";
import type { OrganizeContext } from "../src/organize/types.js";
import { applyScan, listBooks } from "../src/store/books.js";
import { openDatabase } from "../src/store/database.js";

const arg = process.argv.indexOf("--books");
const BOOKS = arg > 0 ? Number(process.argv[arg + 1]) : 5000;

function makeTree(root: string): void {
  for (let i = 0; i < BOOKS; i++) {
    const dir = path.join(root, "inbox", `Author ${i % 250} - Book ${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "01.mp3"), `a${i}`);
    fs.writeFileSync(path.join(dir, "02.mp3"), `b${i}`);
  }
}

async function prepared(root: string): Promise<OrganizeContext> {
  const lib = path.join(root, "library");
  makeTree(lib);
  const db = openDatabase(path.join(root, "data", "shelfwise.db"));
  const ctx: OrganizeContext = { db, config: defaultConfig(), dataDir: path.join(root, "data") };
  const scanned = await scanLibrary([lib]);
  applyScan(db, scanned.books, [lib]);
  db.transaction(() => {
    for (const row of listBooks(db)) {
      const i = Number(/Book (\d+)$/.exec(row.path)![1]);
      setUserFields(ctx, row.id, { set: { author: `Author ${i % 250}`, title: `Voyage ${i} of the Sea`, series: `Saga ${i % 500}`, series_num: String((i % 10) + 1) } });
    }
  })();
  // As after any earlier command (closing the database checkpoints it): the preparation's writes are not the apply's.
  db.pragma("wal_checkpoint(TRUNCATE)");
  return ctx;
}

/**
 * With --sync: flushes what the preparation wrote (two trees of 15,000 files
 * and folders, the database) before each timed part, so that neither pays
 * for the other's write-back. Not the default: it changes the conditions the
 * earlier figures (docs/performance-log.md) were measured in (the bare loop gets faster, the
 * apply slower: its renames then re-dirty metadata the flush had cleaned).
 */
function settleDisk(): void {
  if (!process.argv.includes("--sync")) return;
  try {
    execFileSync("sync");
  } catch {
    // No sync(1) here: timings include the preparation's write-back.
  }
}

/**
 * CPU time of this process's main thread so far (ms; Linux, from the
 * scheduler's own count), null elsewhere. The apply's critical path is this
 * thread: on a shared machine its CPU time says more than the wall clock.
 */
function mainThreadCpuMs(): number | null {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-apply-"));
try {
  console.log(`preparing ${BOOKS} books twice...`);
  const ctx = await prepared(path.join(tmp, "a"));
  const plan = buildPlan(ctx);
  if (plan.counts.move !== BOOKS) throw new Error(`expected ${BOOKS} moves, plan has ${JSON.stringify(plan.counts)}`);
  // The floor: the same folders, the same targets, on a second identical tree.
  const other = path.join(tmp, "b", "library");
  makeTree(other);
  const pairs = plan.entries.map((e) => [e.from.replace(path.join(tmp, "a"), path.join(tmp, "b")), e.to!.replace(path.join(tmp, "a"), path.join(tmp, "b"))]);
  settleDisk();
  let started = performance.now();
  for (const [from, to] of pairs) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  }
  const bare = performance.now() - started;

  started = performance.now();
  buildPlan(ctx);
  const planned = performance.now() - started;
  settleDisk();
  started = performance.now();
  const timings: ApplyTimings = { plan: 0, check: 0, journal: 0, move: 0 };
  const cpuBefore = mainThreadCpuMs();
  // Read again right before the first intent: the main thread's CPU splits into the plan's side and the journal's.
  let cpuAtMoves: number | null = null;
  const report = await applyMoves(ctx, { timings, beforeMoves: () => (cpuAtMoves = mainThreadCpuMs()) });
  const applied = performance.now() - started;
  const cpuAfter = mainThreadCpuMs();
  if (report.moved.length !== BOOKS) throw new Error(`apply moved ${report.moved.length} of ${BOOKS}: ${JSON.stringify(report.failed.slice(0, 3))}`);

  const rate = (t: number) => Math.round((BOOKS / t) * 1000);
  console.log(`bare mkdir+rename loop: ${bare.toFixed(0)} ms, ${rate(bare)} books/s`);
  console.log(`applyMoves (plan, checks, journal, fsyncs): ${applied.toFixed(0)} ms, ${rate(applied)} books/s`);
  console.log(`  of which: plan ${timings.plan.toFixed(0)} ms, file check ${timings.check.toFixed(0)} ms (beyond the plan it runs beside), journal ${timings.journal.toFixed(0)} ms, moves ${timings.move.toFixed(0)} ms (beyond the journal steps they run beside)`);
  if (cpuBefore !== null && cpuAfter !== null) {
    console.log(`  main thread's CPU time during applyMoves: ${(cpuAfter - cpuBefore).toFixed(0)} ms (the rest of its wall time it waited: for disk, workers, or a core)`);
    // Each reading may lag by one scheduler tick (4 ms at 250 Hz): the kernel updates a running thread's count per tick.
    if (cpuAtMoves !== null) console.log(`    before the first move (lock, plan, checks) ${(cpuAtMoves - cpuBefore).toFixed(0)} ms; from it on (journal steps, each chunk's results, rename dispatch) ${(cpuAfter - cpuAtMoves).toFixed(0)} ms`);
  }
  console.log(`  for scale: a full \`plan\` (targets, conflict checks, and the fields that change, which apply skips): ${planned.toFixed(0)} ms`);
  console.log(`ratio: ${(applied / bare).toFixed(2)}x the bare loop (target 3x)`);
  ctx.db.close();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
