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
// A JSON report times a file from its first test's start to its last test's
// end: its imports and beforeAll hooks are left out (e2e-isolation.test.ts
// read 1.0 s there and took 13.7 s; package-consumer 9.5 against 17.7). So
// each file's duration is taken from vitest's own results cache of the clone
// the report was made in (node_modules/.vite/vitest/*/results.json, written
// at the end of every run: the file's whole time, its hooks included), the
// measure the sequencer reads from that cache on a machine that has one;
// the report's span only for a file the cache does not hold.
import fs from "node:fs";
import path from "node:path";

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
const cached = cachedDurations(root);
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

/**
 * Milliseconds per file ("project:test/x.test.ts" keys, the project's name dropped) from vitest's results cache
 * under `root`; empty when there is none. A file in two projects keeps its longer time.
 */
function cachedDurations(root) {
  const durations = new Map();
  const base = path.join(root, "node_modules", ".vite", "vitest");
  let folders = [];
  try {
    folders = fs.readdirSync(base);
  } catch {
    return durations;
  }
  for (const folder of folders) {
    let results;
    try {
      results = JSON.parse(fs.readFileSync(path.join(base, folder, "results.json"), "utf8")).results;
    } catch {
      continue;
    }
    for (const [key, value] of Array.isArray(results) ? results : []) {
      const name = String(key).slice(String(key).indexOf(":") + 1);
      if (typeof value?.duration === "number") durations.set(name, Math.max(durations.get(name) ?? 0, value.duration));
    }
  }
  return durations;
}
