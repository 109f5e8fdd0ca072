/**
 * The crash guarantee: `process` killed with SIGKILL at any point loses at
 * most the batch in flight, and running it again finishes the job with the
 * same result as a run that was never interrupted.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audioBytes } from "../../fixtures/audio.js";
import { parseProfile } from "../../src/domain/profile.js";
import { runCliOk, spawnCli } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { runsByPath, storedBooks } from "../support/db.js";
import { finishedCodes } from "../support/views.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

/**
 * 1,000 books: 20 batches of 50 per layer, so the kill lands with about 38 batches still to run (it waits
 * until the first layer is done). 2,000 (78 to go) cost ~20 CPU-s, the most of any file but the apply
 * kill test, and checked the same things: whole batches per layer and a resumed run equal to an uninterrupted one.
 */
const BOOKS = 1000;
const BATCH = 50;
const LAYERS = ["embedded_tags", "path", "sidecar"];

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir("crash");
});
afterAll(() => removeTempDir(tmp));

/** Many tiny tagged books; the same call gives the same library. */
function writeLibrary(root: string): void {
  for (let i = 0; i < BOOKS; i++) {
    const dir = path.join(root, `Author ${i % 40}`, `Title ${i}`);
    fs.mkdirSync(dir, { recursive: true });
    const series = i % 3 === 0 ? { series: `Saga ${i % 7}`, series_part: String((i % 5) + 1) } : {};
    const tags = { title: `Chapter 1`, album: `Title ${i}`, artist: `Writer ${i % 40}`, ...series };
    fs.writeFileSync(path.join(dir, "01.mp3"), audioBytes("mp3", tags, { frames: 1 }));
  }
}

/**
 * One library, scanned once; the crashed and the clean run each get a copy of
 * the scanned data folder. `process` only reads the library, so both runs read
 * the same files (writing and scanning the library twice was a third of this
 * file's CPU).
 */
async function prepare(): Promise<{ crashed: { root: string; data: string }; clean: { root: string; data: string } }> {
  const root = path.join(tmp, "lib");
  const data = path.join(tmp, "crashed-data");
  writeLibrary(root);
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ batch_size: BATCH }));
  const scanned = await runCliInProcess(["scan", root], { dataDir: data });
  expect(scanned.code, scanned.stderr).toBe(0);
  const clean = path.join(tmp, "clean-data");
  fs.cpSync(data, clean, { recursive: true });
  return { crashed: { root, data }, clean: { root, data: clean } };
}

/** Starts `process`, waits until it has written some runs but not all, and kills it with SIGKILL. */
async function processAndKill(data: string): Promise<number> {
  const child = spawnCli(["process"], { dataDir: data });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  let finished = false;
  void exited.then(() => (finished = true));
  const db = new Database(path.join(data, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    const count = db.prepare("SELECT count(*) AS n FROM layer_runs");
    const deadline = Date.now() + 60_000;
    // Past the first layer, so the kill lands inside a later one with real work in flight.
    while (!finished && Date.now() < deadline) {
      const n = (count.get() as { n: number }).n;
      if (n > BOOKS + BATCH) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (finished) throw new Error("process finished before it could be killed; the library is too small for this machine");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    return (count.get() as { n: number }).n;
  } finally {
    db.close();
  }
}

interface Outcome {
  profile: unknown;
  status: string;
  status_reason: string | null;
  proposed_path: string | null;
  confidence: number;
}

function outcomes(root: string, data: string): Record<string, Outcome> {
  return Object.fromEntries(
    storedBooks(data).map((b) => [
      path.relative(root, b.path),
      { profile: parseProfile(b.profile), status: b.status, status_reason: b.status_reason, proposed_path: b.proposed_path, confidence: b.confidence },
    ]),
  );
}

describe("crash and resume", () => {
  it("SIGKILL mid-run loses at most the batch in flight; a second run ends like an uninterrupted one", async () => {
    const { crashed, clean } = await prepare();
    const cleanRun = runCliOk(["process"], { dataDir: clean.data, timeoutMs: 150_000 });

    const runsAtKill = await processAndKill(crashed.data);
    expect(runsAtKill).toBeGreaterThan(BOOKS);
    expect(runsAtKill).toBeLessThan(BOOKS * LAYERS.length);
    // Batches are all or nothing: per layer whole batches only, and evidence only where there is a run.
    const partial = runsByPath(crashed.data);
    const perLayer = new Map<string, number>();
    for (const runs of Object.values(partial)) for (const run of runs) perLayer.set(run.split(":")[0]!, (perLayer.get(run.split(":")[0]!) ?? 0) + 1);
    for (const n of perLayer.values()) expect(n % BATCH).toBe(0);
    for (const book of storedBooks(crashed.data)) {
      const hasTagEvidence = parseProfile(book.profile).evidence.title.some((e) => e.source === "embedded_tags");
      expect(hasTagEvidence).toBe((partial[book.path] ?? []).includes("embedded_tags:ok"));
      expect(book.status).toBe("new");
    }

    // The resumed run in this process, beside the uninterrupted one (a CLI child); each finishes (finishedCodes).
    const resumed = await runCliInProcess(["process"], { dataDir: crashed.data });
    expect(finishedCodes(["process"]), resumed.stderr).toContain(resumed.code);
    await cleanRun;

    const books = storedBooks(crashed.data);
    expect(books).toHaveLength(BOOKS);
    expect(new Set(books.map((b) => b.path)).size).toBe(BOOKS);
    const runs = runsByPath(crashed.data);
    for (const book of books) expect(runs[book.path]).toEqual(LAYERS.map((l) => `${l}:ok`));

    const afterResume = outcomes(crashed.root, crashed.data);
    const uninterrupted = outcomes(clean.root, clean.data);
    expect(Object.keys(afterResume)).toHaveLength(BOOKS);
    expect(afterResume).toEqual(uninterrupted);
    expect(Object.values(afterResume).filter((o) => o.status === "identified").length).toBeGreaterThan(BOOKS / 2);
  });
});
