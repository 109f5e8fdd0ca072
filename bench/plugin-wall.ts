/**
 * What the wall costs (issue #17): the same plugin, node and Python, with the
 * full wall (namespaces + Landlock) and without it (process isolation, plus
 * Node's permission model: what shelfwise had before), measured in the same
 * run. Throughput is the plugin process's own (batches of 1,000 books straight
 * to the supervisor, no database), so the ratio is not diluted by the pipeline.
 * Targets: under 10% fewer books/s, under 100 ms extra start-up.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createNodeLauncher } from "../src/plugins/process/node-launcher.js";
import { createPluginProcess } from "../src/plugins/process/supervisor.js";
import type { LaunchSpec, PluginRuntime } from "../src/plugins/plugin-types.js";
import type { PluginBook } from "../src/plugins/protocol/protocol.js";
import { pythonLauncher } from "../src/plugins/process/python-launcher.js";
import { sandboxReport } from "../src/plugins/sandbox/wall.js";

const SOURCES: Record<PluginRuntime, [string, string]> = {
  node: ["index.mjs", `export default class { process(book) { return { narrator: "Narrator " + (book.book_id % 50) }; } }\n`],
  python: ["layer.py", `class P:\n    def process(self, book):\n        return {"narrator": "Narrator %d" % (book["book_id"] % 50)}\n`],
};
const OFF = ["namespace", "landlock"];

function spec(root: string, runtime: PluginRuntime, wall: boolean): LaunchSpec {
  const id = `wall-${runtime}`;
  const folder = path.join(root, "plugins", id);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, SOURCES[runtime][0]), SOURCES[runtime][1]);
  return {
    plugin_id: id,
    runtime,
    folder,
    entry: path.join(folder, SOURCES[runtime][0]),
    class_name: null,
    config: {},
    secrets: {},
    allowed_hosts: [],
    readPaths: [],
    dataDir: path.join(root, "plugin-data", id),
    logFile: path.join(root, "logs", `${id}.log`),
    memoryMb: 256,
    timeoutSeconds: 30,
    setupTimeoutSeconds: 30,
    sandbox: { disable: wall ? [] : OFF },
  };
}

const book = (i: number): PluginBook =>
  ({
    book_id: i,
    path: `/library/Author ${i % 300}/Title ${i}`,
    library_root: "/library",
    current_author: `Author ${i % 300}`,
    current_title: `Title ${i}`,
    current_narrator: null,
    current_series: null,
    current_series_num: null,
    current_year: null,
    current_language: null,
    status: "pending",
    confidence: 0.2,
    profile: {},
    files: [{ path: `/library/Author ${i % 300}/Title ${i}/01.mp3`, size: 1000 }],
    tags: null,
    verification_layer: 50,
  }) as PluginBook;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startupMs(s: LaunchSpec, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const p = createPluginProcess(s, s.runtime === "python" ? pythonLauncher : createNodeLauncher());
    const t0 = performance.now();
    await p.start();
    times.push(performance.now() - t0);
    await p.close();
  }
  return median(times);
}

async function booksPerSecond(s: LaunchSpec, total: number): Promise<number> {
  const p = createPluginProcess(s, s.runtime === "python" ? pythonLauncher : createNodeLauncher());
  try {
    const batch = Array.from({ length: 1000 }, (_, i) => book(i));
    await p.runBatch(batch); // warm-up
    const t0 = performance.now();
    for (let done = 0; done < total; done += batch.length) {
      const results = await p.runBatch(batch);
      if (results.some((r) => r?.outcome !== "ok")) throw new Error(`${s.plugin_id}: a call failed: ${JSON.stringify(results.find((r) => r?.outcome !== "ok"))}`);
    }
    return total / ((performance.now() - t0) / 1000);
  } finally {
    await p.close();
  }
}

export async function benchWall(total: number): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-wall-")));
  try {
    console.log(`\nthe wall: ${sandboxReport({ runtime: "python", sandbox: {} }).level} (python), ${total} books per measure, start-up median of 7\n`);
    for (const runtime of ["node", "python"] as const) {
      const walled = spec(root, runtime, true);
      const open = spec(root, runtime, false);
      // Interleaved, so machine load hits both alike.
      const rates = { walled: [] as number[], open: [] as number[] };
      for (let round = 0; round < 3; round++) {
        rates.open.push(await booksPerSecond(open, total));
        rates.walled.push(await booksPerSecond(walled, total));
      }
      const startOpen = await startupMs(open, 7);
      const startWalled = await startupMs(walled, 7);
      const [w, o] = [median(rates.walled), median(rates.open)];
      const fmt = (n: number) => Math.round(n).toLocaleString("en").padStart(8);
      console.log(`  ${runtime.padEnd(6)} without wall ${fmt(o)} books/s   with wall ${fmt(w)} books/s   ${((w / o - 1) * 100).toFixed(1)}%  (target > -10%)`);
      console.log(
        `  ${"".padEnd(6)} start-up     ${startOpen.toFixed(0).padStart(5)} ms            with wall ${startWalled.toFixed(0).padStart(5)} ms         +${(startWalled - startOpen).toFixed(0)} ms  (target < 100 ms)`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
