/**
 * The one way config.json and secrets.json are changed: a read-modify-write
 * done holding the data folder's lock (store/data-lock.ts), written atomically
 * (config/config-file.ts: temporary file, fsync, rename; secrets.json 0600).
 * Two writers each reading the file and writing it back would lose whatever
 * the other one added: a user's secret, a library folder. The lock is
 * reentrant within a process, so a command or a server route already holding
 * it nests; without it, it is taken for the write alone and a write while
 * another process holds it fails at once (DataLockBusyError) rather than
 * racing it. Callers that may wait (serve at start-up) take the lock first.
 * test/architecture.test.ts keeps every other module away from the raw writers.
 */
import { updateConfig, updateSecrets } from "../config/config-file.js";
import type { Config } from "../config/config-schema.js";
import { DataLockBusyError, readLockHolder, tryAcquireDataLock } from "../store/data-lock.js";
import path from "node:path";

/** `fixing`: a top-level key the change replaces, whose value already in the file may be wrong (`config set`). */
export function changeConfig(dataDir: string, change: (raw: Record<string, unknown>) => void, options: { fixing?: string } = {}): Config {
  return holdingLock(dataDir, "config.json", () => updateConfig(dataDir, change, options));
}

export function changeSecrets(dataDir: string, change: (secrets: Record<string, string>) => void): void {
  holdingLock(dataDir, "secrets.json", () => updateSecrets(dataDir, change));
}

function holdingLock<T>(dataDir: string, what: string, work: () => T): T {
  const lock = tryAcquireDataLock(dataDir, `writing ${what}`);
  if (!lock) throw new DataLockBusyError(path.resolve(dataDir), readLockHolder(dataDir));
  try {
    return work();
  } finally {
    lock.release();
  }
}
