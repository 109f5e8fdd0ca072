/**
 * Memory of a process and all its descendants. Inside the wall the plugin
 * runtime runs under bwrap (and bwrap's init), so the spawned pid alone says
 * nothing about the plugin's memory. Resident memory misses RAM a plugin holds
 * in files that live in memory: a memfd written with write() and never mapped
 * is in no process's VmRSS and outside RLIMIT_AS, so those are added (their
 * private /tmp is a tmpfs with a size cap, see wall.ts).
 */
import fs from "node:fs";

/** Sum of VmRSS (kB) plus memfds held open, over the tree rooted at pid; null when /proc cannot tell (gone, not Linux). */
export function treeRssKb(pid: number): number | null {
  let total = 0;
  let seen = false;
  /** memfds by inode: a descriptor dup'ed or inherited by a child is one file. */
  const memfds = new Map<number, number>();
  const stack = [pid];
  for (let guard = 0; stack.length > 0 && guard < 4096; guard++) {
    const current = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${current}/status`, "latin1");
      const match = /VmRSS:\s+(\d+)/.exec(status);
      if (match) total += Number(match[1]);
      seen = true;
    } catch {
      continue; // Gone meanwhile.
    }
    addMemfds(current, memfds);
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
  return seen ? total : null;
}

function addMemfds(pid: number, into: Map<number, number>): void {
  const dir = `/proc/${pid}/fd`;
  for (const fd of safeList(dir)) {
    try {
      if (!fs.readlinkSync(`${dir}/${fd}`).startsWith("/memfd:")) continue;
      const stat = fs.statSync(`${dir}/${fd}`);
      into.set(stat.ino, Math.ceil((stat.blocks * 512) / 1024));
    } catch {
      // Closed meanwhile.
    }
  }
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
