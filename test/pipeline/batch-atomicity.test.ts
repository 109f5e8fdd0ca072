/**
 * One transaction per batch, at-most-once plugin calls: `process` is killed
 * (SIGKILL, sent by test/support/kill-at-write.c, preloaded into the CLI, just
 * before the write) at its n-th WAL write while only a plugin layer is left
 * to run, and every kill is followed by a normal `process`.
 * Whatever write the kill hit: every book ends with exactly one run per layer,
 * the plugin saw every book exactly once (it appends the ids it gets to a file
 * in its data folder), and its health counters count each call once (a call the
 * kill interrupted not at all).
 *
 * A run without a kill first counts the run's WAL writes (about 40 for
 * this batch). strace did the same before, but tracing every system call of
 * the CLI made this the slowest file of the suite. Every write costs two CLI starts and a plugin start, so when
 * there are many the kill points are a sample that spans the whole run: the
 * first write, the last, evenly spaced writes between them, two random ones
 * (a different pair each run, named in any failure), and one past the last,
 * where the run must finish unkilled.
 */
import Database from "better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";

const hasCompiler = spawnSync("cc", ["--version"]).status === 0;
const SHIM_SOURCE = fileURLToPath(new URL("../support/kill-at-write.c", import.meta.url));
const BOOKS = 4;
const LAYERS = ["path", "embedded_tags", "sidecar", "seen"];

const PLUGIN = `import fs from "node:fs";
export default class {
  process(book) {
    fs.appendFileSync(process.env.HOME + "/seen.txt", book.book_id + "\\n");
    return { language: "en" };
  }
}`;

let home: TestHome;
let template: string;

let shim: string;

/** The environment that loads the fault injector for the database's WAL in dataDir. */
function injected(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: "1", LD_PRELOAD: shim, SHELFWISE_KILL_FILE: path.join(dataDir, "shelfwise.db-wal"), ...extra };
}

/** The CLI killed (SIGKILL) just before its n-th write to the database's WAL. */
function processKilledAt(dataDir: string, n: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, "process", "--data-dir", dataDir], {
      stdio: ["ignore", "ignore", "pipe"],
      env: injected(dataDir, { SHELFWISE_KILL_AT: String(n) }),
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("exit", (code, signal) => resolve({ killed: code !== 0 || signal !== null, stderr }));
  });
}

/** How many times an unkilled `process` writes to the WAL. */
function walWrites(dataDir: string): number {
  const count = path.join(dataDir, "..", `${path.basename(dataDir)}.writes`);
  const run = spawnSync(process.execPath, [CLI_BIN, "process", "--data-dir", dataDir], { encoding: "utf8", env: injected(dataDir, { SHELFWISE_KILL_COUNT: count }) });
  expect(run.status, run.stderr).toBe(0);
  const writes = fs.existsSync(count) ? fs.readFileSync(count, "utf8").split("\n").filter(Boolean).length : 0;
  fs.rmSync(count, { force: true });
  return writes;
}

/** Every write when they are few; else the first, the last, evenly spaced ones, two random ones. Then one past the last. */
function killPoints(writes: number, samples = 8): number[] {
  if (writes <= samples) return Array.from({ length: writes + 1 }, (_, i) => i + 1);
  const points = new Set<number>();
  for (let i = 0; i < samples; i++) points.add(1 + Math.round((i * (writes - 1)) / (samples - 1)));
  for (let i = 0; i < 2; i++) points.add(1 + Math.floor(Math.random() * writes));
  points.add(writes + 1);
  return [...points].sort((a, b) => a - b);
}

/**
 * A normal `process`: 0, or 3 (finished with layer errors) when it reports books a kill interrupted. In this
 * process (the plugin still runs in a process of its own): what is tested is what the kill left behind.
 */
async function processNormally(dataDir: string): Promise<{ status: number | null; stderr: string }> {
  const run = await runCliInProcess(["process"], { dataDir });
  expect([0, 3], run.stderr).toContain(run.code);
  return { status: run.code, stderr: run.stderr };
}

beforeAll(async () => {
  if (!hasCompiler) return;
  home = createHome({ books: BOOKS, config: { plugin_seen_enabled: false } });
  shim = path.join(home.root, "kill-at-write.so");
  const cc = spawnSync("cc", ["-O2", "-Wall", "-shared", "-fPIC", "-o", shim, SHIM_SOURCE, "-ldl"], { encoding: "utf8" });
  expect(cc.status, cc.stderr).toBe(0);
  home.plugin("seen", { code: PLUGIN });
  expect((await runCliInProcess(["scan", home.library], { dataDir: home.dataDir })).code).toBe(0);
  // Every built-in layer done: what is left is one batch of the plugin layer.
  expect((await runCliInProcess(["process"], { dataDir: home.dataDir })).code).toBe(0);
  home.writeConfig({ batch_size: 50 });
  template = home.dataDir;
});

afterAll(() => home?.cleanup());

describe.skipIf(!hasCompiler)("a kill at any WAL write of a plugin batch", () => {
  it("leaves all of the batch or none, and never calls the plugin twice for a book", async () => {
    const dry = path.join(home.root, "count");
    fs.cpSync(template, dry, { recursive: true });
    const writes = walWrites(dry);
    fs.rmSync(dry, { recursive: true, force: true });
    expect(writes).toBeGreaterThan(3);
    const points = killPoints(writes);
    const outcomes: { n: number; interrupted: number; killed: boolean }[] = [];
    for (const n of points) {
      const copy = path.join(home.root, `kill-${n}`);
      fs.cpSync(template, copy, { recursive: true });
      const { killed } = await processKilledAt(copy, n);
      const after = await processNormally(copy);

      const db = new Database(path.join(copy, "shelfwise.db"), { readonly: true });
      try {
        const books = (db.prepare("SELECT id FROM books ORDER BY id").all() as { id: number }[]).map((r) => r.id);
        expect(books).toHaveLength(BOOKS);
        for (const layer of LAYERS) {
          const runs = db.prepare("SELECT book_id FROM layer_runs WHERE layer_id = ? ORDER BY book_id").all(layer) as { book_id: number }[];
          expect(runs.map((r) => r.book_id), `kill at write ${n}: runs of ${layer}`).toEqual(books);
        }
        const seen = fs.readFileSync(path.join(copy, "plugin-data", "seen", "seen.txt"), "utf8").trim().split("\n").map(Number);
        expect(seen.sort((a, b) => a - b), `kill at write ${n}: books the plugin saw`).toEqual(books);
        const calls = db.prepare("SELECT book_id FROM plugin_calls WHERE plugin_id = 'seen' ORDER BY book_id").all() as { book_id: number }[];
        expect(calls.map((c) => c.book_id), `kill at write ${n}: recorded calls`).toEqual(books);
        expect(db.prepare("SELECT count(*) AS n FROM layer_inflight").get()).toEqual({ n: 0 });
        const interrupted = db.prepare("SELECT count(*) AS n FROM layer_runs WHERE layer_id = 'seen' AND error LIKE 'interrupted:%'").get() as { n: number };
        // A call the kill interrupted is in the call log (above) but in no health figure: it was not the plugin's doing.
        const state = db.prepare("SELECT total_processed, consecutive_failures FROM plugin_state WHERE plugin_id = 'seen'").get();
        expect(state).toEqual({ total_processed: BOOKS - interrupted.n, consecutive_failures: 0 });
        // Books the kill interrupted are layer errors: exit 3 names them; otherwise all done, 0.
        expect(after.status, `kill at write ${n}: exit code of the next process\n${after.stderr}`).toBe(interrupted.n > 0 ? 3 : 0);
        if (interrupted.n > 0) expect(after.stderr).toMatch(/layer seen: \d+ books? failed; .*interrupted/);
        outcomes.push({ n, interrupted: interrupted.n, killed });
      } finally {
        db.close();
      }
      fs.rmSync(copy, { recursive: true, force: true });
    }
    // Every point up to the last write killed the run; one past it, the run finished.
    expect(outcomes.map((o) => o.killed), `kill points ${points.join(", ")} of ${writes} writes`).toEqual(points.map((n) => n <= writes));
    // The kills covered the whole run: before the plugin was called, while it had the books, and after the batch.
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.at(-1)!.interrupted).toBe(0);
    expect(outcomes.some((o) => o.interrupted === BOOKS), `kill points ${points.join(", ")}`).toBe(true);
    expect(outcomes.some((o) => o.interrupted === 0 && o !== outcomes.at(-1)), `kill points ${points.join(", ")}`).toBe(true);
  }, 600_000);
});
