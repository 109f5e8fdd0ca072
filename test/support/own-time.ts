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

/**
 * CPU milliseconds (user + system) spent so far by process `root` and its live descendants (a plugin's
 * wall and the runtime inside it). A measure of work that does not depend on how many other processes
 * share the cores.
 */
export function treeCpuMs(root: number): number {
  const procs = new Map<number, { parent: number; ticks: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // The fields after the command (which may hold spaces and parentheses): ppid is field 4, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    procs.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  let ticks = 0;
  for (let [pid, info] of procs) {
    const own = info.ticks;
    while (pid !== root && info && pid > 1) {
      pid = info.parent;
      info = procs.get(pid)!;
    }
    if (pid === root) ticks += own;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
