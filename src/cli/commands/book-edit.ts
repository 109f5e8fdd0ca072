/** `book ID --set FIELD=VALUE --unset FIELD --lock --unlock`: the user's corrections. */
import { openCommandSession } from "../session.js";
import { setBookLocked, setUserFields } from "../../organize/index.js";
import { UserError } from "../errors.js";
import { lockForWriting } from "../write-lock.js";
import { EXIT } from "../../app/exit-codes.js";
import { asUserError, organizeContext, unknownBookMessage } from "./organize-common.js";

export interface BookEditOptions {
  set?: string[];
  unset?: string[];
  lock?: boolean;
  unlock?: boolean;
  wait?: string;
}

export function hasEdits(options: BookEditOptions): boolean {
  return Boolean(options.set?.length || options.unset?.length || options.lock || options.unlock);
}

export async function editBook(dataDir: string, id: number, options: BookEditOptions): Promise<void> {
  if (options.lock && options.unlock) throw new UserError("--lock and --unlock contradict each other; give one", 2);
  const set: Record<string, string> = {};
  for (const pair of options.set ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`--set needs FIELD=VALUE (got "${pair}")`, 2);
    const field = pair.slice(0, eq).trim();
    // Repeatable for different fields; one field twice would keep the last value without a word.
    if (field in set && set[field] !== pair.slice(eq + 1)) throw new UserError(`--set ${field}=... given twice with different values; give each field once`, 2);
    set[field] = pair.slice(eq + 1);
  }
  const both = (options.unset ?? []).filter((field) => field in set);
  if (both.length > 0) throw new UserError(`--set ${both[0]}=... and --unset ${both[0]} contradict each other; give one`, 2);
  const session = openCommandSession(dataDir);
  try {
    const ctx = organizeContext(session);
    // The same wait, and the same "waiting for ..." line, as every other writer.
    const lock = await lockForWriting(ctx.dataDir, "book edit", options.wait);
    try {
      if (Object.keys(set).length > 0 || options.unset?.length) {
        try {
          setUserFields(ctx, id, { set, unset: options.unset });
        } catch (error) {
          throw asUserError(error);
        }
      }
      if (options.lock || options.unlock) {
        if (!setBookLocked(ctx, id, Boolean(options.lock))) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
      }
    } finally {
      lock.release();
    }
    session.log.info({ event: "book_edit", book_id: id, set: Object.keys(set), unset: options.unset ?? [], lock: options.lock ?? false, unlock: options.unlock ?? false }, "user correction");
  } finally {
    await session.close();
  }
}
