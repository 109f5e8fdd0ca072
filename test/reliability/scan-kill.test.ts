/**
 * A scan killed with SIGKILL while it records its findings leaves the
 * database as the previous scan left it, or with the whole new scan: never
 * half (some books marked missing, others not). The next scan finishes.
 */
import Database from "better-sqlite3";
import { registerFold } from "../../src/store/book-queries.js";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "../support/cli.js";
import { runCliInProcessOk } from "../support/cli-in-process.js";
import { requireBuilt, writeLibrary } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const BOOKS = 400;
let tmp: string;
beforeAll(() => {
  requireBuilt();
  tmp = makeTempDir("scan-kill");
});
afterAll(() => removeTempDir(tmp));

function statuses(dataDir: string): Map<string, string> {
  const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  // integrity_check computes the author and series indexes' keys: the fold they are built on (migration 15).
  registerFold(db);
  try {
    const rows = db.prepare("SELECT path, status FROM books").all() as { path: string; status: string }[];
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    return new Map(rows.map((r) => [r.path, r.status]));
  } finally {
    db.close();
  }
}

describe("kill -9 during scan", () => {
  it("leaves all of the scan or none of it", async () => {
    const library = path.join(tmp, "library");
    const dataDir = path.join(tmp, "data");
    const folders = writeLibrary(library, BOOKS);
    // The scans before and after the kills run in this process (the same main() as the CLI's, a CLI start ~0.3
    // CPU-s each): the kills are what needs a process of its own.
    await runCliInProcessOk(["scan", library], { dataDir });
    // Half the library vanishes; a scan starts and is killed at some point of its run.
    const gone = folders.filter((_, i) => i % 2 === 0);
    for (const folder of gone) fs.rmSync(folder, { recursive: true });
    for (const delayMs of [50, 150, 300, 450, 600]) {
      const child = spawnCli(["scan"], { dataDir });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      setTimeout(() => child.kill("SIGKILL"), delayMs);
      await exited;
      const now = statuses(dataDir);
      const missing = [...now.values()].filter((s) => s === "missing").length;
      // All or nothing: either no book is missing yet, or exactly the vanished ones are.
      expect([0, gone.length]).toContain(missing);
      if (missing) break;
    }
    await runCliInProcessOk(["scan"], { dataDir });
    const after = statuses(dataDir);
    expect(after.size).toBe(BOOKS);
    for (const folder of gone) expect(after.get(folder)).toBe("missing");
    expect([...after.values()].filter((s) => s === "missing")).toHaveLength(gone.length);
  });
});
