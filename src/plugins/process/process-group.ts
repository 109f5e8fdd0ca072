/**
 * Every plugin process alive, so that none outlives shelfwise: each runner
 * starts in its own group (detached). Most are stopped by killing their group;
 * a runner started under a reaping helper (sandbox-exec --reap: no PID
 * namespace, where a setsid child would leave the group) is asked to stop, and
 * the helper kills every process the plugin started. The one exit hook is
 * installed here, the first time a process is tracked.
 */

/** pid -> whether it is a reaping helper. */
const live = new Map<number, boolean>();
let exitHookInstalled = false;

/** Stops every plugin process still alive. Synchronous: safe in signal and exit handlers. */
export function killAll(): void {
  for (const [pid, reaper] of live) {
    if (reaper) stopReaper(pid);
    else killGroup(pid);
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

export function trackGroup(pid: number, reaper = false): void {
  live.set(pid, reaper);
  installExitHook();
}

export function untrackGroup(pid: number): void {
  live.delete(pid);
}
