/**
 * What one command keeps to itself. A process runs one command
 * (bin/shelfwise.js), but commands also run one after another in one process
 * (the tests' in-process runner, test/support/cli-in-process.ts): runCommand
 * (main.ts) starts each afresh.
 */
import { setExitCode } from "./exit-status.js";
import { commandStarts as nothingReportedYet } from "./interrupt.js";

let configWarned = false;

export function commandStarts(): void {
  configWarned = false;
  setExitCode(0);
  nothingReportedYet();
}

/** True the first time a command asks: config.json's warnings are said once per command. */
export function firstConfigWarning(): boolean {
  if (configWarned) return false;
  configWarned = true;
  return true;
}
