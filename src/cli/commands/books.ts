/** `books`: the list (`book ID`, one book with its evidence, is book.ts). */
import { openCommandSession } from "../session.js";
import { counted } from "../../domain/plural.js";
import { bookRowView } from "../../app/views/book-row.js";
import { listBooks, BOOK_STATUSES } from "../../store/books.js";
import { parseStatuses } from "./book-options.js";
import { printJson, printLines, printTable } from "../output.js";
import { quotedInput } from "../../domain/quoted-input.js";

export async function booksCommand(
  dataDir: string,
  options: { json?: boolean; status?: string; author?: string; series?: string; wide?: boolean },
): Promise<void> {
  // One status or a comma-separated list, parsed as plan and apply parse theirs.
  const statuses = parseStatuses(options.status, BOOK_STATUSES, "");
  const session = await openCommandSession(dataDir);
  try {
    const rows = listBooks(session.db, { statuses, author: options.author, series: options.series }).map(bookRowView);
    if (options.json) return printJson(rows);
    // A header with nothing under it reads as a fault: say what is true.
    if (rows.length === 0) {
      const filters = [
        statuses ? `status ${statuses.join(" or ")}` : "",
        options.author !== undefined ? `author ${quotedInput(options.author)}` : "",
        options.series !== undefined ? `series ${quotedInput(options.series)}` : "",
      ].filter(Boolean);
      return printLines(filters.length ? `no book has ${filters.join(" and ")}` : "no books yet: `shelfwise scan` finds them (`shelfwise scan LIBRARY` adds a library folder)");
    }
    const headers = ["ID", "STATUS", "CONF", "AUTHOR", "TITLE", "SERIES", "#", "NARRATOR", "YEAR", "PROPOSED PATH"];
    const cells = rows.map((r) => [r.id, r.status, r.confidence, r.author, r.title, r.series, r.series_num, r.narrator, r.year, r.proposed_path]);
    // --wide: nothing cut, and the book's folder too.
    if (options.wide) await printTable([...headers, "PATH"], cells.map((row, i) => [...row, rows[i]!.path]), { maxColumn: Infinity });
    // On a terminal the names and the proposed path are cut to fit (--wide shows them whole).
    else await printTable(headers, cells, { cut: ["AUTHOR", "TITLE", "SERIES", "NARRATOR", "PROPOSED PATH"] });
    printLines(counted(rows.length, "book"));
  } finally {
    await session.close();
  }
}
