import fs from "node:fs";
import path from "node:path";
import { CommanderError } from "commander";
import { onRecovery } from "../organize/recovery-listeners.js";
import { notedDataDir, UserError } from "./errors.js";
import { terminalSafeLines } from "./output.js";
import { EXIT } from "../app/exit-codes.js";
import { finishedExitCode } from "./exit-status.js";
import { buildProgram, jsonOnStdout } from "./program.js";
import { recoveryLines } from "./recovery-lines.js";
import { bareGroup, helpRequest } from "./help-request.js";
import { stopOnInterrupt } from "./interrupt.js";
import { guardOutputStreams, outputWasLost } from "./output-streams.js";

/**
 * Runs the CLI and returns the exit code; errors go to stderr.
 *
 * Every command is a process start, so this file and program.ts import only
 * what every command needs (commander and small helpers): the store, the
 * config's schemas, the logger and each command's code load when used
 * (`--version` and `help` load none of them). test/cli/start-up.test.ts checks it.
 */
export async function main(argv: string[]): Promise<number> {
  guardOutputStreams();
  stopOnInterrupt();
  const program = buildProgram();
  // Whatever the command, say when opening the database settled a move a crash interrupted.
  onRecovery((recovered) => {
    for (const line of recoveryLines(recovered)) process.stderr.write(line);
  });
  let code: number;
  try {
    const help = helpRequest(program, argv);
    const bare = help ? null : bareGroup(program, argv);
    jsonOnStdout(argv);
    if (help) help.outputHelp({ error: argv.includes("--json") });
    else if (bare) {
      // With --json stdout is for JSON only: the help goes to stderr then.
      bare.outputHelp({ error: argv.includes("--json") });
      process.exitCode = EXIT.badInput;
    } else await program.parseAsync(argv, { from: "user" });
    // process sets its own code (3, 130); apply with failed moves or a refused undo sets process.exitCode.
    code = finishedExitCode() || (typeof process.exitCode === "number" ? process.exitCode : 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander already printed its message.
      code = error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    } else {
      code = await reportError(error);
    }
  }
  // A failed write to stdout is reported as an event after the write: let it arrive before the code is final.
  await new Promise((resolve) => setImmediate(resolve));
  return code === 0 && outputWasLost() ? 1 : code;
}

async function reportError(error: unknown): Promise<number> {
  const say = (message: string) => process.stderr.write(`shelfwise: ${terminalSafeLines(message)}\n`);
  if (error instanceof UserError) {
    say(error.message);
    return error.exitCode;
  }
  // Loaded only now: an error of these kinds comes from code that loaded them already (then this costs nothing).
  const [{ ConfigError }, { DataLockBusyError }, { StoreError }, { describeEnvironmentError }] = await Promise.all([
    import("../config/config-error.js"),
    import("../store/data-lock.js"),
    import("../store/store-error.js"),
    import("../app/environment-words.js"),
  ]);
  if (error instanceof ConfigError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof DataLockBusyError) {
    say(error.message);
    return 1;
  }
  // The machine said no (disk full, read-only, locked, newer database): one line, the stack to the log.
  const environment = describeEnvironmentError(error, notedDataDir());
  if (environment) {
    say(environment);
    await logStack(error);
    return 1;
  }
  if (error instanceof StoreError) {
    say(error.message);
    await logStack(error);
    return 1;
  }
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  // Relative paths (the default ./shelfwise-data, `scan lib`) are resolved against a folder that is gone.
  if (syscall === "uv_cwd") {
    say("the current folder no longer exists (deleted or moved since this shell entered it): `cd` to a folder that exists, or give absolute paths (--data-dir /path/to/data)");
    return 1;
  }
  // Any other refusal of the file system (not a directory, name too long, too many open files): its own words suffice.
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code) && typeof syscall === "string") {
    say(`${(error as Error).message}; the command stopped there, and what it saved before is kept`);
    await logStack(error);
    return 1;
  }
  const logged = await logStack(error);
  const message = (error as Error)?.message ?? String(error);
  say(logged ? `unexpected error: ${message} (details in ${logged})` : `unexpected error: ${(error as Error)?.stack ?? message}`);
  return 1;
}

/** Writes the error with its stack to the data folder's log; the log file when that worked, else null. */
async function logStack(error: unknown): Promise<string | null> {
  const dataDir = notedDataDir();
  // A mistyped --data-dir must not get a logs folder made for it.
  if (!dataDir || !fs.existsSync(dataDir)) return null;
  const logs = path.join(dataDir, "logs");
  try {
    const { closeLogger, logWritable, openLogger } = await import("../app/logger.js");
    const log = openLogger(logs);
    log.error({ event: "command_failed", err: error }, (error as Error)?.message ?? String(error));
    const ok = logWritable(log);
    closeLogger(log);
    return ok ? path.join(logs, "shelfwise.log") : null;
  } catch {
    return null;
  }
}
