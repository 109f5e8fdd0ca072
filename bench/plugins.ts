/**
 * Plugin benchmark: 10,000 books through one isolated plugin that returns a
 * narrator for every book (node, then Python), and through the same node
 * plugin class called in-process. All three run through the same orchestrator
 * with the same database writes and the same call recording, so the ratio
 * shows what the process boundary costs.
 * Targets: isolated node >= 5,000 books/s and >= 50% of in-process; Python >= 3,000 books/s.
 *
 *   npm run bench:plugins [-- --books N] [--wall-off]
 *
 * --wall-off runs every isolated plugin without namespaces and Landlock; the
 * last section compares the two directly either way (bench/plugin-wall.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openSession, pipelineSettings, type Session } from "../src/app/session.js";
import { attachPlugins } from "../src/app/attach-plugins.js";
import { applyScan } from "../src/store/books.js";
import { clearRuns } from "../src/store/layer-runs.js";
import { runPipeline } from "../src/pipeline/orchestrator.js";
import { runInProcess, type InProcessPlugin } from "../src/plugins/plugin-layer.js";
import { toPluginBook } from "../src/plugins/plugin-book.js";
import type { Layer } from "../src/pipeline/layer.js";
import { recordCalls } from "../src/store/plugin-health.js";
import { FAILURE_OUTCOMES, type CallOutcome } from "../src/plugins/plugin-types.js";
import { benchWall } from "./plugin-wall.js";

const books = Number(process.argv[process.argv.indexOf("--books") + 1]) || 10_000;
if (process.argv.includes("--wall-off")) process.env.SHELFWISE_SANDBOX_DISABLE = "namespace,landlock";

const NODE_PLUGIN = `export default class NarratorPlugin {
  process(book) { return { narrator: "Narrator " + (book.book_id % 50) }; }
}
`;
const PYTHON_PLUGIN = `from library_manager.plugin_loader import BasePlugin

class NarratorPlugin(BasePlugin):
    def process(self, book_data):
        return {"narrator": "Narrator %d" % (book_data["book_id"] % 50)}
`;

function writePlugin(pluginDir: string, id: string, entry: string, code: string): string {
  const folder = path.join(pluginDir, id);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, entry), code);
  fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ id, name: id, entry_point: entry, default_order: 50 }));
  return folder;
}

function seedBooks(session: Session): void {
  const root = "/library";
  applyScan(
    session.db,
    Array.from({ length: books }, (_, i) => ({
      path: `${root}/Author ${i % 300}/Title ${i}`,
      kind: "folder" as const,
      library_root: root,
      files: [{ path: `${root}/Author ${i % 300}/Title ${i}/01.mp3`, size: 1000 }],
      fingerprint: String(i),
    })),
    [],
  );
}

async function timeLayer(session: Session, layer: Layer): Promise<number> {
  clearRuns(session.db, layer.info.layer_id);
  const result = await runPipeline({ ...pipelineSettings(session), layers: [layer] });
  const summary = result.layers[0]!;
  if (summary.processed !== books || summary.errors !== 0) {
    throw new Error(`${layer.info.layer_id}: processed ${summary.processed}, errors ${summary.errors}`);
  }
  return books / summary.seconds;
}

async function main(): Promise<void> {
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
await benchWall(books);
