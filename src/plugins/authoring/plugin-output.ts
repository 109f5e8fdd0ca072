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
  let kept = "";
  return {
    copy(latin1) {
      kept += latin1;
      if (kept.length > 2 * OUTPUT_BYTES_READ) kept = kept.slice(-OUTPUT_BYTES_READ);
    },
    lines: () => outputLines(utf8Tail(Buffer.from(kept, "latin1"), OUTPUT_BYTES_READ).toString("utf8")),
  };
}

function outputLines(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "" && !/^\[shelfwise( \d{4}-[^\]]*)?\] (?!network:)/.test(line));
  return lines.slice(-OUTPUT_LINES_SHOWN).map((line) => (line.length > OUTPUT_LINE_CHARS ? `${textHead(line, OUTPUT_LINE_CHARS - 3)}...` : line));
}
