/**
 * Every command and its options. Implementations are imported when a command
 * runs, so `--help` and quick commands do not load the whole pipeline.
 */
import { Command } from "commander";
import fs from "node:fs";
import { packageVersion } from "../config/package-root.js";
import { command, dataDirOf, DATA_DIR_HELP, WAIT_OPTION } from "./command-options.js";
import { wholeNumber } from "./numbers.js";
import { FIELD_NAMES } from "../domain/fields.js";
import { USER_VALUE_LIMITS } from "../domain/user-value.js";
import { UserError } from "./errors.js";
import { beQuiet, messageText } from "./output.js";
import { EXIT } from "../app/exit-codes.js";
import { registerSourcesCommands } from "./commands/sources.js";
import { checkOptionValues, refuseEmptyArguments, repeatable } from "./option-values.js";
import { readsOnly } from "./interrupt.js";

type Opts = { dataDir?: string; json?: boolean; wait?: string };
const plugins = () => import("./commands/plugins.js");

let helpToStderr = false;

/** `argv` holds --json: what commander prints for people (help, version) goes to stderr. */
export function jsonOnStdout(argv: readonly string[]): void {
  helpToStderr = argv.includes("--json");
}

export function buildProgram(): Command {
  const program = new Command("shelfwise")
    .description("Identify and organize a messy audiobook library")
    .addHelpText(
      "after",
      `
The whole flow (\`shelfwise status\` says where you are):
  shelfwise scan ~/Audiobooks       find books (\`shelfwise library list\`: the folders)
  shelfwise process                 identify them
  shelfwise book 12 --set title=X   correct what shelfwise got wrong
  shelfwise plan                    see the proposed moves and conflicts
  shelfwise apply --dry-run         exactly what apply would do
  shelfwise apply                   move (journaled; asks once)
  shelfwise undo --last 5           move books back; \`shelfwise history\` lists moves

--data-dir, --json, --quiet and --no-color go before or after the command. Exit codes: 0 done, 1 failure,
2 bad input (nothing was done), 3 finished with problems (\`process\`: layer errors or
plugin problems; \`scan\`: folders or files not read), 130 interrupted (Ctrl-C,
SIGTERM or SIGHUP).`,
    )
    .version(packageVersion())
    .exitOverride()
    // Commander's own errors (unknown option, missing argument) in the form of every other error.
    // They quote the word given, which may come from a file name (`shelfwise scan *`): shown safely.
    // With --json stdout is for JSON only: help asked for beside it goes to stderr, as a bare group's help does.
    .configureOutput({ writeOut: (text) => (helpToStderr ? process.stderr : process.stdout).write(text), outputError: (text, write) => write(`shelfwise: ${messageText(commanderErrorLine(text))}\n`) })
    // Global options work before the command too (`shelfwise --data-dir X scan`).
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--json", "print JSON (commands that support it)")
    .option("-q, --quiet", "no progress line and no notes on stderr (warnings and errors are still printed)")
    // shelfwise prints no colour at all; scripts and aliases that pass --no-color (or set NO_COLOR) must not be refused for it.
    .option("--no-color", "print no colour (shelfwise never does; accepted so that scripts passing it work)");
  program.hook("preAction", (_program, action) => {
    refuseEmptyArguments(action);
    inheritGlobalOptions(program, action);
  });

  command(program, "init [library...]", "create the data folder, config.json and database; add library folders")
    .option(...WAIT_OPTION)
    .action(async (libraries: string[], opts: Opts) => (await import("./commands/init.js")).initCommand(dataDirOf(opts), libraries, opts));

  command(program, "scan [path...]", "find books in the library folders (a path given is added to library_paths)")
    .option("--json", "print the summary as JSON")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`Rescans are incremental: unchanged books keep their results; vanished books are marked missing, never deleted. A PATH that does not exist or is not a folder: exit 2, nothing done. Exit 1 when no library folder can be read, 3 when something could not be read (each path named on stderr; its books are left as they were). Ctrl-C once the summary is printed (while the scan closes) loses nothing: the exit code is the scan's. Next: \`shelfwise process\`.`)}`)
    .action(async (paths: string[], opts: Opts) => (await import("./commands/scan.js")).scanCommand(dataDirOf(opts), paths, opts));

  const library = program.command("library").description("the library folders scan reads (library_paths in config.json): list, add, remove");
  const libraryRun = () => import("./commands/library.js");
  command(library, "list", "every library folder, checked on disk, with the books recorded under it")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`STATE says what a scan would find: ok, not there (a drive not mounted?), not a folder, cannot be read, or empty; a scan leaves the books of a folder that is not ok as they were. Reads only; exit 0.`)}`)
    .action((opts: Opts) => readsOnly("library list", async () => (await libraryRun()).libraryList(dataDirOf(opts), opts)));
  command(library, "add <path>", "add a library folder to library_paths (checked first; config.json keeps every other setting)")
    .option("--json", "print the change and the library folders as JSON")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`PATH is made absolute (relative to the current folder; \`~\` is your home folder). Refused (exit 2, nothing changed): a PATH that does not exist, is not a folder, cannot be read or is empty (an unmounted drive?), the root or your home folder, inside shelfwise's data folder or output_path, inside another library folder or holding one. A folder listed already changes nothing (exit 0). The same rules as the web app's Settings page. Next: \`shelfwise scan\`.`)}`)
    .action(async (folder: string, opts: Opts) => (await libraryRun()).libraryAdd(dataDirOf(opts), folder, opts));
  command(library, "remove <path>", "take a library folder out of library_paths; its files and the books recorded under it are kept")
    .option("--json", "print the change and the library folders as JSON")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`PATH as \`library list\` shows it, or as config.json writes it; it need not exist any more (a renamed or unmounted library). Nothing is deleted or moved: the books recorded under it stay in the database as they are (they still show in \`books\` and \`plan\`): a book whose files turn up under another library folder keeps its id and corrections there (parts a scan of the folder above reads as one book are retired into that book), and one whose files are gone from disk is marked missing by the next scan. A PATH not in the list: exit 2.`)}`)
    .action(async (folder: string, opts: Opts) => (await libraryRun()).libraryRemove(dataDirOf(opts), folder, opts));

  const config = program.command("config").description("the settings of config.json: list, get, set, unset, path");
  const settings = () => import("./commands/settings.js");
  command(config, "list", "every setting with its value, and whether config.json sets it or the default is used")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`Keys config.json holds that shelfwise does not use (a typo, a newer version's) are listed last and kept. Reads only; exit 0.`)}`)
    .action((opts: Opts) => readsOnly("config list", async () => (await settings()).configListCommand(dataDirOf(opts), opts)));
  command(config, "get <key>", "one setting's value (text as it is, anything else as JSON); plugin_configs.ID.KEY for a plugin's")
    .option("--json", "print the key, value, default and whether config.json sets it, as JSON")
    .option("--show-value", "print a setting of a plugin that is not installed (no manifest says whether it holds a secret, so it is not shown otherwise); a secret setting is never printed")
    .action((key: string, opts: Opts) => readsOnly("config get", async () => (await settings()).configGetCommand(dataDirOf(opts), key, opts)));
  command(config, "set <key> <value>", "set one setting, checked as config.json is read; every other key is kept")
    .option("--json", "print the change as JSON")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`VALUE is read as the key takes it: a number in decimal digits, as --wait takes one (\`set confidence_threshold 70\`; 1e3 is refused), true/false (also yes/no, on/off), null where the key may be null, a list as JSON or comma-separated (\`set sandbox_disable seccomp,landlock\`; an empty item is refused), else text. A plugin's setting is \`plugin_configs.ID.KEY\` (shelfwise's own, such as timeout, checked against their ranges; others: JSON if it reads as JSON, else text). Refused (exit 2, config.json not written), saying what the key accepts: a value out of range or of the wrong type, an unknown key (with the closest one), an output_path or plugin_dir with a line break or control character that names no existing folder, or that is a file (an output_path not made yet, not writable or on another device than a library folder is taken with a warning), library_paths (\`library add|remove\`), http_sources (edit config.json), and anything that looks like a secret (\`shelfwise secrets set NAME\`). The key at fault in an invalid config.json can be set right this way. Written atomically holding the data-folder lock; a running \`serve\` follows the change.`)}
  shelfwise config set confidence_threshold 70
  shelfwise config set plugin_configs.audible.timeout 60`)
    .action(async (key: string, value: string, opts: Opts) => (await settings()).configSetCommand(dataDirOf(opts), key, value, opts));
  command(config, "unset <key>", "remove a setting from config.json: its default is used again (an unknown key is removed too)")
    .option("--json", "print the change as JSON")
    .option(...WAIT_OPTION)
    .action(async (key: string, opts: Opts) => (await settings()).configUnsetCommand(dataDirOf(opts), key, opts));
  command(config, "path", "print the path of config.json (secrets.json is beside it)")
    .action((opts: Opts) => readsOnly("config path", async () => (await settings()).configPathCommand(dataDirOf(opts))));

  const secrets = program.command("secrets").description("the keys and tokens of secrets.json for plugins and HTTP sources: list, set, unset; values are never shown");
  command(secrets, "list", "every secret's name, whether it is set, and which plugin or HTTP source asks for it (never a value)")
    .option("--json", "print as JSON")
    .action((opts: Opts) => readsOnly("secrets list", async () => (await settings()).secretsListCommand(dataDirOf(opts), opts)));
  command(secrets, "set <name> [value...]", "set a secret: its value is read from stdin, or asked for (not shown) on a terminal, never from the command line")
    .option("--json", "print the change as JSON (never the value)")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`A value given as an argument is refused (exit 2): \`ps\` and your shell's history would show it. One line break ending piped input is dropped. secrets.json is written atomically, mode 0600, holding the data-folder lock; a running \`serve\` follows the change. web_token, the web app's access token, is made by \`serve\` and not set here.`)}
  shelfwise secrets set isbndb_key
  pass show isbndb | shelfwise secrets set isbndb_key`)
    .action(async (name: string, value: string[], opts: Opts) => (await settings()).secretsSetCommand(dataDirOf(opts), name, value, opts));
  command(secrets, "unset <name>", "remove a secret from secrets.json (unset web_token: the next `serve` makes a new access token)")
    .option("--json", "print the change as JSON")
    .option(...WAIT_OPTION)
    .action(async (name: string, opts: Opts) => (await settings()).secretsUnsetCommand(dataDirOf(opts), name, opts));

  command(program, "process", "run the identification pipeline until every book passed every enabled layer")
    .option("--rerun", "clear earlier layer runs first (all layers, or the one given with --layer)")
    .option("--layer <id>", "run one layer only")
    .option("--json", "print the per-layer summary as JSON")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`Ctrl-C stops without waiting for slow calls: calls in flight to plugins and web sources are dropped and their books stay pending; answers already in are kept; run \`process\` again to continue (exit 130). Exit 3 when layers failed on books or plugins did not run (summary on stderr). Next: \`shelfwise books\`, \`shelfwise plan\`.`)}`)
    .action(async (opts: Opts) => (await import("./commands/process.js")).processCommand(dataDirOf(opts), opts));

  command(program, "status", "the books per status, checked against the disk, and what to do next")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`The counts are those of \`shelfwise books\` (the database); each book's recorded place is also looked at on disk, so books moved or deleted outside shelfwise since the last scan are named (\`shelfwise scan\` records them). Books added since are found by \`scan\` only. Also named: the plugins, built-in layers and HTTP sources the next \`shelfwise process\` runs on books already processed (new, changed, or not run on some books; --json: plugin_layers_waiting, layers_waiting), found without starting any. Reads only; exit 0.`)}`)
    .action((opts: Opts) => readsOnly("status", async () => (await import("./commands/status.js")).statusCommand(dataDirOf(opts), opts)));

  command(program, "books", "list books")
    .option("--status <status>", "only books with these statuses, comma-separated (new, pending, identified, needs_attention, missing)")
    .option("--author <name>", "only books by this author (case and accents ignored, as in the web app)")
    .option("--series <name>", "only books of this series (case and accents ignored, as in the web app)")
    .option("--wide", "show every column in full, with the book's folder")
    .option("--json", "print as JSON")
    .action((opts: Opts) => readsOnly("books", async () => (await import("./commands/books.js")).booksCommand(dataDirOf(opts), opts)));

  command(program, "book <id>", "show one book with the evidence for every field; correct it with --set, --unset, --lock")
    .option("--json", "print as JSON")
    .option("--set <field=value>", "your value for a field (repeatable; any profile field: author, title, series, series_num, ...); it always wins", repeatable)
    .option("--unset <field>", "remove your value for a field (repeatable)", repeatable)
    .option("--lock", "keep the book out of the pipeline and out of plans")
    .option("--unlock", "let the pipeline and plans see the book again")
    .option(...WAIT_OPTION)
    .addHelpText(
      "after",
      `
${wrapped(`Fields: ${FIELD_NAMES.join(", ")}. A value is one line (no line breaks, tabs or control characters) of at most ${limitsText()} characters. --unset of a field you never set, and --lock of a locked book, change nothing and say so (exit 0): on stdout before the book, on stderr with --json.`)}
  shelfwise book 12 --set title="Storm Front" --set series_num=1
  shelfwise book 12 --unset title --lock`,
    )
    .action(async (id: string, opts: Opts & { set?: string[]; unset?: string[]; lock?: boolean; unlock?: boolean }) => {
      const book = await import("./commands/book.js");
      const edit = await import("./commands/book-edit.js");
      if (edit.hasEdits(opts)) {
        const bookId = wholeNumber(id);
        if (!Number.isSafeInteger(bookId) || bookId <= 0) return book.bookCommand(dataDirOf(opts), id, opts);
        await edit.editBook(dataDirOf(opts), bookId, opts);
        // The edit is recorded: a stop while the book is shown says the generic words (what was saved is kept).
        return book.bookCommand(dataDirOf(opts), id, opts);
      }
      return readsOnly("book", () => book.bookCommand(dataDirOf(opts), id, opts));
    });

  command(program, "plan", "list proposed moves: old path, new path, confidence, fields that change, conflicts")
    .option("--min-confidence <n>", "only books at or above this confidence")
    .option("--status <s>", "statuses to plan, comma-separated (default identified)")
    .option("--all", "also list books already in place")
    .option("--wide", "show the paths in full (reasons are never cut)")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`Nothing is moved: a proposal that conflicts (same target, target exists, inside another book...) is held back with the reason. Next: \`shelfwise apply --dry-run\`, then \`shelfwise apply\`.`)}`)
    .action((opts: Opts) => readsOnly("plan", async () => (await import("./commands/plan.js")).planCommand(dataDirOf(opts), opts)));

  command(program, "apply [id...]", "move books to their proposed places (all planned moves, or the given book ids), journaled and undoable")
    .option("--dry-run", "print exactly what would happen and touch nothing")
    .option("--yes", "do not ask (required when not on a terminal)")
    .option(...WAIT_OPTION)
    .option("--min-confidence <n>", "only books at or above this confidence")
    .option("--status <s>", "statuses to apply, comma-separated (default identified; not with book ids)")
    .option("--json", "print the report as JSON")
    .addHelpText("after", `\n${wrapped(`Without --yes it asks once on a terminal and refuses (exit 2) elsewhere and with --json; the moves asked about are the ones made: a book proposed, or a target changed, while the question waited is not moved (exit 1, with the reason). Every move is journaled; nothing is overwritten, and only folders left empty are removed. Exit 1 when a move failed (the book stays where it was). A move that left files at the old place (a file the system would not remove, or one written to during a copy) stands and says which (a \`shelfwise: note:\` on stderr, left_behind in --json). Ctrl-C stops between two chunks of moves: the books moved stay moved and are listed, the rest are not started (exit 130). Undo with \`shelfwise undo --last N\` or \`shelfwise undo MOVE_ID\` (\`shelfwise history\` lists them).`)}`)
    .action(async (ids: string[], opts: Opts & { dryRun?: boolean }) => {
      const apply = async () => (await import("./commands/apply.js")).applyCommand(dataDirOf(opts), ids, opts);
      return opts.dryRun ? readsOnly("apply --dry-run", apply) : apply();
    });

  command(program, "undo [move...]", "move books back (journal ids from `history`, or --last N); an undone book stays locked")
    .option("--last <n>", "undo the last N applied moves not undone yet (one whose book was moved back or away by hand is not counted: see below)")
    .option("--dry-run", "print exactly what undo would do and refuse, and touch nothing")
    .option(...WAIT_OPTION)
    .option("--json", "print the report as JSON")
    .addHelpText("after", `\n${wrapped(`Give move ids or --last N, not both. A book is not moved back (exit 1, with the reason) when its old place is taken, its files changed since, or it moved again. With --last N, a move whose book is no longer where it put it is not counted, so the moves before it are still reached: one found back at its old place by a scan is settled (\`settled:\`, journaled as undone), one moved elsewhere or found missing is set aside once (\`set aside:\`, a failed undo row in \`history\`) and passed over by later runs; neither is an error (exit 0). \`shelfwise undo MOVE_ID\` still explains it. Ctrl-C stops between two chunks: the books moved back stay so and are listed, the rest are not started (exit 130). A book moved back is locked so plans leave it alone: \`shelfwise book ID --unlock\` lets them propose it again. --dry-run judges every move as undo would and prints what it would move back, settle, set aside and refuse, with the same reasons; it writes nothing (exit 0).`)}`)
    .action(async (ids: string[], opts: Opts & { dryRun?: boolean }) => {
      const undo = async () => (await import("./commands/undo.js")).undoCommand(dataDirOf(opts), ids, opts);
      return opts.dryRun ? readsOnly("undo --dry-run", undo) : undo();
    });

  command(program, "history", "applied moves and undos, newest first")
    .option("--limit <n>", "only the last N")
    .option("--offset <n>", "skip the newest N (pages of a long history, with --limit)")
    .option("--book <id>", "only this book's moves")
    .option("--wide", "show the paths in full")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`The MOVE column is the id \`shelfwise undo MOVE_ID\` takes; NOTE says which move undid or was undone, a move recovered after a crash, the files a loose book took along, and why a move failed or which files it left at the old place. With --offset the last line says which moves are shown (moves 11-20 of 57). Times are this computer's local time with their offset from UTC; --json gives them in UTC.`)}`)
    .action((opts: Opts) => readsOnly("history", async () => (await import("./commands/history.js")).historyCommand(dataDirOf(opts), opts)));

  command(program, "layers", "list the pipeline's layers in execution order")
    .option("--json", "print as JSON")
    .action((opts: Opts) => readsOnly("layers", async () => (await import("./commands/layers.js")).layersCommand(dataDirOf(opts), opts)));

  command(program, "serve", "serve the web app and its JSON API (the pipeline runs inside; Ctrl-C stops it)")
    .option("--host <address>", "address to bind; anything but 127.0.0.1 needs the access token", "127.0.0.1")
    .option("--port <port>", "port", "8790")
    .option("--scan-every <minutes>", "rescan the library folders (then process) every this many minutes")
    .action(async (opts: Opts & { host?: string; port?: string; scanEvery?: string }) => (await import("./commands/serve.js")).serveCommand(dataDirOf(opts), opts));

  const group = program.command("plugins").description("drop-in plugins: list, health, logs, enable, grant secrets, validate, scaffold, test");
  command(group, "list", "every folder in the plugin directory with its state, its secrets (granted, or whose they are) and its manifest warnings")
    .option("--json", "print as JSON")
    .option("--probe", "start every active plugin once to check it loads (else its last recorded start says; no plugin code runs)")
    .action((opts: Opts) =>
      readsOnly("plugins list", async () => {
        const p = await plugins();
        return p.pluginsCommand(dataDirOf(opts), p.listPlugins, opts);
      }),
    );
  command(group, "health", "success rate, durations, failures and recent errors per plugin")
    .option("--json", "print as JSON")
    .option("--probe", "start every active plugin once to check it loads (else its last recorded start says; no plugin code runs)")
    .action((opts: Opts) =>
      readsOnly("plugins health", async () => {
        const p = await plugins();
        return p.pluginsCommand(dataDirOf(opts), p.pluginHealth, opts);
      }),
    );
  command(group, "logs <id>", "a plugin's last 20 calls, where its output log is (logs/plugins/ID.log; an older one ID.log.1) and its last 20 lines")
    .option("--json", "print as JSON")
    .action((id: string, opts: Opts) =>
      readsOnly("plugins logs", async () => {
        const p = await plugins();
        return p.pluginsCommand(dataDirOf(opts), p.pluginLogs, id, opts);
      }),
    );
  for (const [action, text] of [
    ["enable", "switch a plugin on"],
    ["disable", "switch a plugin off (it keeps its evidence)"],
    ["reset", "re-enable an auto-disabled plugin, clear its failure count and retry the books it failed"],
  ] as const) {
    command(group, `${action} <id>`, text)
      .option(...WAIT_OPTION)
      .action(async (id: string, opts: Opts) => (await plugins()).switchPluginCommand(dataDirOf(opts), id, action, opts.wait));
  }
  command(group, "grant <id> <secret...>", "share with a plugin secrets of secrets.json it declares that another plugin has, or give back revoked ones")
    .option(...WAIT_OPTION)
    .addHelpText("after", `\n${wrapped(`secrets.json is a flat map of names: a name belongs to the plugins that first ask for it (granted then, with no step), so a plugin dropped in later that asks for the same name does not get the key added for another. Such a plugin, or one whose secret was revoked, is skipped while the secret is set, its reason naming this command. A revoke sticks: the plugin is not granted the name again by itself. \`plugins list --json\` shows what each plugin asks for (requires_secrets), holds (granted_secrets) and had revoked (revoked_secrets).`)}`)
    .action(async (id: string, names: string[], opts: Opts) => (await plugins()).grantCommand(dataDirOf(opts), id, names, "grant", opts.wait));
  command(group, "revoke <id> <secret...>", "take secrets back from a plugin (it is skipped until granted again)")
    .option(...WAIT_OPTION)
    .action(async (id: string, names: string[], opts: Opts) => (await plugins()).grantCommand(dataDirOf(opts), id, names, "revoke", opts.wait));
  command(group, "validate <dir>", "check a plugin folder: manifest, module load, and setup with its configured config")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`Prints the manifest's warnings (an unknown key with the key it was likely meant as) and \`ok: ID (RUNTIME) loads and sets up\`. Exit 1 when it is not valid or cannot start, every problem named: a misspelt required key, an entry_point not found (with the entry files the folder has), a JSON syntax error's line and column, a key of requires_config or requires_secrets missing here.`)}`)
    .action((dir: string, opts: Opts) =>
      readsOnly("plugins validate", async () => {
        const p = await plugins();
        return p.pluginsCommand(dataDirOf(opts), p.validateCommand, dir, opts);
      }),
    );
  command(group, "new <id>", "write a plugin scaffold (it answers nothing until you write its logic), with a test, into the plugin directory")
    // The group's summary and the docs call it the scaffold: `plugins scaffold ID` was an unknown command.
    .alias("scaffold")
    .option("--lang <lang>", "ts, js or python (default js)")
    .option("--runtime <runtime>", "the same as --lang, in the manifest's words: node (js), ts or python")
    .action(async (id: string, opts: Opts & { lang?: string; runtime?: string }) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.newCommand, id, p.scaffoldLang(opts));
    });
  command(group, "test <dir>", "run a plugin, isolated, on one book after the built-in layers")
    .requiredOption("--book <path>", "a book folder or audio file")
    .option("--library <root>", "the library folder the book is read from (default: see below)")
    .option("--json", "print as JSON")
    .addHelpText("after", `\n${wrapped(`Prints what the plugin received, its outcome and answer, which values were accepted or rejected and why, then what it printed during the run (print, console, logging, a traceback or stack with file and line: the last 20 lines; output in --json) and the path of its full log. The book's folders are read as a scan of its library would read them (author, series): the library folder is --library ROOT, else the library folder of config.json holding the book, else the first folder of the --book path below the current folder (\`--book "lib/Frank Herbert/Dune"\` reads \`lib\` as the library; in the library itself give \`--library .\`), else the folder holding the book; the report names it. Exit 1 when the call failed (it threw, timed out, crashed or returned something unusable): the report is still printed.`)}`)
    .action(async (dir: string, opts: Opts & { book: string; library?: string }) => {
      const p = await plugins();
      return p.pluginsCommand(dataDirOf(opts), p.testCommand, dir, opts);
    });
  registerSourcesCommands(program);
  checkOptionValues(program);
  argumentsBeforeRequiredOptions(program);
  unknownOptionsNameTheKnown(program);
  return program;
}

/**
 * Commander checks required options before arguments, so `sources test` (no ID) complained about --title, and
 * naming it then got the missing ID: the missing argument is named first, as by every command without a required
 * option. The options stay required, checked after the arguments (preAction runs after them) with commander's words.
 */
function argumentsBeforeRequiredOptions(root: Command): void {
  const walk = (command: Command): void => {
    const required = command.options.filter((option) => option.mandatory);
    for (const option of required) option.makeOptionMandatory(false);
    if (required.length > 0) {
      command.hook("preAction", (_command, action) => {
        const missing = required.find((option) => action.getOptionValue(option.attributeName()) === undefined);
        if (missing) action.error(`error: required option '${missing.flags}' not specified`, { code: "commander.missingMandatoryOptionValue" });
      });
    }
    command.commands.forEach(walk);
  };
  walk(root);
}

/**
 * Commander suggests a known option only when the unknown one is spelt close to it: `plugins new --runtime`
 * got "unknown option" and no hint that the option is --lang. With no close one, the command's options are
 * listed, so the fix is on the line that refused it.
 */
function unknownOptionsNameTheKnown(root: Command): void {
  const captured = Symbol("captured");
  const walk = (command: Command): void => {
    const patched = command as Command & { unknownOption(flag: string): void };
    const original = patched.unknownOption;
    patched.unknownOption = function (this: Command, flag: string) {
      // `--json=false`, `--quiet=0`: a switch given a value is read by commander as an unknown option, and the list
      // of known ones then names the very option typed. Said as what it is: a switch takes no value.
      const given = /^(--[^=]+)=/.exec(flag)?.[1];
      const switchOption = given === undefined ? undefined : [this, root].flatMap((c) => c.options).find((option) => option.long === given && !option.required && !option.optional);
      if (switchOption !== undefined) {
        this.error(`${given} takes no value (got ${JSON.stringify(flag)}): give ${given} alone to switch it on, or leave it out`, { code: "commander.unknownOption" });
      }
      let message: string | null = null;
      const error = this.error;
      this.error = ((text: string) => {
        message = text;
        throw captured;
      }) as Command["error"];
      try {
        original.call(this, flag);
      } catch (thrown) {
        if (thrown !== captured) throw thrown;
      } finally {
        this.error = error;
      }
      if (message === null) return;
      const longs = (command: Command) => command.createHelp().visibleOptions(command).map((option) => option.long).filter((long): long is string => long !== undefined && long !== "--help");
      const own = longs(this);
      // The global options work after the command too (--quiet, --no-color, --data-dir): a list without them sent the
      // user to --help for an option this command does take. --json only where the command prints JSON (inheritGlobalOptions).
      const globals = this === root ? [] : longs(root).filter((long) => long !== "--version" && !own.includes(long) && (long !== "--json" || own.includes("--json")));
      const known = [...own, ...globals];
      const text: string = message;
      const name = [this.parent && this.parent !== root ? this.parent.name() : null, typedName(root, this)].filter(Boolean).join(" ");
      // `shelfwise library add -dash`: a folder or file of that name is meant, not an option: say how to give it.
      const path = this === root ? null : pathNamed(flag);
      const asPath = path === null ? "" : `\n(${flag} is also a ${path} here: to mean it, put -- before it: \`shelfwise ${name} -- ${flag}\`)`;
      this.error(`${/Did you mean/.test(text) || known.length === 0 ? text : `${text}\n(${name} takes ${known.join(", ")})`}${asPath}`, { code: "commander.unknownOption" });
    };
    command.commands.forEach(walk);
  };
  walk(root);
}

/**
 * The command's name as the user typed it: `plugins scaffold --bogus` was answered "plugins new takes ...", a command
 * the user never named. The first word after the parent's that is the command's name or one of its aliases.
 */
function typedName(root: Command, command: Command): string {
  const names = [command.name(), ...command.aliases()];
  // rawArgs is set by parse() on the root; commander does not declare it in its types.
  const words: string[] = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const parent = command.parent && command.parent !== root ? words.indexOf(command.parent.name()) : -1;
  const typed = words.slice(parent + 1).find((word) => names.includes(word));
  return typed ?? command.name();
}

/** "folder" or "file" when `word` names one from the current folder, else null. */
function pathNamed(word: string): string | null {
  try {
    return fs.statSync(word).isDirectory() ? "folder" : "file";
  } catch {
    return null;
  }
}

/**
 * Copies the global options given before the command onto the command, unless
 * the command was given its own; `--json` only to commands that take it.
 */
function inheritGlobalOptions(program: Command, action: Command): void {
  const globals = program.opts<{ dataDir?: string; json?: boolean; quiet?: boolean }>();
  const own = action.opts<{ dataDir?: string; json?: boolean }>();
  beQuiet(globals.quiet === true);
  const takes = (flag: string) => action.options.some((o) => o.long === flag);
  // Commander reads program options anywhere on the line, so `init --json` reaches here too: a script
  // asking for JSON must not get a line of text on stdout and exit 0.
  if (globals.json && !takes("--json")) {
    const name = [action.parent !== program ? action.parent?.name() : null, action.name()].filter(Boolean).join(" ");
    throw new UserError(`\`${name}\` prints no JSON (docs/cli-json.md lists the commands that do); leave --json out`, EXIT.badInput);
  }
  if (globals.dataDir !== undefined && own.dataDir === undefined && takes("--data-dir")) action.setOptionValue("dataDir", globals.dataDir);
  if (globals.json && !own.json && takes("--json")) action.setOptionValue("json", true);
}

/** "authors, title, subtitle 500; author, narrator, series 300; ...": the limits of `book --set`, longest first. */
function limitsText(): string {
  const byLimit = new Map<number, string[]>();
  for (const [field, limit] of Object.entries(USER_VALUE_LIMITS)) byLimit.set(limit, [...(byLimit.get(limit) ?? []), field]);
  return [...byLimit].sort(([a], [b]) => b - a).map(([limit, fields]) => `${fields.join(", ")} ${limit}`).join("; ");
}

/** Help text wrapped as commander wraps its own (80 columns); a `code span` is never broken over two lines. */
function wrapped(text: string, width = 80): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.match(/(?:`[^`]*`|\S)+/g) ?? []) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line].join("\n");
}

/**
 * Commander's error as one line, as every other error is (README: one `shelfwise: ...` line, so a script
 * reading the last line of stderr gets the reason): its hint lines (`(Did you mean books?)`) join the
 * message, and the pointer to --help ends it, as `shelfwise help WORD` words an unknown command.
 */
export function commanderErrorLine(text: string): string {
  const [message = "", ...hints] = text.replace(/^error: /, "").trimEnd().split("\n");
  const extra = hints.map((hint) => hint.trim().replace(/^\((.*)\)$/, "$1").replace(/^Did you mean/, "did you mean")).filter((hint) => hint !== "");
  return `${message.replace(/\.$/, "")}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}; run with --help for usage`;
}
