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

export function createLineReader(maxBytes: number, onLine: (line: string) => void, onOversize: (head: string) => void): LineReader {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let discarding = false;

  const reset = () => {
    pending = [];
    pendingLength = 0;
  };

  function endLine(chunk: Buffer, start: number, end: number): void {
    if (discarding) {
      discarding = false;
      return;
    }
    if (pendingLength + (end - start) > maxBytes) {
      const head = headOf(pending[0] ?? chunk.subarray(start, end));
      reset();
      onOversize(head);
      return;
    }
    let line: string;
    if (pendingLength === 0) {
      line = chunk.toString("utf8", start, end);
    } else {
      pending.push(chunk.subarray(start, end));
      line = Buffer.concat(pending).toString("utf8");
      reset();
    }
    onLine(line);
  }

  function keepTail(chunk: Buffer, start: number): void {
    if (discarding || start >= chunk.length) return;
    const tail = chunk.subarray(start);
    if (pendingLength + tail.length > maxBytes) {
      const head = headOf(pending[0] ?? tail);
      reset();
      discarding = true;
      onOversize(head);
      return;
    }
    pending.push(tail);
    pendingLength += tail.length;
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
