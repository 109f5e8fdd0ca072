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
 * Files that only call functions (no processes of their own, no exit hooks,
 * no process-wide state) share their worker processes: a fresh process per
 * file costs each of these more than its tests (41 of them: 47 CPU-s alone,
 * 20 CPU-s shared). A file that starts processes, installs handlers or
 * changes process.env must not be listed here.
 */
const SHARED = [
  "test/app/*.test.ts",
  "test/architecture.test.ts",
  "test/cli/json-doc.test.ts",
  "test/domain/*.test.ts",
  "test/examples/desc-narrator.test.ts",
  "test/examples/example-logger.test.ts",
  "test/examples/manifests.test.ts",
  "test/library/audio-fixtures.test.ts",
  "test/library/book-detect.test.ts",
  "test/library/mp4-tags.test.ts",
  "test/library/ogg-tags.test.ts",
  "test/library/sidecar.test.ts",
  "test/library/tags.test.ts",
  "test/organize/corrections.test.ts",
  "test/organize/plan.test.ts",
  "test/organize/recovery.test.ts",
  "test/pipeline/http/*.test.ts",
  "test/pipeline/identification-library.test.ts",
  "test/pipeline/openlibrary.test.ts",
  "test/pipeline/orchestrator.test.ts",
  "test/pipeline/registry.test.ts",
  "test/plugins/answer-secrets.test.ts",
  "test/plugins/author-errors.test.ts",
  "test/plugins/discovery.test.ts",
  "test/plugins/egress-proxy.test.ts",
  "test/plugins/manifest.test.ts",
  "test/plugins/output-validation.test.ts",
  "test/plugins/plugin-watcher.test.ts",
  "test/plugins/python-check.test.ts",
  "test/plugins/read-capped.test.ts",
  "test/plugins/runner-framing.test.ts",
  "test/plugins/sandbox-settings.test.ts",
  "test/plugins/sandbox-wall.test.ts",
  "test/plugins/scaffold.test.ts",
  "test/plugins/sdk-types.test.ts",
  "test/reliability/entity-values.test.ts",
  "test/reliability/folder-owner.test.ts",
  "test/reliability/search-reads.test.ts",
  "test/reliability/terminal-safe.test.ts",
  "test/server/history-api.test.ts",
  "test/server/review-api.test.ts",
  "test/server/server-fault-words.test.ts",
  "test/server/sources-api.test.ts",
  "test/sources/audiobookshelf.test.ts",
  "test/sources/http-source-app.test.ts",
  "test/sources/http-source-run.test.ts",
  "test/sources/http-source-schema.test.ts",
  "test/sources/http-source.test.ts",
  "test/store/books.test.ts",
  "test/store/conditional-writes.test.ts",
  "test/store/database.test.ts",
  "test/store/moves.test.ts",
  "test/store/plugin-health.test.ts",
];

/**
 * Files whose tests only run the CLI (and the plugins it starts) as child
 * processes, awaiting each, and otherwise read files and databases: they leave
 * nothing behind in the process that runs them, so they too share worker
 * processes (run one after another in a worker, never two at once). A fresh
 * process per file cost each of them ~0.5 CPU-s (the worker's start and its
 * test helpers loaded again: the view schemas, zod), measured on 8 of them
 * alternated with and without sharing: 19.0 against 14.6 CPU-s. Not listed:
 * files that take the data-folder lock or start the server in their own
 * process, and those that look at their own process's descriptors or at the
 * processes left behind (sandbox-fds, sandbox-process, e2e-teardown).
 */
const CHILD_PROCESSES_ONLY = [
  "test/cli/apply-prompt.test.ts",
  "test/cli/command-line.test.ts",
  "test/cli/commands.test.ts",
  "test/cli/config.test.ts",
  "test/cli/help-texts.test.ts",
  "test/cli/interrupt.test.ts",
  "test/cli/organize-companions.test.ts",
  "test/cli/organize.test.ts",
  "test/cli/partial-scan.test.ts",
  "test/cli/plugin-author.test.ts",
  "test/cli/plugin-changes.test.ts",
  "test/cli/process-layer.test.ts",
  "test/cli/process-progress.test.ts",
  "test/cli/rescan.test.ts",
  "test/cli/start-up.test.ts",
  "test/cli/strict-input.test.ts",
  "test/cli/table-width.test.ts",
  "test/cli/terminal-safety.test.ts",
  "test/cli/truth.test.ts",
  "test/engines.test.ts",
  "test/organize/crash.test.ts",
  "test/organize/journal-durability.test.ts",
  "test/organize/move-errors.test.ts",
  "test/organize/output-path.test.ts",
  "test/organize/permission-preflight.test.ts",
  "test/organize/undo-crash.test.ts",
  "test/pipeline/batch-atomicity.test.ts",
  "test/pipeline/crash-resume.test.ts",
  "test/plugins/e2e-author.test.ts",
  "test/plugins/e2e-failures.test.ts",
  "test/plugins/e2e-isolation.test.ts",
  "test/plugins/e2e-layers.test.ts",
  "test/plugins/e2e-lm-plugin.test.ts",
  "test/plugins/e2e-manifest.test.ts",
  "test/plugins/e2e-python.test.ts",
  "test/plugins/e2e-secrets.test.ts",
  "test/plugins/package-consumer.test.ts",
  "test/plugins/plugin-identity.test.ts",
  "test/plugins/python-lm-compat.test.ts",
  "test/plugins/python-network.test.ts",
  "test/plugins/runner-sandbox.test.ts",
  "test/reliability/environment.test.ts",
  "test/reliability/hostile-values.test.ts",
  "test/reliability/reset-after-crash.test.ts",
  "test/reliability/scan-kill.test.ts",
  "test/reliability/second-serve.test.ts",
  "test/server/serve-cli.test.ts",
  "test/sources/sources-cli.test.ts",
];

export default defineConfig({
  test: {
    // Temp folders on a RAM file system when there is one (test/support/test-tmpdir.ts).
    globalSetup: ["test/support/global-setup.ts"],
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
    projects: [
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts", "examples/plugins/**/*.test.ts"], exclude: [...SHARED, ...CHILD_PROCESSES_ONLY] } },
      { extends: true, test: { name: "shared", include: [...SHARED, ...CHILD_PROCESSES_ONLY], isolate: false } },
    ],
  },
});
