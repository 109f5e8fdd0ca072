/**
 * Per-file CPU accounting, on only with SHELFWISE_TEST_CPU_LOG=FILE (vitest.config.ts then runs this as a
 * setup file): after each test file, one tab-separated line is appended to FILE with the CPU seconds its
 * worker process spent on it (user + system, its imports included: this runs before the file is imported),
 * the CPU seconds of the child processes it ran (the CLI, plugin runners, tsc, cp...: the kernel adds a
 * child's CPU, and its own children's, to its parent once the parent has reaped it), its wall seconds, the
 * worker's pid, the file, the worker's system seconds and its resident memory (MB) before and after.
 *
 * `/usr/bin/time` around a run of one file says what the file costs alone (vitest's own start included, ~2-3
 * CPU-s); these lines split a whole run by file (and own work from child processes) without a run per file.
 * Not counted: vitest's main process (module transforms, reporters), a worker's start, and what is reaped only
 * when its worker ends (the chromium the browser files share). Linux only (/proc); elsewhere nothing is written.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";

const LOG = process.env.SHELFWISE_TEST_CPU_LOG;

/** Fields 14-17 of /proc/self/stat: utime, stime, cutime, cstime, in clock ticks (100 a second on Linux). */
function times(): { user: number; sys: number; children: number } | null {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100, children: (Number(fields[13]) + Number(fields[14])) / 100 };
  } catch {
    return null;
  }
}

const start = LOG ? times() : null;
const startedAt = performance.now();
const startRss = process.memoryUsage().rss;

if (LOG && start) {
  // Vitest reads the first parameter's pattern for the fixtures it asks for: none here; the file is the second.
  afterAll(({}, suite) => {
    const end = times();
    if (!end) return;
    const file = "filepath" in suite ? path.relative(process.cwd(), String(suite.filepath)) : suite.name;
    const own = end.user - start.user + (end.sys - start.sys);
    const line = [
      own.toFixed(2),
      (end.children - start.children).toFixed(2),
      ((performance.now() - startedAt) / 1000).toFixed(1),
      process.pid,
      file,
      (end.sys - start.sys).toFixed(2),
      (startRss / 1e6).toFixed(0),
      (process.memoryUsage().rss / 1e6).toFixed(0),
    ];
    fs.appendFileSync(LOG, line.join("\t") + "\n");
  });
}
