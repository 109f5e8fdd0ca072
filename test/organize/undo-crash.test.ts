/**
 * kill -9 during `undo`: the same promise as during apply (crash.test.ts),
 * for the way back. A real CLI child moving 200 books back is SIGKILLed at
 * random points; the next command settles and reports the interrupted moves,
 * every file exists exactly once, and a second undo brings the library back
 * to its original tree, byte for byte.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { freshRun, runAndKill } from "./kill-mid-move.js";
import { contentCounts, openLibrary, treeHash, type BookSpec } from "./library.js";

const BOOKS = 200;
const RUNS = Number(process.env.CRASH_RUNS ?? 6);
let tmp: string;
let run: string;
let template: string;
let originalTree: Record<string, string>;
let original: Map<string, number>;

beforeAll(async () => {
  tmp = makeTempDir("undo-crash");
  run = path.join(tmp, "run");
  template = path.join(tmp, "template");
  const specs: BookSpec[] = [];
  for (let i = 0; i < BOOKS; i++) {
    const author = `Author ${i % 17}`;
    if (i % 10 === 0) specs.push({ at: `inbox/loose ${i}.m4b`, author, title: `Loose ${i}` });
    else specs.push({ at: `inbox/${author} - Title ${i}`, author, title: `Title ${i}`, files: ["01.mp3", "cover.jpg"] });
  }
  const lib = await openLibrary(run, specs);
  lib.close();
  originalTree = treeHash(path.join(run, "library"));
  original = contentCounts(path.join(run, "library"));
  // The moves to undo (in this process: a CLI start costs more than these moves).
  const applied = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: path.join(run, "data") });
  expect(applied.code, applied.stderr).toBe(0);
  fs.renameSync(run, template);
});
afterAll(() => removeTempDir(tmp));

/**
 * `run` with `vars` set in this process's environment, put back after (the file shares its worker:
 * test/support/env-guard.ts); nothing else runs in this process meanwhile.
 */
async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The link count of every file under `dir` (freshRun's run folder hard-links the template's files). */
function fileLinks(dir: string): number[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).nlink);
}

function fresh(): void {
  freshRun(template, run);
}

async function undoAndKill(afterMs: number, env: Record<string, string>): Promise<boolean> {
  const undos = "SELECT count(*) AS n FROM moves WHERE kind = 'undo'";
  return (await runAndKill(["undo", "--last", String(BOOKS), "--json"], path.join(run, "data"), undos, afterMs, env)).killed;
}

describe("crash during undo", () => {
  it(`SIGKILL at ${RUNS} random points: every file exists once, the next command reports the recovery, a second undo finishes the way back`, async () => {
    let recoveries = 0;
    for (let i = 0; i < RUNS; i++) {
      fresh();
      const env: Record<string, string> = i % 2 === 1 ? { SHELFWISE_FORCE_COPY: "1" } : {};
      const killed = await undoAndKill(Math.random() * (i % 2 === 1 ? 400 : 60), env);
      // The recovering command: a real process every fifth round (both copy paths), in this process otherwise (the same
      // main() set-up prints the recovery lines; what the other rounds check is the kill, not the next process's start).
      const next = i % 5 === 0 ? await runCli(["history", "--json"], { dataDir: path.join(run, "data") }) : await runCliInProcess(["history", "--json"], { dataDir: path.join(run, "data") });
      expect(next.code).toBe(0);
      if (killed && /recover/i.test(next.stderr)) recoveries++;
      expect(contentCounts(path.join(run, "library"))).toEqual(original);
      // The second undo in this process (what is checked is where it leaves the files, not its process), on the
      // killed run's path: the copy path is chosen by SHELFWISE_FORCE_COPY, read at each move, set for this call only.
      const rest = await withEnv(env, () => runCliInProcess(["undo", "--last", String(BOOKS), "--json"], { dataDir: path.join(run, "data") }));
      expect(rest.stderr).toBe("");
      expect(treeHash(path.join(run, "library"))).toEqual(originalTree);
      // Each file took the round's path back: a copy is a new file, a rename keeps the template's (hard-linked) one.
      const links = new Set(fileLinks(path.join(run, "library")));
      expect(links).toEqual(new Set([env.SHELFWISE_FORCE_COPY ? 1 : 2]));
      const stuck = new Database(path.join(run, "data", "shelfwise.db"), { readonly: true });
      try {
        expect(stuck.prepare("SELECT count(*) AS n FROM moves WHERE state = 'intent'").get()).toEqual({ n: 0 });
        expect(stuck.prepare("SELECT count(*) AS n FROM moves WHERE kind = 'apply' AND undone_by IS NULL").get()).toEqual({ n: 0 });
      } finally {
        stuck.close();
      }
    }
    expect(recoveries).toBeGreaterThan(0);
    // As crash.test.ts's kills of apply: six rounds of a CLI start, a kill and 200 books moved back took 240 s at a
    // load of 35 on two cores and ran past the suite's 300 s at 30 (with two busy loops beside it).
  }, 600_000);
});
