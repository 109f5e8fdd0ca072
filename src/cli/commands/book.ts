/** `book ID`: one book with the evidence for every field (its edits are book-edit.ts). */
import { openCommandSession } from "../session.js";
import { bookDetailView } from "../../app/views/book-detail.js";
import { FIELD_NAMES } from "../../domain/fields.js";
import { getBook } from "../../store/books.js";
import { runsForBook } from "../../store/layer-runs.js";
import { joinedReasonNow } from "../../store/given-up-parts.js";
import { UserError } from "../errors.js";
import { EXIT } from "../../app/exit-codes.js";
import { unknownBookMessage } from "./book-options.js";
import { positiveWhole } from "../numbers.js";
import { printJson, printLines, shown } from "../output.js";

export async function bookCommand(dataDir: string, idText: string, options: { json?: boolean }): Promise<void> {
  const id = positiveWhole(idText, "book id", "id");
  const session = await openCommandSession(dataDir);
  try {
    const row = getBook(session.db, id);
    if (!row) throw new UserError(unknownBookMessage([id]), EXIT.badInput);
    const detail = bookDetailView({ ...row, status_reason: joinedReasonNow(session.db, row) }, runsForBook(session.db, id));
    if (options.json) return printJson(detail);
    const padCells = await (await import("../table.js")).cellPadder([
      ...FIELD_NAMES.flatMap((field) => detail.profile[field].evidence.map((e) => shown(e.source))),
      ...detail.rejected.map((r) => shown(r.source)),
      ...detail.layers.map((l) => shown(l.layer_id)),
    ]);
    const lines = [`#${row.id} ${shown(row.path)}`];
    // The reason on a line of its own: it holds brackets of its own (evidence, titles such as `Dune [Part [1]]`), and
    // wrapped in another pair, the status line's confidence and lock read as a part of it.
    lines.push(`status: ${detail.status}, confidence ${detail.confidence}${row.locked !== 0 ? ", locked" : ""}`);
    if (detail.status_reason) lines.push(`why: ${shown(detail.status_reason)}`);
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
    for (const l of detail.layers) for (const w of l.warnings) lines.push(`warning (${shown(l.layer_id)}): ${shown(w)}`);
    printLines(...lines);
  } finally {
    await session.close();
  }
}
