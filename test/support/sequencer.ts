/**
 * Runs the slowest test files first, so the suite does not end with one long
 * file running alone. Vitest's own order does this only once it has cached
 * durations; a fresh clone (CI) has none and ran the files alphabetically,
 * which started a 70 s file near the end. test/durations.json holds the
 * durations of a full run (scripts/write-test-durations.mjs rewrites it);
 * durations vitest cached on this machine win over it, and unknown files
 * (new ones) go first, as vitest does.
 *
 * The files of projects that share worker processes (`isolate: false`) come
 * after all the others, each group slowest first. Vitest keeps a shared worker
 * for the next file only when the next file in its queue is a shared one too;
 * otherwise it ends the worker, and the next shared file pays a new process and
 * loads its modules again. Mixed by duration alone, the 131 shared files
 * started 53 workers instead of one per worker slot (counted in a full run);
 * grouped, they start 4, and the slowest-first order within each group keeps
 * the suite's end as short as before.
 */
import fs from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { slowestFirst } from "./file-order.js";

const recorded: Record<string, number> = JSON.parse(fs.readFileSync(new URL("../durations.json", import.meta.url), "utf8"));

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification): number => {
      const name = path.relative(root, spec.moduleId).split(path.sep).join("/");
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${name}`);
      return cached ? cached.duration / 1000 : (recorded[name] ?? Infinity);
    };
    const ordered = slowestFirst(files.map((spec) => ({ spec, seconds: seconds(spec), shared: spec.project.config.isolate === false })));
    return ordered.map((file) => file.spec);
  }
}
