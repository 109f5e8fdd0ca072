/**
 * A plugin's log file: whatever it prints on stdout/stderr, plus the host's
 * notes about it. Bounded twice so a plugin cannot fill the disk or slow the
 * host: the file rotates once to `<file>.1` past `maxBytes` (its real size, whichever processes wrote it:
 * see rotateShared), and output beyond
 * `windowBytes` per `windowMs` is dropped (counted, and noted in the log).
 * Writes are synchronous but at most `windowBytes` per window, so cheap.
 */
import fs from "node:fs";
import { heldTailMasked, type SecretMask } from "../../domain/secret-mask.js";
import { openLogForAppend, writeAndClose } from "../../config/log-file.js";
import { binaryOutputWords, isBinaryOutput } from "./binary-output.js";

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
  /**
   * Called with what this log writes to the file (the plugin's lines and the host's, masked, as latin1 text:
   * one char per byte), never with what another process appends: `plugins test` shows its own run's output
   * from it while a `process` of the same plugin writes to the same file.
   */
  copy?: (latin1: string) => void;
}

/** A line longer than this is masked and written without waiting for its end. */
const MAX_HELD_CHARS = 64 * 1024;

export interface BoundedLog {
  /** Output of the plugin's: `stream` names where it came from (stdout, stderr), each held on its own. */
  write(chunk: Buffer | string, stream?: string): void;
  /** A line from the host about the plugin (start, exit, kill, fatal detail). */
  note(text: string): void;
  /** A line of the egress proxy's (`network: refused ...`), masked, marked `[shelfwise]`. */
  refusal(text: string): void;
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
  let closed = false;

  function open(): void {
    const opened = openMarkedLog(file);
    fd = opened.fd;
    size = opened.size;
  }

  function rawWrite(data: Buffer | string): void {
    if (broken) return;
    try {
      if (fd === null) open();
      const length = typeof data === "string" ? Buffer.byteLength(data) : data.length;
      // Another process (a `serve` and a `process`, two `plugins test`) may write this log too: what counts is
      // the file's real size, and the file at the log's name, not this process's own count of its writes.
      let real = fs.fstatSync(fd!);
      for (let tries = 0; tries < 3 && real.size > 0 && real.size + length > maxBytes; tries++) {
        try {
          rotateShared(file, real, maxBytes);
        } catch {
          // Raced by another writer's rotation (a name gone meanwhile): the file at the name is looked at again.
        }
        fs.closeSync(fd!);
        fd = null;
        open();
        real = fs.fstatSync(fd!);
      }
      if (!sameFile(real, fs.lstatSync(file, { throwIfNoEntry: false }))) {
        // Rotated by another process: its lines go on in the file now at the log's name, not in `.1`.
        fs.closeSync(fd!);
        fd = null;
        open();
        real = fs.fstatSync(fd!);
      }
      const before = real.size;
      if (typeof data === "string") fs.writeSync(fd!, data);
      else fs.writeSync(fd!, data);
      size = before + length;
      options.copy?.(typeof data === "string" ? Buffer.from(data, "utf8").toString("latin1") : data.toString("latin1"));
    } catch {
      // A log that cannot be written (disk full, folder gone) must not take the host down.
      broken = true;
    }
  }

  // Plugin output as latin1 text: one char per byte, so masking never re-encodes what it does not replace.
  const byteMask = options.mask && options.mask.forms.length > 0 ? options.mask.latin1() : null;
  // Output is kept by whole lines, and a line's end that may start a secret (cut by a write or a newline) until
  // what follows is known: a secret split across two writes or two lines is still masked, and a line's start is known.
  // One per stream: a line of stderr arriving between two writes of stdout must not cut a secret held in it.
  const held = new Map<string, string>();
  // The file's last line is a plugin line not ended yet (written without its newline): what follows continues it.
  let midLine = false;

  function writePluginText(text: string): void {
    if (text === "") return;
    // Another writer's line (the egress proxy's refusals, appended by sandbox/wall.ts) ends the plugin's
    // unfinished line: what the plugin writes next starts a line in the file, and is checked as one.
    if (midLine && fd !== null && !broken) {
      try {
        const actual = fs.fstatSync(fd).size;
        if (actual !== size) {
          midLine = false;
          size = actual;
        }
      } catch {
        // Checked again at the next write.
      }
    }
    const masked = byteMask === null ? text : byteMask.text(text);
    let out = "";
    // Lines of binary output in a row, said as one line with their size (binary-output.ts).
    let binary = 0;
    // The run's last newline ends its line, and is not counted as its bytes.
    let binaryEnded = false;
    const sayBinary = () => {
      if (binary === 0) return;
      out += `${midLine ? "\n" : ""}[${binaryOutputWords(binary - (binaryEnded ? 1 : 0))}]\n`;
      midLine = false;
      binary = 0;
    };
    for (const segment of masked.split(/(?<=\n)/)) {
      const ended = segment.endsWith("\n");
      const body = ended ? segment.slice(0, -1) : segment;
      if ((binary > 0 && body === "") || isBinaryOutput(Buffer.from(body, "latin1"))) {
        binary += segment.length;
        binaryEnded = ended;
        continue;
      }
      sayBinary();
      out += pluginLine(body, !midLine) + (ended ? "\n" : "");
      midLine = !ended;
    }
    sayBinary();
    rawWrite(Buffer.from(out, "latin1"));
  }

  function writeLines(chunk: Buffer | string, stream: string): void {
    const text = (held.get(stream) ?? "") + (typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk).toString("latin1");
    const lineEnd = text.length > MAX_HELD_CHARS ? text.length : text.lastIndexOf("\n") + 1;
    const end = byteMask === null ? lineEnd : Math.min(lineEnd, byteMask.heldFrom(text));
    if (end < text.length) held.set(stream, text.slice(end));
    else held.delete(stream);
    writePluginText(text.slice(0, end));
  }

  /**
   * Writes what is held, now that it will not be continued where it is (a note or refusal comes between, or the
   * log closes): an end held as the start of a secret would show that half, so it is masked (heldTailMasked).
   */
  function flushHeld(): void {
    const texts = [...held.values()].map((text) => (byteMask === null ? text : heldTailMasked(byteMask, text)));
    held.clear();
    for (const text of texts) writePluginText(text.endsWith("\n") || texts.length === 1 ? text : `${text}\n`);
  }

  /** A line of the host's own, always on a line of its own. */
  function hostLine(text: string): void {
    rawWrite(`${midLine ? "\n" : ""}${text}\n`);
    midLine = false;
  }

  function flushDropNote(): void {
    if (droppedInWindow === 0) return;
    hostLine(`[shelfwise] dropped ${droppedInWindow} bytes of plugin output (more than ${windowBytes} bytes in ${windowMs} ms)`);
    droppedInWindow = 0;
  }

  return {
    write(chunk, stream = "") {
      // The monotonic clock: with the wall clock set back an hour, the window never ended and every line past
      // its bytes was dropped for that hour.
      const now = performance.now();
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
      writeLines(chunk, stream);
    },
    note(text) {
      flushHeld();
      flushDropNote();
      // A note may quote the plugin (its teardown error, its last line of stderr): kept on its one line.
      hostLine(`[shelfwise ${new Date().toISOString()}] ${oneLine(options.mask ? options.mask.text(text) : text)}`);
    },
    refusal(text) {
      const line = `[shelfwise] ${oneLine(options.mask ? options.mask.text(text) : text)}`;
      // The proxy may still refuse while its process is being stopped: a closed log is not reopened and left open.
      if (closed) {
        appendPluginLog(file, `${line}\n`);
        options.copy?.(Buffer.from(`${line}\n`, "utf8").toString("latin1"));
        return;
      }
      flushHeld();
      hostLine(line);
    },
    dropped: () => droppedTotal,
    close() {
      closed = true;
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

function sameFile(a: fs.Stats, b: fs.Stats | undefined): boolean {
  return b !== undefined && a.ino === b.ino && a.dev === b.dev;
}

/** A claim this old on a file no longer at the log's name was left by a process that died while rotating. */
const STALE_CLAIM_MS = 10_000;

/**
 * Moves the log `file` (open here as `ours`) to `<file>.1`, unless another process rotated it already. Safe
 * across processes without a lock: the rotation is claimed by hard-linking the file as `<file>.rotating`,
 * which only one process can create, and the claim holds only if that link is our file (the name still led
 * to it). The name is removed, then the claim renamed over `.1`: a writer that still holds the old file
 * writes into `.1` (nothing lost) until it sees the name lead elsewhere and reopens it.
 */
function rotateShared(file: string, ours: fs.Stats, maxBytes: number): void {
  const claim = file + ".rotating";
  if (!sameFile(ours, fs.lstatSync(file, { throwIfNoEntry: false }))) return;
  try {
    fs.linkSync(file, claim);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process is rotating right now (the next write looks again), or one died while it did.
    const held = fs.lstatSync(claim, { throwIfNoEntry: false });
    if (!held) return;
    if (sameFile(held, fs.lstatSync(file, { throwIfNoEntry: false }))) {
      // Died before removing the name: the file grows on, and past twice its bound the claim is dropped.
      if (held.size > 2 * maxBytes) fs.rmSync(claim, { force: true });
    } else if (Math.abs(Date.now() - held.ctimeMs) > STALE_CLAIM_MS) {
      // Died after removing the name: its rotation is finished for it (no writer holds that file any more).
      // A claim made "in the future" is as old: the clock was set back since, and a live rotation takes
      // microseconds; waiting for its age to pass would let the log grow past its bound until the clock caught up.
      fs.renameSync(claim, file + ".1");
    }
    return;
  }
  if (!sameFile(ours, fs.lstatSync(claim))) {
    fs.unlinkSync(claim);
    return;
  }
  fs.unlinkSync(file);
  fs.renameSync(claim, file + ".1");
}

/** How often opening a log looks again when another process is setting it up or aside, 2 ms apart. */
const OPEN_ATTEMPTS = 100;

/**
 * Opens the log `file` for append, beginning with LOG_HEADER, across processes without a lock. A missing log is
 * created with its header already in it (written to a file of its own, then hard-linked at the name, which only
 * one process can do), so two processes starting at once never write the header twice. A log without the header
 * (an older shelfwise's, or an empty file) is settled by the one process holding the rotation's claim
 * (`<file>.rotating`, see rotateShared): an empty one gets the header, an older one is set aside to `.1` once,
 * and the others look again at what is then at the name (never setting aside the fresh log in its place).
 */
function openMarkedLog(file: string): { fd: number; size: number } {
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= OPEN_ATTEMPTS;
    let fd: number;
    try {
      fd = openLogForAppend(file, last);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      createWithHeader(file);
      continue;
    }
    let keep = false;
    try {
      const ours = fs.fstatSync(fd);
      const head = headerAt(file, ours);
      // Still unsettled after every attempt (a claim held by a process that died): written on as it is, its
      // lines shown as an older log's, nothing set aside.
      if (head === "marked" || last) {
        keep = true;
        return { fd, size: ours.size };
      }
      if (head === "unmarked" && settleUnmarked(file, fd, ours)) {
        keep = true;
        return { fd, size: fs.fstatSync(fd).size };
      }
    } finally {
      if (!keep) fs.closeSync(fd);
    }
    pause(2);
  }
}

/**
 * Appends host lines to the plugin log `file` without opening it as a BoundedLog (the egress proxy's refusals
 * after the log closed). A missing log is created with its header, never empty: a headerless file would be
 * set aside over `.1` by the next start, taking the rotated log's lines with it. Best effort: false when dropped.
 */
export function appendPluginLog(file: string, text: string): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openLogForAppend(file, false);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return false;
      try {
        createWithHeader(file);
      } catch {
        return false;
      }
      continue;
    }
    return writeAndClose(fd, text);
  }
  return false;
}

/** Puts a new log with its header at `file`, unless a file is there already. */
function createWithHeader(file: string): void {
  const fresh = `${file}.new-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    fs.writeFileSync(fresh, `${LOG_HEADER}\n`, { flag: "wx", mode: 0o666 });
    fs.linkSync(fresh, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(fresh, { force: true });
  }
}

/**
 * Whether the file open as `ours` begins with the header ("marked"), does not ("unmarked"), or is no longer
 * at the name ("moved"): read through a descriptor of its own, no link followed.
 */
function headerAt(file: string, ours: fs.Stats): "marked" | "unmarked" | "moved" {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return "moved";
  }
  try {
    if (!sameFile(ours, fs.fstatSync(fd))) return "moved";
    return startsWithLogHeader(fd) ? "marked" : "unmarked";
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * With the claim held, the unmarked log open as `fd` is given its header (empty) or set aside to `.1` (older).
 * True when `fd` is then the log to write (it was given its header, or another process gave it meanwhile);
 * false when the name is to be looked at again (set aside, moved, or the claim held by another process).
 */
function settleUnmarked(file: string, fd: number, ours: fs.Stats): boolean {
  const claim = file + ".rotating";
  try {
    fs.linkSync(file, claim);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOENT") return false;
    throw error;
  }
  let held = true;
  try {
    if (!sameFile(ours, fs.lstatSync(claim))) return false;
    const head = headerAt(claim, ours);
    if (head === "marked") return true;
    if (head === "moved") return false;
    if (fs.fstatSync(fd).size === 0) {
      fs.writeSync(fd, `${LOG_HEADER}\n`);
      return true;
    }
    // Lines that cannot be told apart from the host's: set aside (as a rotation would) rather than continued
    // under a header they do not deserve. Only the claim's holder does it, and only to the file it opened.
    if (!sameFile(ours, fs.lstatSync(file, { throwIfNoEntry: false }))) return false;
    fs.unlinkSync(file);
    fs.renameSync(claim, file + ".1");
    held = false;
    return false;
  } finally {
    // Removed only while it is still ours: once renamed, the name may be another process's claim.
    if (held) fs.rmSync(claim, { force: true });
  }
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

/**
 * The first line of every log shelfwise starts since it marks plugin lines: a file that begins with it holds
 * no plugin line that reads as a note unmarked. One without it (older) is shown with OLDER_LOG_MARK instead.
 */
export const LOG_HEADER = "[shelfwise] plugin output log: a line of the plugin's that reads as shelfwise's note is marked [plugin output]";

/**
 * In front of a line of an older log (no LOG_HEADER) that reads as the host's note when it is shown: it may be
 * the plugin's, written before plugin lines were marked, and cannot be told apart from shelfwise's own.
 */
export const OLDER_LOG_MARK = "[older log: shelfwise's or the plugin's] ";

function startsWithLogHeader(fd: number): boolean {
  const head = Buffer.alloc(LOG_HEADER.length + 1);
  const read = fs.readSync(fd, head, 0, head.length, 0);
  return head.subarray(0, read).toString("latin1") === `${LOG_HEADER}\n`;
}

/**
 * A log's lines as a page or command shows them (each without its newline; `fd` the open log, read from its
 * start for the header): control characters escaped as when written, the header left out, and, in an older
 * log, every line that reads as a note marked OLDER_LOG_MARK, since a plugin could have written it.
 */
export function shownLogLines(fd: number, lines: readonly string[]): string[] {
  const checked = startsWithLogHeader(fd);
  return lines
    .filter((line) => line !== LOG_HEADER)
    .map((line) => {
      const latin1 = Buffer.from(line.endsWith("\r") ? line.slice(0, -1) : line, "utf8").toString("latin1");
      const shown = Buffer.from(escapedPluginText(latin1), "latin1").toString("utf8");
      return !checked && readsAsHostNote(latin1) ? OLDER_LOG_MARK + shown : shown;
    });
}

/** What marks a plugin's line that could pass for the host's (`[shelfwise ...] ...`). */
export const PLUGIN_LINE_MARK = "[plugin output] ";

/**
 * One line of plugin output (latin1, one char per byte, no newline) as the log keeps it. The host's notes are
 * the lines that start with `[shelfwise`; a plugin line that would read as one (also behind spaces, invisible
 * format characters, or fullwidth lookalikes) gets PLUGIN_LINE_MARK in front. Control characters other than
 * a tab are written as `\xNN` (C1 ones, and the invisible direction controls, as `\uNNNN`): a carriage return or a terminal escape could otherwise redraw a line as a
 * note when the log is shown in a terminal (a CR right before the newline is left as it is).
 */
export function pluginLine(line: string, atLineStart: boolean): string {
  const body = line.endsWith("\r") ? line.slice(0, -1) : line;
  const shown = escapedPluginText(body) + (body === line ? "" : "\r");
  return atLineStart && readsAsHostNote(line) ? PLUGIN_LINE_MARK + shown : shown;
}

/** Plugin text (latin1, one char per byte) with its control characters written as escapes (see pluginLine). */
function escapedPluginText(body: string): string {
  return body
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    // C1 controls in UTF-8 (U+0080..U+009F, two bytes): a terminal reads U+009B as an escape too.
    .replace(/\xc2([\x80-\x9f])/g, (_, c: string) => `\\u00${c.charCodeAt(0).toString(16)}`)
    // Direction marks, embeddings, overrides and isolates, and the line separators (UTF-8, three bytes and
    // two): a right-to-left override shows a line reversed, so one written backwards would read as a note.
    .replace(/\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c/g, (c) => `\\u${Buffer.from(c, "latin1").toString("utf8").charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function readsAsHostNote(latin1: string): boolean {
  const head = Buffer.from(latin1.slice(0, 256), "latin1").toString("utf8");
  const visible = head.replace(/^[\s\p{Cc}\p{Cf}\p{Zs}\p{Mn}]+/u, "").normalize("NFKC");
  return /^\[\s*shelfwise/i.test(visible);
}

/** A note's text on one line: newlines and other control characters (C0, DEL, C1) as escapes. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => (c.charCodeAt(0) < 0x80 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : `\\u00${c.charCodeAt(0).toString(16)}`));
}
