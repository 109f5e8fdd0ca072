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
