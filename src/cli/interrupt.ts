/**
 * Ctrl-C, SIGTERM or a hang-up (SIGHUP: the terminal closed, an SSH
 * connection dropped) during a command that has no plan of its own for them
 * (scan, apply, undo, init, a writer waiting for the lock...). Node's default
 * is to die by the signal: no word on stderr and no exit code 130, although
 * both are documented (130, whichever of the three). Stopping at once is safe: every write is a transaction
 * (an open one is rolled back) and apply/undo are journaled, settled by the
 * next command. `process` and `serve` stop more gently with their own
 * handlers; while one is installed this one stands aside.
 */
import { STOP_SIGNALS, stoppedBy, type StopSignal } from "../app/exit-codes.js";
import { stopLiveProgress } from "./progress.js";

export function stopOnInterrupt(): void {
  commandStarts();
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/** A command starts: nothing is reported or settled yet (commands also run one after another in one process: tests). */
export function commandStarts(): void {
  reported = null;
  settledAtOpen = false;
}

/** A result already committed: its exit code, and what a stop signal says then (null: nothing). */
export type Reported = number | { code: number; note: string | null };

/** The result resultReported was told, or null before. */
let reported: Reported | null = null;

/**
 * The command's result is committed and printed (`scan`'s summary): what is
 * left is closing (folding the search index, closing the database: 80-400 ms
 * after a scan), which loses nothing if cut short. A stop signal from then on
 * exits at once with `code`, the result's own exit code, and says nothing:
 * "interrupted; run the command again" would claim the work was lost, and
 * 130 would tell a script to run it again. `note`: what it says instead, for
 * a result committed but not printed yet (apply's and undo's report): the
 * truth about the work, which the report cut short no longer tells.
 */
export function resultReported(code: number, note: string | null = null): void {
  reported = note === null ? code : { code, note };
}

/** What a stop before any result means for a command that saves nothing (null: the generic line). */
let readOnlyMeaning: string | null = null;

/**
 * The command records nothing (`sources test`, `plugins test`): a stop signal says what was stopped and
 * that nothing was lost, not "run the command again to continue", which reads as work left half done.
 */
export function recordsNothing(meaning: string): () => void {
  const before = readOnlyMeaning;
  readOnlyMeaning = meaning;
  // Commands also run in one process one after another (tests, the in-process runner): the meaning is the
  // command's own, so whoever set it puts the one before back when the command ends.
  return () => {
    readOnlyMeaning = before;
  };
}

/** Moves a crash interrupted were settled by this run's opening of the database (recoveryLines named them). */
let settledAtOpen = false;

/** Opening the database settled moves a crash interrupted: a stop of a command that only reads no longer says nothing was recorded. */
export function movesSettledAtOpen(): void {
  settledAtOpen = true;
}

/** Opening the database judged the books again (app/rejudge.ts, said in a note): recorded, as settled moves are. */
let judgedAtOpen = false;

export function booksJudgedAtOpen(): void {
  judgedAtOpen = true;
}

/**
 * Runs a command that only reads (`status`, `books`, `plan`, `history`, `apply --dry-run`...): a stop signal
 * before its output is done says that nothing was recorded or changed (exit 130), not "run the command again to
 * continue", which reads as work left half done. `name` as the user typed the command.
 */
export async function readsOnly<T>(name: string, run: () => Promise<T>): Promise<T> {
  const restore = recordsNothing(readOnlyStop(name));
  settledAtOpen = false;
  judgedAtOpen = false;
  try {
    return await run();
  } finally {
    restore();
  }
}

/** What a stop of the read-only command `name` says (exported for its test). */
export function readOnlyStop(name: string): string {
  return `\`${name}\` was stopped; it only reads, so nothing was recorded or changed`;
}

/** What resultReported was told, or null. */
export function reportedResult(): Reported | null {
  return reported;
}

/** How a stop signal ends the command: its exit code, and the line for stderr (null: none). */
export function stopOutcome(signal: StopSignal, result: Reported | null, meaning: string | null = readOnlyMeaning): { code: number; message: string | null } {
  if (result === null && meaning !== null) {
    // The settling of interrupted moves at the start is recorded (and was said): "nothing was recorded" would be false.
    const settled =
      (settledAtOpen ? ` (the interrupted moves settled when it started, named above, are recorded)` : "") +
      (judgedAtOpen ? ` (the books judged again when it started, said above, are recorded)` : "");
    return { code: stoppedBy(signal), message: `shelfwise: interrupted (${signal}): ${meaning}${settled}\n` };
  }
  if (result === null) return { code: stoppedBy(signal), message: `shelfwise: interrupted (${signal}); what was saved before is kept; run the command again to continue\n` };
  if (typeof result === "number") return { code: result, message: null };
  return { code: result.code, message: result.note === null ? null : `shelfwise: ${signal}: ${result.note}\n` };
}

function onSignal(signal: StopSignal): void {
  if (process.listenerCount(signal) > 1) return;
  stopLiveProgress();
  const { code, message } = stopOutcome(signal, reported);
  if (message !== null) process.stderr.write(message);
  process.exit(code);
}

/**
 * Around apply's and undo's moves: the first stop signal asks the run to stop
 * between two chunks (`stopMoves`, which says false when no move is under way
 * yet: the command then stops at once, as any other); the run settles what it
 * did and returns, so the report lists the books moved and the next command
 * has nothing to recover. A second signal stops at once, as before (the next
 * command settles the chunk in flight from the journal).
 */
export async function stoppingGently<T>(stopMoves: () => boolean, run: () => Promise<T>): Promise<{ value: T; stoppedBy: StopSignal | null }> {
  let asked: StopSignal | null = null;
  const onStop = (signal: StopSignal) => {
    stopLiveProgress();
    if (asked !== null || !stopMoves()) {
      process.stderr.write(`shelfwise: interrupted (${signal}); what was saved before is kept; run the command again to continue\n`);
      process.exit(stoppedBy(signal));
    }
    asked = signal;
    process.stderr.write(`shelfwise: stopping after the books being moved now (${signal} again stops at once)\n`);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStop);
  try {
    return { value: await run(), stoppedBy: asked };
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStop);
  }
}
