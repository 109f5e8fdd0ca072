/**
 * Durability of a WAL commit without blocking the thread that made it.
 *
 * With `synchronous = FULL` every COMMIT waits for an fsync of the WAL on the
 * calling thread: in a run of moves that is the main thread, which could be
 * writing the next step meanwhile. With `synchronous = NORMAL` a commit only
 * writes its frames (SQLite still syncs before and after each checkpoint and
 * when the WAL is reused, so the database stays consistent), and this syncs
 * the WAL file on a libuv worker thread: once `durable()` resolves, every
 * commit made before the call is on disk, as FULL would have left it. The
 * caller starts what depends on those commits (renames announced by intents)
 * only then.
 */
import fs from "node:fs";
import type { Db } from "./database.js";

export interface WalSync {
  /** Resolves once every commit made so far is on disk; rejects when the sync fails (nothing may rely on them then). */
  durable(): Promise<void>;
  /**
   * The WAL file's descriptor, kept open until `done()`: for a sync made on
   * another thread (organize's rename batch syncs it on its worker before
   * its first rename). Null once closed.
   */
  borrow(): { fd: number; done(): void } | null;
  close(): void;
}

/**
 * A WalSync for `db`, or null when the database is not a file in WAL mode
 * (or its WAL cannot be opened): the caller then keeps `synchronous = FULL`.
 * The WAL file must already exist: a connection creates it with its first
 * read, and the caller has read (planned) before.
 */
export function openWalSync(db: Db): WalSync | null {
  if (db.memory || String(db.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") return null;
  let fd: number;
  try {
    fd = fs.openSync(`${db.name}-wal`, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  let closed = false;
  let pending = 0;
  // The descriptor outlives close() until the syncs under way have used it (a closed, reused number would sync another file).
  const release = () => {
    if (!closed || pending > 0) return;
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing left to flush through it.
    }
  };
  return {
    durable: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error("the WAL sync is closed"));
        pending++;
        // fdatasync flushes the file (its inode), whichever descriptor names it.
        fs.fdatasync(fd, (error) => {
          pending--;
          release();
          if (error) reject(error);
          else resolve();
        });
      }),
    borrow: () => {
      if (closed) return null;
      pending++;
      let returned = false;
      return {
        fd,
        done: () => {
          if (returned) return;
          returned = true;
          pending--;
          release();
        },
      };
    },
    close: () => {
      if (closed) return;
      closed = true;
      release();
    },
  };
}
