/**
 * Which test files share worker processes and which get one each: vitest.config.ts builds its two projects
 * from these lists, and test/test-projects.test.ts checks that every test file is in exactly one of them.
 */
/**
 * Files that call functions in their own process share their worker processes
 * (`isolate: false`: one file after another in a worker, modules loaded once
 * per worker): a fresh process per file costs each of these more than its
 * tests (41 of them: 47 CPU-s alone, 20 CPU-s shared). Such a file may start
 * what it ends itself before it ends (plugin processes, HTTP servers, the
 * web service, a browser context (the chromium under it is the worker's:
 * test/browser/support.ts), worker threads; the data-folder lock of its own
 * temporary folders), and may change module state only when its afterEach
 * puts it back (setNativeFs, removalHooks, a wrapped fs.copyFileSync). It
 * must not change the working folder or the umask, install process handlers
 * of its own, look at its own process (its descriptors, active handles, the
 * CPU of its process tree, processes left behind), or need modules loaded
 * fresh; a variable it sets in process.env (TZ included) or a fake Date is
 * put back by the test that set it, in a finally or an afterEach, and
 * nothing else runs in the worker meanwhile (env-guard.ts fails a file that
 * leaves process.env changed). The files left out are ISOLATED
 * below, each with its reason. One of them: fault-words and
 * recovery-environment open a database as a read-only copy (a full or
 * read-only data folder), which the process remembers for later faults'
 * words (snapshotCause in store/database.ts): terminal-safe, run after
 * fault-words in one worker, worded a read-only database as an input/output
 * error.
 */
export const SHARED = [
  "test/cli/plugins-no-start.test.ts",
  "test/domain/real-conventions.test.ts",
  "test/server/search-behind-job.test.ts",
  "test/server/book-files-api.test.ts",
  "test/server/settings-output-path-api.test.ts",
  "test/browser/busy-and-long.test.ts",
  "test/reliability/serve-job-cut-short.test.ts",
  "test/library/sidecar-tools.test.ts",
  "test/pipeline/tagger-bytes.test.ts",
  "test/browser/review-many.test.ts",
  "test/browser/review-stop.test.ts",
  "test/browser/review-live.test.ts",
  "test/browser/health-actions.test.ts",
  "test/browser/narrow-320.test.ts",
  "test/browser/contrast.test.ts",
  "test/browser/keyboard-stays.test.ts",
  "test/server/copied-data-folder-api.test.ts",
  "test/server/secret-settings-store.test.ts",
  "test/server/plugin-own-settings.test.ts",
  "test/plugins/one-walk.test.ts",
  "test/plugins/own-keys-config-check.test.ts",
  "test/server/settings-judgement-api.test.ts",
  "test/cli/copied-data-folder.test.ts",
  "test/cli/book-warnings.test.ts",
  "test/cli/broken-links.test.ts",
  "test/cli/status-while-writing.test.ts",
  "test/cli/config-set-values.test.ts",
  "test/cli/switch-given-a-value.test.ts",
  "test/server/apply-stop.test.ts",
  "test/browser/page-words.test.ts",
  "test/cli/read-only-stop.test.ts",
  "test/plugins/oversize-results.test.ts",
  "test/plugins/runner-stdin.test.ts",
  "test/plugins/runner-channel-closed.test.ts",
  // Its one process handler (SIGUSR2 -> killAll) is a child host's, not this process's: it shares workers.
  "test/plugins/runner-failures.test.ts",
  // Isolated before as "checks the descriptors and processes left behind": what it looks for is a plugin runner whose
  // working folder is under its own data folder (leftoverRunners), not this process's descriptors or children; its
  // harness runs end the plugin processes they start, and it kills only the CLI it spawned.
  "test/plugins/e2e-teardown.test.ts",
  "test/plugins/schema-refs.test.ts",
  "test/plugins/plugin-folder-view.test.ts",
  // They signal only the child processes they start (the CLI, serve), and hold the data lock of their own
  // temporary folders: isolated for "signals to processes holding the data lock", they pass one after another in
  // a shared worker.
  "test/cli/signals-and-settings.test.ts",
  "test/reliability/settings-writers.test.ts",
  "test/plugins/status-plugin-layers.test.ts",
  "test/server/plugin-words.test.ts",
  "test/server/http-edges.test.ts",
  "test/server/method-rule.test.ts",
  "test/app/*.test.ts",
  "test/architecture.test.ts",
  "test/browser/hostile.test.ts",
  "test/browser/focus-after-actions.test.ts",
  "test/browser/lists-and-forms.test.ts",
  "test/browser/live-pages.test.ts",
  "test/browser/pages.test.ts",
  "test/browser/review.test.ts",
  "test/browser/narrow-keyboard.test.ts",
  "test/browser/hostile-fields.test.ts",
  "test/browser/secret-grants.test.ts",
  "test/browser/plugin-starts.test.ts",
  "test/browser/cut-short-notice.test.ts",
  "test/browser/source-health.test.ts",
  "test/browser/stale-answers.test.ts",
  "test/cli/json-doc.test.ts",
  "test/cli/plugins-health-all.test.ts",
  "test/cli/progress-line.test.ts",
  "test/cli/recovery-lines.test.ts",
  "test/domain/*.test.ts",
  "test/examples/desc-narrator.test.ts",
  "test/examples/example-logger.test.ts",
  "test/examples/manifests.test.ts",
  "test/file-order.test.ts",
  "test/library/audio-fixtures.test.ts",
  "test/library/book-detect.test.ts",
  "test/library/companions.test.ts",
  "test/library/mp4-tags.test.ts",
  "test/library/ogg-tags.test.ts",
  "test/library/scan.test.ts",
  "test/library/sidecar.test.ts",
  "test/library/stat-pool.test.ts",
  "test/library/tags.test.ts",
  "test/organize/apply.test.ts",
  "test/organize/cleanup-links.test.ts",
  "test/organize/companions.test.ts",
  "test/organize/corrections.test.ts",
  "test/organize/crash.test.ts",
  "test/organize/created-dir.test.ts",
  "test/organize/cross-device.test.ts",
  "test/organize/folder-listing.test.ts",
  "test/organize/book-contents.test.ts",
  "test/organize/undo-restricted-names.test.ts",
  "test/organize/folder-stamp.test.ts",
  "test/organize/hostile-names.test.ts",
  "test/organize/invalid-names.test.ts",
  "test/organize/large-run.test.ts",
  "test/organize/link-race.test.ts",
  "test/organize/linked-root.test.ts",
  "test/organize/long-inner-path.test.ts",
  "test/organize/nested-book.test.ts",
  "test/organize/one-listing.test.ts",
  "test/organize/no-clobber.test.ts",
  "test/organize/placement-links.test.ts",
  "test/organize/plan.test.ts",
  "test/organize/recovery-links.test.ts",
  "test/organize/recovery-removal-links.test.ts",
  "test/organize/recovery.test.ts",
  "test/organize/scan-visible.test.ts",
  "test/organize/undo-messy.test.ts",
  "test/organize/written-during-copy.test.ts",
  "test/pipeline/audible-tag-shapes.test.ts",
  "test/pipeline/character-folders.test.ts",
  "test/pipeline/http/*.test.ts",
  "test/pipeline/identification-library.test.ts",
  "test/pipeline/identification-rules.test.ts",
  "test/pipeline/openlibrary.test.ts",
  "test/pipeline/orchestrator.test.ts",
  "test/pipeline/real-world-library.test.ts",
  "test/pipeline/registry.test.ts",
  "test/pipeline/reidentify.test.ts",
  "test/pipeline/shared-pass.test.ts",
  "test/plugins/answer-secrets.test.ts",
  "test/plugins/author-errors.test.ts",
  "test/plugins/discovery.test.ts",
  "test/plugins/egress-proxy.test.ts",
  "test/plugins/plugin-output.test.ts",
  "test/plugins/harness-options.test.ts",
  "test/plugins/hostile-answers.test.ts",
  "test/plugins/id-owner.test.ts",
  "test/plugins/live-plugins.test.ts",
  "test/plugins/manager.test.ts",
  "test/plugins/manifest.test.ts",
  "test/plugins/node-launcher.test.ts",
  "test/plugins/output-validation.test.ts",
  "test/plugins/plugin-layer.test.ts",
  "test/plugins/plugin-watcher.test.ts",
  "test/plugins/python-check.test.ts",
  "test/plugins/read-capped.test.ts",
  "test/plugins/runner-framing.test.ts",
  "test/plugins/sandbox-settings.test.ts",
  "test/plugins/sandbox-wall.test.ts",
  "test/plugins/wall-refusal-mask.test.ts",
  "test/plugins/sandbox-disk.test.ts",
  "test/plugins/scaffold.test.ts",
  "test/plugins/sdk-types.test.ts",
  "test/plugins/staging.test.ts",
  "test/reliability/entity-values.test.ts",
  "test/reliability/folder-owner.test.ts",
  "test/reliability/job-end-writes.test.ts",
  "test/reliability/log-files.test.ts",
  "test/reliability/search-reads.test.ts",
  "test/reliability/serve-data-folder.test.ts",
  "test/reliability/settings-files.test.ts",
  "test/reliability/stale-temp-files.test.ts",
  "test/reliability/terminal-safe.test.ts",
  "test/server/api.test.ts",
  "test/server/audit-api.test.ts",
  "test/server/dashboard-problems.test.ts",
  "test/server/history-api.test.ts",
  "test/server/plan-build.test.ts",
  "test/server/plan-permissions-api.test.ts",
  "test/server/review-api.test.ts",
  "test/server/server-fault-words.test.ts",
  "test/server/sources-api.test.ts",
  "test/sources/audiobookshelf.test.ts",
  "test/sources/credential-scope.test.ts",
  "test/sources/http-source-app.test.ts",
  "test/sources/http-source-hostile.test.ts",
  "test/sources/http-source-run.test.ts",
  "test/sources/http-source-schema.test.ts",
  "test/sources/http-source.test.ts",
  "test/sources/real-answers.test.ts",
  "test/store/book-search.test.ts",
  "test/store/books.test.ts",
  "test/store/conditional-writes.test.ts",
  "test/store/database.test.ts",
  "test/store/folded-filters.test.ts",
  "test/store/moves.test.ts",
  "test/store/plugin-health.test.ts",
  "test/test-projects.test.ts",
  "test/temp-dir.test.ts",
  // Each sets process.env in a test and puts it back (test/support/env-guard.ts checks), and runs nothing meanwhile
  // that reads it but its own code: isolated for that alone, each paid a worker's start and its modules again.
  "test/plugins/harness-folder.test.ts",
  "test/plugins/python-runner.test.ts",
  "test/plugins/runner-basics.test.ts",
  "test/plugins/sandbox-fallback.test.ts",
  "test/store/data-lock.test.ts",
];

/**
 * Files whose tests only run the CLI (and the plugins it starts) as child
 * processes, awaiting each, and otherwise read files and databases: they leave
 * nothing behind in the process that runs them, so they too share worker
 * processes (run one after another in a worker, never two at once). A fresh
 * process per file cost each of them ~0.5 CPU-s (the worker's start and its
 * test helpers loaded again: the view schemas, zod), measured on 8 of them
 * alternated with and without sharing: 19.0 against 14.6 CPU-s. The rules of
 * SHARED above hold for them too. Many of them run most commands in this
 * process instead (test/support/cli-in-process.ts: the built CLI's runCommand, its output
 * collected and what it changes put back), keeping a spawned CLI where the
 * process is what a test checks (signals, kill -9, the lock between two
 * processes, the working folder).
 */
export const CHILD_PROCESSES_ONLY = [
  "test/cli/settings-commands.test.ts",
  "test/cli/organize-added-files.test.ts",
  "test/cli/organize-data-folder.test.ts",
  "test/cli/json-every-command.test.ts",
  "test/cli/quiet.test.ts",
  "test/cli/scan-crash.test.ts",
  "test/cli/user-edit-confidence.test.ts",
  "test/cli/apply-prompt.test.ts",
  "test/cli/command-line.test.ts",
  "test/cli/commands.test.ts",
  "test/cli/config.test.ts",
  "test/cli/edits-and-empty.test.ts",
  "test/cli/help-texts.test.ts",
  "test/cli/interrupt.test.ts",
  "test/cli/json-without-library.test.ts",
  "test/cli/organize-companions.test.ts",
  "test/cli/organize.test.ts",
  "test/cli/partial-scan.test.ts",
  "test/cli/plugin-author.test.ts",
  "test/cli/plugin-changes.test.ts",
  "test/cli/plugins-switch.test.ts",
  "test/cli/process-layer.test.ts",
  "test/cli/process-progress.test.ts",
  "test/cli/rescan.test.ts",
  "test/cli/start-up.test.ts",
  "test/cli/strict-input.test.ts",
  "test/cli/table-width.test.ts",
  "test/cli/terminal-safety.test.ts",
  "test/cli/truth.test.ts",
  "test/cli/undo-last.test.ts",
  "test/build-skip.test.ts",
  "test/engines.test.ts",
  "test/examples/docs-examples.test.ts",
  "test/examples/local-catalogue.test.ts",
  "test/organize/disk-full.test.ts",
  "test/organize/journal-durability.test.ts",
  "test/reliability/disk-full-midway.test.ts",
  "test/organize/move-errors.test.ts",
  "test/organize/output-path.test.ts",
  "test/organize/permission-preflight.test.ts",
  "test/organize/undo-crash.test.ts",
  "test/pipeline/batch-atomicity.test.ts",
  "test/pipeline/builtin-layers.test.ts",
  "test/pipeline/crash-resume.test.ts",
  "test/plugins/e2e-author.test.ts",
  "test/plugins/e2e-failures.test.ts",
  "test/plugins/staged-copy-paths.test.ts",
  "test/plugins/e2e-isolation.test.ts",
  "test/plugins/e2e-layers.test.ts",
  "test/plugins/e2e-lm-plugin.test.ts",
  "test/plugins/e2e-manifest.test.ts",
  "test/plugins/e2e-python.test.ts",
  "test/plugins/e2e-secrets.test.ts",
  "test/plugins/e2e-secret-encodings.test.ts",
  "test/plugins/lm-hostile.test.ts",
  "test/plugins/attacker-pass.test.ts",
  "test/plugins/native-build.test.ts",
  "test/plugins/package-consumer.test.ts",
  "test/plugins/plugin-identity.test.ts",
  "test/plugins/python-lm-compat.test.ts",
  "test/plugins/python-network.test.ts",
  "test/plugins/runner-sandbox.test.ts",
  // Isolated before as "checks the descriptors and processes left behind": it does not; it hands one descriptor to
  // the CLI it spawns (spawnSync, stdio listed) and reads the file behind it.
  "test/plugins/sandbox-fds.test.ts",
  "test/plugins/secret-grants.test.ts",
  "test/reliability/concurrent-writers.test.ts",
  "test/reliability/environment.test.ts",
  "test/reliability/hostile-values.test.ts",
  "test/reliability/reset-after-crash.test.ts",
  "test/reliability/scan-kill.test.ts",
  "test/reliability/second-serve.test.ts",
  "test/server/serve-cli.test.ts",
  "test/sources/sources-cli.test.ts",
  "test/store/concurrent-migration.test.ts",
];

/**
 * The files that get a process of their own, each with its reason (one of the rules above it breaks). A file
 * neither shared nor named here fails test/test-projects.test.ts: a new file is classified when it is added,
 * not left to the default (ten files were isolated for no reason but being unlisted, ~0.75 CPU-s each).
 */
export const ISOLATED: Record<string, string> = {
  "test/cli/stop-after-done.test.ts":
    "emits SIGINT to its process's listeners: in a shared worker that reaches another file's (playwright's, left by a browser file, exits with 130)",
  "test/library/tag-reader-pool.test.ts": "time limits: another file's synchronous work once held a shared event loop past them",
  "test/organize/recovery-environment.test.ts": "opens a read-only copy of a database, which the process remembers for later faults' words",
  "test/plugins/concurrency.test.ts": "checks its own process's active handles",
  "test/plugins/death-race.test.ts": "checks the descriptors and processes left behind",
  "test/plugins/pids-cgroup.test.ts": "leaves an orphan to the kernel",
  "test/plugins/python-process.test.ts": "measures its process tree's CPU",
  "test/plugins/sandbox-leftovers.test.ts": "checks what a wall leaves behind",
  "test/plugins/sandbox-memory.test.ts": "checks what a wall leaves behind",
  "test/plugins/sandbox-network.test.ts": "checks what a wall leaves behind",
  "test/plugins/sandbox-process.test.ts": "checks the descriptors and processes left behind",
  "test/plugins/sandbox-syscalls.test.ts": "checks what a wall leaves behind",
  "test/reliability/fault-words.test.ts": "opens a read-only copy of a database, which the process remembers for later faults' words",
};
