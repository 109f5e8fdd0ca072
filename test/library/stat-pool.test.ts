import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatPool, type StatFailure, type StatTarget } from "../../src/library/stat-pool.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
beforeEach(() => {
  tmp = makeTempDir("stat-pool");
});
afterEach(() => {
  removeTempDir(tmp);
});

function files(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(tmp, `${String(i).padStart(3, "0")}.mp3`);
    fs.writeFileSync(file, Buffer.alloc(i));
    return file;
  });
}

const target = (): StatTarget => ({ size: 0, mtimeMs: 0, ctimeMs: 0 });

describe("StatPool", () => {
  it.each([
    ["on the calling thread", Infinity],
    ["in the worker", 0],
    ["partly each", 3],
  ])("fills every file's size, mtime and ctime %s, and reports the ones it cannot stat", async (_label, inlineFiles) => {
    const failures: StatFailure[] = [];
    const pool = new StatPool({ inlineFiles, batchSize: 4, onFailure: (f) => failures.push(f) });
    try {
      const paths = files(10);
      const vanished = path.join(tmp, "gone.mp3");
      const throughFile = path.join(paths[1]!, "inside.mp3");
      const all = [...paths, vanished, throughFile];
      const targets = all.map(target);
      all.forEach((p, i) => pool.add(p, targets[i]!));
      await pool.drain();
      expect(pool.completed).toBe(pool.mark);
      paths.forEach((p, i) => {
        const stats = fs.statSync(p);
        expect(targets[i]).toEqual({ size: i, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs });
      });
      expect(targets[10]!.size).toBe(-1);
      expect(targets[11]!.size).toBe(-1);
      expect(failures.map((f) => [f.path, f.code])).toEqual([
        [vanished, "ENOENT"],
        [throughFile, "ENOTDIR"],
      ]);
    } finally {
      pool.close();
    }
  });

  it("tells when what was added before a point is done: batches complete in the order they were sent", async () => {
    const pool = new StatPool({ inlineFiles: 0, batchSize: 2, onFailure: () => {} });
    try {
      const paths = files(5);
      const targets = paths.map(target);
      pool.add(paths[0]!, targets[0]!);
      pool.add(paths[1]!, targets[1]!); // fills batch 1, which is sent
      expect(pool.mark).toBe(1);
      pool.add(paths[2]!, targets[2]!); // batch 2 still open
      const firstTwo = pool.mark;
      expect(firstTwo).toBe(2);
      pool.add(paths[3]!, targets[3]!);
      pool.add(paths[4]!, targets[4]!);
      expect(pool.mark).toBe(3);
      pool.flush();
      while (pool.completed < firstTwo) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(targets.slice(0, 3).map((t) => t.size)).toEqual([0, 1, 2]);
      await pool.drain();
      expect(targets.map((t) => t.size)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      pool.close();
    }
  });

  it("a closed pool does not keep a caller waiting", async () => {
    const pool = new StatPool({ inlineFiles: 0, onFailure: () => {} });
    for (const p of files(3)) pool.add(p, target());
    pool.flush();
    pool.close();
    await expect(pool.drain()).resolves.toBeUndefined();
  });
});

describe("StatPool when its worker dies", () => {
  it.each([
    ["dies on its first batch", `require("node:worker_threads").parentPort.on("message", () => process.exit(3));`],
    ["throws on its first batch", `require("node:worker_threads").parentPort.on("message", () => { throw new Error("boom"); });`],
    ["does not even load", `this is not javascript`],
  ])("stats every file on the calling thread when the worker %s", async (_label, workerSource) => {
    const failures: StatFailure[] = [];
    const pool = new StatPool({ inlineFiles: 0, batchSize: 3, onFailure: (f) => failures.push(f), workerSource });
    try {
      const paths = files(10);
      const targets = paths.map(target);
      paths.slice(0, 6).forEach((p, i) => pool.add(p, targets[i]!));
      // The worker starts and dies with both batches in flight: they are done once the pool has stat'ed them here.
      await pool.drain();
      expect(pool.completed).toBe(2);
      // Then keep adding, to a pool whose worker is gone.
      paths.slice(6).forEach((p, i) => pool.add(p, targets[6 + i]!));
      await pool.drain();
      expect(targets.map((t) => t.size)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(targets.every((t, i) => t.mtimeMs === fs.statSync(paths[i]!).mtimeMs)).toBe(true);
      expect(failures).toEqual([]);
      expect(pool.completed).toBe(pool.mark);
    } finally {
      pool.close();
    }
  });
});
