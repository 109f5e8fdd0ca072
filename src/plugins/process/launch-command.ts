/**
 * How a plugin process is started. A runtime launcher (node, python) says what
 * to run; spawnCommand() turns that into the one final command the supervisor
 * spawns, for every runtime: the single point where the wrappers apply, in
 * this order: an optional caller's wrapper, the wall (sandbox/wall.ts:
 * bubblewrap, Landlock, the egress proxy), then the death signal, outermost
 * so the parent-death kill holds for bwrap itself: the helper's --guard
 * (added by the wall), or setpriv where the helper is not built.
 */
import type { LaunchSpec } from "../plugin-types.js";
import type { SandboxReport } from "../sandbox/sandbox-types.js";
import { wallCommand, type WalledCommand } from "../sandbox/wall.js";
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
  return { LANG: "C.UTF-8", TZ: "UTC", HOME: spec.dataDir, SHELFWISE_PLUGIN_ID: spec.plugin_id };
}

/** Exactly what is spawned: executable, arguments, environment and working folder. */
export interface SpawnCommand extends LaunchCommand {
  cwd: string;
}

/** A transformation of the final command (e.g. a sandbox wrapping it). */
export type SpawnWrapper = (command: SpawnCommand, spec: LaunchSpec) => SpawnCommand;

/** The final command, with what stays with the spawned process: the wall's level, its exit and its cleanup. */
export interface FinalCommand extends SpawnCommand {
  /** The wall the process gets (also noted in the plugin log). */
  report: SandboxReport;
  /** The runtime's own exit from the spawned process's (bwrap reports a signal death as 128 + n). */
  exitStatus: WalledCommand["exitStatus"];
  /** Stops the egress proxy; call once the process is gone or failed to spawn. Idempotent. */
  dispose(): void;
  /** The spawned process is a reaping helper (WalledCommand.reaper): stop it by asking, not by killing its group. */
  reaper: boolean;
  /** The plugin's pids cgroup, or null: the exit hook kills its tasks too. */
  cgroup: string | null;
  /** The kernel's OOM killer took a task of the plugin's memory cgroup; absent: the plugin has none. */
  memoryKilled?: () => boolean;
}

/** The final command for a plugin process, for both runtimes. */
export async function spawnCommand(spec: LaunchSpec, launcher: RuntimeLauncher, wrap?: SpawnWrapper, onRefuse?: (line: string) => void): Promise<FinalCommand> {
  const command = launcher.command(spec);
  const base: SpawnCommand = { ...command, cwd: spec.dataDir };
  const wrapped = wrap ? wrap(base, spec) : base;
  const walled = await wallCommand(spec, wrapped, onRefuse);
  const { file, args } = walled.guarded ? walled : withDeathSignal(walled.file, walled.args);
  return { file, args, env: walled.env, cwd: wrapped.cwd, report: walled.report, exitStatus: walled.exitStatus, dispose: walled.dispose, reaper: walled.reaper, cgroup: walled.cgroup, memoryKilled: walled.memoryKilled };
}
