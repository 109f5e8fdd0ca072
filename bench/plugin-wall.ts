/**
 * What the wall costs (issue #17): the same plugin, node and Python, with the
 * full wall (namespaces + Landlock) and without it (process isolation, plus
 * Node's permission model: what shelfwise had before), measured in the same
 * run. Throughput is the plugin process's own (batches of 1,000 books straight
 * to the supervisor, no database), so the ratio is not diluted by the pipeline.
 * Targets: under 10% fewer books/s, under 100 ms extra start-up.
 *
 * Each measure is a fresh process, and on a 2-core machine where the scheduler
 * puts the runtime and the host decides books/s more than anything the wall
 * does (here one core ran the same Python loop 70% slower than the other under
 * load), so: five rounds in alternating order (neither side always runs
 * second), the range beside the median, and the CPU time the plugin's process
 * tree and the host spent per 1,000 books, which is the work the wall would add
 * and does not depend on where the processes ran.
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
const OFF = ["namespace", "landlock", "seccomp"];

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
const ROUNDS = 5;

/** CPU time (ns, all threads) of a process and its descendants: bwrap and its init count too. */
function treeCpuNs(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        total += Number(fs.readFileSync(`/proc/${current}/task/${task}/schedstat`, "latin1").split(" ")[0]);
        for (const child of fs.readFileSync(`/proc/${current}/task/${task}/children`, "latin1").split(" ")) if (child.trim()) stack.push(Number(child));
      } catch {
        // Gone meanwhile, or a kernel without schedstat: the figure is then only lower.
      }
    }
  }
  return total;
}

async function startupMs(s: LaunchSpec): Promise<number> {
  const p = createPluginProcess(s, s.runtime === "python" ? pythonLauncher : createNodeLauncher());
  const t0 = performance.now();
  await p.start();
  const ms = performance.now() - t0;
  await p.close();
  return ms;
}

interface Measure {
  booksPerS: number;
  /** CPU ms per 1,000 books: the plugin's process tree, and the host. */
  pluginCpu: number;
  hostCpu: number;
}

async function measure(s: LaunchSpec, total: number): Promise<Measure> {
  const p = createPluginProcess(s, s.runtime === "python" ? pythonLauncher : createNodeLauncher());
  try {
    const batch = Array.from({ length: 1000 }, (_, i) => book(i));
    await p.runBatch(batch); // warm-up
    const pid = p.pid()!;
    const cpu0 = treeCpuNs(pid);
    const host0 = process.cpuUsage();
    const t0 = performance.now();
    for (let done = 0; done < total; done += batch.length) {
      const results = await p.runBatch(batch);
      if (results.some((r) => r?.outcome !== "ok")) throw new Error(`${s.plugin_id}: a call failed: ${JSON.stringify(results.find((r) => r?.outcome !== "ok"))}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const host = process.cpuUsage(host0);
    const thousands = total / 1000;
    return { booksPerS: total / seconds, pluginCpu: (treeCpuNs(pid) - cpu0) / 1e6 / thousands, hostCpu: (host.user + host.system) / 1000 / thousands };
  } finally {
    await p.close();
  }
}

export async function benchWall(total: number): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-wall-")));
  try {
    console.log(`\nthe wall: ${sandboxReport({ runtime: "python", sandbox: {} }).level} (python), ${total} books per measure, ${ROUNDS} rounds (median and range), start-up median of 7\n`);
    for (const runtime of ["node", "python"] as const) {
      const walled = spec(root, runtime, true);
      const open = spec(root, runtime, false);
      // Interleaved in alternating order (open first, then walled first, ...), so load and warm-up hit both alike.
      const runs = { walled: [] as Measure[], open: [] as Measure[] };
      const starts = { walled: [] as number[], open: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (["open", "walled"] as const) : (["walled", "open"] as const);
        for (const side of order) runs[side].push(await measure(side === "open" ? open : walled, total));
      }
      for (let i = 0; i < 7; i++) {
        const order = i % 2 === 0 ? (["open", "walled"] as const) : (["walled", "open"] as const);
        for (const side of order) starts[side].push(await startupMs(side === "open" ? open : walled));
      }
      const rate = (xs: Measure[]) => xs.map((m) => m.booksPerS);
      const [w, o] = [median(rate(runs.walled)), median(rate(runs.open))];
      const [startOpen, startWalled] = [median(starts.open), median(starts.walled)];
      const fmt = (n: number) => Math.round(n).toLocaleString("en").padStart(7);
      const range = (xs: number[]) => `${fmt(Math.min(...xs)).trim()}-${fmt(Math.max(...xs)).trim()}`;
      const cpu = (xs: Measure[], key: "pluginCpu" | "hostCpu") => median(xs.map((m) => m[key]));
      const pct = (a: number, b: number) => `${a >= b ? "+" : ""}${((a / b - 1) * 100).toFixed(1)}%`;
      console.log(`  ${runtime.padEnd(6)} without wall ${fmt(o)} books/s (${range(rate(runs.open))})   with wall ${fmt(w)} books/s (${range(rate(runs.walled))})   ${pct(w, o)}  (target > -10%)`);
      console.log(
        `  ${"".padEnd(6)} CPU per 1,000 books: plugin ${cpu(runs.open, "pluginCpu").toFixed(1)} ms -> ${cpu(runs.walled, "pluginCpu").toFixed(1)} ms (${pct(cpu(runs.walled, "pluginCpu"), cpu(runs.open, "pluginCpu"))}), host ${cpu(runs.open, "hostCpu").toFixed(1)} ms -> ${cpu(runs.walled, "hostCpu").toFixed(1)} ms (${pct(cpu(runs.walled, "hostCpu"), cpu(runs.open, "hostCpu"))})`,
      );
      console.log(
        `  ${"".padEnd(6)} start-up     ${startOpen.toFixed(0).padStart(5)} ms            with wall ${startWalled.toFixed(0).padStart(5)} ms         +${(startWalled - startOpen).toFixed(0)} ms  (target < 100 ms)`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
