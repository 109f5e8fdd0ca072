import { CommanderError } from "commander";
import { ConfigError } from "../config/config-error.js";
import { StoreError } from "../store/store-error.js";
import { UserError } from "./errors.js";
import { finishedExitCode } from "./exit-status.js";
import { buildProgram } from "./program.js";

/** Runs the CLI and returns the exit code; errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return finishedExitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander already printed its message.
      return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    if (error instanceof UserError || error instanceof ConfigError) {
      process.stderr.write(`shelfwise: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof StoreError) {
      process.stderr.write(`shelfwise: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`shelfwise: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
