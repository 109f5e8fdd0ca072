/**
 * Wall time for timing assertions on a shared machine: the time since
 * `ownClock()` was called, less the time the kernel kept this process's main
 * thread waiting for a core (run_delay in /proc/self/task/PID/schedstat).
 * Several test files share two cores, so a plain stopwatch also counts the
 * moments another process ran; this one counts only what the code under test
 * spent, working or waiting on its own timers and sockets. Without schedstat
 * (not Linux) it is the plain wall time.
 */
import diagnostics from "node:diagnostics_channel";
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

export interface Departure {
  /** The request's path and query, as sent. */
  path: string;
  /** performance.now() when node made the request: a few microtasks after the rate limiter let it go. */
  at: number;
  /** waitedMs() then, to bound how late `at` may have been read (see tooClose). */
  waited: number;
}

export interface Departures {
  departures: Departure[];
  /** Garbage collections meanwhile (start and duration, ms): a pause the thread spends running, not waiting. */
  collections: { start: number; duration: number }[];
  /** waitedMs() when recording began: the bound for the first reading's lateness. */
  waitedBefore: number;
  stop(): void;
}

/**
 * Records the moment every HTTP request of this process leaves (node's `http.client.request.start`
 * diagnostics channel, published as the request is made), until the returned `stop`. What a rate limit
 * promises is the spacing of departures; a test server's arrival times add each request's own lag
 * (a new connection, a busy event loop), which no bound covers on a loaded machine.
 */
export function recordDepartures(): Departures {
  const departures: Departure[] = [];
  const waitedBefore = waitedMs();
  const listener = (message: unknown) => {
    const request = (message as { request: { path: string } }).request;
    departures.push({ path: request.path, at: performance.now(), waited: waitedMs() });
  };
  const collections: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ["gc"] });
  diagnostics.subscribe("http.client.request.start", listener);
  return {
    departures,
    collections,
    waitedBefore,
    stop() {
      diagnostics.unsubscribe("http.client.request.start", listener);
      // Entries still buffered are delivered by takeRecords.
      for (const entry of observer.takeRecords()) collections.push({ start: entry.startTime, duration: entry.duration });
      observer.disconnect();
    },
  };
}

/**
 * The gaps between consecutive departures shorter than `intervalMs` (none: every request waited its
 * turn). A reading is taken a few microtasks after the limiter let its request go; should the kernel
 * give the core to another process meanwhile, or a garbage collection stop the thread, it comes late
 * and the gap after it looks short by as much: each gap is allowed the core wait (as
 * test/pipeline/http/rate-limiter.test.ts does) and the collections around its earlier reading, plus
 * 5 ms for the microtasks themselves. A burst gives gaps near 0.
 */
export function tooClose({ departures, collections, waitedBefore }: Departures, intervalMs: number): { call: number; gap: number; allowed: number }[] {
  const short: { call: number; gap: number; allowed: number }[] = [];
  for (let i = 1; i < departures.length; i++) {
    const from = i >= 2 ? departures[i - 2]!.at : -Infinity;
    const collecting = collections.filter((c) => c.start + c.duration > from && c.start < departures[i - 1]!.at).reduce((sum, c) => sum + c.duration, 0);
    const lateBy = departures[i - 1]!.waited - (i >= 2 ? departures[i - 2]!.waited : waitedBefore) + collecting;
    const gap = departures[i]!.at - departures[i - 1]!.at;
    if (gap + lateBy + 5 < intervalMs) short.push({ call: i, gap, allowed: intervalMs - lateBy - 5 });
  }
  return short;
}
