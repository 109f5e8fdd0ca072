import os from "node:os";
import { defineConfig } from "vitest/config";
import { SlowestFirst } from "./test/support/sequencer.js";

/**
 * Most files wait on child processes (the CLI, plugin runners, Python) part
 * of the time. Vitest's default (cores - 1 workers: one on a 2-core machine)
 * runs the files one after another and leaves the CPU idle while they wait,
 * so more files run at once than there are cores. SHELFWISE_TEST_WORKERS overrides it (e.g.
 * 1 to debug a flaky interaction between files).
 */
const cores = os.availableParallelism();
// Twice the cores (4 on 2): on a fresh clone of this 2-core machine vitest took 293 s with 4 workers,
// 305 s with 3 and 309 s with 6.
const workers = Number(process.env.SHELFWISE_TEST_WORKERS) || Math.max(3, Math.min(8, cores * 2));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/plugins/**/*.test.ts"],
    // Temp folders on a RAM file system when there is one (test/support/test-tmpdir.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // Generous: with several files at once on two cores, a CLI call can take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A process per file: tests start plugin processes and install exit hooks, which must not leak between files.
    pool: "forks",
    maxWorkers: workers,
    fileParallelism: true,
    // The slowest files first, also on a fresh clone (test/support/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
  },
});
