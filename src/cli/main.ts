import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-file.js";
import { StoreError } from "../store/database.js";
import { resolveDataDir } from "../app/data-dir.js";
import { UserError } from "./errors.js";
import { initCommand } from "./commands/init.js";
import { scanCommand } from "./commands/scan.js";
import { booksCommand, bookCommand } from "./commands/books.js";
import { processCommand } from "./commands/process.js";
import { layersCommand } from "./commands/layers.js";
import { registerPluginCommands } from "./commands/plugins.js";

const DATA_DIR_HELP = "data folder (config.json, secrets.json, shelfwise.db, plugins/); env SHELFWISE_DATA_DIR; default ./shelfwise-data";

/** Every command takes --data-dir; this keeps that true for commands added later. */
export function command(parent: Command, spec: string, description: string): Command {
  return parent.command(spec).description(description).option("--data-dir <dir>", DATA_DIR_HELP);
}

export function dataDirOf(options: { dataDir?: string }): string {
  return resolveDataDir(options.dataDir);
}

function buildProgram(): Command {
  const program = new Command("shelfwise")
    .description("Identify and organize a messy audiobook library")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  command(program, "init [library...]", "create the data folder, config.json and database; add library folders")
    .action((libraries: string[], opts) => initCommand(dataDirOf(opts), libraries));

  command(program, "scan [path...]", "find books in the library folders (a path given is added to library_paths)")
    .option("--json", "print the summary as JSON")
    .action((paths: string[], opts) => scanCommand(dataDirOf(opts), paths, opts));

  command(program, "process", "run the identification pipeline until every book passed every enabled layer")
    .option("--rerun", "clear earlier layer runs first (all layers, or the one given with --layer)")
    .option("--layer <id>", "run one layer only")
    .option("--json", "print the per-layer summary as JSON")
    .action((opts) => processCommand(dataDirOf(opts), opts));

  command(program, "books", "list books")
    .option("--status <status>", "only books with this status (new, pending, identified, needs_attention, missing)")
    .option("--json", "print as JSON")
    .action((opts) => booksCommand(dataDirOf(opts), opts));

  command(program, "book <id>", "show one book with the evidence for every field")
    .option("--json", "print as JSON")
    .action((id: string, opts) => bookCommand(dataDirOf(opts), id, opts));

  command(program, "layers", "list the pipeline's layers in execution order")
    .option("--json", "print as JSON")
    .action((opts) => layersCommand(dataDirOf(opts), opts));

  registerPluginCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
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
