/**
 * What a plugin printed during one run of the test harness (`plugins test`, `shelfwise/testing`), as its log
 * wrote it: the call record keeps only an error's last line, and an author debugging a plugin needs the
 * traceback's file and line and the prints around it without opening the log (which the harness's own
 * temporary folder does not even keep).
 */

import { textHead, utf8Tail } from "../../domain/utf8-cut.js";

/** Lines of the plugin's output shown: the last ones, each cut, so a flood prints a screenful. */
const OUTPUT_LINES_SHOWN = 20;
const OUTPUT_LINE_CHARS = 300;
const OUTPUT_BYTES_READ = 64 * 1024;

/**
 * What one plugin process printed, as its log writes it (BoundedLogOptions.copy): only that process's lines,
 * where the log file also holds those of a `process` run of the same plugin beside it.
 */
export function outputCollector(): { copy(latin1: string): void; lines(): string[] } {
  // Kept as written, the oldest dropped once the rest hold what is read: one string, appended to and cut, was
  // copied whole at every write of a flooding plugin.
  let kept: string[] = [];
  let size = 0;
  let dropped = 0;
  let limit = "";
  return {
    copy(latin1) {
      // The log's own note of output over its rate (bounded-log.ts): summed into one line, said last.
      const note = DROP_NOTE.exec(latin1);
      if (note) {
        dropped += Number(note[1]);
        limit = note[2]!;
        return;
      }
      kept.push(latin1);
      size += latin1.length;
      while (kept.length > 1 && size - kept[0]!.length >= OUTPUT_BYTES_READ) size -= kept.shift()!.length;
    },
    lines() {
      const text = kept.join("");
      kept = [text];
      const lines = outputLines(utf8Tail(Buffer.from(text, "latin1"), OUTPUT_BYTES_READ).toString("utf8"));
      if (dropped === 0) return lines;
      // Filtered out as a note of shelfwise's, with the rest, it left a flood's author guessing why so little showed.
      return [...lines, `[shelfwise] ${dropped} bytes of the plugin's output were not kept (${limit}: the most a plugin's log takes); the lines above are what was`];
    },
  };
}

const DROP_NOTE = /^\n?\[shelfwise\] dropped (\d+) bytes of plugin output \((more than \d+ bytes in \d+ ms)\)\n$/;

function outputLines(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "" && !/^\[shelfwise( \d{4}-[^\]]*)?\] (?!network:)/.test(line));
  return lines.slice(-OUTPUT_LINES_SHOWN).map((line) => (line.length > OUTPUT_LINE_CHARS ? `${textHead(line, OUTPUT_LINE_CHARS - 3)}...` : line));
}
