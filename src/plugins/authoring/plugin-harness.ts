/**
 * Runs one plugin folder, isolated exactly as in the pipeline, on a few books
 * and reports everything: what it received, what it returned, which fields were
 * accepted and which rejected. Behind `plugins test`, `plugins validate`, and
 * (through testing.ts, its public face) `shelfwise/testing`.
 */
import { builtinIdProblem } from "../../domain/plugin-id.js";
import fs from "node:fs";
import path from "node:path";
import { FIELD_NAMES, type FieldName } from "../../domain/fields.js";
import { emptyProfile, mergeSource, type Profile } from "../../domain/profile.js";
import type { LayerBook } from "../../pipeline/layer.js";
import { missingConfigKeys, validateManifestFile, type DiscoveredPlugin } from "../manifest/discovery.js";
import { secretIsSet, secretPresence } from "../manifest/secret-settings.js";
import { launchSpec, launcherFor } from "../manager/plugin-manager.js";
import { createPluginProcess, PluginStartError } from "../process/supervisor.js";
import { judgeAnswer } from "../manager/judge.js";
import { pluginSettingsFrom } from "../manager/plugin-settings.js";
import { ConfigSchema, RESERVED_SECRET_NAMES, resolvePluginRuntime } from "../../config/config-schema.js";
import { dataDirLayout } from "../../config/data-dir.js";
import { sweepStaging } from "../staging/staging.js";
import { toPluginBook } from "../protocol/plugin-book.js";
import { checkPython } from "../process/python-check.js";
import { harnessFolder } from "./harness-folder.js";
import { HarnessError } from "./harness-error.js";
import { outputCollector } from "./plugin-output.js";

export { HarnessError };
import type { CallOutcome, LaunchSpec } from "../plugin-types.js";
import type { PluginBook } from "../protocol/protocol.js";
import { readNetworkEntry } from "../manifest/network-entry.js";

export interface HarnessOptions {
  /** plugin_configs[id]; default {}. */
  config?: Record<string, unknown>;
  /** The whole secrets.json; the plugin still gets only what it declares. */
  secrets?: Record<string, string>;
  /** Where staging, logs and plugin-data go; default a private per-user folder in the temp folder (harness-folder.ts). */
  dataDir?: string;
  pluginDir?: string;
  pythonPath?: string;
  libraryPaths?: string[];
  /**
   * Hosts this run may also reach besides the manifest's permissions.network: a local stand-in for
   * the plugin's web API (`"127.0.0.1"`, or its URL), so a test needs no internet. Loopback and private addresses
   * are allowed for the run, as with plugin_configs.<id>.allow_private_network.
   */
  network?: string[];
}

/** What shelfwise's own commands (`plugins test`, `validate`) pass besides the SDK's options. */
export interface CommandHarnessOptions extends HarnessOptions {
  /**
   * Every name of secrets.json, those not in `secrets` included (held by another plugin: `plugins test` hands
   * a folder only its own). Only named in the hint for an error that names a secret the manifest does not
   * declare: without them, a newcomer whose key another plugin already had got no hint at all.
   */
  secretNames?: readonly string[];
}

export interface HarnessCall {
  received: PluginBook;
  outcome: CallOutcome;
  /** process()'s return value as it arrived (JSON). */
  returned: unknown;
  /** The values that became evidence (the field and the value: no weight or basis of their own). */
  accepted: { field: FieldName; value: string }[];
  rejected: { field: string; value: string; reason: string }[];
  warnings: string[];
  error: string | null;
  duration_ms: number;
}

/** What makeBook takes: any field as its current value, and the rest of the book the plugin receives. */
export type MakeBookFields = Partial<Record<FieldName, string>> & {
  /** Default 1. */
  book_id?: number;
  /** Absolute path of the book; default `/library/Author/Title`. */
  path?: string;
  /** Default: the folder two levels above `path`. */
  library_root?: string;
  /** Default `pending`. */
  status?: string;
  /** Default 0. */
  confidence?: number;
  /** The audio files; default none. */
  files?: { path: string; size: number }[];
  /** The first audio file's tags (as after the embedded_tags layer); default null. */
  tags?: Record<string, string> | null;
};

/** A simple book for tests: any current values, everything else filled in. */
export function makeBook(fields: MakeBookFields = {}): LayerBook {
  const current = {} as LayerBook["current"];
  const profile = {} as LayerBook["profile"];
  for (const field of FIELD_NAMES) {
    const value = fields[field] ?? null;
    current[field] = value;
    profile[field] = { value, confidence: value ? 40 : 0, sources: value ? ["test"] : [] };
  }
  const bookPath = fields.path ?? "/library/Author/Title";
  return {
    book_id: fields.book_id ?? 1,
    path: bookPath,
    kind: "folder",
    library_root: fields.library_root ?? path.dirname(path.dirname(bookPath)),
    status: fields.status ?? "pending",
    confidence: fields.confidence ?? 0,
    current,
    profile,
    files: fields.files ?? [],
    tags: fields.tags ?? null,
  };
}

/** One harness run: the plugin, what each call did, and what the plugin printed meanwhile. */
export interface HarnessRun<T> {
  plugin: DiscoveredPlugin;
  calls: T;
  /** Its print/console/logging output and tracebacks during the run, the last 20 lines (its log holds all). */
  output: string[];
  /** The plugin's log, when the run's data folder is kept (`dataDir` given); null for the harness's own temporary one. */
  log_file: string | null;
}

/** Checks the folder, starts the plugin (load + setup), and stops it again. */
export async function validatePlugin(folder: string, options: HarnessOptions = {}): Promise<DiscoveredPlugin> {
  return withPlugin(folder, options, async () => undefined).then((r) => r.plugin);
}

export async function runPlugin(
  folder: string,
  books: LayerBook[],
  options: HarnessOptions & { profiles?: Profile[] } = {},
): Promise<HarnessRun<HarnessCall[]>> {
  return withPlugin(folder, options, async (proc, plugin, weight, named) => {
    const received = books.map((book) => toPluginBook(book, plugin.default_order));
    const results = await proc.runBatch(received.map((b) => structuredClone(b)));
    return results.map((result, i): HarnessCall => {
      const base = { received: received[i]!, returned: result?.data ?? null, duration_ms: result?.duration_ms ?? 0 };
      if (!result) return { ...base, outcome: "error", accepted: [], rejected: [], warnings: [], error: "no answer (stopped)" };
      const judged = judgeAnswer(result);
      if (judged.outcome === "skipped" || judged.error !== null) {
        return { ...base, outcome: judged.outcome, accepted: [], rejected: [], warnings: [], error: judged.error === null ? null : named(judged.error) };
      }
      // What the pipeline would keep: the claims merged as evidence, with the rejections and their reasons.
      const source = `plugin:${plugin.id}`;
      const merged = mergeSource(options.profiles?.[i] ?? emptyProfile(), source, weight, judged.claims);
      const accepted = FIELD_NAMES.flatMap((field) =>
        merged.evidence[field].filter((e) => e.source === source).map((e) => ({ field, value: e.value })),
      );
      const rejected = merged.rejected.filter((r) => r.source === source).map(({ field, value, reason }) => ({ field, value, reason }));
      return {
        ...base,
        outcome: accepted.length ? "ok" : "no_result",
        accepted,
        rejected,
        warnings: judged.warnings,
        error: null,
      };
    });
  });
}

async function withPlugin<T>(
  folder: string,
  options: HarnessOptions,
  use: (proc: ReturnType<typeof createPluginProcess>, plugin: DiscoveredPlugin, weight: number, named: (text: string) => string) => Promise<T>,
): Promise<HarnessRun<T>> {
  const probe = validateManifestFile(folder);
  const id = probe.id ?? "plugin";
  const config = options.config ?? {};
  const secrets = options.secrets ?? {};
  const plugin = validateManifestFile(folder, { pluginConfigs: { [id]: config }, ...secretPresence(secrets) });
  if (plugin.state === "skipped") {
    const missing = {
      config: missingConfigKeys(plugin.manifest!, config),
      secrets: plugin.manifest!.requires_secrets.filter((key) => !Object.hasOwn(secrets, key) || !secretIsSet(secrets[key])),
    };
    throw new HarnessError(`skipped: ${plugin.reason} (${missingHint(missing)})`, missing);
  }
  if (plugin.state !== "ok") {
    throw new HarnessError(plugin.errors.length ? plugin.errors.join("\n") : `${plugin.state}: ${plugin.reason}`);
  }
  // The pipeline's rule: `plugins list` shows such a plugin as invalid, so it must not validate.
  const builtin = builtinIdProblem(plugin.id!);
  if (builtin) throw new HarnessError(`manifest.json: ${builtin}`);
  if (options.dataDir !== undefined) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    return withPluginIn(options.dataDir, plugin, options, config, secrets, use);
  }
  // By default a per-user folder that is kept: staging caches transpiled TypeScript
  // there, so an author's test run does not transpile again every time.
  const temp = harnessFolder();
  try {
    return await withPluginIn(temp.dir, plugin, options, config, secrets, use);
  } finally {
    temp.dispose();
  }
}

async function withPluginIn<T>(
  dataDir: string,
  plugin: DiscoveredPlugin,
  options: HarnessOptions,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
  use: (proc: ReturnType<typeof createPluginProcess>, plugin: DiscoveredPlugin, weight: number, named: (text: string) => string) => Promise<T>,
): Promise<HarnessRun<T>> {
  const pythonPath = options.pythonPath ?? ConfigSchema.shape.python_path.parse(undefined);
  if (plugin.runtime === "python") {
    const python = await checkPython(pythonPath);
    if (!python.ok) throw new HarnessError(python.reason);
  }
  const settings = pluginSettingsFrom({
    dataDir,
    pluginDir: options.pluginDir ?? dataDirLayout(dataDir).defaultPluginDir,
    libraryPaths: options.libraryPaths ?? [],
    pluginConfigs: { [plugin.id!]: config },
    secrets,
    pythonPath,
    autoDisableAfter: ConfigSchema.shape.auto_disable_after.parse(undefined),
  });
  // Each run is a process of its own: the marks of earlier runs (and of commands since gone) are cleared.
  sweepStaging(dataDir);
  let spec: LaunchSpec;
  try {
    spec = launchSpec(plugin, settings);
  } catch (error) {
    // Staging problems (a TypeScript syntax error, an unreadable file) are the plugin's to fix.
    throw new HarnessError((error as Error).message);
  }
  // Not part of the SDK's options (shelfwise/testing restates them): only shelfwise's commands pass it.
  const secretNames = (options as CommandHarnessOptions).secretNames;
  if (secretNames?.length) {
    const declared = new Set(plugin.manifest!.requires_secrets);
    const more = secretNames.filter((name) => !declared.has(name) && !spec.undeclaredSecretNames?.includes(name) && !Object.hasOwn(secrets, name));
    if (more.length > 0) spec = { ...spec, undeclaredSecretNames: [...(spec.undeclaredSecretNames ?? []), ...more.filter((name) => !RESERVED_SECRET_NAMES.has(name))] };
  }
  if (options.network?.length) {
    // Read as the manifest reads its entries: the stand-in's URL (http://127.0.0.1:8080/v1) is its host.
    const hosts = options.network.map((value) => {
      const entry = readNetworkEntry(String(value));
      if ("problem" in entry) throw new HarnessError(`network option ${JSON.stringify(value)}: ${entry.problem}`);
      return entry.host;
    });
    spec = {
      ...spec,
      allowed_hosts: [...new Set([...spec.allowed_hosts, ...hosts])],
      sandbox: { ...spec.sandbox, allow_private_network: true },
    };
  }
  // Its own output, as its log writes it: the log file is shared with any `process` run of the plugin.
  const output = outputCollector();
  const proc = createPluginProcess(spec, launcherFor(spec.runtime), { log: { copy: output.copy } });
  let calls: T;
  try {
    await proc.start();
    const weight = resolvePluginRuntime(plugin.id!, config).settings.source_weight;
    calls = await use(proc, plugin, weight, authorPath(plugin, spec.entry));
  } catch (error) {
    if (!(error instanceof PluginStartError)) throw error;
    await proc.close();
    // The plugin's words on one line: `plugins validate` prints one problem a line, and a line break in
    // them would print a line of the plugin's that reads as shelfwise's own (its full trace is in the log).
    const message = `${error.stage}: ${authorPath(plugin, spec.entry)(error.message).replace(/\r/g, "\\r").replace(/\n/g, "\\n")}\n(see the plugin log: ${spec.logFile})`;
    throw new HarnessError(message, undefined, authorPaths(output.lines(), plugin, spec.entry));
  } finally {
    await proc.close();
  }
  // Read once the process is closed: teardown's words and a last traceback are in by then.
  return { plugin, calls, output: authorPaths(output.lines(), plugin, spec.entry), log_file: options.dataDir !== undefined ? spec.logFile : null };
}

const RUNNER_FRAME = /^\s+at (?:.*\()?\S*[\\/]plugins[\\/]runner[\\/]node-runner\.cjs:\d+:\d+\)?$/;

/**
 * A Node plugin runs from a copy of its folder (staging: cache/plugins/<id>/<hash>/), so its stack names files
 * there; the author edits the folder itself, so the output names those files instead (same lines: the copy is
 * exact, TypeScript aside).
 */
function authorPaths(all: string[], plugin: DiscoveredPlugin, stagedEntry: string): string[] {
  // The runner's own frames under the plugin's (shelfwise's bundled runner calling process() or setup()): they
  // sent the author to a file of shelfwise's, and took 5 of the 20 lines shown.
  const output = all.filter((line) => !RUNNER_FRAME.test(line));
  return output.map(authorPath(plugin, stagedEntry));
}

/**
 * The same for one message: an error (Node's "... because '<copy>/package.json' contains "type": "module"",
 * a sandbox refusal to write '<copy>/cache.json') named the copy in shelfwise's cache, a folder the author never
 * saw, where the file to fix or the folder meant is the plugin's own.
 */
function authorPath(plugin: DiscoveredPlugin, stagedEntry: string): (text: string) => string {
  const folder = plugin.real_folder ?? plugin.folder;
  if (!plugin.entry_real_path) return (text) => text;
  const relative = path.relative(folder, plugin.entry_real_path);
  if (!stagedEntry.endsWith(path.sep + relative)) return (text) => text;
  const staged = stagedEntry.slice(0, stagedEntry.length - relative.length - 1);
  if (staged === folder) return (text) => text;
  return (text) => text.split(staged + path.sep).join(folder + path.sep);
}

/** How a test gives what the manifest requires: `options.config` is the plugin_configs entry, `options.secrets` secrets.json. */
function missingHint(missing: { config: string[]; secrets: string[] }): string {
  const example = (keys: string[]) => `{ ${keys.map((k) => `${JSON.stringify(k)}: ...`).join(", ")} }`;
  const parts = [
    ...(missing.config.length ? [`config: ${example(missing.config)}`] : []),
    ...(missing.secrets.length ? [`secrets: ${example(missing.secrets)}`] : []),
  ];
  return `the manifest requires them: pass { ${parts.join(", ")} } in the options of runPlugin / validatePlugin`;
}
