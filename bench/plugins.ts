/**
 * Plugin benchmark: 10,000 books through one isolated plugin that returns a
 * narrator for every book (node, then Python), and through the same node
 * plugin class called in-process. All three run through the same orchestrator
 * with the same database writes and the same call recording, so the ratio
 * shows what the process boundary costs.
 * Targets: isolated node >= 5,000 books/s and >= 50% of in-process; Python >= 3,000 books/s.
 *
 * Network-bound case (issue #16): 1,000 books through a plugin whose process()
 * waits 100 ms on a local HTTP server, at concurrency 1, 8 and 32, node (async
 * fetch) and Python (plain def in the thread pool); books/s and the ratio to
 * the ideal (N in flight = N x the sequential rate). Target: concurrency 8 at
 * least 7x sequential for both runtimes.
 *
 * The network-bound plugins run inside the wall too: their requests go through
 * the egress proxy (allowed to reach the loopback server for them).
 *
 *   npm run bench:plugins [-- --books N] [-- --net-books N] [-- --skip-throughput] [-- --skip-wall] [-- --wall-off]
 *
 * --wall-off runs every isolated plugin without namespaces and Landlock; the
 * last section compares the two directly either way (bench/plugin-wall.ts).
 */
import fs from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openSession } from "../src/app/open-session.js";
import { pipelineSettings, type Session } from "../src/app/session.js";
import { attachPlugins } from "../src/app/attach-plugins.js";
import { applyScan } from "../src/store/books.js";
import { clearRuns } from "../src/store/layer-runs.js";
import { runPipeline } from "../src/pipeline/orchestrator.js";
import { runInProcess, type InProcessPlugin } from "./in-process.js";
import { toPluginBook } from "../src/plugins/protocol/plugin-book.js";
import type { Layer } from "../src/pipeline/layer.js";
import { recordCalls } from "../src/store/plugin-health.js";
import { FAILURE_OUTCOMES, type CallOutcome } from "../src/plugins/plugin-types.js";
import { benchWall } from "./plugin-wall.js";

const argNumber = (flag: string) => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : NaN);
const books = argNumber("--books") || 10_000;
const netBooks = argNumber("--net-books") || 1000;
const NET_DELAY_MS = 100;
const CONCURRENCIES = [1, 8, 32];
if (process.argv.includes("--wall-off")) process.env.SHELFWISE_SANDBOX_DISABLE = "namespace,landlock,seccomp";

const NODE_PLUGIN = `export default class NarratorPlugin {
  process(book) { return { narrator: "Narrator " + (book.book_id % 50) }; }
}
`;
const PYTHON_PLUGIN = `from library_manager.plugin_loader import BasePlugin

class NarratorPlugin(BasePlugin):
    def process(self, book_data):
        return {"narrator": "Narrator %d" % (book_data["book_id"] % 50)}
`;

function writePlugin(pluginDir: string, id: string, entry: string, code: string, manifest: Record<string, unknown> = {}): string {
  const folder = path.join(pluginDir, id);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, entry), code);
  fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ id, name: id, entry_point: entry, default_order: 50, ...manifest }));
  return folder;
}

const NET_NODE_PLUGIN = `export default class {
  setup(config) { this.url = "http://127.0.0.1:" + config.port + "/"; }
  async process(book) {
    const res = await fetch(this.url + book.book_id);
    return await res.json();
  }
}
`;
const NET_PYTHON_PLUGIN = `import json, urllib.request
from library_manager.plugin_loader import BasePlugin

class NetPlugin(BasePlugin):
    def setup(self, config, secrets):
        self.url = "http://127.0.0.1:%d/" % config["port"]

    def process(self, book_data):
        with urllib.request.urlopen(self.url + str(book_data["book_id"])) as res:
            return json.loads(res.read())
`;

function seedBooks(session: Session, count = books): void {
  const root = "/library";
  applyScan(
    session.db,
    Array.from({ length: count }, (_, i) => ({
      path: `${root}/Author ${i % 300}/Title ${i}`,
      kind: "folder" as const,
      library_root: root,
      files: [{ path: `${root}/Author ${i % 300}/Title ${i}/01.mp3`, size: 1000 }],
      fingerprint: String(i),
    })),
    [],
  );
}

async function timeLayer(session: Session, layer: Layer, expected = books, batchSize?: number): Promise<number> {
  clearRuns(session.db, layer.info.layer_id);
  const settings = pipelineSettings(session);
  const result = await runPipeline({ ...settings, batchSize: batchSize ?? settings.batchSize, layers: [layer] });
  const summary = result.layers[0]!;
  if (summary.processed !== expected || summary.errors !== 0) {
    throw new Error(`${layer.info.layer_id}: processed ${summary.processed}, errors ${summary.errors}`);
  }
  return expected / summary.seconds;
}

/** The network-bound case: a local server that answers every request after NET_DELAY_MS. */
async function networkCase(): Promise<void> {
  // The server runs in a process of its own, like a real API: the host's event loop (database
  // writes included) must not delay its answers.
  const server = spawn(
    process.execPath,
    [
      "-e",
      `const s = require("node:http").createServer((q, r) => setTimeout(() => r.end(JSON.stringify({ narrator: "Narrator " + q.url.slice(1) })), ${NET_DELAY_MS}));
       s.keepAliveTimeout = 60000; s.listen(0, "127.0.0.1", () => console.log(s.address().port));`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve) => server.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-net-"));
  try {
    const pluginDir = path.join(dataDir, "plugins");
    const configs: Record<string, unknown> = {};
    for (const n of CONCURRENCIES) {
      for (const [runtime, entry, code] of [["node", "index.mjs", NET_NODE_PLUGIN], ["python", "layer.py", NET_PYTHON_PLUGIN]] as const) {
        const id = `net-${runtime}-${n}`;
        writePlugin(pluginDir, id, entry, code, { concurrency: n, permissions: { network: ["127.0.0.1"] } });
        // The server is on loopback: the egress proxy refuses private addresses unless allowed.
        configs[id] = { port, timeout: 30, allow_private_network: true };
      }
    }
    fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ plugin_configs: configs }));
    const session = openSession(dataDir);
    seedBooks(session, netBooks);
    const entries = await attachPlugins(session, { log: (line) => console.error(line) });
    console.log(`\nnetwork-bound plugins: ${netBooks} books, process() waits ${NET_DELAY_MS} ms on a local server\n`);
    for (const runtime of ["node", "python"]) {
      let sequential = 0;
      for (const n of CONCURRENCIES) {
        const entry = entries.find((e) => e.id === `net-${runtime}-${n}`);
        if (!entry?.layer) throw new Error(`plugin net-${runtime}-${n} did not start: ${entry?.reason}`);
        // A batch holds enough books to keep N calls busy (a batch waits for its last answer).
        const rate = await timeLayer(session, entry.layer, netBooks, Math.max(50, n * 16));
        if (n === 1) sequential = rate;
        const ideal = sequential * n;
        console.log(
          `  ${runtime.padEnd(6)} concurrency ${String(n).padStart(2)}  ${rate.toFixed(1).padStart(7)} books/s  ${(rate / sequential).toFixed(1).padStart(5)}x sequential  ${((rate / ideal) * 100).toFixed(0).padStart(3)}% of ideal${n === 8 ? "  (target >= 7x)" : ""}`,
        );
      }
    }
    await session.close();
  } finally {
    server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes("--skip-throughput")) await throughputCase();
  await networkCase();
  if (!process.argv.includes("--skip-wall")) await benchWall(books);
}

async function throughputCase(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-bench-plugins-"));
  try {
    const pluginDir = path.join(dataDir, "plugins");
    const nodeFolder = writePlugin(pluginDir, "bench-node", "index.mjs", NODE_PLUGIN);
    writePlugin(pluginDir, "bench-python", "layer.py", PYTHON_PLUGIN);
    const session = openSession(dataDir);
    seedBooks(session);
    const entries = await attachPlugins(session, { log: (line) => console.error(line) });
    const layerOf = (id: string) => {
      const entry = entries.find((e) => e.id === id);
      if (!entry?.layer) throw new Error(`plugin ${id} did not start: ${entry?.reason}`);
      return entry.layer;
    };
    const nodeLayer = layerOf("bench-node");
    const pythonLayer = layerOf("bench-python");

    // The same class, called in this process: what the orchestrator costs without any isolation.
    const { default: PluginClass } = (await import(pathToFileURL(path.join(nodeFolder, "index.mjs")).href)) as {
      default: new () => InProcessPlugin;
    };
    const instance = new PluginClass();
    // Same bookkeeping as the isolated layer (one recorded call per book), so the
    // ratio measures what the process boundary costs, not the health metrics.
    const inProcess: Layer = {
      info: { ...nodeLayer.info, layer_id: "bench-in-process" },
      sourceId: "plugin:bench-in-process",
      weight: 60,
      async processBatch(batch) {
        const outcomes = await runInProcess(instance, batch.map((b) => toPluginBook(b, 50)));
        const at = new Date().toISOString();
        const calls = outcomes.map((o) => ({
          plugin_id: "bench-in-process",
          book_id: o.book_id,
          at,
          outcome: "claims" in o && o.claims.length ? "ok" : "no_result",
          duration_ms: 0,
          resolved: "claims" in o && o.claims.length > 0,
          error: null,
        }));
        recordCalls(session.db, "bench-in-process", calls, (outcome) => FAILURE_OUTCOMES.has(outcome as CallOutcome));
        return outcomes;
      },
    };

    // Warm-up pass for each, then the measured one.
    const measure = async (layer: Layer) => {
      await timeLayer(session, layer);
      return timeLayer(session, layer);
    };
    const inProcessRate = await measure(inProcess);
    const nodeRate = await measure(nodeLayer);
    const pythonRate = await measure(pythonLayer);
    await session.close();

    const fmt = (n: number) => Math.round(n).toLocaleString("en").padStart(8);
    console.log(`\nplugin benchmark: ${books} books, batch size ${session.config.batch_size}, database writes included\n`);
    console.log(`  in-process (same class)   ${fmt(inProcessRate)} books/s  (reference)`);
    console.log(`  isolated node plugin      ${fmt(nodeRate)} books/s  (target >= 5,000)`);
    console.log(`  isolated python plugin    ${fmt(pythonRate)} books/s  (target >= 3,000)`);
    console.log(`\n  isolated node / in-process: ${((nodeRate / inProcessRate) * 100).toFixed(0)}%  (target >= 50%)`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
