import fs from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
beforeAll(() => {
  process.env.SHELFWISE_PROBE_FILE = expect.getState().testPath;
});
afterAll(() => {
  const f = fs.readFileSync("/proc/self/stat", "utf8");
  const parts = f.slice(f.lastIndexOf(")") + 2).split(" ");
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(parts[i]) / 100);
  fs.appendFileSync("/work/prof/files.log", JSON.stringify({ file: expect.getState().testPath, pid: process.pid, utime, stime, cutime, cstime }) + "\n");
});
