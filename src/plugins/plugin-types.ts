/**
 * Shapes handed between discovery (manifest, staging), the supervisor that runs
 * plugin processes, and the runtimes (node, python). Kept apart so each side
 * can be built and tested alone.
 */
import type { PluginLoad } from "./protocol/protocol.js";

import type { SandboxSettings } from "./sandbox/sandbox-types.js";

export type PluginRuntime = "node" | "python";

/** States shown by `plugins list`. */
export type PluginState = "active" | "disabled" | "auto-disabled" | "skipped" | "invalid" | "failed";

/**
 * Outcome of one recorded call (health metrics). `interrupted`: shelfwise stopped during the call (not the plugin's
 * fault). `not_run`: the book never reached the plugin, its batch having given up on the plugin's processes (the
 * losses that made it give up are counted as failures, once, on their own rows).
 */
export type CallOutcome = "ok" | "no_result" | "skipped" | "error" | "timeout" | "crash" | "invalid_output" | "interrupted" | "not_run";

export const FAILURE_OUTCOMES: ReadonlySet<CallOutcome> = new Set(["error", "timeout", "crash", "invalid_output"]);

/**
 * Everything needed to start one plugin process: what the runner is told at
 * init (the protocol's `PluginLoad`, defined there once, wire names), and what
 * only the host uses (TypeScript names: config.json's snake_case keys become
 * these once, in `buildPluginSettings` and `launchSpec`).
 */
export interface LaunchSpec extends PluginLoad {
  runtime: PluginRuntime;
  /** Real path of the plugin folder. */
  folder: string;
  /** The copy in shelfwise's cache `entry` is loaded from (staging/mirror.ts), when not `folder`: its paths in reasons are said as `folder`'s. */
  stagedCopy?: string;
  /** Extra folders the plugin may read (library roots when filesystem is `read`, staging dir). */
  readPaths: string[];
  /**
   * The library folders this plugin may not read (it has no `"filesystem": "read"`): an error about a file
   * there is told to declare it, instead of a bare "No such file or directory" for a file the author sees.
   */
  unreadLibraryPaths?: string[];
  /**
   * Names in secrets.json this plugin does not declare (never their values): an error naming one (a Library
   * Manager plugin's `secrets['api_key']`, a KeyError here) is told to declare it.
   */
  undeclaredSecretNames?: string[];
  /** The plugin's own writable folder: <data-dir>/plugin-data/<id>. */
  dataDir: string;
  /** Where the plugin's bounded log file lives. */
  logFile: string;
  /** config: plugin_configs.<id>.memory_mb. */
  memoryMb: number;
  /** config: plugin_configs.<id>.max_file_mb: the largest file it may write (RLIMIT_FSIZE). Absent: no bound. */
  maxFileMb?: number;
  /** config: plugin_configs.<id>.max_data_mb: the most its data folder may take on disk. Absent: no bound. */
  maxDataMb?: number;
  /** config: plugin_configs.<id>.timeout. */
  timeoutSeconds: number;
  /** config: plugin_configs.<id>.setup_timeout. */
  setupTimeoutSeconds: number;
  /** Calls in flight at once (default 1). */
  concurrency?: number;
  /** Calls started per minute at most, across restarts (default: no limit). */
  rateLimitPerMinute?: number | null;
  /** python runtime: interpreter to run (config: python_path). */
  pythonPath?: string;
  /** The wall around the process (sandbox/); absent: every mechanism available, nothing extra allowed. */
  sandbox?: SandboxSettings;
  /**
   * Values masked like its secrets (log, errors, answers) though not handed to
   * it as secrets: its settings that config_schema marks secret.
   */
  maskedValues?: string[];
}
