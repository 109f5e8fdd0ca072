/**
 * Every command and its options. Implementations are imported when a command
 * runs, so `--help` and quick commands do not load the whole pipeline.
 */
import { Command } from "commander";
import { command, dataDirOf, WAIT_OPTION } from "./command-options.js";
import { registerSourcesCommands } from "./commands/sources.js";

type Opts = { dataDir?: string; json?: boolean; wait?: string };
const plugins = () => import("./commands/plugins.js");

export function buildProgram(): Command {
  const program = new Command("shelfwise")
    .description("Identify and organize a messy audiobook library")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  command(program, "init [library...]", "create the data folder, config.json and database; add library folders")
    .option(...WAIT_OPTION)
    .action(async (libraries: string[], opts: Opts) => (await import("./commands/init.js")).initCommand(dataDirOf(opts), libraries, opts));

  command(program, "scan [path...]", "find books in the library folders (a path given is added to library_paths)")
    .option("--json", "print the summary as JSON")
    .option(...WAIT_OPTION)
    .action(async (paths: string[], opts: Opts) => (await import("./commands/scan.js")).scanCommand(dataDirOf(opts), paths, opts));

  command(program, "process", "run the identification pipeline until every book passed every enabled layer")
    .option("--rerun", "clear earlier layer runs first (all layers, or the one given with --layer)")
    .option("--layer <id>", "run one layer only")
    .option("--json", "print the per-layer summary as JSON")
    .option(...WAIT_OPTION)
    .action(async (opts: Opts) => (await import("./commands/process.js")).processCommand(dataDirOf(opts), opts));

  command(program, "books", "list books")
    .option("--status <status>", "only books with this status (new, pending, identified, needs_attention, missing)")
    .option("--json", "print as JSON")
    .action(async (opts: Opts) => (await import("./commands/books.js")).booksCommand(dataDirOf(opts), opts));

  command(program, "book <id>", "show one book with the evidence for every field")
    .option("--json", "print as JSON")
    .action(async (id: string, opts: Opts) => (await import("./commands/books.js")).bookCommand(dataDirOf(opts), id, opts));

  command(program, "layers", "list the pipeline's layers in execution order")
    .option("--json", "print as JSON")
    .action(async (opts: Opts) => (await import("./commands/layers.js")).layersCommand(dataDirOf(opts), opts));

  const group = program.command("plugins").description("drop-in plugins: list, health, logs, enable, validate, scaffold, test");
  command(group, "list", "every folder in the plugin directory with its state")
    .option("--json", "print as JSON")
    .action(async (opts: Opts) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.listPlugins, opts);
    });
  command(group, "health", "success rate, durations, failures and recent errors per plugin")
    .option("--json", "print as JSON")
    .action(async (opts: Opts) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.pluginHealth, opts);
    });
  command(group, "logs <id>", "a plugin's last 20 calls")
    .option("--json", "print as JSON")
    .action(async (id: string, opts: Opts) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.pluginLogs, id, opts);
    });
  for (const [action, text] of [
    ["enable", "switch a plugin on"],
    ["disable", "switch a plugin off (it keeps its evidence)"],
    ["reset", "re-enable an auto-disabled plugin, clear its failure count and retry the books it failed"],
  ] as const) {
    command(group, `${action} <id>`, text)
      .option(...WAIT_OPTION)
      .action(async (id: string, opts: Opts) => (await plugins()).switchPluginCommand(dataDirOf(opts), id, action, opts.wait));
  }
  command(group, "validate <dir>", "check a plugin folder: manifest, module load, and setup with its configured config")
    .option("--json", "print as JSON")
    .action(async (dir: string, opts: Opts) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.validateCommand, dir, opts);
    });
  command(group, "new <id>", "write a working plugin scaffold, with a test, into the plugin directory")
    .option("--lang <lang>", "ts, js or python", "js")
    .action(async (id: string, opts: Opts & { lang: string }) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.newCommand, id, opts.lang);
    });
  command(group, "test <dir>", "run a plugin, isolated, on one book after the built-in layers")
    .requiredOption("--book <path>", "a book folder or audio file")
    .option("--json", "print as JSON")
    .action(async (dir: string, opts: Opts & { book: string }) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.testCommand, dir, opts);
    });
  registerSourcesCommands(program);
  return program;
}
