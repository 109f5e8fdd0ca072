/**
 * shelfwise's own log: what happened and when (scans, runs, plugin state
 * changes), for the user who asks later "why did this plugin stop?". One JSON
 * line per event in <data-dir>/logs/shelfwise.log, kept to a bounded size.
 *
 * The log is best effort: a log folder that cannot be created or written (a
 * read-only file system, a full disk, no permission) never stops a command.
 * Lines are then dropped, and `logWritable` tells the caller so.
 */
import fs from "node:fs";
import path from "node:path";
import { pino, type Logger } from "pino";

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export type { Logger };

const handles = new WeakMap<Logger, { ok(): boolean; close(): void }>();

export function openLogger(logDir: string): Logger {
  const file = path.join(logDir, "shelfwise.log");
  let fd: number | null = null;
  try {
    fs.mkdirSync(logDir, { recursive: true });
    rotate(file);
    fd = fs.openSync(file, "a");
  } catch {
    fd = null;
  }
  let failed = fd === null;
  // Synchronous writes: CLI runs are short, and a log line lost at exit is the one you needed.
  const destination = {
    write(line: string) {
      if (fd === null) return;
      try {
        fs.writeSync(fd, line);
      } catch {
        // Disk full or gone: the command's own work matters more than its log line.
        failed = true;
      }
    },
  };
  const logger = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: nothing logs secrets, and these paths are blanked if something ever tries.
      redact: { paths: ["secrets", "*.secrets", "secret", "*.secret"], censor: "[redacted]" },
    },
    destination,
  );
  handles.set(logger, {
    ok: () => !failed,
    close() {
      if (fd === null) return;
      const open = fd;
      fd = null;
      try {
        fs.closeSync(open);
      } catch {
        // Already gone.
      }
    },
  });
  return logger;
}

/** Whether every line so far reached the log file. */
export function logWritable(logger: Logger): boolean {
  return handles.get(logger)?.ok() ?? false;
}

/** Closes the log file (later lines are dropped). */
export function closeLogger(logger: Logger): void {
  handles.get(logger)?.close();
}

function rotate(file: string): void {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet, or a folder we may not change: keep appending.
  }
}
