/**
 * What a plugin's processes hold: their memory, how many there are, and how
 * many descriptors they keep open. Inside the wall the plugin runtime runs
 * under bwrap (and bwrap's init), or under the reaping helper, so the spawned
 * pid alone says nothing. Resident memory misses RAM a plugin holds in files
 * that live in memory: a memfd written with write() and never mapped is in no
 * process's VmRSS and outside RLIMIT_AS, so those are added (their private
 * /tmp is a tmpfs with a size cap, see wall.ts).
 *
 * Nor does the private /tmp's size cap see its files' kernel memory: an empty
 * file or folder there takes an inode and a dentry (0.8 to 1.5 KB measured),
 * none of it in the tmpfs's size, and the tmpfs allows a few million (half the
 * RAM's pages): a plugin making empty files held gigabytes that way. Each of its
 * inodes counts as TMP_INODE_KB.
 *
 * The count is bounded, and so is its cost: the host polls it several times a
 * second on its own event loop, and a plugin with 20,000 descriptors (or 4,000
 * processes) made each poll take seconds. The walk stops as soon as a bound is
 * passed, and the plugin is then stopped like one over its memory.
 */
import fs from "node:fs";

/** Most processes a plugin's tree may have at once (its wrappers included: a few). */
export const MAX_TREE_PROCESSES = 256;
/** Most descriptors its processes may hold open together. */
export const MAX_TREE_DESCRIPTORS = 1024;

/**
 * Most memory a plugin's processes may hold, from its memory_mb: the resident-memory poll's bound
 * (process/child.ts, watchTree) and the kernel's, in a memory cgroup (wall.ts), so the two agree on
 * what "over the limit" means. The poll sees slow growth and names it; the kernel stops a burst at
 * the page fault, which the poll, every 200 ms, saw only a few hundred MB to GB later (Buffers and
 * native memory are outside a Node plugin's heap limit). The margin: the runtime's own code and
 * the sandbox's wrappers.
 */
export function memoryLimitBytes(memoryMb: number): number {
  return Math.ceil((memoryMb * 1.5 + 64) * 1024 * 1024);
}

/** What one inode of the plugin's private /tmp counts as, in kB: its inode and dentry, with room for a long name. */
export const TMP_INODE_KB = 2;
const TMPFS_MAGIC = 0x01021994;

export interface TreeCensus {
  /** VmRSS plus memfds held open plus its /tmp's inodes, in kB, over the processes counted; null when /proc cannot tell (gone, not Linux). */
  rssKb: number | null;
  /** Files and folders in the plugin's private /tmp (a tmpfs of its own mount namespace), 0 without one. */
  tmpFiles: number;
  /** The bound passed, when one was: the walk stopped there. */
  over: "processes" | "descriptors" | null;
  /** A process of the tree is stopped (state T: SIGSTOP, SIGTSTP), as far as the walk went. */
  stopped?: boolean;
}

export interface TreeLimits {
  processes: number;
  descriptors: number;
}

const DEFAULT_LIMITS: TreeLimits = { processes: MAX_TREE_PROCESSES, descriptors: MAX_TREE_DESCRIPTORS };

/** The tree rooted at pid, counted until a limit is passed. */
export function treeCensus(pid: number, limits: TreeLimits = DEFAULT_LIMITS): TreeCensus {
  let total = 0;
  let seen = false;
  let processes = 0;
  const descriptors = { count: 0 };
  /** memfds by inode: a descriptor dup'ed or inherited by a child is one file. */
  const memfds = new Map<number, number>();
  let tmpCounted = false;
  let tmpFiles = 0;
  let stopped = false;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${current}/status`, "latin1");
      const match = /VmRSS:\s+(\d+)/.exec(status);
      if (match) total += Number(match[1]);
      stopped ||= /^State:\s+T/m.test(status);
      seen = true;
    } catch {
      continue; // Gone meanwhile.
    }
    if (++processes > limits.processes) return { rssKb: total, tmpFiles, over: "processes", stopped };
    if (!addMemfds(current, memfds, descriptors, limits.descriptors)) return { rssKb: total, tmpFiles, over: "descriptors", stopped };
    if (!tmpCounted && ownMountNamespace(current)) {
      tmpCounted = true;
      tmpFiles = tmpInodes(current);
    }
    for (const task of safeList(`/proc/${current}/task`)) {
      try {
        for (const child of fs.readFileSync(`/proc/${current}/task/${task}/children`, "latin1").split(" ")) {
          if (child.trim()) stack.push(Number(child));
        }
      } catch {
        // No children file (kernel without CONFIG_PROC_CHILDREN): the root's own memory still counts.
      }
    }
  }
  for (const kb of memfds.values()) total += kb;
  total += tmpFiles * TMP_INODE_KB;
  return { rssKb: seen ? total : null, tmpFiles, over: null, stopped };
}

let hostMountNamespace: string | null | undefined;

/** The process lives in a mount namespace other than shelfwise's: bwrap's, whose /tmp is the plugin's own. */
function ownMountNamespace(pid: number): boolean {
  try {
    hostMountNamespace ??= fs.readlinkSync("/proc/self/ns/mnt");
    return fs.readlinkSync(`/proc/${pid}/ns/mnt`) !== hostMountNamespace;
  } catch {
    return false; // Gone meanwhile, not ours to read, or no namespaces here.
  }
}

/** Inodes in use in the process's /tmp when that is a tmpfs of its own (its root folder not counted). */
function tmpInodes(pid: number): number {
  try {
    // bwrap's init before its pivot_root still sees shelfwise's /tmp: not the plugin's to count.
    if (fs.statSync(`/proc/${pid}/root/tmp`).dev === fs.statSync("/tmp").dev) return 0;
    const stat = fs.statfsSync(`/proc/${pid}/root/tmp`);
    if (stat.type !== TMPFS_MAGIC) return 0;
    return Math.max(0, stat.files - stat.ffree - 1);
  } catch {
    return 0;
  }
}

/** Adds the process's memfds; false once the descriptors counted pass `limit` (the listing stops there). */
function addMemfds(pid: number, into: Map<number, number>, counted: { count: number }, limit: number): boolean {
  const dir = `/proc/${pid}/fd`;
  let listing: fs.Dir;
  try {
    // Read in small steps: a process with 20,000 descriptors is not listed whole to find it is over.
    listing = fs.opendirSync(dir, { bufferSize: 64 });
  } catch {
    return true; // Gone meanwhile, or not ours to read.
  }
  try {
    for (let entry = listing.readSync(); entry !== null; entry = listing.readSync()) {
      if (++counted.count > limit) return false;
      try {
        if (!fs.readlinkSync(`${dir}/${entry.name}`).startsWith("/memfd:")) continue;
        const stat = fs.statSync(`${dir}/${entry.name}`);
        into.set(stat.ino, Math.ceil((stat.blocks * 512) / 1024));
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    // The process ended while being listed.
  } finally {
    listing.closeSync();
  }
  return true;
}

/**
 * Disk space, in bytes, held on device `dev` by files the tree keeps open after deleting them (or made
 * with O_TMPFILE): in no folder, so the data folder's walk (process/data-quota.ts) never sees them, yet
 * the disk keeps them until their last descriptor closes: max_file_mb for each of up to 1,024 descriptors.
 * Counted once per file (by inode), however many descriptors or processes share it; memfds and the
 * private /tmp are on devices of their own (counted as memory).
 */
export function heldDeletedBytes(pid: number, dev: number, limits: TreeLimits = DEFAULT_LIMITS): number {
  const files = new Map<number, number>();
  let processes = 0;
  let descriptors = 0;
  const stack = [pid];
  while (stack.length > 0 && ++processes <= limits.processes) {
    const current = stack.pop()!;
    const dir = `/proc/${current}/fd`;
    for (const name of safeList(dir)) {
      if (++descriptors > limits.descriptors) break;
      try {
        const stat = fs.statSync(`${dir}/${name}`);
        if (stat.nlink === 0 && stat.dev === dev && stat.isFile()) files.set(stat.ino, stat.blocks * 512);
      } catch {
        // Closed meanwhile.
      }
    }
    for (const task of safeList(`/proc/${current}/task`)) {
      try {
        for (const child of fs.readFileSync(`/proc/${current}/task/${task}/children`, "latin1").split(" ")) {
          if (child.trim()) stack.push(Number(child));
        }
      } catch {
        // Gone meanwhile, or no children file.
      }
    }
  }
  let total = 0;
  for (const bytes of files.values()) total += bytes;
  return total;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
