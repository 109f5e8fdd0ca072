import { openSession } from "../../app/session.js";
import { bookDetailView } from "../../app/views/book-detail.js";
import { bookRowView } from "../../app/views/book-row.js";
import { FIELD_NAMES } from "../../domain/fields.js";
import { getBook, listBooks, BOOK_STATUSES } from "../../store/books.js";
import { runsForBook } from "../../store/layer-runs.js";
import { UserError } from "../errors.js";
import { printJson, printTable, terminalSafe } from "../output.js";

export async function booksCommand(dataDir: string, options: { json?: boolean; status?: string }): Promise<void> {
  if (options.status && !(BOOK_STATUSES as readonly string[]).includes(options.status)) {
    throw new UserError(`unknown status "${options.status}"; use one of: ${BOOK_STATUSES.join(", ")}`, 2);
  }
  const session = openSession(dataDir);
  try {
    const rows = listBooks(session.db, { status: options.status });
    if (options.json) return printJson(rows.map(bookRowView));
    printTable(
      ["ID", "STATUS", "CONF", "AUTHOR", "TITLE", "SERIES", "#", "NARRATOR", "YEAR"],
      rows.map((r) => [r.id, r.status, Math.round(r.confidence), r.author, r.title, r.series, r.series_num, r.narrator, r.year]),
    );
    process.stdout.write(`${rows.length} book${rows.length === 1 ? "" : "s"}\n`);
  } finally {
    await session.close();
  }
}

export async function bookCommand(dataDir: string, idText: string, options: { json?: boolean }): Promise<void> {
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UserError(`book id must be a positive whole number (got "${idText}")`, 2);
  const session = openSession(dataDir);
  try {
    const row = getBook(session.db, id);
    if (!row) throw new UserError(`no book with id ${id}; \`shelfwise books\` lists them`);
    const detail = bookDetailView(row, runsForBook(session.db, id));
    if (options.json) return printJson(detail);
    const out = process.stdout;
    const safe = terminalSafe;
    out.write(`#${row.id} ${safe(row.path)}\n`);
    out.write(`status: ${safe(row.status)}${row.status_reason ? ` (${safe(row.status_reason)})` : ""}, confidence ${detail.confidence}\n`);
    if (row.proposed_path) out.write(`proposed: ${safe(row.proposed_path)}\n`);
    for (const field of FIELD_NAMES) {
      const f = detail.profile[field]!;
      if (!f.value && f.evidence.length === 0) continue;
      out.write(`\n${field}: ${f.value ? safe(f.value) : "(unknown)"}  [${f.confidence}]\n`);
      for (const e of f.evidence) out.write(`    ${safe(e.source).padEnd(22)} ${String(e.weight).padStart(3)}  ${safe(e.value)}\n`);
    }
    if (detail.rejected.length) {
      out.write(`\nrejected:\n`);
      for (const r of detail.rejected) out.write(`    ${safe(r.source).padEnd(22)} ${safe(r.field)}: ${safe(r.value)} (${safe(r.reason)})\n`);
    }
    out.write(`\nlayers:\n`);
    for (const l of detail.layers) out.write(`    ${safe(l.layer_id).padEnd(22)} ${safe(l.status)}${l.error ? `: ${safe(l.error)}` : ""}\n`);
  } finally {
    await session.close();
  }
}
