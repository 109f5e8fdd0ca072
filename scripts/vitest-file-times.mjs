// Each test file's whole time (its imports and beforeAll hooks included) from vitest's results cache of a clone,
// node_modules/.vite/vitest/*/results.json, which vitest writes at the end of every run (and its own sequencer
// reads). A JSON report only times a file from its first test's start to its last test's end: e2e-isolation.test.ts
// read 1.0 s there and took 13.7 s, package-consumer 9.5 s against 17.7 (ci56).
import fs from "node:fs";
import path from "node:path";

/**
 * Milliseconds per file ("test/x.test.ts": the cache's "project:" prefix dropped) under `root`; empty when there is
 * no cache. A file of two projects keeps its longer time.
 */
export function wholeFileMs(root) {
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
