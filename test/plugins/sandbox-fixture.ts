/**
 * A realistic shelfwise layout for the wall's tests: a data folder with
 * config, secrets, database and logs, a plugin folder with a neighbour, a
 * library holding a symlink to the secrets, a file in the user's home, and a
 * loopback HTTP server that counts every connection it gets.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { createPluginProcess, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import type { PluginBook } from "../../src/plugins/protocol/protocol.js";
import type { LaunchSpec, PluginRuntime } from "../../src/plugins/plugin-types.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import type { SandboxSettings } from "../../src/plugins/sandbox/sandbox-types.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SECRET = "sk-live-SANDBOX-SECRET-7f3a";

export function ensureBuilt(): void {
  const needed = ["dist/plugins/runner/node-runner.cjs", "dist/plugins/runner/egress.js", "native/build/sandbox-exec"];
  const stale = needed.some((f) => !fs.existsSync(path.join(REPO_ROOT, f))) ||
    fs.statSync(path.join(REPO_ROOT, "src/plugins/runner/egress.ts")).mtimeMs > fs.statSync(path.join(REPO_ROOT, "dist/plugins/runner/node-runner.cjs")).mtimeMs;
  if (stale) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
}

export interface Layout {
  root: string;
  dataDir: string;
  pluginDir: string;
  library: string;
  homeFile: string;
  /** Every path a plugin must not read, by name. */
  forbidden: Record<string, string>;
  server: { port: number; connections(): number; close(): Promise<void> };
  cleanup(): Promise<void>;
}

/**
 * One layout for a test file, made before its first test (the runner built), and removed after its last
 * with every plugin process the file put in `running` closed.
 */
export function layoutPerFile(): { readonly layout: Layout; running: PluginProcess[] } {
  let layout: Layout | undefined;
  const running: PluginProcess[] = [];
  beforeAll(async () => {
    ensureBuilt();
    layout = await createLayout();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.close()));
    await layout?.cleanup();
  });
  return {
    get layout() {
      if (!layout) throw new Error("layoutPerFile: the layout is made in beforeAll");
      return layout;
    },
    running,
  };
}

export async function createLayout(): Promise<Layout> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-wall-")));
  const dataDir = path.join(root, "data");
  const pluginDir = path.join(dataDir, "plugins");
  const library = path.join(root, "library");
  fs.mkdirSync(path.join(dataDir, "logs", "plugins"), { recursive: true });
  fs.mkdirSync(path.join(pluginDir, "neighbour"), { recursive: true });
  fs.mkdirSync(path.join(library, "Terry Pratchett", "Mort"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "secrets.json"), JSON.stringify({ api_key: SECRET }), { mode: 0o600 });
  fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ note: SECRET }));
  fs.writeFileSync(path.join(dataDir, "shelfwise.db"), `SQLite format 3\0${SECRET}`);
  fs.writeFileSync(path.join(dataDir, "logs", "shelfwise.log"), SECRET);
  fs.writeFileSync(path.join(pluginDir, "neighbour", "token.txt"), SECRET);
  fs.writeFileSync(path.join(library, "Terry Pratchett", "Mort", "book.nfo"), "narrated by Nigel Planer");
  fs.symlinkSync(path.join(dataDir, "secrets.json"), path.join(library, "Terry Pratchett", "Mort", "cover.jpg"));
  const homeFile = path.join(os.homedir(), `.shelfwise-wall-test-${process.pid}-${path.basename(root)}`);
  fs.writeFileSync(homeFile, SECRET);
  let connections = 0;
  const server = http.createServer((_req, res) => res.end("hello from the fixture"));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    root,
    dataDir,
    pluginDir,
    library,
    homeFile,
    forbidden: {
      "secrets.json": path.join(dataDir, "secrets.json"),
      "config.json": path.join(dataDir, "config.json"),
      "shelfwise.db": path.join(dataDir, "shelfwise.db"),
      "the host log": path.join(dataDir, "logs", "shelfwise.log"),
      "another plugin's folder": path.join(pluginDir, "neighbour", "token.txt"),
      "a file in the user's home": homeFile,
      "/etc/shadow": "/etc/shadow",
      "a symlink in the library": path.join(library, "Terry Pratchett", "Mort", "cover.jpg"),
    },
    server: { port, connections: () => connections, close },
    async cleanup() {
      server.closeAllConnections();
      await close();
      fs.rmSync(homeFile, { force: true });
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A plugin folder with the given files, laid out as shelfwise would find it. */
export function pluginSpec(
  layout: Layout,
  id: string,
  runtime: PluginRuntime,
  files: Record<string, string>,
  over: Partial<LaunchSpec> & { sandbox?: SandboxSettings } = {},
): LaunchSpec {
  const folder = path.join(layout.pluginDir, id);
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return {
    plugin_id: id,
    runtime,
    folder,
    entry: path.join(folder, runtime === "python" ? "layer.py" : "index.mjs"),
    class_name: null,
    config: {},
    secrets: {},
    allowed_hosts: [],
    readPaths: [],
    dataDir: path.join(layout.dataDir, "plugin-data", id),
    logFile: path.join(layout.dataDir, "logs", "plugins", `${id}.log`),
    memoryMb: 256,
    timeoutSeconds: 20,
    setupTimeoutSeconds: 20,
    sandbox: { protect: [layout.dataDir, layout.pluginDir] },
    ...over,
  };
}

export function startPlugin(spec: LaunchSpec): PluginProcess {
  return createPluginProcess(spec, spec.runtime === "python" ? pythonLauncher : createNodeLauncher(), { memoryPollMs: 100 });
}

let seq = 0;
/** A book for one call, with a fresh id: `title` and `author` reach the plugin as current_title and current_author. */
export function testBook(title: string, author = ""): PluginBook {
  return {
    book_id: ++seq,
    path: "/library/x",
    library_root: "/library",
    current_author: author,
    current_title: title,
    current_narrator: null,
    current_series: null,
    current_series_num: null,
    current_year: null,
    current_language: null,
    status: "pending",
    confidence: 0.2,
    profile: {},
    files: [],
    tags: null,
    verification_layer: 0,
  } as never;
}

/** Runs one call: `attack` and `arg` reach the plugin as current_title and current_author. */
export async function call(plugin: PluginProcess, attack: string, arg = ""): Promise<string> {
  const [result] = await plugin.runBatch([testBook(attack, arg)]);
  if (!result || result.outcome !== "ok") return `call failed: ${result?.outcome} ${result?.error ?? ""}`;
  return String((result.data as { title?: unknown }).title);
}

/** Host processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "latin1").includes(marker)) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
