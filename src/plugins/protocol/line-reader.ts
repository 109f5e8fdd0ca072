/**
 * Newline-delimited framing with a hard cap per line: a runner that sends an
 * endless line costs at most `maxBytes` of memory, and the oversize line is
 * reported once, as soon as it passes the cap, then skipped to its newline.
 */
import { isUtf8 } from "node:buffer";

export interface LineReader {
  push(chunk: Buffer): void;
  /** Bytes of an unfinished line still held (for diagnostics at exit). */
  pendingBytes(): number;
}

/** What an unfinished line starts with: room for a typical answer, grown by doubling up to the cap. */
const FIRST_CAPACITY = 4096;

/**
 * `onNotUtf8` gets a line whose bytes are not UTF-8, described: both runners write UTF-8 only (Python's
 * json.dumps with ensure_ascii, Node's JSON.stringify, which escapes a lone surrogate), so such a line is
 * plugin code writing on the channel. Decoded, its bad bytes became U+FFFD where nothing looked (a key,
 * an error message) and passed as a real answer.
 */
export function createLineReader(
  maxBytes: number,
  onLine: (line: string) => void,
  onOversize: (head: string) => void,
  onNotUtf8: (description: string) => void,
): LineReader {
  // The unfinished line is copied into one buffer, never kept as the chunks it came in: a runner dripping
  // a line a byte per write made the host keep one Buffer object per byte (~100 bytes of heap each),
  // about a hundred times the cap.
  let pending = Buffer.alloc(0);
  let pendingLength = 0;
  let discarding = false;

  const reset = () => {
    pendingLength = 0;
    // A line that needed a large buffer does not keep it for the next.
    if (pending.length > FIRST_CAPACITY) pending = Buffer.alloc(0);
  };

  function append(bytes: Buffer): void {
    if (pendingLength + bytes.length > pending.length) {
      let capacity = Math.max(pending.length, FIRST_CAPACITY);
      while (capacity < pendingLength + bytes.length) capacity *= 2;
      const grown = Buffer.allocUnsafe(Math.min(capacity, Math.max(maxBytes, pendingLength + bytes.length)));
      pending.copy(grown, 0, 0, pendingLength);
      pending = grown;
    }
    bytes.copy(pending, pendingLength);
    pendingLength += bytes.length;
  }

  function endLine(chunk: Buffer, start: number, end: number): void {
    if (discarding) {
      discarding = false;
      return;
    }
    if (pendingLength + (end - start) > maxBytes) {
      const head = headOf(pendingLength > 0 ? pending.subarray(0, pendingLength) : chunk.subarray(start, end));
      reset();
      onOversize(head);
      return;
    }
    let bytes: Buffer;
    if (pendingLength === 0) {
      bytes = chunk.subarray(start, end);
    } else {
      append(chunk.subarray(start, end));
      bytes = pending.subarray(0, pendingLength);
    }
    // Checked as bytes: once decoded, a bad byte and a real U+FFFD look the same.
    const utf8 = isUtf8(bytes);
    const line = utf8 ? bytes.toString("utf8") : describeNotUtf8(bytes);
    if (pendingLength > 0) reset();
    if (utf8) onLine(line);
    else onNotUtf8(line);
  }

  function keepTail(chunk: Buffer, start: number): void {
    if (discarding || start >= chunk.length) return;
    const tail = chunk.subarray(start);
    if (pendingLength + tail.length > maxBytes) {
      const head = headOf(pendingLength > 0 ? pending.subarray(0, pendingLength) : tail);
      reset();
      discarding = true;
      onOversize(head);
      return;
    }
    append(tail);
  }

  return {
    push(chunk) {
      let start = 0;
      let newline = chunk.indexOf(10, start);
      while (newline !== -1) {
        endLine(chunk, start, newline);
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      keepTail(chunk, start);
    },
    pendingBytes: () => pendingLength,
  };
}

/** The start of an oversize line, so its sender can say which call it answered. */
function headOf(first: Buffer): string {
  return first.subarray(0, 64).toString("utf8");
}

/**
 * Where a line stops being UTF-8 and what it starts with (its bad bytes as \xNN), for the call log:
 * "a line that is not UTF-8 (byte 0xE9 at offset 52): {"type":"result",...caf\xe9...".
 */
export function describeNotUtf8(bytes: Buffer): string {
  const offset = firstBadByte(bytes);
  const head = [...bytes.subarray(0, 80)].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
  return `a line that is not UTF-8 (byte 0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")} at offset ${offset}; shelfwise's runners write UTF-8 only, so plugin code wrote it on shelfwise's channel): ${head}`;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong, surrogate, past U+10FFFF). */
function firstBadByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return 0;
}
