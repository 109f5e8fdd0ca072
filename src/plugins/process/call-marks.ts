/**
 * Takes the runner's call marks (runner/call-mark.ts) out of a plugin's stderr: `text` is told what the plugin
 * wrote, `mark` where a call started. A mark split across two reads is still found: the end of a read that may
 * begin one is held until the next read (or the end) says.
 */
import { callMark } from "../runner/call-mark.js";

export interface CallMarks {
  push(chunk: Buffer): void;
  /** What is held at the process's end: the plugin's own bytes, not a mark. */
  end(): void;
}

export function callMarks(token: string, text: (chunk: Buffer) => void, mark: () => void): CallMarks {
  const marker = Buffer.from(callMark(token), "latin1");
  let held: Buffer | null = null;
  return {
    push(chunk) {
      let data = held ? Buffer.concat([held, chunk]) : chunk;
      held = null;
      for (let at = data.indexOf(marker); at >= 0; at = data.indexOf(marker)) {
        if (at > 0) text(data.subarray(0, at));
        mark();
        data = data.subarray(at + marker.length);
      }
      const keep = partialMarkAt(data, marker);
      if (keep < data.length) {
        held = Buffer.from(data.subarray(keep));
        data = data.subarray(0, keep);
      }
      if (data.length > 0) text(data);
    },
    end() {
      if (held) text(held);
      held = null;
    },
  };
}

/** Where a mark's start cut by the read's end begins; data.length when none is there. */
function partialMarkAt(data: Buffer, marker: Buffer): number {
  const from = Math.max(0, data.length - marker.length + 1);
  for (let at = data.indexOf(marker[0]!, from); at >= 0; at = data.indexOf(marker[0]!, at + 1)) {
    if (marker.subarray(0, data.length - at).equals(data.subarray(at))) return at;
  }
  return data.length;
}
