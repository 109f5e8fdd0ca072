/**
 * Errors as the user reads them: one line that says what happened, what was
 * kept and what to do. Stacks are for the log, never for the terminal.
 */
import { describeEnvironmentError as describeFault } from "../app/environment-words.js";

/** An error the user can act on: printed without a stack, with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

let currentDataDir: string | null = null;

/** The data folder of the command being run, so an error from deep inside can name its files. */
export function noteDataDir(dataDir: string): void {
  currentDataDir = dataDir;
}

export function notedDataDir(): string | null {
  return currentDataDir;
}

/**
 * The one-line message for a fault of the machine (disk full, read-only
 * storage, a lock held too long, a newer database, no permission), or null
 * when `error` is not one of those (app/environment-words.ts).
 */
export function describeEnvironmentError(error: unknown, dataDir: string | null = currentDataDir): string | null {
  return describeFault(error, dataDir);
}
