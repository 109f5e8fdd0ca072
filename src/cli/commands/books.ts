import { openCommandSession } from "../session.js";
import { counted } from "../../domain/plural.js";
import { bookDetailView } from "../../app/views/book-detail.js";
import { bookRowView } from "../../app/views/book-row.js";
import { FIELD_NAMES } from "../../domain/fields.js";
import { getBook, listBooks, BOOK_STATUSES } from "../../store/books.js";
import { runsForBook } from "../../store/layer-runs.js";
import { UserError } from "../errors.js";
import { EXIT } from "../../app/exit-codes.js";
import { parseStatuses, unknownBookMessage } from "./organize-common.js";
import { positiveWhole } from "../numbers.js";
import { printJson, printLines, shown, printTable } from "../output.js";
import { quotedInput } from "../../domain/quoted-input.js";

export async function booksCommand(
  dataDir: string,
  options: { json?: boolean; status?: string; author?: string; series?: string; wide?: boolean },
): Promise<void> {
  // One status or a comma-separated list, parsed as plan and apply parse theirs.
  const statuses = parseStatuses(options.status, BOOK_STATUSES, "");
  const session = openCommandSession(dataDir);
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

export async function bookCommand(dataDir: string, idText: string, options: { json?: boolean }): Promise<void> {
  const id = positiveWhole(idText, "book id", "id");
  const session = openCommandSession(dataDir);
  try {
    const row = getBook(session.db, id);
    if (!row) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
    const detail = bookDetailView(row, runsForBook(session.db, id));
    if (options.json) return printJson(detail);
    const padCells = await (await import("../table.js")).cellPadder([
      ...FIELD_NAMES.flatMap((field) => detail.profile[field].evidence.map((e) => shown(e.source))),
      ...detail.rejected.map((r) => shown(r.source)),
      ...detail.layers.map((l) => shown(l.layer_id)),
    ]);
    const lines = [`#${row.id} ${shown(row.path)}`];
    lines.push(`status: ${detail.status}${detail.status_reason ? ` (${shown(detail.status_reason)})` : ""}, confidence ${detail.confidence}${row.locked !== 0 ? ", locked" : ""}`);
    if (detail.proposed_path) lines.push(`proposed: ${shown(detail.proposed_path)}`);
    for (const field of FIELD_NAMES) {
      const f = detail.profile[field];
      if (!f.value && f.evidence.length === 0) continue;
      lines.push("", `${field}: ${f.value === null ? "(unknown)" : shown(f.value)}  [${f.confidence}]`);
      for (const e of f.evidence) lines.push(`    ${padCells(shown(e.source), 22)} ${String(e.weight).padStart(3)}  ${shown(e.value)}`);
    }
    if (detail.rejected.length) {
      lines.push("", "rejected:");
      for (const r of detail.rejected) lines.push(`    ${padCells(shown(r.source), 22)} ${r.field}: ${shown(r.value)} (${shown(r.reason)})`);
    }
    lines.push("", "layers:");
    for (const l of detail.layers) lines.push(`    ${padCells(shown(l.layer_id), 22)} ${l.status}${l.error ? `: ${shown(l.error)}` : ""}`);
    printLines(...lines);
  } finally {
    await session.close();
  }
}
