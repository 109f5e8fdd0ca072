/**
 * A run of moves checkpoints its WAL through a connection on a worker thread
 * (store/wal-checkpoint.ts), so that the checkpoint's syncs do not hold the
 * main thread. The pages must really reach the database file, the caller's
 * connection must keep writing meanwhile, and a checkpoint that cannot run
 * must cost nothing but itself.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/database.js";
import { startBackgroundCheckpoint } from "../../src/store/wal-checkpoint.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

describe("the background checkpoint", () => {
  let dir: string;
  let db: Db;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir("wal-checkpoint");
    file = path.join(dir, "shelfwise.db");
    db = openDatabase(file);
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)");
    db.pragma("wal_checkpoint(TRUNCATE)");
  });
  afterEach(() => {
    db.close();
    removeTempDir(dir);
  });

  const fill = (from: number, count: number) => {
    const insert = db.prepare("INSERT INTO filler (id, text) VALUES (?, ?)");
    db.transaction(() => {
      for (let i = from; i < from + count; i++) insert.run(i, "x".repeat(500));
    })();
  };

  it("copies the WAL into the database file while the caller's connection keeps writing", async () => {
    fill(0, 2000);
    const before = fs.statSync(file).size;
    const checkpoint = startBackgroundCheckpoint(db)!;
    expect(checkpoint).not.toBeNull();
    checkpoint.run();
    // Written beside the checkpoint (as the run's last settling is): neither waits for the other.
    fill(2000, 100);
    await checkpoint.close();
    // Only a checkpoint writes the database file itself (the rows were in the WAL alone).
    expect(fs.statSync(file).size).toBeGreaterThan(before + 2000 * 500);
    expect((db.prepare("SELECT count(*) AS n FROM filler").get() as { n: number }).n).toBe(2100);
    fill(3000, 10);
    expect((db.prepare("SELECT count(*) AS n FROM filler").get() as { n: number }).n).toBe(2110);
  });

  it("closes without a checkpoint asked for, and after its file is gone", async () => {
    await startBackgroundCheckpoint(db)!.close();
    const other = path.join(dir, "other.db");
    const gone = openDatabase(other);
    gone.exec("CREATE TABLE t (x)");
    const checkpoint = startBackgroundCheckpoint(gone)!;
    fs.rmSync(other);
    checkpoint.run();
    await checkpoint.close();
    gone.close();
  });

  it("has nothing to do for a database in memory", () => {
    const memory = openDatabase(":memory:");
    expect(startBackgroundCheckpoint(memory)).toBeNull();
    memory.close();
  });
});
