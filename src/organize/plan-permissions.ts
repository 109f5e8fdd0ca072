/**
 * `plan` holds the books this user's permissions would make the system refuse
 * to move (a folder it may not write in, on the way out or in; a sticky
 * folder; a read-only mount), with the words `apply` refuses them with: the
 * plan said "move" for a book whose parent folder was not writable, and only
 * apply then said why. Apply keeps refusing them as failed moves (its checks
 * run under the lock, on the disk as it is then), as it does `holds_data_folder`.
 */
import path from "node:path";
import { copyForced } from "./disk.js";
import { PermissionCheck } from "./permission-check.js";
import type { Plan } from "./types.js";

export function holdRefusedByPermissions(plan: Plan, forceCopy?: boolean): Plan {
  // Root is refused only by a read-only mount, which the check asks too. A copy's folders are not walked here (the
  // plan's contents check walks each copied book once already, ~50 µs a book); apply's check still walks them.
  const check = new PermissionCheck(copyForced(forceCopy), undefined, undefined, false);
  for (const entry of plan.entries) {
    if (entry.action !== "move" || entry.to === null) continue;
    const dir = path.dirname(entry.from);
    const companions = entry.companions.map((name) => path.join(dir, name));
    // A single file's own new folder never exists yet: the folder it goes into is judged, as apply does.
    const to = entry.kind === "file" ? path.dirname(entry.to) : entry.to;
    const reason = check.refusal({ bookId: entry.book_id, from: entry.from, to, kind: entry.kind, companions: () => companions });
    if (reason === null) continue;
    entry.action = "held";
    entry.conflict = { kind: "permission_denied", reason, other_book_id: null };
    plan.counts.move--;
    plan.counts.held++;
  }
  return plan;
}
