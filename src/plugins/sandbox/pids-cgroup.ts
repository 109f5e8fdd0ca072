/**
 * A pids cgroup per plugin process: the kernel refuses the fork (or thread)
 * past the limit, so a fork bomb stops there at once instead of running until
 * the next poll of the process tree (process/child.ts, watchTree) sees it.
 *
 * It needs a pids controller shelfwise may write: cgroup v1's pids hierarchy
 * as root, or a cgroup v2 folder with pids enabled for its children (a
 * delegated one). The helper (native/sandbox-exec --pids-cgroup) creates the
 * plugin's cgroup, sets pids.max and moves itself in before it execs bwrap (or
 * the runtime), so every task of the plugin, bwrap's included, is counted.
 * Where there is none, RLIMIT_NPROC inside the plugin's user namespace does the
 * same for a non-root shelfwise (wall.ts); root is exempt from that rlimit.
 */
import fs from "node:fs";
import path from "node:path";

/**
 * Tasks (processes and threads) one plugin process may have at once, its wrappers
 * included. Threads count: Node has about a dozen, a Python plugin's thread pool
 * and its egress forwarder more. Twice the process bound the tree poll holds.
 */
export const MAX_PLUGIN_TASKS = 512;

const PREFIX = "shelfwise-";

/** The pids cgroup folder this process is in, from /proc/self/cgroup and /proc/self/mountinfo; null when there is none. */
export function ownPidsCgroup(): string | null {
  return ownCgroup("pids");
}

/** The folder this process is in for `controller` (v1 hierarchy, or v2 with it enabled for children); null when there is none. */
export function ownCgroup(controller: "pids" | "memory"): string | null {
  let cgroups: string;
  let mounts: string;
  try {
    cgroups = fs.readFileSync("/proc/self/cgroup", "utf8");
    mounts = fs.readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return null;
  }
  const lines = cgroups.split("\n").filter(Boolean).map((line) => line.split(":"));
  const v1 = lines.find((f) => f[1]?.split(",").includes(controller));
  const v2 = lines.find((f) => f[0] === "0" && f[1] === "");
  for (const line of mounts.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    if (dash < 0) continue;
    const [root, mountPoint] = [fields[3]!, unescape(fields[4]!)];
    const type = fields[dash + 1];
    const options = (fields[dash + 3] ?? "").split(",");
    const own = type === "cgroup" && options.includes(controller) ? v1 : type === "cgroup2" ? v2 : undefined;
    if (!own) continue;
    const inside = own.slice(2).join(":");
    const relative = root === "/" ? inside : inside.startsWith(`${root}/`) || inside === root ? inside.slice(root.length) : null;
    if (relative === null) continue;
    const dir = path.join(mountPoint, relative);
    if (type === "cgroup2" && !readable(path.join(dir, "cgroup.subtree_control")).split(/\s+/).includes(controller)) continue;
    return dir;
  }
  return null;
}

function unescape(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function readable(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

let counter = 0;

/**
 * This process's PID namespace, named in its plugins' cgroups: the pid in a
 * cgroup's name means something only there. A shelfwise in another namespace
 * (a container sharing the hierarchy) has pids that look gone from here, and
 * its live plugins must not be swept as stale.
 */
export function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(fs.readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
  } catch {
    return "0";
  }
}

/**
 * A new cgroup for one plugin process, made here (the helper joins it); -0 is the probe's. Made, not only
 * named: the helper joins a folder that exists, and dispose() kills every task in it, so a name another
 * holder took would put two plugins in one cgroup and the end of either kill the other. The count alone
 * does not make names unique: two copies of these modules in one process (the in-process CLI's bundle
 * beside `serve` in tests, a fresh module graph per test file) each counted from 1, and a leftover of a
 * gone shelfwise with this pid may still be there. A name taken is skipped.
 */
export function pluginCgroupPath(base: string): string {
  for (;;) {
    const dir = path.join(base, `${PREFIX}${process.pid}-${++counter}-ns${pidNamespace()}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (error) {
      // Not ours to make here (no right, a full hierarchy): the helper tries, and says why it cannot.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return dir;
    }
  }
}

/**
 * Removes a plugin's cgroup once its tasks are gone. The kernel refuses while
 * one is still exiting (EBUSY): a few tries, then it is left, empty, for
 * sweepStale of the next shelfwise process.
 */
export function removeCgroup(dir: string, tries = 20): void {
  try {
    fs.rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || tries <= 0) return;
    setTimeout(() => removeCgroup(dir, tries - 1), 100).unref();
  }
}

/**
 * Kills every task in a plugin's cgroup (synchronous: safe in exit handlers).
 * A few rounds: a task forked while the list was read is caught by the next.
 */
export function killCgroup(dir: string): void {
  for (let round = 0; round < 5; round++) {
    let procs: string;
    try {
      procs = fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8");
    } catch {
      return; // gone (or never made)
    }
    // A task outside this PID namespace is listed as 0, and kill(0) would hit shelfwise's own group.
    const pids = procs.split("\n").map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
}

/**
 * Cgroups left by shelfwise processes that are gone (killed before they could
 * remove them): whatever still runs in one is a plugin process that outlived
 * its shelfwise, killed here before the cgroup is removed.
 */
export function sweepStale(base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^shelfwise-(\d+)-\d+(?:-ns(\d+))?$/.exec(name);
    if (!match || fs.existsSync(`/proc/${match[1]}`)) continue;
    const dir = path.join(base, name);
    // Only a cgroup named from this PID namespace is known to be stale; others are only removed when empty.
    if (match[2] === pidNamespace()) {
      killCgroup(dir);
      removeCgroup(dir);
    } else removeCgroup(dir, 0);
  }
}

/**
 * How many tasks the kernel's OOM killer took in a plugin's memory cgroup (v2 memory.events,
 * v1 memory.oom_control: "oom_kill N"); 0 when it cannot tell (gone, a kernel before 4.13).
 */
export function memoryKills(dir: string): number {
  for (const name of ["memory.events", "memory.oom_control"]) {
    const match = /^oom_kill (\d+)$/m.exec(readable(path.join(dir, name)));
    if (match) return Number(match[1]);
  }
  return 0;
}
