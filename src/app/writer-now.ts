/**
 * Whether another shelfwise command writes to the data folder now, for `status`: counts read while a `process` or
 * `scan` runs are of a moment, and "next: `shelfwise process`" would only queue behind it. Asked by taking the lock
 * and letting go at once (the kernel's lock is the only truth; shelfwise.lock.json may be left from a holder that is
 * gone), never waiting.
 */
import fs from "node:fs";
import { LOCK_PROBE, lockFiles, readLockHolder, tryAcquireDataLock } from "../store/data-lock.js";

export interface WriterNow {
  pid: number | null;
  command: string | null;
  since: string | null;
}

/** The command holding `dataDir`'s lock, or null when none does (or it cannot be told: a read-only data folder). */
export function writerNow(dataDir: string): WriterNow | null {
  // No lock file: no writer ever ran here, and nothing is made to find that out.
  if (!fs.existsSync(lockFiles(dataDir).lock)) return null;
  let lock: ReturnType<typeof tryAcquireDataLock>;
  try {
    lock = tryAcquireDataLock(dataDir, LOCK_PROBE);
  } catch {
    return null;
  }
  if (lock) {
    lock.release();
    return null;
  }
  const holder = readLockHolder(dataDir);
  return { pid: holder?.pid ?? null, command: holder?.command ?? null, since: holder?.since ?? null };
}
