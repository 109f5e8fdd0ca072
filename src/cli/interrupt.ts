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
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

function onSignal(signal: StopSignal): void {
  if (process.listenerCount(signal) > 1) return;
  stopLiveProgress();
  process.stderr.write(`shelfwise: interrupted (${signal}); what was saved before is kept; run the command again to continue\n`);
  process.exit(stoppedBy(signal));
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
