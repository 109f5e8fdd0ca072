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

/** Outcome of one recorded call (health metrics). `interrupted`: shelfwise stopped during the call (not the plugin's fault). */
export type CallOutcome = "ok" | "no_result" | "skipped" | "error" | "timeout" | "crash" | "invalid_output" | "interrupted";

export const FAILURE_OUTCOMES: ReadonlySet<CallOutcome> = new Set(["error", "timeout", "crash", "invalid_output"]);

/**
 * Everything needed to start one plugin process: what the runner is told at
 * init (the protocol's `PluginLoad`, defined there once), and what only the host uses.
 */
export interface LaunchSpec extends PluginLoad {
  runtime: PluginRuntime;
  /** Real path of the plugin folder. */
  folder: string;
  /** Extra folders the plugin may read (library roots when filesystem is `read`, staging dir). */
  read_paths: string[];
  /** The plugin's own writable folder: <data-dir>/plugin-data/<id>. */
  data_dir: string;
  /** Where the plugin's bounded log file lives. */
  log_file: string;
  memory_mb: number;
  /** Seconds. */
  timeout_s: number;
  setup_timeout_s: number;
  /** Calls in flight at once (default 1). */
  concurrency?: number;
  /** Calls started per minute at most, across restarts (default: no limit). */
  rate_limit_per_minute?: number | null;
  /** python runtime: interpreter to run. */
  python_path?: string;
  /** The wall around the process (sandbox/); absent: every mechanism available, nothing extra allowed. */
  sandbox?: SandboxSettings;
}
