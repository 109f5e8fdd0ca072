/**
 * How a plugin process is started, per runtime. The supervisor (plugin-process.ts)
 * owns spawning, stdio and the process group; a launcher only says what to run.
 */
import type { LaunchSpec, PluginRuntime } from "./plugin-types.js";

export interface LaunchCommand {
  /** Absolute path of the executable. */
  file: string;
  args: string[];
  /** The complete environment of the child: nothing of the host's is added. */
  env: Record<string, string>;
}

export interface RuntimeLauncher {
  command(spec: LaunchSpec): LaunchCommand;
}

export type LauncherMap = Partial<Record<PluginRuntime, RuntimeLauncher>>;

export function pickLauncher(launchers: LauncherMap, runtime: PluginRuntime): RuntimeLauncher {
  const launcher = launchers[runtime];
  if (!launcher) throw new Error(`no launcher for runtime "${runtime}"`);
  return launcher;
}

/** The environment every plugin gets: no host variables (they may hold secrets). */
export function pluginEnv(spec: LaunchSpec): Record<string, string> {
  return { LANG: "C.UTF-8", TZ: "UTC", HOME: spec.data_dir, SHELFWISE_PLUGIN_ID: spec.plugin_id };
}
