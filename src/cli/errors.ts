/**
 * Errors as the user reads them: one line that says what happened, what was
 * kept and what to do. Stacks are for the log, never for the terminal.
 */
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
