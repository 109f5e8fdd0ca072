/**
 * Shapes handed between discovery (manifest, staging), the supervisor that runs
 * plugin processes, and the runtimes (node, python). Kept apart so each side
 * can be built and tested alone.
 */

import type { SandboxSettings } from "./sandbox/sandbox-types.js";

export type PluginRuntime = "node" | "python";

/** States shown by `plugins list`. */
export type PluginState = "active" | "disabled" | "auto-disabled" | "skipped" | "invalid" | "failed";

/** Outcome of one recorded call (health metrics). */
export type CallOutcome = "ok" | "no_result" | "skipped" | "error" | "timeout" | "crash" | "invalid_output";

export const FAILURE_OUTCOMES: ReadonlySet<CallOutcome> = new Set(["error", "timeout", "crash", "invalid_output"]);

/** Everything needed to start one plugin process. */
export interface LaunchSpec {
  plugin_id: string;
  runtime: PluginRuntime;
  /** Real path of the plugin folder. */
  folder: string;
  /** Absolute path of the module the runner loads (may be a staged copy for TypeScript). */
  entry: string;
  class_name: string | null;
  config: Record<string, unknown>;
  /** Only the secrets the manifest declares. */
  secrets: Record<string, string>;
  allowed_hosts: string[];
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
  /** python runtime: interpreter to run. */
  python_path?: string;
  /** The wall around the process (sandbox/); absent: every mechanism available, nothing extra allowed. */
  sandbox?: SandboxSettings;
}
