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
 * optimized before the run stays optimized; only new optimizations wait.
 *
 * Node's docs warn that flags changed after start may do nothing: this one is
 * read at each optimization decision (checked: code is optimized again once it
 * is given back). A process started with its own choice of tier (`node
 * --no-turbofan`, `--max-opt=N`, `--jitless`: debugging, profiling) is left
 * alone.
 */
import v8 from "node:v8";

/** Flags by which whoever started the process chose the compiler's tiers themselves. */
const OWN_CHOICE = /^--(no-turbofan|no-opt|turbofan|opt|jitless|max-opt(=|$))/;

let runs = 0;
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

/** Runs `run` with new optimizations held off (see the header); runs that overlap share one hold. */
export async function withoutOptimizingCompiler<T>(run: () => Promise<T>): Promise<T> {
  if (runs++ === 0 && !starterChose()) setFlag("--no-turbofan");
  try {
    return await run();
  } finally {
    if (--runs === 0 && !starterChose()) setFlag("--turbofan");
  }
}
