/**
 * Positioned reads of a file through one cached window, for walking a
 * container's headers (MP4 boxes, Ogg pages): the many small headers of one
 * region cost one read, and nothing but what is asked for is kept.
 */
import type { FileHandle } from "node:fs/promises";

const WINDOW = 64 * 1024;

/**
 * Reads through one cached window, so the many small headers of one region
 * cost one read; a request past the file's end returns what there is.
 */
export class WindowReader {
  #start = 0;
  #window = Buffer.alloc(0);

  /** `window`: bytes read at least per read; a walk that reads a file's first headers only asks for less. */
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly window = WINDOW,
  ) {}

  async bytes(offset: number, length: number): Promise<Buffer> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    if (offset >= this.#start && offset + want <= this.#start + this.#window.length) {
      return this.#window.subarray(offset - this.#start, offset - this.#start + want);
    }
    const buffer = Buffer.allocUnsafe(Math.max(want, Math.min(this.window, this.size - offset)));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, filled, buffer.length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.#start = offset;
    this.#window = buffer.subarray(0, filled);
    return this.#window.subarray(0, Math.min(want, filled));
  }
}
