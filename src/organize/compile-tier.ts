/**
 * A move run (apply, undo) runs with V8's optimizing compiler (TurboFan) held
 * off, and gives it back when the last run in the process ends.
 *
 * Why: a run's main thread spends its time in SQLite, the fs-batch addon and
 * system calls, not in JavaScript that gets faster when optimized, yet V8
 * optimized its hot functions afresh in every run, on its helper threads:
 * measured in bench:apply (5,000 books, 2 cores), ~250-350 ms of CPU per run
 * on those threads against ~310 ms of the main thread's, taking a core from
 * the rename thread and the main thread. Held off, the main thread's CPU was
 * the same (296-329 ms either way), the process's CPU ~35% lower and the
 * run's wall ~20% shorter (docs/performance-log.md, 2026-12-05 18:00). Code
 * optimized before the run stays optimized; only new optimizations wait, and
 * only for a run's first second (HOLD_MS). The flag is the process's: in
 * `serve`, whose apply and undo jobs run in its own process, requests answered
 * in that second run unoptimized code new to them too, as they did before the
 * server warmed up.
 *
 * Node's docs warn that flags changed after start may do nothing: this one is
 * read at each optimization decision (checked: code is optimized again once it
 * is given back). A process started with its own choice of tier (`node
 * --no-turbofan`, `--max-opt=N`, `--jitless`: debugging, profiling) is left
 * alone.
 */
import v8 from "node:v8";

/** Flags by which whoever started the process chose the compiler's tiers themselves. */
const OWN_CHOICE = /^--(no-turbofan|no-opt|turbofan|opt|jitless|max-opt)(=|$)/;

/**
 * How long a run goes without new optimizations. The compiler's cost is about fixed (the same hot functions whatever
 * the run's size) while what it saves grows with the run: measured at 20,000 books, the main thread's CPU from the
 * first move on was ~20% higher without it. So only a run's first second does without; a longer run gets it back.
 */
export const HOLD_MS = 1000;

let runs = 0;
let held = false;
let timer: NodeJS.Timeout | undefined;
let chosenByStarter: boolean | undefined;

function starterChose(): boolean {
  return (chosenByStarter ??= process.execArgv.some((flag) => OWN_CHOICE.test(flag)));
}

function setFlag(flag: string): void {
  try {
    v8.setFlagsFromString(flag);
  } catch {
    // A V8 without the flag: the run goes on with the compiler as it is.
  }
}

function giveBack(): void {
  clearTimeout(timer);
  timer = undefined;
  if (!held) return;
  held = false;
  setFlag("--turbofan");
}

/**
 * Runs `run` with new optimizations held off for its first `holdMs` (see the header); runs that overlap share one
 * hold, which ends when the last of them does or when the first has lasted `holdMs`.
 */
export async function withoutOptimizingCompiler<T>(run: () => Promise<T>, holdMs = HOLD_MS): Promise<T> {
  if (runs++ === 0 && !starterChose()) {
    setFlag("--no-turbofan");
    held = true;
    // Seen when the run gives the event loop a turn (between chunks of moves): a run that long is worth optimizing.
    timer = setTimeout(giveBack, holdMs);
    timer.unref();
  }
  try {
    return await run();
  } finally {
    if (--runs === 0) giveBack();
  }
}
