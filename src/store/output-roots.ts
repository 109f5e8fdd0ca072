import type { Db } from "./database.js";
import { statement } from "./statement-cache.js";

/**
 * Whether `apply` ever moved a book into `root` from another folder: `root` was output_path then (a move within one
 * library folder stores no root_to). Asked once per folder a plan finds taken out of the settings, not per book.
 */
export function wasApplyTarget(db: Db, root: string): boolean {
  return statement(db, "SELECT 1 FROM moves WHERE kind = 'apply' AND state = 'done' AND root_to = ? LIMIT 1").get(root) !== undefined;
}
