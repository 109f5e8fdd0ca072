/**
 * Apply, dry-run and undo reports served a page at a time. A report of 20,000 books is ~6.8 MB of JSON: sent in
 * one piece it held the server's event loop for its validation and serialisation (~50-150 ms of main-thread
 * CPU), and the Review page parsed all of it to show the few failures. A report is kept whole on the server and
 * served in windows over its outcome lists, each page saying the whole report's counts by outcome.
 */
import { z } from "zod";
import { ApplyReportView, MoveResultView, UndoReportView } from "../app/views/index.js";
import { OFFSET, textNumber } from "./schemas.js";

/** Entries per page unless the caller says (the history's default page). */
export const REPORT_PAGE = 500;
export const REPORT_PAGE_MAX = 5000;
/** Dry runs kept for their next pages: each tab's latest few, a large one being ~20 MB of objects. */
const DRY_RUNS_KEPT = 4;

/** The lists of each kind of report, in the order a page walks them: what went wrong first. */
export const APPLY_OUTCOMES = ["failed", "moved", "held", "left_behind"] as const;
export const UNDO_OUTCOMES = ["refused", "failed", "moved", "settled", "set_aside", "left_behind"] as const;
const ANY_OUTCOME = [...new Set<string>([...APPLY_OUTCOMES, ...UNDO_OUTCOMES])];

const outcomeRule = (valid: readonly string[]) =>
  `a comma-separated list of ${valid.join(", ")} (left_behind: the moves that left files at the old place, a part of moved)`;

/** `outcome=failed,left_behind`: only entries of these outcomes are paged (the counts stay the whole report's). */
function outcomeText(valid: readonly string[]) {
  return z
    .string()
    .max(200)
    .refine((text) => text.split(",").every((o) => valid.includes(o)), { message: outcomeRule(valid) })
    .describe(`only entries of these outcomes, ${outcomeRule(valid)}; counts stay the whole report's`);
}

const pageQuery = (valid: readonly string[]) =>
  z
    .object({
      offset: textNumber(OFFSET).optional(),
      limit: textNumber({ whole: true, min: 1, max: REPORT_PAGE_MAX }).optional().describe(`entries per page; default ${REPORT_PAGE}`),
      outcome: outcomeText(valid).optional(),
      report_id: textNumber({ whole: true, min: 1, max: Number.MAX_SAFE_INTEGER })
        .optional()
        .describe("the report_id of the page before: a 409 if that report is no longer the last (another apply or undo since), rather than a page of another report"),
    })
    .strict();

export const ApplyPageQuery = pageQuery(APPLY_OUTCOMES);
export const UndoPageQuery = pageQuery(UNDO_OUTCOMES);
export const LastQuery = pageQuery(ANY_OUTCOME).omit({ report_id: true });

const paging = {
  report_id: z.number().int().describe("this report, for its next pages (`/api/apply/dry-run/ID`, `/api/moves/last/apply?report_id=ID`)"),
  total: z.number().int().describe("entries of the selected outcomes in the whole report (all of them without `outcome`), before paging"),
  offset: z.number().int(),
  next_offset: z.number().int().nullable().describe("the offset of the next page; null on the last"),
};

export const ApplyReportPage = ApplyReportView.extend({
  moved: z.array(MoveResultView).describe("this page's moves (see counts.moved for all)"),
  failed: z.array(MoveResultView).describe("this page's failures (see counts.failed for all)"),
  counts: z.object({ moved: z.number().int(), failed: z.number().int(), held: z.number().int(), left_behind: z.number().int() }).describe("the whole report's entries by outcome"),
  ...paging,
}).describe("A page of what an apply did (or would do): its lists windowed in the order failed, moved, held");
export const UndoReportPage = UndoReportView.extend({
  moved: z.array(MoveResultView).describe("this page's moves back (see counts.moved for all)"),
  counts: z
    .object({ refused: z.number().int(), failed: z.number().int(), moved: z.number().int(), settled: z.number().int(), set_aside: z.number().int(), left_behind: z.number().int() })
    .describe("the whole report's entries by outcome"),
  ...paging,
}).describe("A page of what an undo did: its lists windowed in the order refused, failed, moved, settled, set_aside");

export type ApplyReport = z.infer<typeof ApplyReportView>;
export type UndoReport = z.infer<typeof UndoReportView>;
type Page = { offset?: number; limit?: number; outcome?: string };

interface Kept<R> {
  id: number;
  report: R;
  leftBehind: R extends { moved: infer M } ? M : never;
}

/**
 * One window over the concatenation of the selected lists. `left_behind` alone stands for the moves that left
 * files behind; beside `moved` it adds nothing (they are among the moves).
 */
function windowOf(lists: Record<string, unknown[]>, order: readonly string[], page: Page, leftBehind: unknown[]) {
  const asked = page.outcome ? new Set(page.outcome.split(",")) : null;
  const offset = page.offset ?? 0;
  const limit = page.limit ?? REPORT_PAGE;
  const out: Record<string, unknown[]> = {};
  let skip = offset;
  let room = limit;
  let total = 0;
  for (const key of order) {
    if (key === "left_behind") continue;
    out[key] = [];
    let items = lists[key]!;
    if (asked && !asked.has(key)) {
      if (key !== "moved" || !asked.has("left_behind")) continue;
      items = leftBehind;
    }
    total += items.length;
    if (skip >= items.length) {
      skip -= items.length;
      continue;
    }
    const taken = items.slice(skip, skip + room);
    skip = 0;
    room -= taken.length;
    out[key] = taken;
  }
  return { lists: out, total, offset, next_offset: offset + limit < total ? offset + limit : null };
}

export function applyPage(kept: Kept<ApplyReport>, page: Page): z.infer<typeof ApplyReportPage> {
  const r = kept.report;
  const w = windowOf({ failed: r.failed, moved: r.moved, held: r.held }, APPLY_OUTCOMES, page, kept.leftBehind);
  return {
    ...r,
    moved: w.lists.moved as ApplyReport["moved"],
    failed: w.lists.failed as ApplyReport["failed"],
    held: w.lists.held as ApplyReport["held"],
    counts: { moved: r.moved.length, failed: r.failed.length, held: r.held.length, left_behind: kept.leftBehind.length },
    report_id: kept.id,
    total: w.total,
    offset: w.offset,
    next_offset: w.next_offset,
  };
}

export function undoPage(kept: Kept<UndoReport>, page: Page): z.infer<typeof UndoReportPage> {
  const r = kept.report;
  const w = windowOf({ refused: r.refused, failed: r.failed, moved: r.moved, settled: r.settled, set_aside: r.set_aside }, UNDO_OUTCOMES, page, kept.leftBehind);
  return {
    ...r,
    refused: w.lists.refused as UndoReport["refused"],
    failed: w.lists.failed as UndoReport["failed"],
    moved: w.lists.moved as UndoReport["moved"],
    settled: w.lists.settled as UndoReport["settled"],
    set_aside: w.lists.set_aside as UndoReport["set_aside"],
    counts: { refused: r.refused.length, failed: r.failed.length, moved: r.moved.length, settled: r.settled.length, set_aside: r.set_aside.length, left_behind: kept.leftBehind.length },
    report_id: kept.id,
    total: w.total,
    offset: w.offset,
    next_offset: w.next_offset,
  };
}

/** The outcomes of `/api/moves/last?outcome=` that a report of this kind has (each report pages its own). */
export function outcomesFor(outcome: string | undefined, valid: readonly string[]): string | undefined {
  if (outcome === undefined) return undefined;
  // None of this kind's: an empty selection, so its page lists nothing but still says its counts.
  return outcome
    .split(",")
    .filter((o) => valid.includes(o))
    .join(",") || "none";
}

/** The server's reports: the last apply and undo, and the last few dry runs, each by an id of its own. */
export class MoveReports {
  private next = 1;
  apply: Kept<ApplyReport> | null = null;
  undo: Kept<UndoReport> | null = null;
  private dryRuns = new Map<number, Kept<ApplyReport>>();

  private keep<R extends { moved: { left_behind: string | null }[] }>(report: R): Kept<R> {
    return { id: this.next++, report, leftBehind: report.moved.filter((m) => m.left_behind) as Kept<R>["leftBehind"] };
  }

  keepApply(report: ApplyReport): void {
    this.apply = this.keep(report);
  }

  keepUndo(report: UndoReport): void {
    this.undo = this.keep(report);
  }

  keepDryRun(report: ApplyReport): Kept<ApplyReport> {
    const kept = this.keep(report);
    this.dryRuns.set(kept.id, kept);
    for (const id of this.dryRuns.keys()) if (this.dryRuns.size > DRY_RUNS_KEPT) this.dryRuns.delete(id);
    return kept;
  }

  dryRun(id: number): Kept<ApplyReport> | undefined {
    return this.dryRuns.get(id);
  }
}
