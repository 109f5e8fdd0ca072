/**
 * Wall time for timing assertions on a shared machine: the time since
 * `ownClock()` was called, less the time the kernel kept this process's main
 * thread waiting for a core (run_delay in /proc/self/task/PID/schedstat).
 * Several test files share two cores, so a plain stopwatch also counts the
 * moments another process ran; this one counts only what the code under test
 * spent, working or waiting on its own timers and sockets. Without schedstat
 * (not Linux) it is the plain wall time.
 */
import fs from "node:fs";

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/** Milliseconds this process's main thread has spent runnable but waiting for a core (0 without schedstat). */
export function waitedMs(): number {
  try {
    return Number(fs.readFileSync(SCHEDSTAT, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** Returns a function giving the milliseconds elapsed since this call, less the time spent waiting for a core. */
export function ownClock(): () => number {
  const started = performance.now();
  const waited = waitedMs();
  return () => performance.now() - started - (waitedMs() - waited);
}
