/**
 * A plugin's log file: whatever it prints on stdout/stderr, plus the host's
 * notes about it. Bounded twice so a plugin cannot fill the disk or slow the
 * host: the file rotates once to `<file>.1` past `maxBytes`, and output beyond
 * `windowBytes` per `windowMs` is dropped (counted, and noted in the log).
 * Writes are synchronous but at most `windowBytes` per window, so cheap.
 */
import fs from "node:fs";
import { secretMask, type SecretMask } from "../../domain/secret-mask.js";
import { openLogForAppend } from "../../config/log-file.js";

export interface BoundedLogOptions {
  maxBytes?: number;
  windowMs?: number;
  windowBytes?: number;
  /**
   * The plugin's secrets, masked in what it prints (a key printed while
   * debugging must not reach `plugins logs` or a page). Output is then kept
   * by whole lines, so that a value split across two writes is still found.
   */
  mask?: SecretMask;
}

/** A line longer than this is masked and written without waiting for its end. */
const MAX_HELD_CHARS = 64 * 1024;

export interface BoundedLog {
  write(chunk: Buffer | string): void;
  /** A line from the host about the plugin (start, exit, kill, fatal detail). */
  note(text: string): void;
  /** Bytes dropped since the log was opened. */
  dropped(): number;
  close(): void;
}

export const LOG_MAX_BYTES = 1024 * 1024;

export function openBoundedLog(file: string, options: BoundedLogOptions = {}): BoundedLog {
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES;
  const windowMs = options.windowMs ?? 1000;
  const windowBytes = options.windowBytes ?? 256 * 1024;
  let fd: number | null = null;
  let size = 0;
  let windowStart = 0;
  let windowUsed = 0;
  let droppedInWindow = 0;
  let droppedTotal = 0;
  let broken = false;

  function open(): void {
    fd = openLogForAppend(file);
    size = fs.fstatSync(fd).size;
  }

  function rawWrite(data: Buffer | string): void {
    if (broken) return;
    try {
      if (fd === null) open();
      const length = typeof data === "string" ? Buffer.byteLength(data) : data.length;
      if (size > 0 && size + length > maxBytes) {
        fs.closeSync(fd!);
        fs.renameSync(file, file + ".1");
        open();
      }
      if (typeof data === "string") fs.writeSync(fd!, data);
      else fs.writeSync(fd!, data);
      size += length;
    } catch {
      // A log that cannot be written (disk full, folder gone) must not take the host down.
      broken = true;
    }
  }

  // Plugin output as latin1 text: one char per byte, so masking never re-encodes what it does not replace.
  const byteMask = options.mask && options.mask.forms.length > 0 ? secretMask([], options.mask.forms.map((f) => Buffer.from(f, "utf8").toString("latin1"))) : null;
  let held = "";

  function writeMasked(chunk: Buffer | string): void {
    if (byteMask === null) return rawWrite(chunk);
    const text = held + (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk).toString("latin1");
    const end = text.length > MAX_HELD_CHARS ? text.length : text.lastIndexOf("\n") + 1;
    held = text.slice(end);
    if (end > 0) rawWrite(Buffer.from(byteMask.text(text.slice(0, end)), "latin1"));
  }

  function flushHeld(): void {
    if (byteMask === null || held === "") return;
    const text = held;
    held = "";
    rawWrite(Buffer.from(byteMask.text(text), "latin1"));
  }

  function flushDropNote(): void {
    if (droppedInWindow === 0) return;
    rawWrite(`\n[shelfwise] dropped ${droppedInWindow} bytes of plugin output (more than ${windowBytes} bytes in ${windowMs} ms)\n`);
    droppedInWindow = 0;
  }

  return {
    write(chunk) {
      const now = Date.now();
      if (now - windowStart >= windowMs) {
        flushDropNote();
        windowStart = now;
        windowUsed = 0;
      }
      const length = typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      if (windowUsed + length > windowBytes) {
        droppedInWindow += length;
        droppedTotal += length;
        return;
      }
      windowUsed += length;
      writeMasked(chunk);
    },
    note(text) {
      flushHeld();
      flushDropNote();
      rawWrite(`[shelfwise ${new Date().toISOString()}] ${options.mask ? options.mask.text(text) : text}\n`);
    },
    dropped: () => droppedTotal,
    close() {
      flushHeld();
      flushDropNote();
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // Already closed.
        }
        fd = null;
      }
    },
  };
}
