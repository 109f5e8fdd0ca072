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
import { createRequire } from "node:module";
import path from "node:path";
import type { Logger as PinoLogger } from "pino";
import { openLogForAppend } from "../config/log-file.js";

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/** What shelfwise logs with: pino's levels, each taking the event's fields and a message. */
export type Logger = Pick<PinoLogger, "info" | "warn" | "error">;

/**
 * pino is loaded on the first line logged, not at start: most commands
 * (`books`, `book`, `status`, `--help`) log nothing, and loading it was ~30 ms
 * of every start. Synchronously, so a line is written before the next
 * statement, as before. The CLI bundle ships pino as its own file
 * (scripts/build-cli.mjs defines __SHELFWISE_PINO__); elsewhere it comes from
 * node_modules.
 */
declare const __SHELFWISE_PINO__: string | undefined;
const PINO_MODULE = typeof __SHELFWISE_PINO__ === "string" ? __SHELFWISE_PINO__ : "pino";
let pinoModule: typeof import("pino") | undefined;
function loadPino(): typeof import("pino") {
  return (pinoModule ??= createRequire(import.meta.url)(PINO_MODULE) as typeof import("pino"));
}

const handles = new WeakMap<Logger, { ok(): boolean; lost(): LostLogLines | null; close(): void }>();

/** Lines the log could not take: how many, where they were to go, and why (the first refusal). */
export interface LostLogLines {
  count: number;
  file: string;
  error: unknown;
}

export function openLogger(logDir: string): Logger {
  const file = path.join(logDir, "shelfwise.log");
  let fd: number | null = null;
  let openError: unknown = null;
  try {
    fs.mkdirSync(logDir, { recursive: true });
    rotate(file);
    fd = openLogForAppend(file);
  } catch (error) {
    fd = null;
    openError = error;
  }
  let failed = fd === null;
  // Counted, not only flagged: a command that logged something and lost it tells its user (a command that logs
  // nothing in a read-only logs folder has lost nothing and says nothing).
  let lost: LostLogLines | null = null;
  const drop = (error: unknown) => {
    if (lost) lost.count++;
    else lost = { count: 1, file, error };
  };
  // Synchronous writes: CLI runs are short, and a log line lost at exit is the one you needed.
  const destination = {
    write(line: string) {
      if (fd === null) {
        // Closed (after close()) drops silently, as documented; never opened is a loss to tell.
        if (openError !== null) drop(openError);
        return;
      }
      try {
        fs.writeSync(fd, line);
      } catch (error) {
        // Disk full or gone: the command's own work matters more than its log line, but the loss is told (lostLogLines).
        failed = true;
        drop(error);
      }
    },
  };
  let real: PinoLogger | undefined;
  const target = (): PinoLogger => {
    if (real) return real;
    const { pino } = loadPino();
    real = pino(
      {
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        // Belt and braces: nothing logs secrets, and these paths are blanked if something ever tries.
        redact: { paths: ["secrets", "*.secrets", "secret", "*.secret"], censor: "[redacted]" },
      },
      destination,
    );
    return real;
  };
  const logger: Logger = {
    info: ((...args: Parameters<PinoLogger["info"]>) => target().info(...args)) as PinoLogger["info"],
    warn: ((...args: Parameters<PinoLogger["warn"]>) => target().warn(...args)) as PinoLogger["warn"],
    error: ((...args: Parameters<PinoLogger["error"]>) => target().error(...args)) as PinoLogger["error"],
  };
  handles.set(logger, {
    ok: () => !failed,
    lost: () => lost,
    close() {
      openError = null;
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

/** The lines this logger could not write (null: none was lost). */
export function lostLogLines(logger: Logger): LostLogLines | null {
  return handles.get(logger)?.lost() ?? null;
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
