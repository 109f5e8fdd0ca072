/**
 * The exit codes of every command, documented in README.md and
 * docs/cli-json.md (generated from EXIT_CODE_DOCS).
 */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  failure: 1,
  badInput: 2,
  /** Finished, but not everything was done: layers failed on books, plugins did not run, a scan could not read everything. */
  partial: 3,
  /** Stopped by Ctrl-C, SIGTERM or SIGHUP (issue #12 defines one code for an interruption, whichever signal). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The signals every long command stops on. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * 130 for every stop signal. A shell would show 143 for SIGTERM and 129 for
 * SIGHUP, but the command was not killed by them: it stopped cleanly, kept
 * its work and said so, and scripts test one documented "interrupted" code.
 */
export function stoppedBy(_signal: StopSignal): typeof EXIT.interrupted {
  return EXIT.interrupted;
}

const STOPPED = "work done so far is kept, run the command again to continue";

export const EXIT_CODE_DOCS: readonly { code: ExitCode; meaning: string }[] = [
  { code: EXIT.ok, meaning: "done: everything asked for was done" },
  { code: EXIT.failure, meaning: "failure: the command could not do its work (stderr says why)" },
  {
    code: EXIT.badInput,
    meaning:
      "bad input: unknown command or option, no command (bare `shelfwise` or a bare group such as `shelfwise plugins`: its help is printed on stdout, or on stderr with `--json`), invalid argument, an empty option value or argument, a one-value option given twice with different values, invalid `config.json`, no data folder where one must exist (or an empty `SHELFWISE_DATA_DIR`), or an id or name that names nothing (a book, move, plugin, HTTP source, layer or status; a plugin or `--book` folder that does not exist; an `init`/`scan` library PATH that does not exist or is not a folder; a `library add` PATH refused, a `library remove` PATH not listed; a `config set` value its key does not accept, an unknown config key, a `secrets set` value given on the command line or empty); nothing was done",
  },
  {
    code: EXIT.partial,
    meaning:
      "finished with problems: `process` finished, but layers failed on some books, or plugins failed to load, are invalid, skipped or auto-disabled; `scan` finished, but some folders or files could not be read (permission denied, a library folder missing, or empty while books are recorded under it, a link loop, a name that is not UTF-8), whose books were left as they were. stderr ends with `finished with problems (exit code 3)` and a summary naming each layer, its error count and most common error, each plugin that did not run, each path not read (the same facts are in `--json`); `apply ID...` (books given by id) moved none of them: each was held back (`held`: a conflict, a lock) or already in place, at least one held; stderr says `none of the given books moved` (without ids, nothing to move is exit 0)",
  },
  {
    code: EXIT.interrupted,
    meaning: `interrupted (Ctrl-C, SIGTERM, or SIGHUP when the terminal closes or an SSH connection drops), in every command: stderr says so; ${STOPPED}. \`serve\` is the exception: Ctrl-C, SIGTERM or SIGHUP is how a server is stopped, so a clean stop exits 0 (a second signal, stopping at once, exits 130). A signal after \`scan\` printed its summary (while it closes) interrupts nothing: the scan is recorded, and it exits at once with the scan's own code (0, or 3), saying nothing more. A stop that comes once \`apply\` or \`undo\` has nothing left to start (during its last chunk, while the report is printed, or while it closes) interrupts nothing: it says the run finished, with nothing to recover, and exits with the run's own code (0, or 1 when a move failed); one that leaves books not started says how many (exit 130). A first Ctrl-C after \`process\` printed its summary says the run had finished and waits for plugins to shut down (a second stops them, exit 130). \`sources test\` and \`plugins test\` record nothing: stopped, they say what was stopped and that nothing was lost (exit 130). So do the commands that only read (\`status\`, \`books\`, \`book ID\` without changes, \`plan\`, \`apply --dry-run\`, \`history\`, \`layers\`, \`library list\`, \`config list\`/\`get\`/\`path\`, \`secrets list\`, \`plugins list\`/\`health\`/\`logs\`/\`validate\`, \`sources list\`): stopped, they say that nothing was recorded or changed (exit 130: their output was cut short); when opening the database first settled moves a crash interrupted (named on stderr), it says those are recorded. A stop once \`book ID --set\`/\`--unset\`/\`--lock\` or \`library add\`/\`remove\`, \`config set\`/\`unset\` or \`secrets set\`/\`unset\` saved its change (while it prints) says the change is saved and exits 0; Ctrl-C at \`secrets set\`'s prompt changes nothing (exit 130). With \`--json\`, \`process\`, \`apply\` and \`undo\` say it in the JSON too: \`interrupted\` true and \`exit_code\` 130.`,
  },
];
