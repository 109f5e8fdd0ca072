import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SlowestFirst } from "./test/support/sequencer.js";
import { CHILD_PROCESSES_ONLY, SHARED } from "./test/support/test-projects.js";

/**
 * Most files wait on child processes (the CLI, plugin runners, Python) part
 * of the time. Vitest's default (cores - 1 workers: one on a 2-core machine)
 * runs the files one after another and leaves the CPU idle while they wait,
 * so more files run at once than there are cores. SHELFWISE_TEST_WORKERS overrides it (e.g.
 * 1 to debug a flaky interaction between files).
 */
const cores = os.availableParallelism();

/**
 * Node reads and parses NODE_EXTRA_CA_CERTS at every start, before any of
 * our code runs: with a system bundle there (as on this team's machines) that
 * is ~40 ms of CPU per process, and the suite starts ~500 CLI processes and
 * ~60 workers, all of which inherit this process's environment. No test
 * leaves 127.0.0.1, and the one TLS test brings its own certificate, so the
 * suite's processes run without it. (Plugin processes never see it anyway:
 * they get a clean environment.)
 */
delete process.env.NODE_EXTRA_CA_CERTS;
// Twice the cores (4 on 2): on a fresh clone of this 2-core machine vitest took 293 s with 4 workers,
// 305 s with 3 and 309 s with 6.
const workers = Number(process.env.SHELFWISE_TEST_WORKERS) || Math.max(3, Math.min(8, cores * 2));

/**
 * SHELFWISE_TEST_CPU_LOG=FILE: one line per test file in FILE with the CPU it took in its worker and in the
 * processes it started (test/support/cpu-log.ts), to find where a run's CPU goes without a run per file.
 */
const cpuLog = process.env.SHELFWISE_TEST_CPU_LOG ? ["test/support/cpu-log.ts"] : [];
/** SHELFWISE_TEST_SPAWN_LOG=FILE: one line per CLI process a test starts, with its file and test (test/support/spawn-log.ts). */
const spawnLog = process.env.SHELFWISE_TEST_SPAWN_LOG ? ["test/support/spawn-log.ts"] : [];

export default defineConfig({
  test: {
    // Vite's transform of each src/ and test module (TypeScript, then the module runner's rewrite, with source
    // maps) is done in vitest's main process, once per project: the two projects below transformed every
    // module both import twice, and every run transformed all of them again (~2.7 CPU-s of the main process
    // for command-advice.test.ts's ~250 modules). Kept on disk, keyed by the module's content, vitest's
    // version and this config's files (vitest clears it when package-lock.json changes): the second project
    // reads the first one's, and a later run on the same clone reads them all (docs/performance-log.md, atests29).
    experimental: { fsModuleCache: true, fsModuleCachePath: fileURLToPath(new URL("./.vitest-cache", import.meta.url)) },
    // Temp folders on a RAM file system when there is one (test/support/test-tmpdir.ts).
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: [...cpuLog, ...spawnLog],
    // A limit for a test that hangs, not a speed check (a test that bounds time says so itself). At a
    // load average of 20-25 on two cores (CI shares its machine) a CLI call takes 5-20 s: tests that
    // pass in 10 s alone took over 60 s, and a test of ten CLI calls over 180 s; so no test or hook sets a
    // shorter limit of its own.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // expect.poll's default gives up after 1 s: a loaded machine's browser or server takes longer to
    // show a change. A poll ends as soon as it matches, so this costs nothing when it passes.
    expect: { poll: { timeout: 30_000 } },
    // A process per file: tests start plugin processes and install exit hooks, which must not leak between files.
    pool: "forks",
    maxWorkers: workers,
    fileParallelism: true,
    // The slowest files first, also on a fresh clone (test/support/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
    // Which files share workers and which get a process each: test/support/test-projects.ts (every file is in one list).
    projects: [
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts", "examples/plugins/**/*.test.ts"], exclude: [...SHARED, ...CHILD_PROCESSES_ONLY] } },
      // The shared files' workers run file after file: env-guard fails a file that leaves process.env changed.
      { extends: true, test: { name: "shared", include: [...SHARED, ...CHILD_PROCESSES_ONLY], isolate: false, setupFiles: ["test/support/env-guard.ts"] } },
    ],
  },
});
