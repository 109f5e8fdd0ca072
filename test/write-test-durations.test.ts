/**
 * scripts/write-test-durations.mjs, which writes the test/durations.json the sequencer starts a fresh clone's
 * slowest files first by: a file's duration is its whole time (imports and beforeAll hooks included), not the
 * span of its tests a JSON report gives (e2e-isolation.test.ts: 1.0 s there, 13.7 s whole, so a fresh clone
 * started it among the last files).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "./support/temp-dir.js";

const SCRIPT = path.resolve(import.meta.dirname, "..", "scripts", "write-test-durations.mjs");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeTempDir));

/** A clone at <tmp>/clone whose last run's JSON report gives each file `span` ms of tests. */
function clone(files: Record<string, { start: number; span: number }>) {
  const root = path.join(makeTempDir("durations"), "clone");
  dirs.push(path.dirname(root));
  fs.mkdirSync(path.join(root, "test"), { recursive: true });
  const report = path.join(root, "report.json");
  const testResults = Object.entries(files).map(([name, { start, span }]) => ({ name: path.join(root, name), startTime: start, endTime: start + span }));
  fs.writeFileSync(report, JSON.stringify({ testResults }));
  return { root, report };
}

async function write(root: string, report: string, ...flags: string[]): Promise<Record<string, number>> {
  await promisify(execFile)(process.execPath, [SCRIPT, ...flags, report], { cwd: root });
  return JSON.parse(fs.readFileSync(path.join(root, "test", "durations.json"), "utf8"));
}

it("takes each file's whole time from vitest's results cache of the report's clone, the tests' span where the cache has none", async () => {
  const { root, report } = clone({
    "test/plugins/slow-set-up.test.ts": { start: 5_000, span: 1_000 },
    "test/cli/plain.test.ts": { start: 9_000, span: 2_500 },
  });
  const cache = path.join(root, "node_modules", ".vite", "vitest", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(
    path.join(cache, "results.json"),
    JSON.stringify({ version: "4.1.12", results: [["shared:test/plugins/slow-set-up.test.ts", { duration: 13_748.3, failed: false }], ["shared:test/gone.test.ts", { duration: 50_000, failed: false }]] }),
  );
  expect(await write(root, report)).toEqual({ "test/cli/plain.test.ts": 2.5, "test/plugins/slow-set-up.test.ts": 13.7 });
});

it("without a results cache, times each file by its tests' span; --merge keeps the files the report does not name", async () => {
  const { root, report } = clone({ "test/a.test.ts": { start: 0, span: 1_240 } });
  fs.writeFileSync(path.join(root, "test", "durations.json"), JSON.stringify({ "test/a.test.ts": 9, "test/b.test.ts": 4 }));
  expect(await write(root, report, "--merge")).toEqual({ "test/a.test.ts": 1.2, "test/b.test.ts": 4 });
});
