// Writes test/durations.json (each test file's duration in seconds, from a
// vitest JSON report), which test/support/sequencer.ts uses to start the
// slowest files first on a machine that has not run the suite yet.
//
//   npx vitest run --reporter=json --outputFile=report.json
//   node scripts/write-test-durations.mjs report.json
//
// With --merge, the files the report does not name keep their recorded
// durations (a report of some files only: new ones, or ones that changed).
// Files unknown to it run first, so a new file is best added this way.
//
// Each file's duration is its whole time from vitest's results cache of the
// clone the report was made in (scripts/vitest-file-times.mjs: a report's
// own times leave out imports and beforeAll hooks), the measure the
// sequencer reads from that cache on a machine that has one; the report's
// span only for a file the cache does not hold.
import fs from "node:fs";
import path from "node:path";
import { wholeFileMs } from "./vitest-file-times.mjs";

const args = process.argv.slice(2);
const merge = args.includes("--merge");
const file = args.find((a) => a !== "--merge");
if (!file) {
  console.error("usage: node scripts/write-test-durations.mjs [--merge] report.json");
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));
const kept = merge ? JSON.parse(fs.readFileSync("test/durations.json", "utf8")) : {};
// Keys are paths from the clone the report was made in (its test files' common root), not from the current
// folder: a report of a fresh clone elsewhere once gave keys like "../../tmp/fresh/test/...", which the
// sequencer never matched, so a fresh clone started its slowest files last.
const root = reportRoot(report.testResults.map((r) => r.name));
const cached = wholeFileMs(root);
let fromCache = 0;
const measured = Object.fromEntries(
  report.testResults.map((r) => {
    const name = path.relative(root, r.name).split(path.sep).join("/");
    const whole = cached.get(name);
    if (whole !== undefined) fromCache++;
    return [name, Math.round((whole ?? (r.endTime ?? 0) - (r.startTime ?? 0)) / 100) / 10];
  }),
);
const outside = Object.keys(measured).filter((key) => !/^(test|examples)\//.test(key));
if (outside.length > 0) {
  console.error(`write-test-durations: ${outside.length} files are not under test/ or examples/ of one clone (e.g. ${outside[0]}); nothing written`);
  process.exit(1);
}
const durations = Object.fromEntries(Object.entries({ ...kept, ...measured }).sort(([a], [b]) => (a < b ? -1 : 1)));
fs.writeFileSync("test/durations.json", JSON.stringify(durations, null, 2) + "\n");
console.log(
  `test/durations.json: ${Object.keys(durations).length} files (${Object.keys(measured).length} from ${file}, ${fromCache} of them timed whole by vitest's results cache in ${root})`,
);

/** The folder holding the report's test/ (and examples/) folders: the clone the report was made in. */
function reportRoot(names) {
  const roots = new Set(names.map((name) => name.split(path.sep).join("/").replace(/\/(test|examples)\/.*$/, "")));
  return roots.size === 1 ? [...roots][0] : process.cwd();
}

