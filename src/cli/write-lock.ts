/**
 * The data-folder lock as commands take it: every command that writes holds
 * it for its whole run; a second one waits up to `lock_wait_seconds` (or
 * `--wait`), says so on stderr, and gives up naming the holder.
 */
import { shownTime } from "../domain/time-text.js";
import { decimalNumber } from "./numbers.js";
import { ConfigError, loadConfig } from "../config/config-file.js";
import { ConfigSchema } from "../config/config-schema.js";
import { acquireDataLock, type DataLock, type LockHolder } from "../store/data-lock.js";
import { UserError } from "./errors.js";
import { noteLine } from "./output.js";
import { quotedInput } from "../domain/quoted-input.js";

export async function lockForWriting(dataDir: string, command: string, wait?: string): Promise<DataLock> {
  const seconds = wait === undefined ? configuredWait(dataDir) : waitSeconds(wait);
  return acquireDataLock(dataDir, {
    command,
    waitMs: Math.round(seconds * 1000),
    onWait: (holder) => noteLine(waitingLine(holder, seconds)),
  });
}

/** lock_wait_seconds; the default while config.json does not load (`config set` may be fixing it; others say why once they read it). */
function configuredWait(dataDir: string): number {
  try {
    return loadConfig(dataDir).config.lock_wait_seconds;
  } catch (error) {
    if (error instanceof ConfigError) return ConfigSchema.shape.lock_wait_seconds.parse(undefined);
    throw error;
  }
}

/** Runs `work` holding the lock; the lock is released however it ends (and by the kernel if the process dies). */
export async function withWriteLock<T>(dataDir: string, command: string, wait: string | undefined, work: () => Promise<T>): Promise<T> {
  const lock = await lockForWriting(dataDir, command, wait);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

/** The one "waiting for the holder" line, for commands that take the lock through organize (apply, undo). */
export function waitNotice(dataDir: string, waitMs: number | undefined): (holder: LockHolder | null) => void {
  const seconds = waitMs === undefined ? loadConfig(dataDir).config.lock_wait_seconds : waitMs / 1000;
  return (holder) => noteLine(waitingLine(holder, seconds));
}

function waitingLine(holder: LockHolder | null, seconds: number): string {
  const who = holder ? `\`${holder.command}\` (pid ${holder.pid}, since ${shownTime(holder.since)})` : "another shelfwise command";
  return `waiting up to ${seconds} s for ${who} to finish writing to this data folder...`;
}

/** `--wait SECONDS`, checked: 0 to 3600 seconds in decimal digits. */
export function waitSeconds(text: string): number {
  const seconds = decimalNumber(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new UserError(`--wait must be a number of seconds between 0 and 3600 (got ${quotedInput(text)})`, 2);
  }
  return seconds;
}
