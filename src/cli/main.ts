import { CommanderError } from "commander";
import { onRecovery } from "../organize/recovery-listeners.js";
import { UserError } from "./errors.js";
import { beQuiet, messageText } from "./output.js";
import { EXIT } from "../app/exit-codes.js";
import { finishedExitCode } from "./exit-status.js";
import { commandStarts } from "./command-state.js";
import { buildProgram, jsonOnStdout } from "./program.js";
import { recoveryLines } from "./recovery-lines.js";
import { bareGroup, helpRequest, refuseExtraWords } from "./help-request.js";
import { movesSettledAtOpen, stopOnInterrupt } from "./interrupt.js";
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
  return runCommand(argv);
}

/**
 * One command, without the process-wide handlers main() installs (stdout's
 * errors, stop signals): what main() runs, and what tests run in-process one
 * after another (test/support/cli-in-process.ts). What it sets up for the
 * command ends with it.
 */
export async function runCommand(argv: string[]): Promise<number> {
  commandStarts();
  beQuiet(false);
  const program = buildProgram();
  // Whatever the command, say when opening the database settled a move a crash interrupted.
  const stopListening = onRecovery((recovered) => {
    for (const line of recoveryLines(recovered)) process.stderr.write(line);
    if (recovered.length > 0) movesSettledAtOpen();
  });
  try {
    return await commandCode(program, argv);
  } finally {
    stopListening();
  }
}

async function commandCode(program: ReturnType<typeof buildProgram>, argv: string[]): Promise<number> {
  let code: number;
  try {
    const help = helpRequest(program, argv);
    if (!help) refuseExtraWords(program, argv);
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
      code = error instanceof UserError ? reportUserError(error) : await (await import("./session.js")).reportError(error);
    }
  }
  // A failed write to stdout is reported as an event after the write: let it arrive before the code is final.
  await new Promise((resolve) => setImmediate(resolve));
  return code === 0 && outputWasLost() ? 1 : code;
}

function reportUserError(error: UserError): number {
  process.stderr.write(`shelfwise: ${messageText(error.message)}\n`);
  return error.exitCode;
}
