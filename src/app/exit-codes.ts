/**
 * The exit codes of every command, documented in README.md and
 * docs/cli-json.md (generated from EXIT_CODE_DOCS).
 */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  failure: 1,
  badInput: 2,
  /** Finished, but layers failed on books or plugins are disabled / failed. */
  partial: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_DOCS: readonly { code: ExitCode; meaning: string }[] = [
  { code: EXIT.ok, meaning: "done: everything asked for was done" },
  { code: EXIT.failure, meaning: "failure: the command could not do its work (stderr says why)" },
  {
    code: EXIT.badInput,
    meaning:
      "bad input: unknown command or option, invalid argument, an empty option value or argument, a one-value option given twice with different values, invalid `config.json`, no data folder where one must exist (or an empty `SHELFWISE_DATA_DIR`), or an id or name that names nothing (a book, move, plugin, HTTP source, layer or status; a plugin or `--book` folder that does not exist); nothing was done",
  },
  {
    code: EXIT.partial,
    meaning:
      "`process` finished, but layers failed on some books, or plugins failed to load, are invalid, skipped or auto-disabled; stderr ends with a summary naming each layer, its error count and most common error, and each plugin that did not run (the same facts are in `--json`)",
  },
  { code: EXIT.interrupted, meaning: "interrupted (Ctrl-C, SIGTERM, a hang-up: SIGHUP when the terminal closes), in every command: stderr says so; work done so far is kept, run the command again to continue. `serve` is the exception: Ctrl-C or SIGTERM is how a server is stopped, so a clean stop exits 0 (a second Ctrl-C, stopping at once, exits 130)" },
];
