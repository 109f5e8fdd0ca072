/**
 * Newline-delimited framing with a hard cap per line: a runner that sends an
 * endless line costs at most `maxBytes` of memory, and the oversize line is
 * reported once, as soon as it passes the cap, then skipped to its newline.
 */
export interface LineReader {
  push(chunk: Buffer): void;
  /** Bytes of an unfinished line still held (for diagnostics at exit). */
  pendingBytes(): number;
}

/** What an unfinished line starts with: room for a typical answer, grown by doubling up to the cap. */
const FIRST_CAPACITY = 4096;

export function createLineReader(maxBytes: number, onLine: (line: string) => void, onOversize: (head: string) => void): LineReader {
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
    let line: string;
    if (pendingLength === 0) {
      line = chunk.toString("utf8", start, end);
    } else {
      append(chunk.subarray(start, end));
      line = pending.toString("utf8", 0, pendingLength);
      reset();
    }
    onLine(line);
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
