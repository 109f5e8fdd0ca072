/**
 * A data disk that fills up in the middle of a command: the N-th write to the WAL is refused with ENOSPC (strace
 * injection on the real CLI, counted in an unfailed run of the same command on an identical data folder, so the
 * refusal lands midway and never past the end). Each command must say in one line that the disk is full, naming
 * the data folder, exit 1, leave the database whole and every file of the library exactly once; the next command
 * works (and says what it recovered). The full tmpfs of environment.test.ts refuses a command's first write; these
 * refuse one after others were committed.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerFold } from "../../src/store/book-queries.js";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { requireBuilt, writeLibrary } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { contentCounts, openLibrary } from "../organize/library.js";

const hasStrace = process.platform === "linux" && spawnSync("strace", ["-V"]).status === 0;
// More than the first chunk (64 books): apply and undo journal several chunks, so a refusal lands between two.
const BOOKS = 100;

let tmp: string;
beforeAll(() => {
  requireBuilt();
  tmp = makeTempDir("disk-full-midway");
});
afterAll(() => removeTempDir(tmp));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The WAL writes the command made (the refused one included). */
  walWrites: number;
}

/** The real CLI under strace, only the WAL's pwrite64 calls traced; the `failAt`-th refused with ENOSPC when given. */
function tracedRun(dataDir: string, args: string[], failAt?: number): Run {
  const wal = path.join(dataDir, "shelfwise.db-wal");
  const out = path.join(tmp, `trace-${process.hrtime.bigint()}`);
  const inject = failAt === undefined ? [] : ["-e", `inject=pwrite64:error=ENOSPC:when=${failAt}`];
  const run = spawnSync("strace", ["-f", "-qq", "-o", out, "-P", wal, "-e", "trace=pwrite64", ...inject, process.execPath, CLI_BIN, ...args, "--data-dir", dataDir], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const walWrites = fs.readFileSync(out, "utf8").split("\n").filter((line) => line.includes("pwrite64(")).length;
  fs.rmSync(out);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, walWrites };
}

/**
 * One line naming the data folder, exit 1, no stack. `moves`: apply and undo, whose books moved before the refusal
 * stay moved (the step in progress was not "rolled back": its renames are settled by the next command).
 */
function expectDiskFull(run: Run, dataDir: string, moves = false): void {
  expect(run.code, run.stderr).toBe(1);
  const kept = moves
    ? "the books moved so far stay moved and none is lost: the moves under way are settled by the next shelfwise command, from what is on disk"
    : "everything saved before this point is kept and the step in progress was rolled back";
  expect(run.stderr.trimEnd().split("\n"), run.stderr).toEqual([`shelfwise: the disk is full (writing ${dataDir}); ${kept}; free some space on that disk and run the command again`]);
}

function database(dataDir: string): { integrity: string; count(sql: string): number; close(): void } {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { fileMustExist: true });
  registerFold(db);
  return {
    integrity: db.pragma("integrity_check", { simple: true }) as string,
    count: (sql) => (db.prepare(sql).get() as { n: number }).n,
    close: () => db.close(),
  };
}

function expectWhole(dataDir: string): void {
  const db = database(dataDir);
  try {
    expect(db.integrity).toBe("ok");
  } finally {
    db.close();
  }
}

const specs = Array.from({ length: BOOKS }, (_, i) => ({ at: `inbox/Book ${i}`, author: `Author ${i % 7}`, title: `Title ${i}` }));

describe.skipIf(!hasStrace)("the data disk full midway", () => {
  it("scan: one line, nothing of the scan kept half, and the next scan records every book", async () => {
    const library = path.join(tmp, "scan-library");
    writeLibrary(library, 40);
    const homes = [path.join(tmp, "scan-counted"), path.join(tmp, "scan-data")];
    for (const home of homes) expect((await runCliInProcess(["init"], { dataDir: home })).code).toBe(0);
    const counted = tracedRun(homes[0]!, ["scan", library]);
    expect(counted.code, counted.stderr).toBe(0);
    expect(counted.walWrites).toBeGreaterThan(4);
    const dataDir = homes[1]!;
    // A third of the way: the scan's own transaction (its last writes bring the search index up to date, best effort:
    // searches read the books queued for it meanwhile, so a refusal there is not the scan's).
    const full = tracedRun(dataDir, ["scan", library], Math.ceil(counted.walWrites * 0.3));
    expectDiskFull(full, dataDir);
    expectWhole(dataDir);
    // The scan's changes are one transaction: none of them was kept.
    const kept = database(dataDir);
    try {
      expect(kept.count("SELECT count(*) AS n FROM books")).toBe(0);
    } finally {
      kept.close();
    }
    const next = await runCliInProcess(["scan", library, "--json"], { dataDir });
    expect(next.code, next.stderr).toBe(0);
    const db = database(dataDir);
    try {
      expect(db.count("SELECT count(*) AS n FROM books")).toBe(40);
    } finally {
      db.close();
    }
  });

  it("process: the batches written before are kept, and the next process finishes the rest", async () => {
    const library = path.join(tmp, "process-library");
    writeLibrary(library, 20);
    const homes = [path.join(tmp, "process-counted"), path.join(tmp, "process-data")];
    for (const home of homes) {
      // A small batch: the run commits several, so the refusal comes after some were saved.
      expect((await runCliInProcess(["scan", library], { dataDir: home })).code).toBe(0);
      expect((await runCliInProcess(["config", "set", "batch_size", "4"], { dataDir: home })).code).toBe(0);
    }
    const counted = tracedRun(homes[0]!, ["process"]);
    expect([0, 3], counted.stderr).toContain(counted.code);
    const dataDir = homes[1]!;
    const full = tracedRun(dataDir, ["process"], Math.ceil(counted.walWrites * 0.6));
    expectDiskFull(full, dataDir);
    const kept = database(dataDir);
    let runsKept: number;
    try {
      expect(kept.integrity).toBe("ok");
      runsKept = kept.count("SELECT count(*) AS n FROM layer_runs");
      expect(runsKept).toBeGreaterThan(0);
    } finally {
      kept.close();
    }
    const next = await runCliInProcess(["process"], { dataDir });
    expect([0, 3], next.stderr).toContain(next.code);
    const done = database(dataDir);
    const reference = database(homes[0]!);
    try {
      expect(done.count("SELECT count(*) AS n FROM layer_runs")).toBe(reference.count("SELECT count(*) AS n FROM layer_runs"));
      expect(done.count("SELECT count(*) AS n FROM layer_runs")).toBeGreaterThan(runsKept);
    } finally {
      done.close();
      reference.close();
    }
  });

  it("apply: the books moved stay moved, none is lost or doubled, the next command settles the journal and a new apply moves the rest", async () => {
    const counting = await openLibrary(path.join(tmp, "apply-counted"), specs);
    counting.close();
    const counted = tracedRun(counting.data, ["apply", "--yes"]);
    expect(counted.code, counted.stderr).toBe(0);
    const t = await openLibrary(path.join(tmp, "apply"), specs);
    t.close();
    const before = contentCounts(t.lib);
    const full = tracedRun(t.data, ["apply", "--yes"], Math.ceil(counted.walWrites * 0.3));
    expectDiskFull(full, t.data, true);
    expect(contentCounts(t.lib)).toEqual(before);
    expectWhole(t.data);
    // Some books were moved before the refusal, some not.
    const inbox = fs.readdirSync(path.join(t.lib, "inbox")).length;
    expect(inbox).toBeGreaterThan(0);
    expect(inbox).toBeLessThan(BOOKS);

    const history = await runCliInProcess(["history", "--json"], { dataDir: t.data });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stderr).toMatch(/recovered .*interrupted move/);
    const again = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: t.data });
    expect(again.code, again.stderr).toBe(0);
    expect(fs.existsSync(path.join(t.lib, "inbox"))).toBe(false);
    expect(contentCounts(t.lib)).toEqual(before);
    const rows = JSON.parse((await runCliInProcess(["books", "--json"], { dataDir: t.data })).stdout) as { path: string }[];
    expect(rows).toHaveLength(BOOKS);
    for (const row of rows) expect(fs.existsSync(row.path), row.path).toBe(true);
  });

  it("undo: the books moved back stay back, none is lost or doubled, and a second undo finishes", async () => {
    const homes = [];
    for (const name of ["undo-counted", "undo"]) {
      const t = await openLibrary(path.join(tmp, name), specs);
      t.close();
      const applied = await runCliInProcess(["apply", "--yes"], { dataDir: t.data });
      expect(applied.code, applied.stderr).toBe(0);
      homes.push(t);
    }
    const counted = tracedRun(homes[0]!.data, ["undo", "--last", String(BOOKS)]);
    expect(counted.code, counted.stderr).toBe(0);
    const t = homes[1]!;
    const before = contentCounts(t.lib);
    const full = tracedRun(t.data, ["undo", "--last", String(BOOKS)], Math.ceil(counted.walWrites * 0.3));
    expectDiskFull(full, t.data, true);
    expect(contentCounts(t.lib)).toEqual(before);
    expectWhole(t.data);
    const back = fs.existsSync(path.join(t.lib, "inbox")) ? fs.readdirSync(path.join(t.lib, "inbox")).length : 0;
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThan(BOOKS);

    const again = await runCliInProcess(["undo", "--last", String(BOOKS)], { dataDir: t.data });
    expect(again.code, again.stderr).toBe(0);
    expect(fs.readdirSync(path.join(t.lib, "inbox")).sort()).toEqual(specs.map((s) => path.basename(s.at)).sort());
    expect(contentCounts(t.lib)).toEqual(before);
  });
});
