import { openCommandSession } from "../session.js";
import { positiveWhole, wholeNumber } from "../numbers.js";
import { UserError } from "../errors.js";
import { EXIT } from "../../app/exit-codes.js";
import { quotedInput } from "../../domain/quoted-input.js";
import { listHistory } from "../../organize/history.js";
import { countMoves } from "../../store/moves.js";
import { printJson, printLines, printTable, shown } from "../output.js";
import { lastCutShortBatch } from "../../store/cut-short-batches.js";
import { cutShortRunWords } from "../../app/cut-short-run.js";
import { shownTime } from "../../domain/time-text.js";
import { counted } from "../../domain/plural.js";
import { organizeContext, requireBooks, withCompanions } from "./organize-common.js";


export async function historyCommand(dataDir: string, options: { json?: boolean; limit?: string; offset?: string; book?: string; wide?: boolean }): Promise<void> {
  const limit = options.limit === undefined ? undefined : positiveWhole(options.limit, "--limit");
  // Pages of a long journal (thousands of moves) for scripts reading --json, as the API's offset: skip the newest N.
  const offset = options.offset === undefined ? 0 : wholeNumber(options.offset);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new UserError(`--offset must be a whole number, 0 or more (got ${quotedInput(options.offset!)})`, EXIT.badInput);
  const bookId = options.book === undefined ? undefined : positiveWhole(options.book, "--book", "id");
  const session = await openCommandSession(dataDir);
  try {
    if (bookId !== undefined) requireBooks(organizeContext(session), [bookId]);
    const entries = listHistory(organizeContext(session), { limit, offset, bookId });
    if (options.json) return printJson(entries);
    // A header with nothing under it reads as a fault: say what is true.
    // "no moves past the newest 99999 moves" hid that only 4 are recorded: the count tells the reader which offset has rows.
    if (entries.length === 0 && offset > 0) {
      const recorded = bookId === undefined ? countMoves(session.db) : listHistory(organizeContext(session), { bookId }).length;
      if (recorded > 0) {
        const whose = bookId === undefined ? "" : ` of book ${bookId}`;
        return printLines(`only ${counted(recorded, "move")}${whose} ${recorded === 1 ? "is" : "are"} recorded; --offset ${offset} is past ${recorded === 1 ? "it" : "them"}`);
      }
    }
    if (entries.length === 0) {
      return printLines(bookId !== undefined ? `no moves of book ${bookId} yet` : "no moves yet: `shelfwise plan` shows what `shelfwise apply` would move");
    }
    await printTable(
      ["MOVE", "BATCH", "KIND", "BOOK", "STATE", "AT", "FROM", "TO", "NOTE"],
      entries.map((e) => [
        e.move_id,
        e.batch_id,
        e.kind,
        e.book_id,
        e.state,
        shownTime(e.at),
        e.from,
        e.to,
        [e.undone_by !== null ? `undone by ${e.undone_by}` : "", e.undoes !== null ? `undoes ${e.undoes}` : "", e.recovered ? "recovered" : "", withCompanions(e.companions), e.error ?? ""].filter(Boolean).join("; "),
      ]),
      // Cut at 48 columns the paths lost the book's own folder name, the part a reader looks for: --wide as books and plan.
      { maxColumn: options.wide ? Infinity : undefined, cut: ["FROM", "TO"] },
    );
    // With --limit the count of the rows shown read as the journal's size ("1 move" of 5): the total is said beside it.
    const total = (limit !== undefined && entries.length === limit) || offset > 0 ? (bookId === undefined ? countMoves(session.db) : listHistory(organizeContext(session), { bookId }).length) : entries.length;
    // One row is one move: "moves 6-6 of 6" read as a range of one.
    if (offset > 0) process.stdout.write(`${entries.length === 1 ? `move ${offset + 1}` : `moves ${offset + 1}-${offset + entries.length}`} of ${total}, newest first\n`);
    else process.stdout.write(total > entries.length ? `${entries.length} of ${counted(total, "move")}, newest first (\`--limit ${total}\` shows them all)\n` : `${counted(entries.length, "move")}\n`);
    // The journal's rows alone read as a run that ended: the one cut short says so under them, as `status` does.
    const cutShort = lastCutShortBatch(session.db);
    if (cutShort && (bookId === undefined || entries.some((e) => e.batch_id === cutShort.batch_id))) process.stdout.write(`batch ${cutShort.batch_id}: ${shown(cutShortRunWords(cutShort))}\n`);
  } finally {
    await session.close();
  }
}
