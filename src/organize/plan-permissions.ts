/**
 * `plan` holds the books this user's permissions would make the system refuse
 * to move (a folder it may not write in, on the way out or in; a sticky
 * folder; a read-only mount), with the words `apply` refuses them with: the
 * plan said "move" for a book whose parent folder was not writable, and only
 * apply then said why. Apply keeps refusing them as failed moves (its checks
 * run under the lock, on the disk as it is then), as it does `holds_data_folder`;
 * a read-only file system (`read_only`) it holds back as the plan does: no
 * permission lifts it, and a library with one read-only folder failed every apply.
 * The CLI's `plan` and the Review page's plan (server/plan-cache.ts) hold them alike.
 */
import path from "node:path";
import { copyForced } from "./disk.js";
import { PermissionCheck } from "./permission-check.js";
import type { Plan } from "./types.js";

export function holdRefusedByPermissions(plan: Plan, forceCopy?: boolean): Plan {
  const steps = holdSteps(plan, forceCopy);
  while (!steps.next().done);
  return plan;
}

/**
 * holdRefusedByPermissions giving the event loop back every ~`sliceMs` (the server: each new target folder is
 * looked up on disk, a few seconds' worth of system calls at 20,000 books held every other request in one piece).
 */
export async function holdRefusedByPermissionsInSlices(plan: Plan, sliceMs: number, forceCopy?: boolean): Promise<Plan> {
  let since = performance.now();
  for (const _ of holdSteps(plan, forceCopy)) {
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return plan;
}

/** Entries judged between two points where holdRefusedByPermissionsInSlices may pause. */
const STEP = 64;

function* holdSteps(plan: Plan, forceCopy: boolean | undefined): Generator<void, void, void> {
  // Root is refused only by a read-only mount or an immutable folder, which the check asks too (access(2) answers
  // EROFS and EPERM for them). A copy's folders are not walked here (the plan's contents check walks each copied book
  // once already, ~50 µs a book); apply's check still walks them.
  const check = new PermissionCheck(copyForced(forceCopy), undefined, undefined, false);
  let n = 0;
  for (const entry of plan.entries) {
    if (++n % STEP === 0) yield;
    if (entry.action !== "move" || entry.to === null) continue;
    const dir = path.dirname(entry.from);
    const companions = entry.companions.map((name) => path.join(dir, name));
    // A single file's own new folder never exists yet: the folder it goes into is judged, as apply does.
    const to = entry.kind === "file" ? path.dirname(entry.to) : entry.to;
    const refused = check.refusalOf({ bookId: entry.book_id, from: entry.from, to, kind: entry.kind, companions: () => companions });
    if (refused === null) continue;
    entry.action = "held";
    entry.conflict = { kind: refused.readOnly ? "read_only" : "permission_denied", reason: refused.reason, other_book_id: null };
    plan.counts.move--;
    plan.counts.held++;
  }
}
