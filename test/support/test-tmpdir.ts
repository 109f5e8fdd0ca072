/**
 * Where the suite's temporary folders go. The tests write real SQLite
 * databases with full-sync commits, real libraries and real plugin folders;
 * on a disk every commit waits for the device, which made the suite wait on
 * fsync more than it worked. A RAM-backed file system (tmpfs) is still a real
 * file system with real files, renames and locks, and it is what many users'
 * /tmp is. SHELFWISE_TEST_TMPDIR picks the folder; otherwise /dev/shm when it
 * is a writable tmpfs with room, else the OS default.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const MIN_FREE_BYTES = 2 * 1024 ** 3;

function roomyTmpfs(dir: string): boolean {
  try {
    const stats = fs.statfsSync(dir);
    // TMPFS_MAGIC: a RAM file system, not a disk mounted there.
    return stats.type === 0x01021994 && stats.bavail * stats.bsize >= MIN_FREE_BYTES;
  } catch {
    return false;
  }
}

/** Creates the suite's temp root and returns it (the OS default when no tmpfs fits). */
export function suiteTmpdir(): { dir: string; created: boolean } {
  const chosen = process.env.SHELFWISE_TEST_TMPDIR;
  if (chosen) {
    fs.mkdirSync(chosen, { recursive: true });
    return { dir: chosen, created: false };
  }
  if (!roomyTmpfs("/dev/shm")) return { dir: os.tmpdir(), created: false };
  try {
    const dir = fs.mkdtempSync(path.join("/dev/shm", "shelfwise-tests-"));
    // Tests switch to other users (nobody) to meet real permission checks: the root must let them in.
    fs.chmodSync(dir, 0o1777);
    return { dir, created: true };
  } catch {
    return { dir: os.tmpdir(), created: false };
  }
}
