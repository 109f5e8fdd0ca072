/** `plugins validate DIR --json` and `plugins test DIR --book PATH --json`: a plugin author's checks. */
import { z } from "zod";
import { CALL_OUTCOMES } from "./call-log.js";
import { viewDoc } from "./view.js";

export const PluginValidateView = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    id: z.string(),
    runtime: z.enum(["node", "python"]),
    warnings: z.array(z.string()).describe("manifest warnings"),
    types_checked: z
      .literal(false)
      .optional()
      .describe("present for a TypeScript plugin: shelfwise strips its types without checking them (a type error still loads and runs); check them with `npx -p typescript tsc --noEmit` in the folder"),
  }),
  z.object({
    ok: z.literal(false),
    errors: z
      .array(z.string())
      .describe("one manifest problem per entry; or, when `requires_config` / `requires_secrets` keys are missing from this data folder, `missing config: add \"KEY\" to \"plugin_configs\": { \"ID\": { ... } } in …/config.json` and `missing secrets: add \"KEY\" to …/secrets.json (…)`; or the start failure (`load: …`, `setup: …`, ...) followed by the log path"),
    output: z
      .array(z.string())
      .optional()
      .describe("when the plugin failed to start: what it printed meanwhile (its own debugging lines, the traceback or stack with file and line), its last 20 lines as `plugins test` shows a call's; absent when it printed nothing"),
  }),
]);
export type PluginValidateView = z.infer<typeof PluginValidateView>;

export const pluginValidateDoc = viewDoc(PluginValidateView, "`plugins validate DIR --json`", "Valid: `ok: true` (exit 0). Not valid: `ok: false` with the problems (exit 1; stderr also says `shelfwise: plugin in DIR is not valid`, or `... cannot run` when only config or secrets are missing). A DIR that does not exist or is not a folder: exit 2, stdout empty.", {
    ok: false,
    errors: [
      'setup: setup() failed: the catalogue\'s header must name a "title" and an "author" column (got: name, writer)',
      "(see the plugin log: …/data/logs/plugins/local-catalogue.log)",
    ],
  });

const FieldValue = z.object({ field: z.string(), value: z.string() });

export const PluginTestView = z.object({
  ok: z
    .boolean()
    .describe(
      "true when the plugin answered (`ok`, `no_result`, `skipped`); false when the call failed (`error`: it threw, `timeout`, `crash`, `invalid_output`): the exit code is then 1",
    ),
  plugin_id: z.string(),
  book: z.string().describe("the `--book` path, absolute"),
  library_root: z.string().describe("the library folder the book was read from (the path layer reads author and series from the folders between it and the book)"),
  library_root_from: z
    .enum(["option", "config", "current_folder", "parent"])
    .describe("why that folder: `--library`; a library folder of config.json holding the book; the first folder of a `--book` below the current folder (`lib/Frank Herbert/Dune`: `lib`); else the folder holding the book (a lone audio file: the one above it)"),
  layer_errors: z.array(z.object({ layer_id: z.string(), error: z.string() })).describe("problems of the built-in layers run first (path, embedded tags, sidecar)"),
  received: z.record(z.string(), z.unknown()).describe("the `book` as the plugin got it (plugins.md#the-book)"),
  outcome: z.enum(CALL_OUTCOMES).describe("as in `plugins logs`; `ok` only when a value was accepted"),
  returned: z.unknown().describe("what `process` returned, as JSON; null for `skipped` and failures"),
  accepted: z.array(FieldValue).describe("values that became evidence"),
  rejected: z.array(FieldValue.extend({ reason: z.string() })).describe("values refused by the garbage checks"),
  warnings: z.array(z.string()).describe("ignored unknown fields, values with control characters"),
  error: z.string().nullable().describe("the failure's message"),
  duration_ms: z.number().describe("wall time of the call, rounded to 0.1 ms"),
  output: z
    .array(z.string())
    .describe("what the plugin printed during this run (print, console, logging, the traceback of what it threw; shelfwise's network refusals), its last 20 lines, each cut to 300 characters; secrets masked as in its log"),
  log_file: z.string().nullable().describe("the plugin's output log, which holds all of it"),
});
export type PluginTestView = z.infer<typeof PluginTestView>;

export const pluginTestDoc = viewDoc(PluginTestView, "`plugins test DIR --book PATH --json`", "One object: what the plugin received and returned for the book, and what became evidence.", {
    ok: true,
    plugin_id: "local-catalogue",
    book: "…/library/Dune - Frank Herbert/Dune.flac",
    library_root: "…/library",
    library_root_from: "config",
    layer_errors: [],
    received: { book_id: 1, path: "…/library/Dune - Frank Herbert/Dune.flac", current_title: "Dune", "…": "…" },
    outcome: "ok",
    returned: { narrator: "Scott Brick", series: "Dune" },
    accepted: [
      { field: "narrator", value: "Scott Brick" },
      { field: "series", value: "Dune" },
    ],
    rejected: [],
    warnings: [],
    error: null,
    duration_ms: 3.2,
    output: ["INFO local_catalogue: 2 rows read"],
    log_file: "…/data/logs/plugins/local-catalogue.log",
  }, "Exit 0 when the plugin answered; exit 1 when the call failed (this object with `ok: false`, the outcome and the error; stderr says so too). When the plugin cannot run at all (invalid, skipped, start failure) stdout holds `{ \"ok\": false, \"errors\": [...] }`; stderr says why and the exit code is 1. A DIR or `--book` that does not exist: exit 2, stdout empty.");
