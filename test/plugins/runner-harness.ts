/**
 * Shared setup for the plugin runner tests: real plugins written into temp
 * folders, real runner processes, and a check that none is left behind.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LayerBook } from "../../src/pipeline/layer.js";
import { NODE_RUNNER_PATH, createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { createPluginLayer, type CallRecord, type PluginLayer } from "../../src/plugins/manager/plugin-layer.js";
import type { PluginProcessOptions } from "../../src/plugins/process/supervisor.js";
import type { LaunchSpec } from "../../src/plugins/plugin-types.js";
import type { RuntimeLauncher } from "../../src/plugins/process/launch-command.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The runner runs compiled (it is spawned by node), as one bundled file (scripts/build-runner.mjs): rebundled
 * when any runner source is newer; the SDK (tsc's output) rebuilt when its source is.
 */
export function ensureRunnerBuilt(): void {
  const runnerSources = fs.readdirSync(path.join(REPO_ROOT, "src/plugins/runner")).map((f) => path.join(REPO_ROOT, "src/plugins/runner", f));
  const newer = (built: string, sources: string[]) =>
    !fs.existsSync(built) || sources.some((source) => fs.statSync(built).mtimeMs < fs.statSync(source).mtimeMs);
  // Each output against its own sources: tsc rewrites only the outputs whose source changed, so one newer source
  // (net-guard.ts) must not make an untouched output (sdk/index.js) look stale and rebuild on every test file.
  if (newer(path.join(REPO_ROOT, "dist/sdk/index.js"), [path.join(REPO_ROOT, "src/sdk/index.ts")])) {
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
        cwd: REPO_ROOT,
        stdio: "ignore",
      });
    } catch {
      // Type errors elsewhere in the tree still emit; what matters is that the SDK exists.
    }
  }
  if (newer(NODE_RUNNER_PATH, runnerSources)) {
    execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts/build-runner.mjs")], { cwd: REPO_ROOT, stdio: "ignore" });
  }
  if (!fs.existsSync(NODE_RUNNER_PATH)) throw new Error(`build did not produce ${NODE_RUNNER_PATH}`);
}

export interface Sandbox {
  root: string;
  /** Writes <root>/plugins/<id>/index.mjs and returns the spec to launch it. */
  plugin(id: string, source: string, overrides?: Partial<LaunchSpec>): LaunchSpec;
  /** Every pid the tests saw, to check that none outlives them. */
  pids: Set<number>;
  layer(spec: LaunchSpec, options?: LayerOptions): TestLayer;
  cleanup(): Promise<void>;
}

export interface LayerOptions {
  process?: PluginProcessOptions;
  /** In place of the node launcher of dist's runner. */
  launcher?: RuntimeLauncher;
  onCall?: (record: CallRecord) => void | "stop";
}

export interface TestLayer {
  layer: PluginLayer;
  records: CallRecord[];
  run(books: LayerBook[], signal?: AbortSignal): ReturnType<PluginLayer["processBatch"]>;
}

export function createSandbox(): Sandbox {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-runner-")));
  const layers: PluginLayer[] = [];
  const pids = new Set<number>();
  const launcher = createNodeLauncher();
  return {
    root,
    pids,
    plugin(id, source, overrides = {}) {
      const folder = path.join(root, "plugins", id);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, "index.mjs"), source);
      return {
        plugin_id: id,
        runtime: "node",
        folder,
        entry: path.join(folder, "index.mjs"),
        class_name: null,
        config: {},
        secrets: {},
        allowed_hosts: [],
        readPaths: [],
        dataDir: path.join(root, "data", id),
        logFile: path.join(root, "logs", `${id}.log`),
        memoryMb: 128,
        timeoutSeconds: 5,
        setupTimeoutSeconds: 5,
        ...overrides,
      };
    },
    layer(spec, options = {}) {
      const records: CallRecord[] = [];
      const layer = createPluginLayer({
        info: {
          layer_id: `plugin:${spec.plugin_id}`,
          layer_name: spec.plugin_id,
          description: "test plugin",
          config_enable_key: `plugin_${spec.plugin_id}`,
          default_order: 50,
          kind: "plugin",
        },
        spec,
        launcher: options.launcher ?? launcher,
        weight: 60,
        process: options.process,
        onCall: (record) => {
          records.push(record);
          // A test's onCall may say "stop": the layer is halted, as an auto-disable does.
          if (options.onCall?.(record) === "stop") layer.halt();
        },
      });
      layers.push(layer);
      return {
        layer,
        records,
        async run(books, signal = new AbortController().signal) {
          const outcomes = await layer.processBatch(books, { signal });
          const pid = layer.pid();
          if (pid !== null) pids.add(pid);
          return outcomes;
        },
      };
    },
    async cleanup() {
      for (const layer of layers) {
        const pid = layer.pid();
        if (pid !== null) pids.add(pid);
      }
      await Promise.all(layers.map((layer) => layer.close()));
      // Every process ever started (restarts included) is named in the logs.
      const logs = path.join(root, "logs");
      for (const file of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
        for (const match of fs.readFileSync(path.join(logs, file), "utf8").matchAll(/started \S+ \(pid (\d+)\)/g)) {
          pids.add(Number(match[1]));
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * True when no process of the group is left, but for zombies: a killed group's inner process (bwrap's
 * child) is reparented to init when its parent dies, and stays a zombie, dead and holding nothing, until
 * init reaps it. kill(-pgid, 0) still finds a zombie, so a check right after a kill (the rate-limit test
 * run alone, with no later test to give init the time) saw a gone group as "still alive".
 */
export function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  // Linux: the group's members and their states, from /proc/PID/stat (state and pgrp follow the name in parentheses).
  if (!fs.existsSync("/proc/self/stat")) return false;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone since the listing
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pid && state !== "Z") return false;
  }
  return true;
}

export function makeBook(id: number, overrides: Partial<LayerBook> = {}): LayerBook {
  return {
    book_id: id,
    path: `/library/Author ${id}/Book ${id}`,
    kind: "folder",
    library_root: "/library",
    status: "pending",
    confidence: 0.2,
    current: {
      author: `Author ${id}`,
      title: `Book ${id}`,
      subtitle: null,
      authors: null,
      narrator: null,
      series: null,
      series_num: null,
      year: null,
      language: null,
      edition: null,
      variant: null,
    },
    profile: {
      author: { value: `Author ${id}`, confidence: 0.4, sources: ["path"] },
    } as LayerBook["profile"],
    files: [{ path: `/library/Author ${id}/Book ${id}/01.mp3`, size: 1000 }],
    tags: null,
    ...overrides,
  };
}

export const books = (...ids: number[]) => ids.map((id) => makeBook(id));

/** The claims of an outcome as field -> value, or the error/skip. */
export function summarize(outcome: unknown): unknown {
  const o = outcome as { claims?: { field: string; value: string }[]; error?: string; kind?: string; skipped?: boolean };
  if (o.claims) return Object.fromEntries(o.claims.map((c) => [c.field, c.value]));
  if (o.skipped) return "skipped";
  return { kind: o.kind, error: o.error };
}
