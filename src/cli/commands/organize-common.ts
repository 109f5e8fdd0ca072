/** What plan, apply, undo, history and book edits share: the organize context of a session, and their errors. */
import { decimalNumber, positiveWhole } from "../numbers.js";
import { waitSeconds } from "../write-lock.js";
import type { Session } from "../../app/session.js";
import { CorrectionError } from "../../organize/corrections.js";
import type { OrganizeContext } from "../../organize/types.js";
import { unknownBookMessage } from "./book-options.js";
import { getBook } from "../../store/books.js";
import { getMove } from "../../store/moves.js";
import { EXIT } from "../../app/exit-codes.js";
import { DataLockBusyError } from "../../store/data-lock.js";
import { UserError } from "../errors.js";
import { quotedInput } from "../../domain/quoted-input.js";
import { counted } from "../../domain/plural.js";

export { parseStatuses, unknownBookMessage } from "./book-options.js";

export function organizeContext(session: Session): OrganizeContext {
  return { db: session.db, config: session.config, dataDir: session.layout.root, savedSettings: true };
}

/** Lock and correction errors are the user's to act on: message, no stack. */
export function asUserError(error: unknown): unknown {
  if (error instanceof DataLockBusyError) return new UserError(error.message, 1);
  if (error instanceof CorrectionError) return new UserError(error.message, 2);
  return error;
}

export function parseIds(texts: string[], what = "book id"): number[] {
  return texts.map((text) => positiveWhole(text, what, "id"));
}

/**
 * Book ids given on the command line that no book has: a typo, refused before
 * anything is done, as bad input (exit 2), like every unknown id or name.
 */
export function requireBooks(ctx: OrganizeContext, ids: readonly number[] | undefined): void {
  const unknown = [...new Set((ids ?? []).filter((id) => getBook(ctx.db, id) === undefined))];
  if (unknown.length > 0) throw new UserError(`${unknownBookMessage(unknown)} (nothing was done)`, EXIT.badInput);
}

/** Journal ids that name no move: refused before any book is moved back, as apply refuses unknown books. */
export function requireMoves(ctx: OrganizeContext, ids: readonly number[]): void {
  const unknown = [...new Set(ids.filter((id) => getMove(ctx.db, id) === undefined))];
  if (unknown.length > 0) {
    throw new UserError(`no move with id ${unknown.join(", ")}; \`shelfwise history\` lists them (nothing was done)`, EXIT.badInput);
  }
}

export function parseMinConfidence(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = decimalNumber(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UserError(`--min-confidence must be a number 0..100 (got ${quotedInput(text)})`, 2);
  return n;
}

/** A path shown relative to its root, for tables. */
export function shortPath(p: string | null, root: string): string {
  if (p === null) return "";
  return p.startsWith(root + "/") ? p.slice(root.length + 1) : p;
}

export { bookPlaceOf } from "../../domain/book-place.js";

/** The files that move with a single audio file, for people ("" when none). */
export function withCompanions(names: readonly string[]): string {
  return names.length === 0 ? "" : `with ${names.join(", ")}`;
}

/** `--wait SECONDS` as milliseconds (undefined: config lock_wait_seconds). */
export function waitMsOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Math.round(waitSeconds(text) * 1000);
}

/**
 * The locked books a plan leaves out (`undo` locks each book it moves back), for the summary line of `plan` and
 * `apply`: counted and named with how to plan them again, or "" when there are none. Without it a plan listing
 * other books said nothing of them, and "N to move" read as every book the filters select.
 */
export function lockedClause(locked: { count: number; ids: readonly number[] }): string {
  if (locked.count === 0) return "";
  const more = locked.count > locked.ids.length ? ", …" : "";
  const one = locked.count === 1;
  return `, ${locked.count} locked (${locked.ids.join(", ")}${more}: \`shelfwise book ${one ? locked.ids[0] : "ID"} --unlock\` plans ${one ? "it" : "one"} again)`;
}

/**
 * The books a default plan leaves out for needing attention: without them, "Nothing to move: 10 books already at
 * their place" read as a library in order while a book still sat under its download's name. `plan` and `apply`
 * (which applies that plan) both say it.
 */
export function attentionClause(count: number): string {
  if (count === 0) return "";
  const one = count === 1;
  return `; ${counted(count, "book")} ${one ? "needs" : "need"} attention and ${one ? "is" : "are"} not planned (\`shelfwise books --status needs_attention\` lists ${one ? "it" : "them"}, \`shelfwise book ID --set\` corrects one; \`shelfwise plan --status identified,needs_attention\` plans ${one ? "it" : "them"} as ${one ? "it is" : "they are"})`;
}
