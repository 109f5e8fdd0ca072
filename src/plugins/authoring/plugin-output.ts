/**
 * What a plugin printed during one run of the test harness (`plugins test`, `shelfwise/testing`), read back
 * from its log: the call record keeps only an error's last line, and an author debugging a plugin needs the
 * traceback's file and line and the prints around it without opening the log (which the harness's own
 * temporary folder does not even keep).
 */
import fs from "node:fs";

/** Lines of the plugin's output shown: the last ones, each cut, so a flood prints a screenful. */
const OUTPUT_LINES_SHOWN = 20;
const OUTPUT_LINE_CHARS = 300;
const OUTPUT_BYTES_READ = 64 * 1024;

export function fileSize(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * What the plugin printed during this run (its print/console output, logging and the traceback of what it
 * threw), read back from its log: the call record keeps only an error's last line, and an author debugging
 * a plugin needs the line numbers and the prints around it without opening the log. shelfwise's own notes
 * there (started, ended, sandbox level) are left out; its network refusals are kept, they say why a call failed.
 */
export function outputSince(file: string, start: number): string[] {
  let text: string;
  try {
    const size = fileSize(file);
    const from = size < start ? 0 : start; // rotated to <id>.log.1 during the run: the new file is all this run's
    const begin = Math.max(from, size - OUTPUT_BYTES_READ);
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(size - begin);
      const read = fs.readSync(fd, buffer, 0, buffer.length, begin);
      text = buffer.subarray(0, read).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "" && !/^\[shelfwise( \d{4}-[^\]]*)?\] (?!network:)/.test(line));
  return lines.slice(-OUTPUT_LINES_SHOWN).map((line) => (line.length > OUTPUT_LINE_CHARS ? `${line.slice(0, OUTPUT_LINE_CHARS - 3)}...` : line));
}
