// Summary of a vitest JSON report (`.ci/run`): one line of counts, the wall
// time, and the ten slowest test files, so a slow file is seen when it appears.
//
//   node scripts/test-report.mjs REPORT.json [SECONDS]
import fs from "node:fs";
import path from "node:path";
import { wholeFileMs } from "./vitest-file-times.mjs";

const [file, seconds] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, "utf8"));
const wall = seconds ? `, ${seconds} s` : "";
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped${wall}`);
// Whole files, set-up included, where this clone's vitest results cache has them (scripts/vitest-file-times.mjs).
const whole = wholeFileMs(process.cwd());
const files = (report.testResults ?? [])
  .map((r) => ({ name: path.relative(process.cwd(), r.name), span: (r.endTime ?? 0) - (r.startTime ?? 0) }))
  .map((f) => ({ ...f, ms: whole.get(f.name.split(path.sep).join("/")) ?? f.span }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 10);
if (files.length) {
  console.log("slowest test files:");
  for (const f of files) console.log(`  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.name}`);
}
