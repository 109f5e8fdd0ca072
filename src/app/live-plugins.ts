/**
 * The plugin set of a long-running shelfwise (`serve`): plugins are attached
 * as `attachPlugins` does, then the plugin folder is watched, and adding,
 * changing or removing a plugin loads, reloads or unloads it without a
 * restart. A plugin counts as changed when the fingerprint of its folder
 * (relative path, size and mtime of every file but node_modules and hidden
 * ones), its state, or what its process would be given (config, secrets,
 * staged entry) changed; every other plugin keeps its running process.
 *
 * A run in progress while a plugin reloads, the rule:
 * - The orchestrator took its layer list when the run started, so it keeps
 *   calling the old layer object; the registry already holds the new one.
 * - The batch in progress on the old layer gets `drainMs` to finish. Then it
 *   is interrupted like Ctrl-C: books already answered keep their results,
 *   the others get no run at all and stay pending.
 * - Later batches of that run on the old layer return no outcomes, so their
 *   books stay pending too.
 * - No book is marked as failed because its plugin was replaced: what is
 *   left is taken by the new version on the next run. Only then is the old
 *   process closed (teardown, bounded).
 */
import { attachHttpSources } from "./attach-http-sources.js";
import { createHash } from "node:crypto";
import path from "node:path";
import type { Session } from "./session.js";
import {
  attachBuiltinLayers,
  installSignalHooks,
  pluginSettings,
  reportEntry,
  sessionPluginLayer,
  startPluginEntries,
  type StartingLayer,
} from "./attach-plugins.js";
import { loadPlugins, type PluginEntry } from "../plugins/manager/plugin-manager.js";
import type { PluginLayer } from "../plugins/manager/plugin-layer.js";
import { pluginFolderFingerprint, watchPluginDir, type PluginWatcher } from "../plugins/manager/plugin-watcher.js";

/** What one reload did, by plugin id (folder name when the manifest names none); each id in one list only. */
export interface LiveChange {
  /** Newly registered and running. */
  added: string[];
  /** Replaced by a new version, now running. */
  reloaded: string[];
  /** Unregistered and stopped: folder gone, disabled, or auto-disabled. */
  removed: string[];
  /** New or changed, and cannot run (invalid, failed to start, missing config or secrets); unloaded if it ran. */
  failed: { id: string; reason: string }[];
}

export interface LivePluginsOptions {
  /** Quiet time after the last file event before reloading; default 300 ms. */
  debounceMs?: number;
  /** How long a batch in progress on a replaced plugin may go on before it is interrupted; default 3000 ms. */
  drainMs?: number;
  /** Watch the plugin folder; default true. Without it only refresh() reloads. */
  watch?: boolean;
  log?: (line: string) => void;
  /** Called after every reload that changed something. */
  onChange?: (change: LiveChange) => void;
}

export interface LivePlugins {
  /** Attaches the built-in layers and every active plugin (started), then watches the plugin folder. */
  start(): Promise<PluginEntry[]>;
  /** Re-reads the plugin folder now, as a settled change does; resolves with what changed. */
  refresh(): Promise<LiveChange>;
  /** Every plugin folder as last read, with its state. */
  entries(): PluginEntry[];
  /** Stops watching, unregisters every plugin layer and closes its process. */
  stop(): Promise<void>;
}

interface Tracked {
  entry: PluginEntry;
  signature: string;
  layer: PluginLayer | null;
}

const NOT_RUNNABLE = new Set(["invalid", "failed", "skipped"]);

export function createLivePlugins(session: Session, options: LivePluginsOptions = {}): LivePlugins {
  const drainMs = options.drainMs ?? 3000;
  const log = options.log;
  let tracked = new Map<string, Tracked>();
  let watcher: PluginWatcher | null = null;
  let stopped = false;
  // Reloads run one at a time; requests made while one waits share it.
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<LiveChange> | null = null;
  // The first read is start()'s own: nothing is reported as changed then.
  let started = false;

  function refresh(): Promise<LiveChange> {
    if (queued) return queued;
    const run = chain.then(async () => {
      queued = null;
      if (stopped) return emptyChange();
      try {
        const change = await sync();
        if (started) report(change);
        return change;
      } finally {
        started = true;
      }
    });
    queued = run;
    chain = run.catch(() => {});
    return run;
  }

  async function sync(): Promise<LiveChange> {
    const settings = pluginSettings(session);
    const found = await loadPlugins(session.db, settings);
    const next = new Map<string, Tracked>();
    const changed: Tracked[] = [];
    for (const entry of found) {
      const signature = signatureOf(entry);
      const old = tracked.get(entry.folder);
      if (old && old.signature === signature) {
        next.set(entry.folder, old);
        continue;
      }
      const record: Tracked = { entry, signature, layer: null };
      next.set(entry.folder, record);
      changed.push(record);
      reportEntry(session, entry, log);
    }
    const retiring = [...tracked.entries()].filter(([folder, t]) => t.layer && next.get(folder) !== t).map(([, t]) => t);
    for (const t of retiring) unregister(t);
    await Promise.allSettled(retiring.map((t) => t.layer!.retire(drainMs)));

    const starting: StartingLayer[] = changed
      .filter((t) => t.entry.state === "active")
      .map((t) => ({ entry: t.entry, layer: sessionPluginLayer(session, t.entry, settings, log) }));
    await startPluginEntries(session, starting, log);
    for (const { entry, layer } of starting) {
      if (entry.state === "active") register(next.get(entry.folder)!, layer);
    }
    tracked = next;
    return describeChange(retiring, changed);
  }

  function register(record: Tracked, layer: PluginLayer): void {
    try {
      session.registry.register(layer);
    } catch (error) {
      record.entry.state = "failed";
      record.entry.reason = (error as Error).message;
      void layer.close();
      return;
    }
    record.layer = layer;
    record.entry.layer = layer;
  }

  function unregister(record: Tracked): void {
    const id = record.entry.id!;
    if (session.registry.get(id) === record.layer) session.registry.unregister(id);
  }

  function report(change: LiveChange): void {
    if (!hasChanges(change)) return;
    const parts = (["added", "reloaded", "removed"] as const).filter((k) => change[k].length > 0).map((k) => `${k} ${change[k].join(", ")}`);
    if (parts.length > 0) log?.(`plugins: ${parts.join("; ")}`);
    session.log.info({ event: "plugins_reloaded", ...change }, "plugin folder changed");
    try {
      options.onChange?.(change);
    } catch (error) {
      log?.(`plugins: change listener failed: ${(error as Error).message}`);
    }
  }

  const settled = () => {
    refresh().catch((error: Error) => {
      log?.(`plugins: reload failed: ${error.message}`);
      session.log.error({ event: "plugins_reload_failed" }, error.message);
    });
  };

  return {
    async start() {
      installSignalHooks();
      await attachBuiltinLayers(session);
      if (options.watch !== false) {
        try {
          watcher = await watchPluginDir(session.pluginDir, settled, {
            debounceMs: options.debounceMs,
            onError: (error) => log?.(`plugins: watching ${session.pluginDir}: ${error.message}`),
          });
        } catch (error) {
          log?.(`plugins: cannot watch ${session.pluginDir} (${(error as Error).message}); plugin changes need a restart`);
        }
      }
      try {
        await refresh();
      } catch (error) {
        await watcher?.close();
        watcher = null;
        throw error;
      }
      // HTTP sources sit next to the plugins (ids checked against them); reattachHttpSources after an edit.
      attachHttpSources(session, this.entries().map((entry) => entry.id), log);
      return this.entries();
    },
    refresh,
    entries: () => [...tracked.values()].map((t) => t.entry),
    async stop() {
      stopped = true;
      await watcher?.close();
      await chain;
      const running = [...tracked.values()].filter((t) => t.layer);
      for (const t of running) unregister(t);
      await Promise.allSettled(running.map((t) => t.layer!.retire(0)));
      tracked = new Map();
    },
  };
}

/** What decides whether a plugin must be (re)loaded: its files, its state, and what its process gets. */
function signatureOf(entry: PluginEntry): string {
  const files = pluginFolderFingerprint(entry.discovered.real_folder ?? entry.folder);
  const spec = entry.spec ? createHash("sha256").update(JSON.stringify(entry.spec)).digest("hex") : "";
  return `${files}|${entry.state}|${entry.reason ?? ""}|${spec}`;
}

function describeChange(retired: Tracked[], changed: Tracked[]): LiveChange {
  const unloaded = new Set(retired.map((t) => t.entry.id!));
  const loaded = changed.filter((t) => t.layer).map((t) => t.entry.id!);
  const failed = changed
    .filter((t) => NOT_RUNNABLE.has(t.entry.state))
    .map((t) => ({ id: t.entry.id ?? path.basename(t.entry.folder), reason: `${t.entry.state}: ${t.entry.reason}` }));
  const failedIds = new Set(failed.map((f) => f.id));
  return {
    added: loaded.filter((id) => !unloaded.has(id)),
    reloaded: loaded.filter((id) => unloaded.has(id)),
    removed: [...unloaded].filter((id) => !loaded.includes(id) && !failedIds.has(id)),
    failed,
  };
}

function emptyChange(): LiveChange {
  return { added: [], reloaded: [], removed: [], failed: [] };
}

function hasChanges(change: LiveChange): boolean {
  return change.added.length + change.reloaded.length + change.removed.length + change.failed.length > 0;
}
