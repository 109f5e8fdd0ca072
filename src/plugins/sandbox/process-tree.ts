/**
 * Resident memory of a process and all its descendants. Inside the wall the
 * plugin runtime runs under bwrap (and bwrap's init), so the spawned pid alone
 * says nothing about the plugin's memory.
 */
import fs from "node:fs";

/** Sum of VmRSS (kB) over the tree rooted at pid; null when /proc cannot tell (gone, not Linux). */
export function treeRssKb(pid: number): number | null {
  let total = 0;
  let seen = false;
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
  return seen ? total : null;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
