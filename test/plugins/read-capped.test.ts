/** readFileCapped: what a plugin author's file may cost shelfwise's memory, whatever the file is. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileTooLargeError, readFileCapped } from "../../src/plugins/read-capped.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-capped-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("readFileCapped", () => {
  it("reads a file up to the limit exactly, and refuses one byte more by its size", () => {
    const file = path.join(tmp, "a.json");
    fs.writeFileSync(file, "x".repeat(100_000));
    expect(readFileCapped(file, 100_000).length).toBe(100_000);
    expect(() => readFileCapped(file, 99_999)).toThrow(FileTooLargeError);
    expect(() => readFileCapped(file, 99_999)).toThrow(`${file}: is 100000 bytes or more, over the limit of 99999 bytes`);
    fs.writeFileSync(file, "");
    expect(readFileCapped(file, 0).length).toBe(0);
  });

  it("stops at the limit on a file whose size says nothing (a /proc file reads as 0 bytes)", () => {
    // /proc/self/maps has st_size 0 and much more to read.
    expect(() => readFileCapped("/proc/self/maps", 16)).toThrow(FileTooLargeError);
    expect(readFileCapped("/proc/self/maps", 64 * 1024 * 1024).length).toBeGreaterThan(16);
  });

  it("refuses a FIFO or a device put where a file was, without waiting on it", () => {
    const fifo = path.join(tmp, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    expect(() => readFileCapped(fifo, 1024)).toThrow(`${fifo}: is not a regular file`);
    expect(() => readFileCapped("/dev/zero", 1024)).toThrow("/dev/zero: is not a regular file");
  });
});
