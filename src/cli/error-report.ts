/**
 * How the CLI reports an error that is not a UserError (main.ts prints
 * those): config, lock, store and machine faults in one line each, anything
 * else as unexpected with its stack in the data folder's log. Loaded on such
 * an error only, so a start does not load the store, the logger and the
 * error classes of code the command may never run.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/config-error.js";
import { DataLockBusyError } from "../store/data-lock.js";
import { StoreError } from "../store/store-error.js";
import { describeEnvironmentError as describeFault } from "../app/environment-words.js";
import { closeLogger, logWritable, openLogger } from "../app/logger.js";
import { notedDataDir, UserError } from "./errors.js";
import { messageText } from "./output.js";

/** Says `error` on stderr in the user's words (the stack goes to the log) and returns the exit code. */
export async function reportError(error: unknown): Promise<number> {
  const say = (message: string) => process.stderr.write(`shelfwise: ${messageText(message)}\n`);
  if (error instanceof UserError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof DataLockBusyError) {
    say(error.message);
    return 1;
  }
  // The machine said no (disk full, read-only, locked, newer database): one line, the stack to the log.
  const environment = describeEnvironmentError(error);
  if (environment) {
    say(environment);
    logStack(error);
    return 1;
  }
  if (error instanceof StoreError) {
    say(error.message);
    logStack(error);
    return 1;
  }
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  // Relative paths (the default ./shelfwise-data, `scan lib`) are resolved against a folder that is gone.
  if (syscall === "uv_cwd") {
    say("the current folder no longer exists (deleted or moved since this shell entered it): `cd` to a folder that exists, or give absolute paths (--data-dir /path/to/data)");
    return 1;
  }
  // Node's words ("ENAMETOOLONG: name too long, mkdir '...'") say neither which limit nor what to do.
  if (code === "ENAMETOOLONG" && typeof syscall === "string") {
    const where = typeof (error as NodeJS.ErrnoException).path === "string" ? ` ${(error as NodeJS.ErrnoException).path}` : "";
    say(`name too long:${where} holds a name longer than the file system allows (255 bytes for one name, 4096 for a whole path): shorten it; the command stopped there, and what it saved before is kept`);
    logStack(error);
    return 1;
  }
  // Any other refusal of the file system (not a directory, too many open files): its own words suffice.
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code) && typeof syscall === "string") {
    say(`${(error as Error).message}; the command stopped there, and what it saved before is kept`);
    logStack(error);
    return 1;
  }
  const logged = logStack(error);
  const message = (error as Error)?.message ?? String(error);
  say(logged ? `unexpected error: ${message} (details in ${logged})` : `unexpected error: ${(error as Error)?.stack ?? message}`);
  return 1;
}

/** Writes the error with its stack to the data folder's log; the log file when that worked, else null. */
function logStack(error: unknown): string | null {
  const dataDir = notedDataDir();
  // A mistyped --data-dir must not get a logs folder made for it.
  if (!dataDir || !fs.existsSync(dataDir)) return null;
  const logs = path.join(dataDir, "logs");
  try {
    const log = openLogger(logs);
    log.error({ event: "command_failed", err: error }, (error as Error)?.message ?? String(error));
    const ok = logWritable(log);
    closeLogger(log);
    return ok ? path.join(logs, "shelfwise.log") : null;
  } catch {
    return null;
  }
}

/**
 * The one-line message for a fault of the machine (disk full, read-only
 * storage, a lock held too long, a newer database, no permission), or null
 * when `error` is not one of those (app/environment-words.ts).
 */
export function describeEnvironmentError(error: unknown, dataDir: string | null = notedDataDir()): string | null {
  return describeFault(error, dataDir);
}
