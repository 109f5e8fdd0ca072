// Writes test/durations.json (each test file's duration in seconds, from a
// vitest JSON report), which test/support/sequencer.ts uses to start the
// slowest files first on a machine that has not run the suite yet.
//
//   npx vitest run --reporter=json --outputFile=report.json
//   node scripts/write-test-durations.mjs report.json
import fs from "node:fs";
import path from "node:path";

const report = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const durations = Object.fromEntries(
  report.testResults
    .map((r) => [path.relative(process.cwd(), r.name).split(path.sep).join("/"), Math.round(((r.endTime ?? 0) - (r.startTime ?? 0)) / 100) / 10])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
fs.writeFileSync("test/durations.json", JSON.stringify(durations, null, 2) + "\n");
console.log(`test/durations.json: ${Object.keys(durations).length} files`);
