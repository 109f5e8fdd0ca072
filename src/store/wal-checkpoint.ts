/**
 * A WAL checkpoint on a worker thread, through a connection of its own.
 *
 * A checkpoint copies the WAL's pages into the database file and syncs both
 * files: on a disk, its two syncs are most of its time (23-52 ms after an
 * apply of 5,000 books), which a checkpoint on the calling thread waits for.
 * A PASSIVE checkpoint through another connection never blocks that thread's
 * writes (SQLite lets one writer append to the WAL while a checkpointer
 * copies the frames before it) nor waits for them, and syncs exactly as the
 * thread's own checkpoint would, so nothing is less durable.
 *
 * The worker loads SQLite and opens its connection while the caller works;
 * starting it costs the caller ~5 ms, so it is worth it only for a
 * checkpoint of some size (the caller decides).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./database.js";
import { sqliteBinding } from "./sqlite.js";

export interface BackgroundCheckpoint {
  /** Asks for a PASSIVE checkpoint (run as soon as the worker is ready). Its failure is ignored: the pages wait for the next one. */
  run(): void;
  /** Waits for a checkpoint asked for to end, then stops the worker and its connection. Never rejects. */
  close(): Promise<void>;
}

// CommonJS in the worker (an eval'd worker is a script): the connection opens at once, the checkpoint when asked.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
let db = null;
try {
  const Database = require(workerData.library);
  db = new Database(workerData.file, workerData.binding ? { fileMustExist: true, nativeBinding: workerData.binding } : { fileMustExist: true });
} catch {}
parentPort.on("message", (message) => {
  if (message === "checkpoint") {
    try { db && db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
    parentPort.postMessage("checkpointed");
  } else if (message === "close") {
    try { db && db.close(); } catch {}
    parentPort.close();
  }
});
`;

/** A BackgroundCheckpoint for `db`'s file, or null where there is none to run (in memory, not WAL) or no worker can start. */
export function startBackgroundCheckpoint(db: Db): BackgroundCheckpoint | null {
  if (db.memory || String(db.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") return null;
  let worker: Worker;
  try {
    const library = createRequire(import.meta.url).resolve("better-sqlite3");
    worker = new Worker(WORKER, { eval: true, workerData: { library, file: db.name, binding: sqliteBinding() ?? null } });
  } catch {
    return null;
  }
  // Never keeps the process alive on its own, nor throws into it: a failed worker only means no checkpoint.
  worker.unref();
  let asked = false;
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    worker.on("error", () => resolve());
    worker.on("exit", () => {
      exited = true;
      resolve();
    });
  });
  const answered = new Promise<void>((resolve) => worker.on("message", () => resolve()));
  return {
    run: () => {
      if (asked) return;
      asked = true;
      worker.postMessage("checkpoint");
    },
    close: async () => {
      // Awaited now: an unreferenced worker would let the process end with this promise pending.
      if (!exited) worker.ref();
      if (asked) await Promise.race([answered, gone]);
      if (exited) return;
      // Its connection closed before the caller's may be (the last one to close checkpoints and removes the WAL).
      worker.postMessage("close");
      await gone;
    },
  };
}
