/**
 * `scan PATH` records two things: the books (shelfwise.db) and the folder (config.json's library_paths). A kill -9
 * between the two must never leave books recorded under a folder config.json does not list: a bare `scan` would
 * then say there is no library. The kill is exact: test/support/kill-at-write.c, preloaded into the real CLI,
 * sends SIGKILL just before the rename that writes config.json, or just before the first write to the WAL.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";

const hasCompiler = spawnSync("cc", ["--version"]).status === 0;
const SHIM_SOURCE = fileURLToPath(new URL("../support/kill-at-write.c", import.meta.url));

let home: TestHome;
let shim: string;

function scanKilled(dataDir: string, library: string, env: Record<string, string>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, "scan", library, "--data-dir", dataDir], {
      stdio: ["ignore", "ignore", "ignore"],
      env: { ...process.env, NO_COLOR: "1", LD_PRELOAD: shim, ...env },
    });
    child.once("exit", (_code, signal) => resolve(signal));
  });
}

function recordedBooks(dataDir: string): number {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM books").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const libraryPaths = (dataDir: string): string[] => JSON.parse(fs.readFileSync(path.join(dataDir, "config.json"), "utf8")).library_paths;

/**
 * A data folder set up (`init`) with no library folder yet, copied fresh for each kill, and opened once as a
 * user's is before a scan: a copy's first open records where it now lives (organize/data-home.ts), a database
 * write that is not the scan's.
 */
async function freshDataFolder(name: string): Promise<string> {
  const copy = path.join(home.root, name);
  fs.cpSync(home.dataDir, copy, { recursive: true });
  expect((await runCliInProcess(["status"], { dataDir: copy })).code).toBe(0);
  return copy;
}

beforeAll(async () => {
  if (!hasCompiler) return;
  home = createHome({ books: 2 });
  fs.writeFileSync(path.join(home.dataDir, "config.json"), JSON.stringify({ library_paths: [] }));
  shim = path.join(home.root, "kill-at-write.so");
  const cc = spawnSync("cc", ["-O2", "-Wall", "-shared", "-fPIC", "-o", shim, SHIM_SOURCE, "-ldl"], { encoding: "utf8" });
  expect(cc.status, cc.stderr).toBe(0);
  // The database made once, so that a kill finds it there (as a user's data folder has it).
  expect((await runCliInProcess(["status"], { dataDir: home.dataDir })).code).toBe(0);
});

afterAll(() => home?.cleanup());

describe.skipIf(!hasCompiler)("scan PATH killed between recording the books and remembering the folder", () => {
  it("killed at config.json's rename: no book is recorded under a folder config.json does not list", async () => {
    const data = await freshDataFolder("kill-rename");
    expect(await scanKilled(data, home.library, { SHELFWISE_KILL_RENAME_TO: path.join(data, "config.json") })).toBe("SIGKILL");
    if (recordedBooks(data) > 0) expect(libraryPaths(data)).toContain(home.library);
    // Whatever the kill left, scanning the folder again finishes the job.
    const again = await runCliInProcess(["scan", home.library], { dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(libraryPaths(data)).toEqual([home.library]);
    expect(recordedBooks(data)).toBe(2);
  });

  it("killed at the scan's first database write: the folder is remembered, and a bare `scan` reads it", async () => {
    const data = await freshDataFolder("kill-wal");
    expect(await scanKilled(data, home.library, { SHELFWISE_KILL_FILE: path.join(data, "shelfwise.db-wal"), SHELFWISE_KILL_AT: "1" })).toBe("SIGKILL");
    expect(recordedBooks(data)).toBe(0);
    expect(libraryPaths(data)).toEqual([home.library]);
    const bare = await runCliInProcess(["scan", "--json"], { dataDir: data });
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ found: 2, new: 2 });
  });

  it("a scan that reads nothing takes back the folder it added: config.json is as it was", async () => {
    const data = await freshDataFolder("empty");
    const empty = path.join(home.root, "empty-library");
    fs.mkdirSync(empty);
    const run = await runCliInProcess(["scan", empty], { dataDir: data });
    expect(run.code).not.toBe(0);
    expect(libraryPaths(data)).toEqual([]);
  });
});
