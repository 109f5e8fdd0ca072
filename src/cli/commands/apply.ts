import readline from "node:readline/promises";
import { counted, noun } from "../../domain/plural.js";
import { waitNotice } from "../write-lock.js";
import { openCommandSession } from "../session.js";
import { applyMoves, buildPlan, fuseJudgements, movesNotStartedByStop, stopMovesAtNextChunk, type ApplyReport } from "../../organize/index.js";
import { EXIT, stoppedBy } from "../../app/exit-codes.js";
import { resultReported, stoppingGently } from "../interrupt.js";
import { UserError } from "../errors.js";
import { printJson, printTable, shown } from "../output.js";
import { countAttentionUnlocked } from "../../store/book-queries.js";
import { canRedraw, createProgress } from "../progress.js";
import { asUserError, attentionClause, lockedClause, organizeContext, parseIds, requireBooks, waitMsOf, parseMinConfidence, parseStatuses, withCompanions } from "./organize-common.js";

export interface ApplyCommandOptions {
  json?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  minConfidence?: string;
  status?: string;
  wait?: string;
}

export async function applyCommand(dataDir: string, idTexts: string[], options: ApplyCommandOptions): Promise<void> {
  const ids = idTexts.length > 0 ? parseIds(idTexts) : undefined;
  const minConfidence = parseMinConfidence(options.minConfidence);
  const statuses = parseStatuses(options.status);
  // Given books are applied whatever their status (the plan holds back what it must): --status would be silently ignored.
  if (ids && statuses) throw new UserError("--status selects the books to apply, and book ids were given too: give ids or --status, not both (nothing was done)", EXIT.badInput);
  const lockWaitMs = waitMsOf(options.wait);
  const session = await openCommandSession(dataDir, { warnIfCopy: true });
  try {
    const ctx = organizeContext(session);
    requireBooks(ctx, ids);
    // The moves the question was about: exactly those are made (organize/apply.ts shownOnly), so a book proposed, or
    // a proposal changed, between the question and the moves (a scan, a correction, the web app) is not moved unasked.
    let confirmed: Map<number, string> | undefined;
    if (!options.dryRun && !options.yes) {
      const asked = buildPlan(ctx, { ids, minConfidence, statuses }).entries.filter((e) => e.action === "move" && e.to !== null);
      confirmed = new Map(asked.map((e) => [e.book_id, e.to!]));
      const count = confirmed.size;
      if (count === 0) {
        // Nothing to confirm: fall through to an (empty) apply so the report is the same.
      } else if (options.json) {
        // The question and its answer would land in the JSON on stdout; a script cannot answer it anyway.
        throw new UserError(`apply would move ${counted(count, "book")}; --json does not ask, so add --yes to confirm (or --dry-run to see them)`, 2);
      } else if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UserError(`apply would move ${counted(count, "book")}; not on a terminal, so add --yes to confirm (or --dry-run to see them)`, 2);
      } else if (!(await confirm(`Move ${counted(count, "book")}? (\`shelfwise undo\` moves them back) [y/N] `))) {
        process.stdout.write("nothing moved\n");
        return;
      }
    }
    const progress = createProgress(!options.json && canRedraw());
    let started = false;
    const { value: report, stoppedBy: stopped } = await stoppingGently(stopMovesAtNextChunk, () => applyMoves(ctx, {
      ids,
      minConfidence,
      statuses,
      dryRun: options.dryRun,
      shownTargets: confirmed,
      shownOnly: confirmed !== undefined,
      lockWaitMs,
      onWait: waitNotice(dataDir, lockWaitMs),
      onProgress: (done, total) => {
        if (!started) progress.start(total, "moving");
        started = true;
        progress.update(done);
      },
    }).catch((error) => {
      throw asUserError(error);
    }));
    progress.stop();
    session.log.info({ event: options.dryRun ? "apply_dry_run" : "apply", batch_id: report.batch_id, moved: report.moved.length, failed: report.failed.length, held: report.held.length }, "apply");
    // Books given by id and none of them moved (each held back, or already in place): what was asked was not done,
    // and a script reading only the exit code could not tell it from a run that moved them.
    const noneMoved = ids !== undefined && !report.dry_run && report.moved.length === 0 && report.failed.length === 0 && report.held.length > 0;
    const code = report.failed.length > 0 && !report.dry_run ? EXIT.failure : noneMoved ? EXIT.partial : EXIT.ok;
    // A stop that came while the last chunk was being moved stopped nothing: the run did all it was asked.
    const left = stopped === null ? 0 : movesNotStartedByStop();
    const exitCode = left > 0 ? stoppedBy(stopped!) : code;
    const leftWords = `${counted(left, "book")} not started ${left === 1 ? "stays" : "stay"} where ${left === 1 ? "it was" : "they were"}: run \`shelfwise apply\` again to continue`;
    // The run is journaled and done: a stop signal from here on cuts only the report short, and says so.
    resultReported(
      exitCode,
      report.dry_run
        ? "stopped while the dry run's report was printed; nothing was changed"
        : left > 0
          ? `stopped while the report was printed; the books moved before the first stop stay moved (\`shelfwise history\` lists them); ${leftWords}`
          : "stopped while the report was printed; the apply had finished: every move is recorded (`shelfwise history` lists them); nothing to recover",
    );
    if (options.json) printJson({ ...report, interrupted: left > 0, exit_code: exitCode });
    // Books named by id, or chosen by --status, leave none out unasked; the default plan leaves out those needing attention.
    else await printReport(report, ids === undefined && statuses === undefined ? attentionClause(countAttentionUnlocked(session.db)) : "");
    if (code !== 0) process.exitCode = code;
    if (noneMoved && left === 0) {
      const held = report.held.length;
      process.stderr.write(`shelfwise: none of the given books moved: ${counted(held, "book")} held back${report.ok > 0 ? `, ${report.ok} already in place` : ""} (the reasons are ${options.json ? "in `held`" : "listed above"}; exit code 3)\n`);
    }
    if (stopped !== null && left > 0) {
      process.stderr.write(`shelfwise: interrupted (${stopped}): the books moved before it stay moved (listed above; \`shelfwise history\` has them); ${leftWords}\n`);
      process.exitCode = stoppedBy(stopped);
    } else if (stopped !== null) {
      process.stderr.write(`shelfwise: ${stopped} came while the last books were being moved: the apply finished (listed above); nothing to recover\n`);
    }
    // Printed too: a stop signal now (while the database closes) says nothing more.
    resultReported(typeof process.exitCode === "number" ? process.exitCode : 0);
  } finally {
    await session.close();
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  // On a terminal readline takes Ctrl-C itself; Ctrl-D (end of input) closes it the same way, but is an answer of no.
  let interrupted = false;
  const stop = new AbortController();
  rl.on("SIGINT", () => {
    interrupted = true;
    stop.abort();
  });
  try {
    return /^y(es)?$/i.test((await rl.question(question, { signal: stop.signal })).trim());
  } catch (error) {
    if ((error as { code?: string }).code === "ABORT_ERR") {
      process.stdout.write("\n");
      if (!interrupted) return false;
      throw new UserError("interrupted at the question: nothing was moved", EXIT.interrupted);
    }
    throw error;
  } finally {
    rl.close();
  }
}

async function printReport(report: ApplyReport, unplanned: string): Promise<void> {
  const out = process.stdout;
  const locked = { count: report.locked.count, ids: report.locked.book_ids };
  const verb = report.dry_run ? "would move" : "moved";
  for (const m of report.moved) {
    out.write(`${verb} #${m.book_id}: ${shown(m.from)}\n      -> ${shown(m.to)}\n`);
    if (m.companions.length > 0) out.write(`      ${shown(withCompanions(m.companions))}\n`);
    // On stderr, as every warning: stdout may go to a file, and files left at the old place need a person.
    if (m.left_behind !== null) process.stderr.write(`shelfwise: note: move ${m.move_id}: ${shown(m.left_behind)}\n`);
  }
  for (const m of report.failed) {
    const along = m.companions.length > 0 ? ` (${withCompanions(m.companions)})` : "";
    process.stderr.write(`${report.dry_run ? "would not move" : "not moved"} #${m.book_id}: ${shown(m.from)}${shown(along)}: ${shown(m.error)}\n`);
  }
  if (report.dry_run) {
    // The dry run writes no probe: what apply's probe of a FUSE mount decides is said, once per mount (fuse-check.ts).
    const mounts = new Map<string, { type: string; books: number }>();
    for (const judged of fuseJudgements(report.moved.map((m) => m.to)).values()) {
      const seen = mounts.get(judged.at) ?? { type: judged.type, books: 0 };
      seen.books++;
      mounts.set(judged.at, seen);
    }
    for (const [at, { type, books }] of mounts) {
      process.stderr.write(
        `note: ${counted(books, "book")} would go to ${shown(at)}, a ${shown(type)} file system (FUSE): apply first renames a hidden test folder there, and moves no folder book there if the test loses the folder's contents (some FUSE drivers do); this dry run wrote nothing, so it could not tell\n`,
      );
    }
  }
  if (report.held.length > 0) {
    // A blank line parts the table from the moves above it; with none, it would open the output.
    out.write(`${report.moved.length > 0 ? "\n" : ""}held back:\n`);
    await printTable(["ID", "CONFLICT", "REASON"], report.held.map((e) => [e.book_id, e.conflict!.kind, e.conflict!.reason]));
  }
  if (report.moved.length === 0 && report.failed.length === 0 && report.held.length === 0) {
    // As `plan` says it: a line of zeros reads as a count of failures.
    out.write(`${report.dry_run ? "dry run: " : ""}Nothing to move: ${report.ok === 0 ? "no book to plan (`shelfwise plan` says why)" : `${counted(report.ok, "book")} already at ${noun(report.ok, "its", "their")} place`}${lockedClause(locked)}${unplanned}\n`);
    return;
  }
  out.write(
    // A dry run tries nothing: "2 failed" read as if something had been attempted and gone wrong.
      `${report.dry_run ? "dry run: nothing was changed; " : ""}${report.moved.length} ${verb}, ${report.failed.length} ${report.dry_run ? "would not move" : "failed"}, ` +
      `${report.held.length} held back, ${report.ok} already in place${lockedClause(locked)}` +
      // Every move of the batch failed: nothing to move back (it offered `undo --last 0`).
      (report.batch_id !== null && report.moved.length > 0 ? ` (batch ${report.batch_id}; \`shelfwise undo --last ${report.moved.length}\` moves ${noun(report.moved.length, "it", "them")} back)` : "") +
      unplanned +
      "\n",
  );
}
