/**
 * CLI-process accounting, on only with SHELFWISE_TEST_SPAWN_LOG=FILE (vitest.config.ts then runs this as a
 * setup file): one tab-separated line is appended to FILE for each process a test starts whose arguments name
 * bin/shelfwise.js (the CLI, directly or through a shell), with the test file, the test's name and the command.
 * Finds the CLI processes a file starts where an in-process run (test/support/cli-in-process.ts) would test the
 * same thing for a few ms instead of ~0.2-0.5 CPU-s. node:child_process's functions are wrapped and the ESM
 * bindings of test files and test/support synced (module.syncBuiltinESMExports), before the file is imported.
 */
import childProcess from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { afterEach, beforeAll, beforeEach } from "vitest";

const LOG = process.env.SHELFWISE_TEST_SPAWN_LOG;
const WRAPPED = Symbol.for("shelfwise.spawnLog");
// Set by this setup file's hooks (it runs again for each file, also in a shared worker), not read from
// expect.getState(): that lags in a file's own beforeAll, which it would put down to the previous file's last test.
// On globalThis: in a shared worker this module runs again for each file, while spawn stays wrapped once.
const at = ((globalThis as Record<symbol, unknown>)[WRAPPED] ??= { file: "?", test: "(hook)" }) as { file: string; test: string };

function note(args: unknown[]): void {
  const words = args.flatMap((arg) => (typeof arg === "string" ? [arg] : Array.isArray(arg) ? arg.filter((a): a is string => typeof a === "string") : []));
  if (!words.some((word) => word.includes("shelfwise.js"))) return;
  const command = words
    .filter((word) => !word.includes("shelfwise.js") && word !== process.execPath)
    .slice(0, 3)
    .join(" ")
    .replace(/\s+/g, " ")
    .slice(0, 60);
  fs.appendFileSync(LOG!, `${at.file}\t${at.test}\t${command}\n`);
}

if (LOG) {
  // Vitest reads the first parameter's pattern for the fixtures it asks for: none here; the file is the second.
  beforeAll(({}, suite) => {
    at.file = "filepath" in suite ? path.relative(process.cwd(), String(suite.filepath)) : suite.name;
    at.test = "(hook)";
  });
  beforeEach((context) => {
    at.test = context.task.name;
  });
  afterEach(() => {
    at.test = "(hook)";
  });
}

if (LOG && !(childProcess as unknown as Record<symbol, boolean>)[WRAPPED]) {
  const target = childProcess as unknown as Record<string | symbol, unknown>;
  for (const name of ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync"]) {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = function (this: unknown, ...args: unknown[]) {
      note(args);
      return original.apply(this, args);
    };
  }
  target[WRAPPED] = true;
  syncBuiltinESMExports();
}
