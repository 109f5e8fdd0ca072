/**
 * The last lines of a plugin's output log, as the Plugins page and `plugins logs` show them (server and cli
 * may not import each other, so the one reading lives here).
 */
import fs from "node:fs";
import { shownLogLines } from "../plugins/process/bounded-log.js";
import type { DataDirLayout } from "../config/data-dir.js";

/** Bytes read from the log's end: a tail, never the whole log (it may be megabytes). */
const TAIL_BYTES = 32 * 1024;

/** The last `lines` lines of `<data>/logs/plugins/<id>.log` (none when there is no log). */
export function pluginLogTail(layout: Pick<DataDirLayout, "pluginLogFile">, id: string, lines: number): string[] {
  let fd: number;
  try {
    fd = fs.openSync(layout.pluginLogFile(id), "r");
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString("utf8").split("\n");
    // The first line of a cut read is a part of a line.
    if (length < size) text.shift();
    // A line of the plugin's must not read as shelfwise's note here either (an older log's are unmarked).
    return shownLogLines(fd, text.filter((line) => line !== "")).slice(-lines);
  } finally {
    fs.closeSync(fd);
  }
}
