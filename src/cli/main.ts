import { CommanderError } from "commander";
import { ConfigError } from "../config/config-error.js";
import { onRecovery } from "../organize/recovery.js";
import { StoreError } from "../store/store-error.js";
import { UserError } from "./errors.js";
import { buildProgram } from "./program.js";

/** Runs the CLI and returns the exit code; errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Whatever the command, say when opening the database settled a move a crash interrupted.
  onRecovery((recovered) => {
    for (const r of recovered) {
      const what = r.outcome === "finished" ? `finished: book #${r.book_id} is at ${r.path}` : r.outcome === "rolled_back" ? `rolled back: book #${r.book_id} is at ${r.path}` : `could not settle book #${r.book_id}: ${r.error}`;
      process.stderr.write(`shelfwise: recovered an interrupted ${r.kind === "undo" ? "undo" : "move"} (journal ${r.move_id}): ${what}\n`);
    }
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    // A command that finished with something to report (apply with failed moves, undo refused) sets process.exitCode.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
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
