/**
 * How a plugin process is started. A runtime launcher (node, python) says what
 * to run; spawnCommand() turns that into the one final command the supervisor
 * spawns, for every runtime: the single point where a wrapper (death signal
 * today, a sandbox tomorrow) is applied.
 */
import type { LaunchSpec } from "../plugin-types.js";
import { withDeathSignal } from "./death-signal.js";

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


/** The environment every plugin gets: no host variables (they may hold secrets). */
export function pluginEnv(spec: LaunchSpec): Record<string, string> {
  return { LANG: "C.UTF-8", TZ: "UTC", HOME: spec.data_dir, SHELFWISE_PLUGIN_ID: spec.plugin_id };
}

/** Exactly what is spawned: executable, arguments, environment and working folder. */
export interface SpawnCommand extends LaunchCommand {
  cwd: string;
}

/** A transformation of the final command (e.g. a sandbox wrapping it). */
export type SpawnWrapper = (command: SpawnCommand, spec: LaunchSpec) => SpawnCommand;

/** The final command for a plugin process, for both runtimes. */
export function spawnCommand(spec: LaunchSpec, launcher: RuntimeLauncher, wrap?: SpawnWrapper): SpawnCommand {
  const command = launcher.command(spec);
  const base: SpawnCommand = { ...command, cwd: spec.data_dir };
  const wrapped = wrap ? wrap(base, spec) : base;
  const { file, args } = withDeathSignal(wrapped.file, wrapped.args);
  return { ...wrapped, file, args };
}
