/** `book ID --set FIELD=VALUE --unset FIELD --lock --unlock`: the user's corrections. */
import { LOCKED_BY_UNDO } from "../../store/moves.js";
import { resultReported } from "../interrupt.js";
import { openCommandSession } from "../session.js";
import { checkUserEdits, fieldsNotSetByUser, setBookLocked, setUserFields } from "../../organize/corrections.js";
import { getBook } from "../../store/books.js";
import { UserError } from "../errors.js";
import { lockForWriting } from "../write-lock.js";
import { EXIT } from "../../app/exit-codes.js";
import { asUserError, organizeContext, unknownBookMessage } from "./organize-common.js";
import { isFieldName } from "../../domain/fields.js";
import { quotedInput } from "../../domain/quoted-input.js";
import { noteLine } from "../output.js";
import { unknownLanguageNote } from "../../domain/language-note.js";

export interface BookEditOptions {
  set?: string[];
  unset?: string[];
  lock?: boolean;
  unlock?: boolean;
  wait?: string;
  /** The book is printed as JSON after the edit. */
  json?: boolean;
}

export function hasEdits(options: BookEditOptions): boolean {
  return Boolean(options.set?.length || options.unset?.length || options.lock || options.unlock);
}

export async function editBook(dataDir: string, id: number, options: BookEditOptions): Promise<void> {
  if (options.lock && options.unlock) throw new UserError("--lock and --unlock contradict each other; give one", 2);
  // No prototype: `--set toString=x` read as "given twice" and `--set __proto__=x` as nothing to set.
  const set: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of options.set ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`--set needs FIELD=VALUE (got ${quotedInput(pair)})`, 2);
    const field = pair.slice(0, eq).trim();
    // Repeatable for different fields; one field twice would keep the last value without a word.
    if (field in set && set[field] !== pair.slice(eq + 1)) throw new UserError(`--set ${isFieldName(field) ? field : quotedInput(field)}=... given twice with different values; give each field once`, 2);
    set[field] = pair.slice(eq + 1);
  }
  const both = (options.unset ?? []).filter((field) => field in set);
  if (both.length > 0) throw new UserError(`--set ${both[0]}=... and --unset ${both[0]} contradict each other; give one`, 2);
  try {
    // Before waiting for the lock: bad input is refused at once.
    checkUserEdits({ set, unset: options.unset });
  } catch (error) {
    throw asUserError(error);
  }
  const notes: string[] = [];
  // Kept as typed, not refused: the table of languages shelfwise knows is short, and Esperanto or Vietnamese are
  // real languages a user may want; said, since a typo ("englsh") would otherwise name folders in silence.
  const languageNote = set.language !== undefined ? unknownLanguageNote(set.language) : null;
  if (languageNote !== null) notes.push(languageNote);
  const session = await openCommandSession(dataDir);
  try {
    const ctx = organizeContext(session);
    // An id that names no book is bad input (exit 2) at once, not "the lock is busy" (exit 1) after the wait;
    // asked again under the lock, where a scan may have removed it meanwhile.
    if (!getBook(ctx.db, id)) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
    // The same wait, and the same "waiting for ..." line, as every other writer.
    const lock = await lockForWriting(ctx.dataDir, "book edit", options.wait);
    try {
      const row = getBook(ctx.db, id);
      if (!row) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
      // Removing a value the user never gave leaves the book as asked (no value of theirs): no failure
      // (exit 0, for a script that makes sure), but said, since a mistyped book id or field that
      // "worked" in silence is how people lose track of their corrections.
      const unset = [...new Set(options.unset ?? [])];
      const notSet = fieldsNotSetByUser(ctx, id, unset);
      const toUnset = unset.filter((field) => !notSet.includes(field));
      if (Object.keys(set).length > 0 || toUnset.length > 0) {
        try {
          setUserFields(ctx, id, { set, unset: toUnset });
        } catch (error) {
          throw asUserError(error);
        }
      }
      for (const field of notSet) notes.push(`book ${id} has no value of yours for ${field}: nothing to unset (\`shelfwise book ${id}\` lists each field's sources; yours is "user")`);
      if (options.lock || options.unlock) {
        const wanted = Boolean(options.lock);
        // Already so: nothing to write, said for the same reason as an --unset of nothing.
        // Locked by undo, asked to lock: the lock becomes the user's (a plan then says so, not that undo locked it).
        if (wanted && row.locked === LOCKED_BY_UNDO) {
          if (!setBookLocked(ctx, id, true)) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
          notes.push(`book ${id} was already locked, by undo (which locks each book it moves back); it is locked by you now`);
        } else if ((row.locked !== 0) === wanted) notes.push(`book ${id} was already ${wanted ? "locked" : "unlocked"}`);
        else if (!setBookLocked(ctx, id, wanted)) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
      }
    } finally {
      lock.release();
    }
    // The change is committed: a stop from here on (while the book is shown) cuts only the output short, and says so.
    resultReported(0, `stopped while book ${id} was shown; the change is saved (\`shelfwise book ${id}\` shows it)`);
    session.log.info({ event: "book_edit", book_id: id, set: Object.keys(set), unset: options.unset ?? [], lock: options.lock ?? false, unlock: options.unlock ?? false }, "user correction");
  } finally {
    await session.close();
  }
  // A no-op is the command's outcome: on stdout, before the book printed next (README, output conventions). With
  // --json stdout holds the book's JSON alone, which does not say it; there the line goes to stderr.
  for (const note of notes) {
    if (options.json) noteLine(note);
    else process.stdout.write(`${note}\n`);
  }
}
