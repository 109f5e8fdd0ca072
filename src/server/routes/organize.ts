/**
 * Review and corrections: the plan, apply (a dry run at once, a real one as
 * the one job holding the lock), undo, the history, recovered moves, and a
 * user's field corrections and book locks (short writes under the lock).
 */
import { forPages } from "../../domain/command-advice.js";
import { CutShortRunView } from "../../app/views/library-status.js";
import { cutShortRunWords } from "../../app/cut-short-run.js";
import { lastCutShortBatch } from "../../store/cut-short-batches.js";
import { counted } from "../../domain/plural.js";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { applyMoves, CorrectionError, historyPage, StaleCorrectionError, PLANNABLE_STATUSES, setBookLocked, setUserFields, movesNotStartedByStop, stopMovesAtNextChunk, undoMoves, type OrganizeContext } from "../../organize/index.js";
import { FIELD_NAMES } from "../../domain/fields.js";
import { didYouMean } from "../../domain/closest-name.js";
import { lockedForPlan, syncBookSearch } from "../../store/book-queries.js";
import { getBook } from "../../store/books.js";
import { getMove, undoableMovesOfBatch } from "../../store/moves.js";
import { openReader, type Db } from "../../store/database.js";
import { HistoryView, PlanReportView, RecoveredMoveView } from "../../app/views/index.js";
import type { ShelfService } from "../service.js";
import { bookDetail } from "./books.js";
import { unknownLanguageNote } from "../../domain/language-note.js";
import { jsonNumber, statusesOf, statusListOf, textNumber, BookCorrectedView, BookDetailView, CONFIDENCE, CopyOfView, ErrorBody, IdParam, LockRequest, MoveJobView, OFFSET, Ok } from "../schemas.js";
import { ApiError } from "../zod-routes.js";
import { APPLY_OUTCOMES, applyPage, ApplyPageQuery, ApplyReportPage, LastQuery, MoveReports, outcomesFor, REPORT_PAGE_MAX, UNDO_OUTCOMES, undoPage, UndoPageQuery, UndoReportPage } from "../move-reports.js";

/**
 * Stop (the dashboard's or the Review page's) during an apply or undo: the run stops at its next chunk, as Ctrl-C
 * stops the CLI's (execute.ts), the books not started staying where they are. It aborted the job's signal, which
 * the moves never looked at: the run went on to its last book under a "stopping" answer. Asked again at each
 * chunk's progress too, since a stop pressed while the plan was still being built finds no run in flight yet.
 */
function stopMovesOn(signal: AbortSignal): () => void {
  const stopping = () => {
    if (signal.aborted) stopMovesAtNextChunk();
  };
  signal.addEventListener("abort", stopping);
  return stopping;
}

/** A stopped run's books not started, said beside what it did (they were counted nowhere). */
function notStarted(signal: AbortSignal): string {
  const n = signal.aborted ? movesNotStartedByStop() : 0;
  return n > 0 ? `; stopped: ${n} not started, where ${n === 1 ? "it was" : "they were"}` : "";
}

/** `status=identified,needs_attention`: the list `plan --status` takes, one rule (domain/status-list.ts). */
const PlanStatuses = statusListOf(PLANNABLE_STATUSES, " for a plan").describe(`statuses to plan, one or a comma-separated list of ${PLANNABLE_STATUSES.join(", ")}; default identified`);

/** Ids in a body: book ids (apply) or journal ids (undo), as `apply --ids` and `undo --ids` take them. */
const ID = { whole: true, min: 1, max: Number.MAX_SAFE_INTEGER };

const PLAN_ACTIONS = ["move", "ok", "held"] as const;

export const PlanQuery = z
  .object({
    min_confidence: textNumber(CONFIDENCE).optional(),
    status: PlanStatuses.optional(),
    action: z
      .string()
      .refine((text) => text.split(",").every((a) => (PLAN_ACTIONS as readonly string[]).includes(a)), { message: `a comma-separated list of ${PLAN_ACTIONS.join(", ")}` })
      .optional()
      .describe("only entries with these actions, e.g. move,held (counts stay the whole plan's)"),
    offset: textNumber(OFFSET).optional(),
    limit: textNumber({ whole: true, min: 1, max: 5000 }).optional().describe("entries per page; default all"),
  })
  .strict();

export const PlanPage = PlanReportView.extend({
  total: z.number().int().describe("entries the action filter selects, before paging"),
  offset: z.number().int(),
  copy_of: CopyOfView.nullable(),
});

/** A dry run's first page, and whether a real one would move files of a library another data folder manages. */
export const ApplyDryRunPage = ApplyReportPage.extend({ copy_of: CopyOfView.nullable() });

/** Moves per history page unless the caller says (the page before paging showed 500). */
const HISTORY_PAGE = 500;

export const HistoryQuery = z
  .object({
    offset: textNumber(OFFSET).optional(),
    limit: textNumber({ whole: true, min: 1, max: 5000 }).optional().describe(`moves per page; default ${HISTORY_PAGE}`),
  })
  .strict();

export const HistoryPage = z.object({
  entries: HistoryView,
  total: z.number().int().describe("every journaled move, before paging"),
  offset: z.number().int(),
  last_apply: z
    .object({
      batch_id: z.number().int().describe("the apply's batch: `POST /api/undo` with `batch_id` moves all its books back"),
      moves: z.number().int().describe("its moves not yet undone, all of them"),
      move_ids: z.array(z.number().int()).describe("the newest `limit` of those moves' ids (the page's limit), newest first"),
    })
    .nullable()
    .describe("the newest apply with moves not yet undone (whatever page is shown); null when none"),
  cut_short: CutShortRunView.extend({ message: z.string().describe("what happened and what recovery did, in the page's words") })
    .nullable()
    .describe("the newest apply or undo, when it was cut short (its process killed, the computer stopped); null when it ended: as `status --json` has it"),
});

export const ApplyRequest = z
  .object({
    ids: z.array(jsonNumber(ID)).max(100_000).optional().describe("only these books (default: every proposal the filters select)"),
    min_confidence: jsonNumber(CONFIDENCE).optional(),
    status: PlanStatuses.optional(),
    dry_run: z.boolean().optional(),
    shown_targets: z
      .array(z.object({ book_id: jsonNumber(ID), to: z.string().min(1).max(8192) }).strict())
      .max(100_000)
      .optional()
      .describe("the target each book was shown going to (the Review page sends them): a book whose proposal is another now is not moved, it fails with the reason"),
    limit: jsonNumber({ whole: true, min: 1, max: REPORT_PAGE_MAX }).optional().describe("a dry run's entries in its first page (default 500; the next pages from `/api/apply/dry-run/REPORT_ID`)"),
    outcome: z
      .string()
      .max(200)
      .refine((text) => text.split(",").every((o) => (APPLY_OUTCOMES as readonly string[]).includes(o)), { message: `a comma-separated list of ${APPLY_OUTCOMES.join(", ")}` })
      .optional()
      .describe("a dry run's outcomes to page, as `/api/apply/dry-run/REPORT_ID?outcome=` takes them"),
  })
  .strict();

export const RecoveredList = z.object({ recovered: z.array(RecoveredMoveView) });

export const UndoRequest = z
  .object({
    ids: z.array(jsonNumber(ID)).max(100_000).optional().describe("journal ids of applied moves"),
    last: jsonNumber({ whole: true, min: 1, max: 100_000 }).optional().describe("the last N applied moves not yet undone"),
    batch_id: jsonNumber(ID).optional().describe("every move of this apply not yet undone (`/api/history`'s `last_apply.batch_id`), however many"),
  })
  .strict()
  .refine((v) => v.ids?.length || v.last || v.batch_id !== undefined, { message: "give ids or last, or batch_id" });

const FieldName = z.enum(FIELD_NAMES as unknown as [string, ...string[]], { error: `a field is one of: ${FIELD_NAMES.join(", ")}` });

export const FieldsRequest = z
  .object({
    set: z
      .record(z.string(), z.string().trim().min(1, { error: "a value is needed; use unset to remove yours" }).max(1000))
      .superRefine((set, ctx) => {
        for (const key of Object.keys(set)) {
          if (!(FIELD_NAMES as readonly string[]).includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `unknown field${didYouMean(key, FIELD_NAMES)}; a field is one of: ${FIELD_NAMES.join(", ")}` });
        }
      })
      .optional()
      .describe("field → the value you assert (weight 100, source user; a field you set always wins)"),
    unset: z.array(FieldName).max(50).optional().describe("fields whose value of yours is removed (the layers' evidence decides again)"),
    // Compared only, never stored: as long as any value of yours already stored may be (older ones are not held to today's limits).
    shown: z
      .record(z.string(), z.string().max(100_000).nullable())
      .superRefine((shown, ctx) => {
        for (const key of Object.keys(shown)) {
          if (!(FIELD_NAMES as readonly string[]).includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `unknown field${didYouMean(key, FIELD_NAMES)}; a field is one of: ${FIELD_NAMES.join(", ")}` });
        }
      })
      .optional()
      .describe("field → your value the page showed for it (null: none); a field set or unset whose value of yours is another now (another tab, a command) gets a 409 naming it, and nothing is written"),
  })
  .strict()
  .refine((v) => Object.keys(v.set ?? {}).length > 0 || (v.unset?.length ?? 0) > 0, { message: "give set or unset" })
  .describe("A user's corrections");

export const LastReport = z.object({
  apply: ApplyReportPage.nullable().describe("the first page of the last apply's report (`limit`, `outcome`); the next from `/api/moves/last/apply`"),
  undo: UndoReportPage.nullable().describe("the first page of the last undo's report; the next from `/api/moves/last/undo`"),
});
export { ApplyReportPage, UndoReportPage };

function context(service: ShelfService): OrganizeContext {
  return { db: service.session.db, config: service.session.config, dataDir: service.dataDir, savedSettings: true };
}

/**
 * A read-only connection of its own for one apply's plan, read a page at a time (applyMoves' planReader), closed
 * after; none when the database cannot be opened twice (the plan is then read in one query, as before).
 */
async function withReader<T>(service: ShelfService, run: (reader: Db | undefined) => Promise<T>): Promise<T> {
  let reader: Db | undefined;
  try {
    reader = openReader(service.session.db);
  } catch {
    reader = undefined;
  }
  try {
    return await run(reader);
  } finally {
    reader?.close();
  }
}

/**
 * A started apply or undo's answer: from a copied data folder it says so, as the CLI's `apply` and `undo` warn,
 * and the dashboard's activity keeps it beside the job's lines.
 */
function movesStarted(service: ShelfService, job: Omit<z.infer<typeof MoveJobView>, "copy_of">): z.infer<typeof MoveJobView> {
  const copy = service.copyOfView();
  if (copy) service.note("warn", copy.message);
  return { ...job, copy_of: copy };
}

export function organizeRoutes(app: FastifyInstance, service: ShelfService): void {
  const reports = new MoveReports();

  app.get(
    "/api/plan",
    { schema: { querystring: PlanQuery, response: { 200: PlanPage, 400: ErrorBody } }, config: { summary: "Proposed moves with old and new paths, what changes, and conflicts (filtered by action and paged)" } },
    async (request) => {
      const q = request.query as z.infer<typeof PlanQuery>;
      service.followLibraryFolders();
      const plan = await service.plans.get(statusesOf(q.status, PLANNABLE_STATUSES), q.min_confidence);
      // A large library plans thousands of books: the page asks for one screenful of proposals at a time.
      const actions = q.action ? new Set(q.action.split(",")) : null;
      const selected = actions ? plan.entries.filter((e) => actions.has(e.action)) : plan.entries;
      const offset = q.offset ?? 0;
      const entries = selected.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
      // The locked books it left out, so the Review page can say why a book the user expects is not proposed.
      const locked = lockedForPlan(service.session.db, statusesOf(q.status, PLANNABLE_STATUSES) ?? ["identified"], q.min_confidence ?? 0);
      return { entries, counts: plan.counts, locked: { count: locked.count, book_ids: locked.ids }, total: selected.length, offset, copy_of: service.copyOfView() };
    },
  );

  app.post(
    "/api/apply",
    { schema: { body: ApplyRequest, response: { 200: ApplyDryRunPage, 202: MoveJobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Move the selected proposals (dry_run: the report's first page, at once)" } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof ApplyRequest>;
      if (body.ids && body.ids.length === 0) throw new ApiError(400, "body.ids: select at least one proposal (or leave ids out to apply every proposal the filters select)");
      // As `apply ID... --status S`: the given books are applied whatever their status, so status would be ignored.
      if (body.ids && body.status !== undefined) throw new ApiError(400, "body.status: selects the proposals to apply, and ids were given too: give ids or status, not both");
      // A real apply answers with its job; its report is paged from /api/moves/last/apply once done.
      for (const key of ["limit", "outcome"] as const) {
        if (body[key] !== undefined && !body.dry_run) throw new ApiError(400, `body.${key}: pages a dry run's report; a real apply's report is paged from /api/moves/last/apply once the job is done`, [{ field: key, message: "pages a dry run's report only" }]);
      }
      // As the CLI: an id that names no book is the caller's mistake, said before anything runs.
      const unknownBooks = (body.ids ?? []).filter((id) => !getBook(service.session.db, id));
      if (unknownBooks.length) throw new ApiError(404, `no book with id ${unknownBooks.slice(0, 10).join(", ")}; nothing was done`);
      // A folder `shelfwise library remove` took out since the page's plan: its books are held, not moved.
      service.followLibraryFolders();
      const shownTargets = body.shown_targets ? new Map(body.shown_targets.map((t) => [t.book_id, t.to])) : undefined;
      // Planned in slices, as the Review page's plan is (plan-cache.ts): every proposal of a large library planned
      // in one piece held every other request (the status, the event stream, a book's page) until it was done.
      const options = { ids: body.ids, minConfidence: body.min_confidence, statuses: statusesOf(body.status, PLANNABLE_STATUSES), shownTargets, sliceMs: service.plans.sliceMs };
      if (body.dry_run) {
        const report = await withReader(service, (planReader) => applyMoves(context(service), { ...options, planReader, dryRun: true }));
        return { ...applyPage(reports.keepDryRun(report), { limit: body.limit, outcome: body.outcome }), copy_of: service.copyOfView() };
      }
      const job = service.startJob("apply", "apply", async (job, signal) => {
        const stopping = stopMovesOn(signal);
        const report = await withReader(service, (planReader) =>
          applyMoves(context(service), {
            ...options,
            planReader,
            // "0 of N books" once planned, rather than "starting…" until the first move.
            // With what the checks held and refused: the page says "nothing to move: N held" rather than "planning…".
            onPlanned: (moves, checked) => {
              job.checked = { to_move: moves, held: checked.held, refused: checked.refused };
              service.progress(job, 0, moves);
            },
            onProgress: (done, total) => (stopping(), service.progress(job, done, total)),
          }),
        ).finally(() => signal.removeEventListener("abort", stopping));
        reports.keepApply(report);
        service.noteRecovered(report.recovered);
        service.plans.forget();
        // Books picked on a page that another tab or a CLI `apply` moved meanwhile are already where they were shown
        // going: nothing to do, said rather than left out of "moved 0, failed 0, held 0".
        const inPlace = body.ids && report.ok > 0 ? `, ${report.ok} already at ${report.ok === 1 ? "its" : "their"} place (moved meanwhile)` : "";
        return `moved ${report.moved.length}, failed ${report.failed.length}, held ${report.held.length}${inPlace}${notStarted(signal)}`;
      });
      return reply.code(202).send(movesStarted(service, job));
    },
  );

  app.post(
    "/api/undo",
    { schema: { body: UndoRequest, response: { 202: MoveJobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Move books back (journal ids from the history, the last N moves, or an apply's batch)" } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof UndoRequest>;
      const unknownMoves = (body.ids ?? []).filter((id) => !getMove(service.session.db, id));
      if (unknownMoves.length) throw new ApiError(404, `no move with id ${unknownMoves.slice(0, 10).join(", ")}; the history lists them (nothing was done)`);
      const ofBatch = body.batch_id === undefined ? [] : undoableMovesOfBatch(service.session.db, body.batch_id);
      if (body.batch_id !== undefined && ofBatch.length === 0) throw new ApiError(404, `apply ${body.batch_id} has no move left to undo; the history lists the applies (nothing was done)`);
      const ids = body.batch_id === undefined ? body.ids : [...new Set([...(body.ids ?? []), ...ofBatch])];
      const job = service.startJob("undo", "undo", async (job, signal) => {
        const stopping = stopMovesOn(signal);
        const report = await undoMoves(context(service), {
          ids,
          last: body.last,
          // "0 of N" and each refusal's reason once judged, before the first move back, not "planning…" to the end.
          onChecked: ({ toMove, refused }) => {
            job.checked = { to_move: toMove, held: 0, refused: refused.length, refusals: refused.slice(0, 100).map((r) => ({ ...r })) };
            service.progress(job, 0, toMove);
          },
          onProgress: (done, total) => (stopping(), service.progress(job, done, total)),
        }).finally(() => signal.removeEventListener("abort", stopping));
        reports.keepUndo(report);
        service.noteRecovered(report.recovered);
        const aside = report.set_aside.length > 0 ? `, set aside ${report.set_aside.length} (moved away by hand)` : "";
        return `moved back ${report.moved.length}, failed ${report.failed.length}, refused ${report.refused.length}${aside}${notStarted(signal)}`;
      });
      return reply.code(202).send(movesStarted(service, job));
    },
  );

  app.get(
    "/api/moves/last",
    { schema: { querystring: LastQuery, response: { 200: LastReport, 400: ErrorBody } }, config: { summary: "The first pages of the reports of this server's last apply and undo, with their counts by outcome" } },
    async (request) => {
      const q = request.query as z.infer<typeof LastQuery>;
      return {
        apply: reports.apply && applyPage(reports.apply, { limit: q.limit, offset: q.offset, outcome: outcomesFor(q.outcome, APPLY_OUTCOMES) }),
        undo: reports.undo && undoPage(reports.undo, { limit: q.limit, offset: q.offset, outcome: outcomesFor(q.outcome, UNDO_OUTCOMES) }),
      };
    },
  );

  /** The kept report a page is asked of, refused when the page before was another's (a newer apply or undo since). */
  const current = <K extends { id: number }>(kept: K | null, asked: number | undefined, what: string): K => {
    if (!kept) throw new ApiError(404, `no ${what} since this server started`);
    if (asked !== undefined && asked !== kept.id) throw new ApiError(409, `the last ${what} is another now (report ${kept.id}, not ${asked}): load its first page again`);
    return kept;
  };

  app.get(
    "/api/moves/last/apply",
    { schema: { querystring: ApplyPageQuery, response: { 200: ApplyReportPage, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "A page of the last apply's report" } },
    async (request) => {
      const q = request.query as z.infer<typeof ApplyPageQuery>;
      return applyPage(current(reports.apply, q.report_id, "apply"), q);
    },
  );

  app.get(
    "/api/moves/last/undo",
    { schema: { querystring: UndoPageQuery, response: { 200: UndoReportPage, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "A page of the last undo's report" } },
    async (request) => {
      const q = request.query as z.infer<typeof UndoPageQuery>;
      return undoPage(current(reports.undo, q.report_id, "undo"), q);
    },
  );

  app.get(
    "/api/apply/dry-run/:id",
    { schema: { params: IdParam, querystring: ApplyPageQuery.omit({ report_id: true }), response: { 200: ApplyReportPage, 400: ErrorBody, 404: ErrorBody } }, config: { summary: "A page of a dry run's report (its report_id; the last 4 are kept)" } },
    async (request) => {
      const { id } = request.params as { id: number };
      const kept = reports.dryRun(id);
      if (!kept) throw new ApiError(404, `no dry run ${id}: only the last 4 are kept; run the dry run again`);
      return applyPage(kept, request.query as z.infer<typeof ApplyPageQuery>);
    },
  );

  app.get(
    "/api/history",
    { schema: { querystring: HistoryQuery, response: { 200: HistoryPage, 400: ErrorBody } }, config: { summary: "Journaled moves, newest first, paged; and the last apply's moves still to undo" } },
    async (request) => {
      const q = request.query as z.infer<typeof HistoryQuery>;
      const cutShort = lastCutShortBatch(service.session.db);
      return { ...historyPage(context(service), { limit: q.limit ?? HISTORY_PAGE, offset: q.offset ?? 0 }), cut_short: cutShort && { ...cutShort, message: forPages(cutShortRunWords(cutShort)) } };
    },
  );

  app.patch(
    "/api/books/:id/fields",
    { schema: { params: IdParam, body: FieldsRequest, response: { 200: BookCorrectedView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Correct fields (the user's value wins) or remove a correction" } },
    async (request) => {
      const { id } = request.params as { id: number };
      const body = request.body as z.infer<typeof FieldsRequest>;
      await service.withLock(`correction of book ${id}`, () => {
        try {
          setUserFields(context(service), id, { set: body.set, unset: body.unset, shown: body.shown });
        } catch (error) {
          if (error instanceof StaleCorrectionError) throw new ApiError(409, error.message, error.fields);
          if (error instanceof CorrectionError) throw new ApiError(/no book with id/.test(error.message) ? 404 : 400, error.message);
          throw error;
        }
        syncBookSearch(service.session.db);
      });
      service.note("info", `book ${id}: ${[...Object.keys(body.set ?? {}), ...(body.unset ?? [])].join(", ")} corrected`);
      service.changed();
      // As `book --set language=...` says it: kept as typed, with a note (a typo would otherwise name folders unseen).
      const note = body.set?.language !== undefined ? unknownLanguageNote(body.set.language) : null;
      return { ...bookDetail(service, id), notes: note === null ? [] : [note] };
    },
  );

  app.post(
    "/api/books/:id/lock",
    { schema: { params: IdParam, body: LockRequest, response: { 200: Ok, 404: ErrorBody, 409: ErrorBody } }, config: { summary: "Lock a book (layers and moves leave it alone) or unlock it" } },
    async (request) => {
      const { id } = request.params as { id: number };
      const { locked } = request.body as { locked: boolean };
      const found = await service.withLock(`lock of book ${id}`, () => setBookLocked(context(service), id, locked));
      if (!found) throw new ApiError(404, `no book with id ${id}`);
      service.note("info", `book ${id} ${locked ? "locked" : "unlocked"}`);
      return { ok: true as const, message: `book ${id} ${locked ? "locked: layers and moves leave it alone" : "unlocked"}` };
    },
  );

  app.get("/api/moves/recovered", { schema: { response: { 200: RecoveredList } }, config: { summary: "Interrupted moves settled after a crash while this server ran" } }, async () => ({ recovered: [...service.recoveredMoves()] }));

  app.post("/api/moves/recovered/dismiss", { schema: { response: { 200: Ok } }, config: { summary: "Acknowledge the recovered moves (removes the dashboard problem)" } }, async () => {
    const n = service.dismissRecovered();
    return { ok: true as const, message: `${counted(n, "recovered move")} acknowledged` };
  });
}
