import { openCommandSession } from "../session.js";
import { buildPlan } from "../../organize/plan.js";
import { holdRefusedByPermissions } from "../../organize/plan-permissions.js";
import { printJson, printLines, printTable } from "../output.js";
import { counted } from "../../domain/plural.js";
import { countAttentionUnlocked, countBooks, lockedForPlan } from "../../store/book-queries.js";
import { attentionClause, bookPlaceOf, lockedClause, organizeContext, parseMinConfidence, parseStatuses, shortPath, withCompanions } from "./organize-common.js";

export interface PlanCommandOptions {
  json?: boolean;
  minConfidence?: string;
  status?: string;
  all?: boolean;
  wide?: boolean;
}

export async function planCommand(dataDir: string, options: PlanCommandOptions): Promise<void> {
  const minConfidence = parseMinConfidence(options.minConfidence);
  const statuses = parseStatuses(options.status);
  const session = await openCommandSession(dataDir, { warnIfCopy: true });
  try {
    const plan = holdRefusedByPermissions(buildPlan(organizeContext(session), { minConfidence, statuses }));
    const locked = lockedForPlan(session.db, statuses ?? ["identified"], minConfidence ?? 0);
    if (options.json) return printJson({ ...plan, locked: { count: locked.count, book_ids: locked.ids } });
    const unplanned = statuses === undefined ? attentionClause(countAttentionUnlocked(session.db)) : "";
    const shown = plan.entries.filter((e) => options.all || e.action !== "ok");
    const { move, ok, held } = plan.counts;
    // An empty table (its header and nothing under it) reads as a fault; say what is true instead.
    if (shown.length === 0) {
      return printLines(nothingToMove(plan.counts, statuses, minConfidence, locked, countBooks(session.db) === 0) + unplanned);
    }
    await printTable(
      ["ID", "ACTION", "CONF", "FROM", "TO", "CHANGES / REASON"],
      shown.map((e) => [
        e.book_id,
        e.action === "held" ? `held:${e.conflict!.kind}` : e.action,
        e.confidence,
        shortPath(e.from, e.target_root),
        shortPath(bookPlaceOf(e), e.target_root),
        [e.conflict ? e.conflict.reason : e.changes.map((c) => `${c.field}: ${c.from ?? "-"} → ${c.to ?? "-"}`).join("; "), withCompanions(e.companions)].filter(Boolean).join("; "),
      ]),
      { maxColumn: options.wide ? Infinity : undefined, cut: ["FROM", "TO"] },
    );
    process.stdout.write(`${move} to move, ${ok} already in place, ${held} held back${lockedClause(locked)}${unplanned}${move > 0 ? "; `shelfwise apply --dry-run` shows exactly what apply would do" : ""}\n`);
  } finally {
    await session.close();
  }
}

/**
 * The plan's one line when it lists nothing (no move, nothing held back): every book in place, or no book to
 * plan; and the locked books it left out, which `undo` leaves behind (each book it moves back is locked), with
 * how to plan them again: "not locked" alone did not say that they were there.
 */
function nothingToMove(
  counts: { ok: number },
  statuses: readonly string[] | undefined,
  minConfidence: number | undefined,
  locked: { count: number; ids: number[] },
  noBooks: boolean,
): string {
  const lockedNote =
    locked.count === 0
      ? ""
      : `; ${counted(locked.count, "book")} ${locked.count === 1 ? "is" : "are"} locked (${locked.ids.join(", ")}${locked.count > locked.ids.length ? ", …" : ""}: \`shelfwise undo\` locks the books it moves back); ` +
        `\`shelfwise book ${locked.count === 1 ? locked.ids[0] : "ID"} --unlock\` plans ${locked.count === 1 ? "it" : "one"} again`;
  if (counts.ok === 0 && noBooks) return "Nothing to move: no books yet (`shelfwise scan` finds them, `shelfwise process` identifies them)";
  if (counts.ok > 0) return `Nothing to move: ${counted(counts.ok, "book")} already at ${counts.ok === 1 ? "its" : "their"} place, none held back${lockedNote}`;
  const which = [`status ${(statuses ?? ["identified"]).join(" or ")}`, "not locked", minConfidence !== undefined ? `confidence ${minConfidence} or more` : null].filter(Boolean).join(", ");
  const hint = statuses === undefined ? "; `shelfwise books` shows every book's status (`plan --status needs_attention` plans those too)" : "; `shelfwise books` shows every book's status";
  return `Nothing to move: no book to plan (${which})${lockedNote}${locked.count === 0 ? hint : ""}`;
}
