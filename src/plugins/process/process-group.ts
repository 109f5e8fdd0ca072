/**
 * Every plugin process group alive, so that none outlives shelfwise: each
 * runner starts in its own group (detached) and is killed as a group. The one
 * exit hook is installed here, the first time a group is tracked.
 */

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** SIGKILL every plugin process group still alive. Synchronous: safe in signal and exit handlers. */
export function killAll(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Installs the exit hook that kills every plugin group (idempotent). */
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", killAll);
}

export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  installExitHook();
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}
