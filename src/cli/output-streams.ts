/**
 * What happens when shelfwise's own output cannot be written. Node's default
 * is an uncaught exception with a stack trace, or a changed exit code.
 */
import { EXIT } from "../app/exit-codes.js";

const WORDS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EIO: "an input/output error",
  EBADF: "standard output is closed",
  EROFS: "a read-only file system",
  EACCES: "permission denied",
  EPERM: "permission denied",
};

let outputLost = false;

/**
 * - `shelfwise books | head`: the reader leaves before the output ends. Unix
 *   tools stop quietly there; output stops, the command itself finishes (a
 *   `process` or `apply` piped into `head` completes its batch rather than
 *   dying mid-way) and exits with its own code.
 * - `shelfwise books > /dev/full` (a full disk, an I/O error): the output is
 *   lost, so a script must not read exit 0 as "the listing is in the file".
 *   One line on stderr, the command finishes what it was doing (its writes to
 *   the database are not undone for a failed listing) and exits 1 unless it
 *   already has a code of its own.
 * - stderr itself failing: nothing can be said, and the exit code stays the
 *   command's own.
 */
export function guardOutputStreams(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED" || outputLost) return;
    outputLost = true;
    const why = WORDS[error.code ?? ""] ?? error.code ?? error.message;
    process.stderr.write(`shelfwise: could not write the output (standard output): ${why}; the output is incomplete\n`);
    if (!process.exitCode) process.exitCode = EXIT.failure;
  });
  process.stderr.on("error", () => {});
}

/** True once writing stdout failed (not a reader that left): the command must not exit 0. */
export function outputWasLost(): boolean {
  return outputLost;
}
