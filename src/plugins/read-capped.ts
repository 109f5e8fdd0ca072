/**
 * Reading a file a plugin author controls: never more than a cap into memory,
 * whatever the file claims or becomes between a look and the read (a file that
 * grows, a FIFO or a device swapped in for it).
 */
import fs from "node:fs";

export class FileTooLargeError extends Error {
  constructor(
    readonly file: string,
    /** At least this many bytes (the file may be larger still). */
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${file}: is ${size} bytes or more, over the limit of ${limit} bytes`);
    this.name = "FileTooLargeError";
  }
}

const CHUNK = 64 * 1024;

/**
 * The whole content of a regular file of at most `limit` bytes. Throws
 * FileTooLargeError past the limit (checked before reading, and again while
 * reading), and an error naming the file for anything that is not a regular file.
 * O_NONBLOCK: opening a FIFO put in the file's place must not wait for a writer.
 */
export function readFileCapped(file: string, limit: number): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${file}: is not a regular file`);
    if (stat.size > limit) throw new FileTooLargeError(file, stat.size, limit);
    // One byte more than the limit tells a file that grew since fstat from one that fits.
    const buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stat.size + 1, CHUNK)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw new FileTooLargeError(file, length, limit);
        return readOn(fd, file, limit, buffer, length);
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw new FileTooLargeError(file, length, limit);
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** The rare file that grew past its fstat size: read on in chunks, up to the limit. */
function readOn(fd: number, file: string, limit: number, head: Buffer, length: number): Buffer {
  const parts = [head.subarray(0, length)];
  let total = length;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(parts, total);
    total += n;
    if (total > limit) throw new FileTooLargeError(file, total, limit);
    parts.push(chunk.subarray(0, n));
  }
}
