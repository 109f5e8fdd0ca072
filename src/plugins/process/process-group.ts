/**
 * Every plugin process alive, so that none outlives shelfwise: each runner
 * starts in its own group (detached). A runner started under a reaping helper
 * (sandbox-exec --guard, outermost wherever the helper is built; --reap, where
 * there is no PID namespace and a setsid child would leave the group) is asked
 * to stop, and the helper kills every process the plugin started; one without
 * (no helper built) is stopped by killing its group. The one exit hook is
 * installed here, the first time a process is tracked; it also kills what is
 * left in each plugin's pids cgroup.
 */

import { killCgroup } from "../sandbox/pids-cgroup.js";

interface Tracked {
  /** A reaping helper (the guard, or --reap): asked to stop, it kills every process of the plugin. */
  reaper: boolean;
  /** The plugin's pids cgroup, whose tasks are killed outright at exit. */
  cgroup: string | null;
}

const live = new Map<number, Tracked>();
let exitHookInstalled = false;

/** Stops every plugin process still alive. Synchronous: safe in signal and exit handlers. */
export function killAll(): void {
  for (const [pid, { reaper, cgroup }] of live) {
    if (reaper) stopReaper(pid);
    else killGroup(pid);
    // Shelfwise is about to be gone: its cgroup kill does not wait on the helper's.
    if (cgroup) killCgroup(cgroup);
  }
  live.clear();
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * Asks a reaping helper to kill everything it reaps and exit. SIGCONT first:
 * a helper a plugin managed to stop (a kernel without Landlock's signal
 * scoping lets it) still gets the request.
 */
export function stopReaper(pid: number): void {
  try {
    process.kill(pid, "SIGCONT");
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/** Installs the exit hook that stops every plugin process (idempotent). */
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAll);
}

export function trackGroup(pid: number, reaper = false, cgroup: string | null = null): void {
  live.set(pid, { reaper, cgroup });
  installExitHook();
}

export function untrackGroup(pid: number): void {
  live.delete(pid);
}
