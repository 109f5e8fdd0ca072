import { waitNotice } from "../write-lock.js";
import { positiveWhole } from "../numbers.js";
import { openCommandSession } from "../session.js";
import { movesNotStartedByStop, passedOver, stopMovesAtNextChunk, undoMoves } from "../../organize/index.js";
import { stoppedBy } from "../../app/exit-codes.js";
import { resultReported, stoppingGently } from "../interrupt.js";
import { UserError } from "../errors.js";
import { printJson, shown } from "../output.js";
import { counted } from "../../domain/plural.js";
import type { Session } from "../../app/session.js";
import { asUserError, organizeContext, parseIds, requireMoves, waitMsOf, withCompanions } from "./organize-common.js";

export async function undoCommand(dataDir: string, idTexts: string[], options: { json?: boolean; last?: string; wait?: string; dryRun?: boolean }): Promise<void> {
  const ids = parseIds(idTexts, "move id");
  const last = options.last === undefined ? undefined : positiveWhole(options.last, "--last");
  if (ids.length > 0 && last !== undefined) throw new UserError("give move ids or --last N, not both (nothing was done)", 2);
  if (ids.length === 0 && last === undefined) throw new UserError("give move ids (`shelfwise history` lists them) or --last N", 2);
  const lockWaitMs = waitMsOf(options.wait);
  const session = await openCommandSession(dataDir, { warnIfCopy: true });
  try {
    requireMoves(organizeContext(session), ids);
    if (options.dryRun) return await dryRun(session, ids, last, options.json === true);
    const { value: report, stoppedBy: stopped } = await stoppingGently(stopMovesAtNextChunk, () => undoMoves(organizeContext(session), {
      ids,
      last,
      lockWaitMs,
      onWait: waitNotice(dataDir, lockWaitMs),
    }).catch((error) => {
      throw asUserError(error);
    }));
    session.log.info({ event: "undo", batch_id: report.batch_id, moved: report.moved.length, refused: report.refused.length }, "undo");
    const code = report.refused.length > 0 || report.failed.length > 0 ? 1 : 0;
    // A stop that came while the last chunk was being moved back stopped nothing: the undo did all it was asked.
    const left = stopped === null ? 0 : movesNotStartedByStop();
    const exitCode = left > 0 ? stoppedBy(stopped!) : code;
    const leftWords = `${counted(left, "book")} not started ${left === 1 ? "stays" : "stay"} where ${left === 1 ? "it was" : "they were"}: run the undo again to continue`;
    // The undo is journaled and done: a stop signal from here on cuts only the report short, and says so.
    resultReported(
      exitCode,
      left > 0
        ? `stopped while the report was printed; the books moved back before the first stop stay so (\`shelfwise history\` lists them); ${leftWords}`
        : "stopped while the report was printed; the undo had finished: every move back is recorded (`shelfwise history` lists them); nothing to recover",
    );
    if (options.json) printJson({ ...report, interrupted: left > 0, exit_code: exitCode });
    else {
      for (const m of report.moved) {
        process.stdout.write(`moved back #${m.book_id}: ${shown(m.from)}\n      -> ${shown(m.to)} (locked; \`shelfwise book ${m.book_id} --unlock\` to plan it again)\n`);
        if (m.companions.length > 0) process.stdout.write(`      ${shown(withCompanions(m.companions))}\n`);
        if (m.left_behind !== null) process.stderr.write(`shelfwise: note: move ${m.move_id}: ${shown(m.left_behind)}\n`);
      }
      for (const s of report.settled) process.stdout.write(`settled: move ${s.move_id}: ${shown(s.note)} (locked; \`shelfwise book ${s.book_id} --unlock\` to plan it again)\n`);
      // Said once: later `--last` runs pass these over while the book stays away (`undo ID` still explains).
      for (const a of report.set_aside) process.stdout.write(`set aside: move ${a.move_id}: ${shown(a.reason)} (not undoable now: later \`undo --last\` runs pass it over)\n`);
      // Reasons that name the move already ("move 2 was already undone") are not prefixed with it a second time.
      for (const r of report.refused) process.stderr.write(`refused: ${r.reason.startsWith(`move ${r.move_id} `) ? "" : `move ${r.move_id}: `}${shown(r.reason)}\n`);
      for (const m of report.failed) process.stderr.write(`not moved #${m.book_id}: ${shown(m.error)}\n`);
      // --last N with every applied move undone already: a line of zeros said nothing of why.
      if (report.moved.length + report.refused.length + report.failed.length + report.settled.length + report.set_aside.length === 0) process.stdout.write(`${nothingToUndo(last === undefined ? null : passedOver(organizeContext(session)))}\n`);
      else {
        // --last 5 with 2 applied moves left said "2 moved back, 0 refused, 0 failed" as if it had done all it was asked.
        const found = report.moved.length + report.refused.length + report.failed.length + report.settled.length;
        // Stopped by a signal, the moves not started are not "not undone yet" of --last N: the line below says so.
        // With none found (every one set aside), "only 0 applied moves were not undone yet" read as a contradiction.
        const fewerWords = found === 0 ? "no other applied move was left to undo" : `only ${counted(found, "applied move")} ${found === 1 ? "was" : "were"} not undone yet`;
        const fewer = last !== undefined && found < last && left === 0 ? ` (--last ${last}: ${fewerWords})` : "";
        const settled = report.settled.length > 0 ? `, ${report.settled.length} settled (moved back by hand)` : "";
        const aside = report.set_aside.length > 0 ? `, ${report.set_aside.length} set aside (moved away by hand)` : "";
        process.stdout.write(`${report.moved.length} moved back${settled}${aside}, ${report.refused.length} refused, ${report.failed.length} failed${fewer}\n`);
      }
    }
    if (code !== 0) process.exitCode = code;
    if (stopped !== null && left > 0) {
      process.stderr.write(`shelfwise: interrupted (${stopped}): the books moved back before it stay so (listed above; \`shelfwise history\` has them); ${leftWords}\n`);
      process.exitCode = stoppedBy(stopped);
    } else if (stopped !== null) {
      process.stderr.write(`shelfwise: ${stopped} came while the last books were being moved back: the undo finished (listed above); nothing to recover\n`);
    }
    // Printed too: a stop signal now (while the database closes) says nothing more.
    resultReported(typeof process.exitCode === "number" ? process.exitCode : 0);
  } finally {
    await session.close();
  }
}

/**
 * `undo --last` with nothing left to undo. Moves an earlier run set aside (their books moved away by hand) are not
 * undone, and "every applied move was undone already" said they were: they are counted and named, with how to act.
 */
function nothingToUndo(aside: { count: number; move_ids: number[] } | null): string {
  if (aside === null || aside.count === 0) return "Nothing to undo: every applied move was undone already, or none was made (`shelfwise history` lists them)";
  const ids = `${aside.move_ids.join(", ")}${aside.count > aside.move_ids.length ? ", …" : ""}`;
  const one = aside.count === 1;
  return (
    `Nothing to undo: every other applied move was undone already; ${counted(aside.count, "applied move")} set aside by an earlier \`undo --last\` (${one ? "its book" : "their books"} moved away by hand) ${one ? "is" : "are"} passed over (move ${ids}): ` +
    `\`shelfwise undo ${one ? aside.move_ids[0] : "MOVE_ID"}\` says where ${one ? "the book is" : "a book is"} and what to do`
  );
}

/**
 * `undo --dry-run`: the same judgement as undo (undoMoves with dryRun), nothing written. Exit 0 as apply's dry run,
 * refusals included: they are what the run was asked to show.
 */
async function dryRun(session: Session, ids: number[], last: number | undefined, json: boolean): Promise<void> {
  const report = await undoMoves(organizeContext(session), { ids, last, dryRun: true });
  if (json) return printJson({ ...report, interrupted: false, exit_code: 0 });
  const out = process.stdout;
  for (const m of report.moved) {
    out.write(`would move back #${m.book_id}: ${shown(m.from)}\n      -> ${shown(m.to)} (and lock it)\n`);
    if (m.companions.length > 0) out.write(`      ${shown(withCompanions(m.companions))}\n`);
  }
  for (const s of report.settled) out.write(`would settle: move ${s.move_id}: ${shown(s.note)}\n`);
  for (const a of report.set_aside) out.write(`would set aside: move ${a.move_id}: ${shown(a.reason)}\n`);
  for (const r of report.refused) out.write(`would refuse: ${r.reason.startsWith(`move ${r.move_id} `) ? "" : `move ${r.move_id}: `}${shown(r.reason)}\n`);
  if (report.moved.length + report.refused.length + report.settled.length + report.set_aside.length === 0) {
    out.write(`dry run: ${nothingToUndo(last === undefined ? null : passedOver(organizeContext(session)))}\n`);
    return;
  }
  const settled = report.settled.length > 0 ? `, ${report.settled.length} would be settled (moved back by hand)` : "";
  const aside = report.set_aside.length > 0 ? `, ${report.set_aside.length} would be set aside (moved away by hand)` : "";
  out.write(`dry run: nothing was changed; ${report.moved.length} would move back${settled}${aside}, ${report.refused.length} would be refused\n`);
}
