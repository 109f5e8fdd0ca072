/**
 * End-to-end helpers for plugin tests: a temp "home" (data dir, library of
 * tiny tagged mp3 books, plugin dir), plugin folders written from source
 * text, the real CLI run as a child process, and a check that no plugin
 * runner process outlives shelfwise.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeMp3 } from "../../fixtures/audio.js";
import type {
  BookDetailView,
  CallLogEntryView,
  LayerRowView,
  LayerRunSummaryView,
  PluginEntryView,
  PluginHealthView,
  ProcessSummaryView,
} from "../../src/app/views/index.js";
import { checkCommandJson, finishedCodes } from "./views.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = path.join(REPO_ROOT, "bin", "shelfwise.js");

/** The CLI runs from dist/ (as users run it): `npm test` builds first. */
export function requireBuilt(): void {
  for (const file of ["dist/bundle/cli.js", "dist/plugins/runner/node-runner.cjs", "dist/sdk/index.js", "dist/plugins/authoring/plugin-harness.js"]) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` before these tests`);
  }
}

// ---- the CLI ------------------------------------------------------------------

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `shelfwise <args> --data-dir <dataDir>` and collects everything it printed. */
export function runCli(args: string[], dataDir: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, "--data-dir", dataDir], {
      cwd: options.cwd ?? os.tmpdir(),
      env: { ...process.env, SHELFWISE_DATA_DIR: "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`shelfwise ${args.join(" ")} did not exit within ${options.timeoutMs} ms\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 150_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs a `--json` command that must succeed and parses what it printed. */
export async function cliJson<T = unknown>(args: string[], dataDir: string): Promise<T> {
  const result = await runCli([...args, "--json"], dataDir);
  if (!finishedCodes(args).includes(result.code ?? -1)) throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\n${result.stderr}`);
  return checkCommandJson<T>(args, JSON.parse(result.stdout));
}

/** Runs a command that must succeed. */
export async function cliOk(args: string[], dataDir: string): Promise<CliResult> {
  const result = await runCli(args, dataDir);
  if (!finishedCodes(args).includes(result.code ?? -1)) throw new Error(`shelfwise ${args.join(" ")} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

// ---- shapes of the CLI's JSON: the view schemas' types (src/app/views/) ----------

export type ListedPlugin = PluginEntryView;
export type PluginHealthRow = PluginHealthView;
export type CallLogRow = CallLogEntryView;
export type BookDetail = BookDetailView;
export type LayerRow = LayerRowView;
export type LayerSummaryRow = LayerRunSummaryView;
export type ProcessJson = ProcessSummaryView;

export function listedPlugin(list: ListedPlugin[], id: string): ListedPlugin {
  const found = list.find((p) => p.id === id);
  if (!found) throw new Error(`plugin ${id} not in plugins list: ${JSON.stringify(list.map((p) => p.id))}`);
  return found;
}

export function layerSummary(result: ProcessJson, id: string): LayerSummaryRow | undefined {
  return result.layers.find((l) => l.layer_id === id);
}

// ---- a temp home: data dir, library, plugin dir -----------------------------------

export interface TestHome {
  root: string;
  dataDir: string;
  library: string;
  pluginDir: string;
  /** Book folders in the library, in creation order. */
  books: string[];
  writeConfig(config: Record<string, unknown>): void;
  writeSecrets(secrets: Record<string, string>): void;
  plugin(id: string, plugin: PluginSpec): string;
  cli(args: string[]): Promise<CliResult>;
  json<T = unknown>(args: string[]): Promise<T>;
  cleanup(): void;
}

export interface HomeOptions {
  /** Book folders to write (tiny tagged mp3s); default 0. */
  books?: number;
  /** config.json beyond library_paths; library_paths is always the temp library. */
  config?: Record<string, unknown>;
}

export function createHome(options: HomeOptions = {}): TestHome {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-e2e-")));
  const dataDir = path.join(root, "data");
  const library = path.join(root, "library");
  const pluginDir = path.join(dataDir, "plugins");
  fs.mkdirSync(pluginDir, { recursive: true });
  fs.mkdirSync(library, { recursive: true });
  const books = writeLibrary(library, options.books ?? 0);
  const home: TestHome = {
    root,
    dataDir,
    library,
    pluginDir,
    books,
    writeConfig(config) {
      fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [library], ...config }, null, 2));
    },
    writeSecrets(secrets) {
      fs.writeFileSync(path.join(dataDir, "secrets.json"), JSON.stringify(secrets, null, 2), { mode: 0o600 });
    },
    plugin: (id, plugin) => writePlugin(pluginDir, id, plugin),
    cli: (args) => runCli(args, dataDir),
    json: (args) => cliJson(args, dataDir),
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  home.writeConfig(options.config ?? {});
  return home;
}

/** `<library>/Author N/Title N/01.mp3`, tagged with artist and album. */
export function writeLibrary(library: string, count: number): string[] {
  const folders: string[] = [];
  for (let i = 1; i <= count; i++) {
    const folder = path.join(library, `Author ${i}`, `Title ${i}`);
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: `Author ${i}`, album: `Title ${i}`, title: "Chapter 1", track: "1" });
    folders.push(folder);
  }
  return folders;
}

// ---- plugin folders ---------------------------------------------------------------

export interface PluginSpec {
  /** Source of the entry point (written to `entry`). */
  code?: string;
  /** Entry point file name; default index.mjs (node) or plugin.py when `python` is set. */
  entry?: string;
  /** Manifest keys beyond id/name/entry_point; `null` removes a key. */
  manifest?: Record<string, unknown>;
  /** Replaces manifest.json with this exact text (for broken manifests). */
  manifestText?: string;
  /** More files, path inside the folder → contents. */
  files?: Record<string, string>;
}

/** Writes `<pluginDir>/<folderName>/` with a manifest and its code; returns the folder. */
export function writePlugin(pluginDir: string, folderName: string, spec: PluginSpec): string {
  const folder = path.join(pluginDir, folderName);
  fs.mkdirSync(folder, { recursive: true });
  const entry = spec.entry ?? "index.mjs";
  const manifest: Record<string, unknown> = { id: folderName, name: folderName, entry_point: entry, ...spec.manifest };
  for (const [key, value] of Object.entries(manifest)) if (value === null) delete manifest[key];
  fs.writeFileSync(path.join(folder, "manifest.json"), spec.manifestText ?? JSON.stringify(manifest, null, 2));
  if (spec.code !== undefined) fs.writeFileSync(path.join(folder, entry), spec.code);
  for (const [file, content] of Object.entries(spec.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
  return folder;
}

/** A node plugin module whose default export is a class with these members. */
export function nodePlugin(members: string): string {
  return `export default class Plugin {\n${members}\n}\n`;
}

/** A Library Manager style python plugin module with these members. */
export function pythonPlugin(members: string, className = "Plugin"): string {
  return `from library_manager.plugin_loader import BasePlugin\n\n\nclass ${className}(BasePlugin):\n${members}\n`;
}

// ---- processes ---------------------------------------------------------------------

/**
 * Runner processes (node or python) started for this data dir that are still
 * alive, as `pid pgid args` lines (what `ps -eo pid,pgid,args` shows). Runners
 * are matched by their working directory, which is always
 * `<dataDir>/plugin-data/<id>`. Read from /proc in this process: a `ps` child
 * forked from a test worker cost ~20-60 ms of CPU a call, and teardown tests
 * poll this every 50 ms.
 */
export function leftoverRunners(dataDir: string): string[] {
  const pluginData = path.join(dataDir, "plugin-data");
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      // A zombie's command line is empty, as ps shows it ("[node] <defunct>"): not a runner.
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (!/node-runner\.c?js|shelfwise_runner\.py/.test(args)) continue;
      if (!fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(pluginData)) continue;
      const pgid = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[2] ?? "?";
      found.push(`${pid} ${pgid} ${args}`);
    } catch {
      // gone meanwhile, or not ours to inspect
    }
  }
  return found;
}

/** Every file under `dir`, recursively (absolute paths); skips node_modules links. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
