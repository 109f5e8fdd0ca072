/** `process --json` (and the API's run result): what one pipeline run did, per layer. */
import { z } from "zod";
import { viewDoc } from "./view.js";

const count = (meaning: string) => z.number().int().min(0).describe(meaning);

export const LayerRunSummaryView = z.object({
  layer_id: z.string(),
  processed: count("books that got a run of this layer (ok, error or skipped)"),
  evidence_added: count(
    "claims the layer made that passed the result checks (garbage-checked values included; they become `rejected` entries)",
  ),
  errors: count("books the layer failed on (for plugins: error, timeout, crash, invalid_output, and not_run: books a give-up left that never reached the plugin)"),
  skipped: count("books the layer skipped"),
  seconds: z.number().describe("wall time, rounded to the millisecond (0.068)"),
  warnings: z.array(z.string()).describe("the first 20 warnings the layer gave (unknown result keys, unreadable sidecars), each text once with the books that gave it: `book 7: W` for one book, `8 books (1, 2, 3, 4, 5, ...): W` for several (the first five ids; it was one line per book)"),
  top_errors: z
    .array(z.object({ error: z.string(), count: z.number().int().positive() }))
    .describe("the most common errors of this run, up to three, most frequent first; messages that differ only in the book they name (its folder or a file in it) count as one, shown by the first; empty without errors"),
  changed: z
    .boolean()
    .describe(
      "true when the layer's code or settings changed since its last run (a plugin's files or plugin_configs entry, a built-in layer's settings), so it ran again on every book and its new answers replaced its old evidence",
    ),
});
export type LayerRunSummaryView = z.infer<typeof LayerRunSummaryView>;

export const ProcessSummaryView = z
  .object({
    layers: z.array(LayerRunSummaryView).describe("one entry per layer that ran, in execution order"),
    interrupted: z.boolean().describe("true when a signal stopped the run (Ctrl-C, SIGTERM, SIGHUP); run `process` again to continue"),
    finalized: count("books that got their final status (`identified` / `needs_attention`) in this run"),
    changed: count("books whose status, values, confidence or proposed path this run changed"),
    now: z
      .record(z.string(), z.number().int().positive())
      .describe("of the changed books, how many are now in each status, e.g. `{ \"identified\": 3 }`"),
    not_identified: z
      .array(
        z.object({
          layer_id: z.string().describe("the layer that stopped before it got to them (auto-disabled, or halted by its failures)"),
          books: count("books it gave no answer, which therefore keep their status (`new` or `pending`)"),
        }),
      )
      .describe(
        "books this run could not identify because a layer stopped before it got to them, per layer; empty when every book got through. Fix the layer (`plugins health ID`, then `plugins reset ID` for an auto-disabled plugin) and run `process` again to finish them",
      ),
    plugin_problems: z
      .array(
        z.object({
          plugin_id: z.string().describe("the plugin's id, or its folder name when the manifest names none"),
          state: z.enum(["failed", "invalid", "skipped", "auto-disabled"]),
          reason: z.string().nullable(),
        }),
      )
      .describe("plugins that did not run or stopped: failed to load, invalid, skipped (missing config or secrets), auto-disabled"),
    exit_code: z
      .union([z.literal(0), z.literal(3), z.literal(130)])
      .describe("the command's exit code: 0 all done, 3 layer errors or plugin problems, 130 interrupted (Ctrl-C, SIGTERM or SIGHUP)"),
  })
  .describe("What one pipeline run did");
export type ProcessSummaryView = z.infer<typeof ProcessSummaryView>;

export const processSummaryDoc = viewDoc(ProcessSummaryView, "`process --json`", "One object.", {
    layers: [
      { layer_id: "path", processed: 13, evidence_added: 33, errors: 0, skipped: 0, seconds: 0.11, warnings: [], top_errors: [], changed: false },
      {
        layer_id: "openlibrary",
        processed: 13,
        evidence_added: 0,
        errors: 13,
        skipped: 0,
        seconds: 0.4,
        warnings: [],
        changed: false,
        top_errors: [{ error: "getaddrinfo ENOTFOUND openlibrary.org", count: 13 }],
      },
    ],
    interrupted: false,
    finalized: 13,
    changed: 13,
    now: { identified: 9, needs_attention: 4 },
    not_identified: [],
    plugin_problems: [{ plugin_id: "flaky", state: "auto-disabled", reason: "5 failures in a row (last: lookup service said 503)" }],
    exit_code: 3,
  }, "Layers with nothing to do appear with zeros. With layer errors or plugin problems the exit code is 3 and stderr ends with a summary naming each layer, its error count and most common error, and each plugin that did not run.");
