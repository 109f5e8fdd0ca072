/**
 * shelfwise's own log: what happened and when (scans, runs, plugin state
 * changes), for the user who asks later "why did this plugin stop?". One JSON
 * line per event in <data-dir>/logs/shelfwise.log, kept to a bounded size.
 */
import fs from "node:fs";
import path from "node:path";
import { pino, type Logger } from "pino";

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export type { Logger };

export function openLogger(logDir: string): Logger {
  fs.mkdirSync(logDir, { recursive: true });
  const file = path.join(logDir, "shelfwise.log");
  rotate(file);
  // Synchronous writes: CLI runs are short, and a log line lost at exit is the one you needed.
  const destination = pino.destination({ dest: file, sync: true, mkdir: true });
  return pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: nothing logs secrets, and these paths are blanked if something ever tries.
      redact: { paths: ["secrets", "*.secrets", "secret", "*.secret"], censor: "[redacted]" },
    },
    destination,
  );
}

function rotate(file: string): void {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}
